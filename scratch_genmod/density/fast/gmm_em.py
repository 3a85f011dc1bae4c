"""One EM iteration of a Gaussian mixture in a single pass over the data, block by block.

The maths is the textbook's (``textbook.e_step`` then ``textbook.m_step``).
What this module adds is speed at any size: :func:`responsibility_statistics`
computes a block's responsibilities ``gamma_{t,i}`` and at once folds them
into the sufficient statistics the M-step needs,

    N_i = sum_t gamma_{t,i},    S_i = sum_t gamma_{t,i} x_t,    and a second moment,

so nothing of size n outlives a block and the block stays in the
processor's cache; :func:`parameters_from_statistics` turns the statistics
into ``alpha_i, mu_i, Sigma_i``. The components are stored by the Cholesky
factors ``U_i`` of their precisions (:mod:`.precisions`).

Each covariance type has its own small block function, chosen by the table
``_BLOCK_STEPS`` (as the textbook chooses its Sigma_i by a table):

* full and tied whiten the block, ``y = (x_t - mu_i) U_i``, so that
  ``log Phi_i(x_t) = const_i - ||y||^2 / 2``, and sum the second moment
  ``sum_t gamma_{t,i} y^T y`` in whitened coordinates;
* diag and spherical expand ``||(x - mu_i) u_i||^2 = sum p x^2 - 2 sum p mu_i x
  + sum p mu_i^2`` (``p = u_i^2``): with the features ``T(x) = [x^2, x]``
  (spherical: ``[||x||^2, x]``) the log-densities of a whole block are one
  product ``W @ T^T``, and ``sum_t gamma_{t,i} T(x_t)`` holds both N_i-weighted
  moments the M-step needs.
"""

import numpy as np

from scratch_genmod.core.blas import blas_threads
from scratch_genmod.core.threads import check_n_threads, map_in_threads
from scratch_genmod.density.checks import EPS_COUNT
from scratch_genmod.density.fast.precisions import LOG_2PI, log_det_factor

__all__ = ["em_iteration", "responsibility_statistics", "parameters_from_statistics",
           "prepare_data"]

# Float64 entries per block of work arrays (about 2 MB).
_BLOCK_ELEMENTS = 1 << 18
# The blocks are shared out in at most _MAX_PARTS runs, each summing its own
# statistics (at most _PART_BYTES of them in all), run side by side on the
# library's threads and added in order.
_MAX_PARTS = 8
_PART_BYTES = 32 * 2 ** 20


def em_iteration(data, alpha, means, U, U_inv, covariance_type, reg_covar):
    """One EM iteration in one pass: (mean log-likelihood, alpha, means, Sigma).

    Equals ``textbook.m_step(X, textbook.e_step(X, ...)[0])`` on the centred
    data of :func:`prepare_data`, with the log-likelihood of
    ``textbook.e_step``: that of the parameters given (before the M-step),
    as scikit-learn's ``lower_bound_``.

    Parameters
    ----------
    data : tuple
        ``(X, T)`` from :func:`prepare_data`.
    alpha : ndarray of shape (k,)
    means : ndarray of shape (k, d)
    U, U_inv : ndarray
        Precision Cholesky factors and their inverses (shapes in :mod:`.precisions`).
    covariance_type : {"full", "tied", "diag", "spherical"}
    reg_covar : float
    """
    mean_log_f, statistics = responsibility_statistics(data, alpha, means, U, covariance_type)
    return (mean_log_f,) + parameters_from_statistics(statistics, means, U_inv,
                                                      covariance_type, reg_covar)


def responsibility_statistics(data, alpha, means, U, covariance_type):
    """The E-step's gamma summed into ``(N, S, second)``, block by block, with the mean log-likelihood.

    Same mean log-likelihood as ``textbook.e_step``; in place of gamma
    (n x k) it returns ``N_i = sum_t gamma_{t,i}``, ``S_i = sum_t gamma_{t,i}
    x_t`` and a second moment: for full/tied ``sum_t gamma_{t,i} y^T y`` in
    whitened coordinates ``y = (x_t - mu_i) U_i``, for diag/spherical
    ``sum_t gamma_{t,i} T(x_t)``.

    Parameters
    ----------
    data, alpha, means, U, covariance_type
        As for :func:`em_iteration`.

    Returns
    -------
    mean_log_likelihood : float
        ``(1/n) sum_t log f(x_t)``.
    statistics : tuple
        ``(N, S, second)``: shapes (k,), (k, d), and (k, d, d) full, (d, d)
        tied, (k, 2d) diag, (k, d + 1) spherical.
    """
    X, T = data
    n, d = X.shape
    prepare, block_step = _BLOCK_STEPS[covariance_type]
    model = prepare(alpha, means, U, covariance_type)
    k = len(means)
    step = max(16, _BLOCK_ELEMENTS // (k * d))

    def part_sums(bounds):
        sums = {"N": np.zeros(k), "S": np.zeros((k, d)), "second": None, "log_f": 0.0}
        for start in range(bounds[0], bounds[1], step):
            rows = slice(start, min(start + step, bounds[1]))
            block_step(sums, model, X[rows], None if T is None else T[rows])
        return sums

    # parts of whole blocks, as many as the shapes allow (never as many as the
    # threads): the same sums, added in the same order, on any number of threads
    n_blocks = -(-n // step)
    n_parts = max(1, min(_MAX_PARTS, n_blocks,
                         _PART_BYTES // (8 * (k * d * d if covariance_type == "full" else d * d
                                              + 2 * k * d))))
    cuts = [step * (n_blocks * i // n_parts) for i in range(n_parts)] + [n]
    with blas_threads(1):  # each block's products on one BLAS thread: same bits at any load
        parts = map_in_threads(part_sums, list(zip(cuts[:-1], cuts[1:])), check_n_threads(None))
    sums = parts[0]
    for other in parts[1:]:  # in the order of the parts
        for key in sums:
            sums[key] = sums[key] + other[key]
    if T is not None:  # diag, spherical: S_i is the x-part of sum_t gamma_{t,i} T(x_t)
        sums["S"] = sums["second"][:, -d:]
    return sums["log_f"] / n, (sums["N"], sums["S"], sums["second"])


def parameters_from_statistics(statistics, means_old, U_inv, covariance_type, reg_covar):
    """The M-step from ``(N, S, second)``: (alpha, means, Sigma), as ``textbook.m_step``.

    ``alpha_i = N_i / n`` and ``mu_i = S_i / N_i`` (``N_i`` plus ``10 eps``,
    as the textbook); ``Sigma_i`` by the covariance type's function in
    ``_SIGMA_STEPS``, plus ``reg_covar`` on every variance.
    """
    N, S, second = statistics
    N_eps = N + EPS_COUNT
    alpha = N_eps / N_eps.sum()
    means = S / N_eps[:, None]
    Sigma = _SIGMA_STEPS[covariance_type](N, N_eps, S, second, means, means_old, U_inv)
    return alpha, means, Sigma + reg_covar * _REG_SHAPES[covariance_type](means.shape[1])


def prepare_data(X, covariance_type):
    """``((X - mean(X), T(X)), mean(X))``: the centred data and, for diag/spherical, ``T``.

    ``T(x) = [x^2, x]`` (diag) or ``[||x||^2, x]`` (spherical): its products
    with gamma are the sufficient statistics. Centring removes the
    cancellation a far offset of the data would cause in the expanded squares.
    """
    shift = X.mean(axis=0)
    Xc = X - shift
    if covariance_type == "diag":
        T = np.hstack([Xc ** 2, Xc])
    elif covariance_type == "spherical":
        T = np.hstack([np.einsum("ij,ij->i", Xc, Xc)[:, None], Xc])
    else:
        T = None
    return (Xc, T), shift


# ---- the E-step, one block at a time ---------------------------------------------------

def _add_responsibilities(sums, log_joint):
    """gamma of a block from ``log alpha_i + log Phi_i(x_t)`` (k, m), in place; adds N and log f.

    A softmax down each column, shifted by the column's maximum, so a point
    far from every component still gets responsibilities summing to 1.
    """
    top = log_joint.max(axis=0)
    log_joint -= top
    gamma = np.exp(log_joint, out=log_joint)
    total = gamma.sum(axis=0)
    gamma /= total
    sums["log_f"] += float(np.sum(top + np.log(total)))  # log f(x_t) = top + log total
    sums["N"] += gamma.sum(axis=1)
    return gamma


def _prepare_whitened(alpha, means, U, covariance_type):
    """Full/tied: ``const_i = log alpha_i + log|U_i| - d/2 log 2 pi`` and offsets ``mu_i U_i``."""
    d = means.shape[1]
    with np.errstate(divide="ignore"):  # alpha_i = 0 is log 0 = -inf: gamma_{t,i} = 0
        const = np.log(alpha) + log_det_factor(U, covariance_type, d) - 0.5 * d * LOG_2PI
    offsets = np.einsum("kj,kjl->kl", means, U) if covariance_type == "full" else means @ U
    return {"U": U, "const": const, "offsets": offsets}


def _full_block(sums, model, Xb, Tb):
    """Full: ``y = x U_i - mu_i U_i`` for every component; second moment per component."""
    Y = np.matmul(Xb, model["U"])  # (k, m, d)
    Y -= model["offsets"][:, None, :]
    gamma = _add_responsibilities(sums, _whitened_log_joint(Y, model["const"]))
    sums["S"] += gamma @ Xb
    second = np.matmul(np.swapaxes(Y * gamma[:, :, None], 1, 2), Y)
    sums["second"] = second if sums["second"] is None else sums["second"] + second


def _tied_block(sums, model, Xb, Tb):
    """Tied: one ``x U`` for all components; one second moment pooled over them."""
    Y = (Xb @ model["U"])[None, :, :] - model["offsets"][:, None, :]
    gamma = _add_responsibilities(sums, _whitened_log_joint(Y, model["const"]))
    sums["S"] += gamma @ Xb
    d = Xb.shape[1]
    second = (Y * gamma[:, :, None]).reshape(-1, d).T @ Y.reshape(-1, d)
    sums["second"] = second if sums["second"] is None else sums["second"] + second


def _whitened_log_joint(Y, const):
    """``const_i - ||y_{t,i}||^2 / 2``, shape (k, m)."""
    log_joint = np.einsum("kcd,kcd->kc", Y, Y)
    log_joint *= -0.5
    log_joint += const[:, None]
    return log_joint


def _prepare_expanded(alpha, means, U, covariance_type):
    """Diag/spherical: ``W = [-p/2, p mu_i]`` with ``p = u_i^2``, and the constant of the expansion."""
    d = means.shape[1]
    with np.errstate(divide="ignore"):
        const = np.log(alpha) + log_det_factor(U, covariance_type, d) - 0.5 * d * LOG_2PI
    p = U ** 2 if covariance_type == "diag" else (U ** 2)[:, None]
    W = np.hstack([-0.5 * p, p * means])
    return {"W": W, "const": const - 0.5 * np.sum(p * means ** 2, axis=1)}


def _expanded_block(sums, model, Xb, Tb):
    """Diag/spherical: log-densities of the block by one product ``W @ T^T``; moments ``gamma @ T``."""
    log_joint = model["W"] @ Tb.T
    log_joint += model["const"][:, None]
    gamma = _add_responsibilities(sums, log_joint)
    second = gamma @ Tb
    sums["second"] = second if sums["second"] is None else sums["second"] + second


_BLOCK_STEPS = {"full": (_prepare_whitened, _full_block),
                "tied": (_prepare_whitened, _tied_block),
                "diag": (_prepare_expanded, _expanded_block),
                "spherical": (_prepare_expanded, _expanded_block)}


# ---- the M-step's Sigma_i, one function per covariance type -------------------------------

def _whitened_scatter(N, S, second, means, means_old, U_inv):
    """``sum_t gamma_{t,i} (x_t - mu_i)(x_t - mu_i)^T`` per component, from the whitened moment.

    The moment is known about the *old* means in whitened coordinates:
    ``A_i = U_i^{-T} second_i U_i^{-1}``, then moved to the new means by
    ``A - delta s^T - s delta^T + N delta delta^T`` with ``delta = mu_new - mu_old``
    and ``s = S - N mu_old``. No cancellation: delta is small.
    """
    A = np.swapaxes(U_inv, -1, -2) @ second @ U_inv
    delta = means - means_old
    s = S - N[:, None] * means_old
    cross = delta[:, :, None] * s[:, None, :]
    moved = N[:, None, None] * delta[:, :, None] * delta[:, None, :]
    moved -= cross + np.swapaxes(cross, 1, 2)
    return A, moved


def _sigma_full(N, N_eps, S, second, means, means_old, U_inv):
    """``Sigma_i = scatter_i / N_i`` (made exactly symmetric)."""
    A, moved = _whitened_scatter(N, S, second, means, means_old, U_inv)
    Sigma = (A + moved) / N_eps[:, None, None]
    return 0.5 * (Sigma + np.swapaxes(Sigma, 1, 2))


def _sigma_tied(N, N_eps, S, second, means, means_old, U_inv):
    """``Sigma = sum_i scatter_i / n``: one matrix pooled over the components."""
    A, moved = _whitened_scatter(N, S, second, means, means_old, U_inv)
    Sigma = (A + moved.sum(axis=0)) / N_eps.sum()
    return 0.5 * (Sigma + Sigma.T)


def _sigma_diag(N, N_eps, S, second, means, means_old, U_inv):
    """``sigma_{i,k}^2 = sum_t gamma_{t,i} x_{t,k}^2 / N_i - mu_{i,k}^2``."""
    d = means.shape[1]
    return second[:, :d] / N_eps[:, None] - means ** 2


def _sigma_spherical(N, N_eps, S, second, means, means_old, U_inv):
    """``sigma_i^2``: the mean over the features of the diag variances."""
    d = means.shape[1]
    return (second[:, 0] / N_eps - np.sum(means ** 2, axis=1)) / d


_SIGMA_STEPS = {"full": _sigma_full, "tied": _sigma_tied, "diag": _sigma_diag,
                "spherical": _sigma_spherical}
# What reg_covar is added as: the identity's diagonal (full, tied) or to each variance.
_REG_SHAPES = {"full": np.eye, "tied": np.eye, "diag": lambda d: 1.0, "spherical": lambda d: 1.0}
