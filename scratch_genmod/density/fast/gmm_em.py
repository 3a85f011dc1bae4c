"""The maths of a Gaussian mixture by EM: one function per step, every covariance type.

Each component ``Phi_i = N(mu_i, Sigma_i)`` is stored by the Cholesky factor
``U_i`` of its precision, ``U_i U_i^T = Sigma_i^{-1}`` (scikit-learn's
``precisions_cholesky_``), because then, with ``y = (x - mu_i) U_i``,

    log Phi_i(x) = -d/2 log(2 pi) + sum_k log (U_i)_kk - 1/2 ||y||^2

needs neither an inverse nor a determinant. Shapes, as in scikit-learn:

=========== ========================= ===============================
type        covariances_              precisions_cholesky_
=========== ========================= ===============================
"full"      (k, d, d) one per comp.   (k, d, d) triangular
"tied"      (d, d) shared by all      (d, d) triangular
"diag"      (k, d) variances          (k, d) 1 / standard deviations
"spherical" (k,) one variance each    (k,) 1 / standard deviation
=========== ========================= ===============================

The maths is :mod:`~scratch_genmod.density.textbook`'s (``e_step``,
``m_step``); what this module adds is speed at any size. :func:`em_step` is
one whole EM iteration in a single pass over the data, block by block:
:func:`e_step` computes a block's responsibilities ``gamma_{t,i}`` and at
once folds them into the sufficient statistics the M-step needs
(``N_i = sum_t gamma_{t,i}``, ``sum_t gamma_{t,i} x_t`` and a second
moment), so nothing of size n outlives a block and the block stays in the
processor's cache; :func:`m_step` turns the statistics into parameters.
"""

import numpy as np

from scratch_genmod.core import gaussian_log_density
from scratch_genmod.density.checks import COVARIANCE_TYPES, EPS_COUNT

__all__ = ["COVARIANCE_TYPES", "n_parameters", "precision_factors",
           "factors_from_precisions", "inverse_factor", "precisions_from_factors",
           "log_gaussian_prob", "log_det_factor", "em_step", "e_step", "m_step",
           "prepare_data"]

LOG_2PI = np.log(2.0 * np.pi)
# Float64 entries per block of work arrays (about 2 MB).
_BLOCK_ELEMENTS = 1 << 18
_COLLAPSE = ("component {i} collapsed (its covariance is not positive definite: too few "
             "or identical points); increase reg_covar (now {reg:g}), use fewer components "
             "or rescale the data")


def n_parameters(covariance_type, k, d):
    """Free parameters of the mixture: covariances, means and k - 1 weights."""
    cov = {"full": k * d * (d + 1) // 2, "tied": d * (d + 1) // 2,
           "diag": k * d, "spherical": k}[covariance_type]
    return cov + k * d + k - 1


def precision_factors(covariances, covariance_type, reg_covar):
    """``(U, U^{-1})`` with ``U U^T = Sigma^{-1}``, or an error naming the collapsed component.

    For full/tied, ``Sigma = L L^T`` (Cholesky) gives ``U = (L^{-1})^T`` by a
    triangular solve and ``U^{-1} = L^T`` for free.
    """
    if covariance_type in ("diag", "spherical"):
        bad = np.flatnonzero(~(covariances > 0).reshape(len(covariances), -1).all(axis=1))
        if bad.size:
            raise ValueError(_COLLAPSE.format(i=int(bad[0]), reg=reg_covar))
        root = np.sqrt(covariances)
        return 1.0 / root, root
    try:
        L = np.linalg.cholesky(covariances)
    except np.linalg.LinAlgError:
        L = None
    stack = covariances.reshape(-1, *covariances.shape[-2:])
    if L is None or not np.all(np.diagonal(L, axis1=-2, axis2=-1) > 0):
        for i, cov in enumerate(stack):
            try:
                np.linalg.cholesky(cov)
            except np.linalg.LinAlgError:
                break
        raise ValueError(_COLLAPSE.format(i="(tied)" if covariance_type == "tied" else i,
                                          reg=reg_covar))
    eye = np.broadcast_to(np.eye(L.shape[-1]), L.shape)
    return np.swapaxes(np.linalg.solve(L, eye), -1, -2), np.swapaxes(L, -1, -2)


def factors_from_precisions(precisions, covariance_type, name="precisions_init"):
    """``(U, U^{-1})`` from precision matrices: ``U`` is their lower Cholesky factor.

    Raises ValueError naming ``name[i]`` when a precision is not symmetric
    positive definite.
    """
    if covariance_type in ("diag", "spherical"):
        if not np.all(precisions > 0):
            raise ValueError(f"{name} must be positive for covariance_type="
                             f"{covariance_type!r}, got a minimum of {precisions.min():.4g}")
        root = np.sqrt(precisions)
        return root, 1.0 / root
    stack = precisions.reshape(-1, *precisions.shape[-2:])
    factors = np.empty_like(stack)
    for i, P in enumerate(stack):
        label = name if covariance_type == "tied" else f"{name}[{i}]"
        scale = np.max(np.abs(P))
        if not np.allclose(P, P.T, rtol=1e-10, atol=1e-12 * scale):
            raise ValueError(f"{label} must be symmetric")
        try:
            factors[i] = np.linalg.cholesky(P)
        except np.linalg.LinAlgError:
            raise ValueError(f"{label} is not positive definite") from None
    U = factors.reshape(precisions.shape)
    return U, inverse_factor(U, covariance_type)


def inverse_factor(U, covariance_type):
    """``U^{-1}`` by a (triangular) solve; for diag/spherical ``1 / U``."""
    if covariance_type in ("diag", "spherical"):
        return 1.0 / U
    return np.linalg.solve(U, np.broadcast_to(np.eye(U.shape[-1]), U.shape))


def precisions_from_factors(U, covariance_type):
    """``Sigma^{-1} = U U^T`` (full, tied) or ``U^2`` (diag, spherical)."""
    if covariance_type in ("diag", "spherical"):
        return U ** 2
    return U @ np.swapaxes(U, -1, -2)


def log_gaussian_prob(X, means, U, covariance_type):
    """``log Phi_i(x_t)`` for every point and component, shape (n_samples, k).

    The direct, stable form, component by component: ``y = (x - mu_i) U_i``.
    Plus ``log alpha_i``, the same numbers as the log-joint inside
    ``textbook.e_step``, from the factors ``U`` instead of the covariances.
    """
    n, d = X.shape
    k = means.shape[0]
    out = np.empty((n, k))
    for i in range(k):
        if covariance_type in ("full", "tied"):
            out[:, i] = gaussian_log_density(X, means[i], U[i] if covariance_type == "full" else U)
            continue
        u = U[i] * np.ones(d)
        y = (X - means[i]) * u
        out[:, i] = -0.5 * (d * LOG_2PI + np.einsum("ij,ij->i", y, y)) + np.log(u).sum()
    return out


def log_det_factor(U, covariance_type, d):
    """``log |U_i| = sum_k log (U_i)_kk``, shape (k,) (a scalar for "tied")."""
    if covariance_type == "spherical":
        return d * np.log(U)
    if covariance_type == "diag":
        return np.log(U).sum(axis=1)
    return np.log(np.diagonal(U, axis1=-2, axis2=-1)).sum(axis=-1)


def em_step(data, weights, means, U, U_inv, covariance_type, reg_covar):
    """One EM iteration in one pass; returns (mean log-likelihood, weights, means, covariances).

    Same numbers as ``textbook.m_step(X, textbook.e_step(X, ...)[0])`` on the
    centred data of :func:`prepare_data`, with the log-likelihood of
    ``textbook.e_step``: the one of the parameters given (before the M-step),
    as scikit-learn's ``lower_bound_``.

    Parameters are those of :func:`e_step`, with ``U_inv`` (the inverses of
    the factors ``U``, module table shapes) and ``reg_covar`` for :func:`m_step`.
    """
    log_likelihood, statistics = e_step(data, weights, means, U, covariance_type)
    return (log_likelihood,) + m_step(statistics, means, U_inv, covariance_type, reg_covar)


def e_step(data, weights, means, U, covariance_type):
    """E-step, block by block: (mean log-likelihood, sufficient statistics of gamma).

    Same log-likelihood as ``textbook.e_step``; instead of gamma (n x k) it
    returns what the M-step needs of it, ``(N, SX, second)``:
    ``N_i = sum_t gamma_{t,i}``, ``SX_i = sum_t gamma_{t,i} x_t`` and a
    second moment - for full/tied ``sum_t gamma_{t,i} y^T y`` in whitened
    coordinates ``y = (x_t - mu_i) U_i``, for diag/spherical
    ``sum_t gamma_{t,i} T(x_t)`` (see :func:`prepare_data`).

    Parameters
    ----------
    data : tuple
        ``(X, T)`` from :func:`prepare_data`.
    weights : ndarray of shape (k,)
    means : ndarray of shape (k, d)
    U : ndarray
        Precision Cholesky factors (module table shapes).
    covariance_type : str
    """
    X, T = data
    n, d = X.shape
    k = means.shape[0]
    with np.errstate(divide="ignore"):  # a weight of exactly 0 is a log of -inf
        const = np.log(weights) + log_det_factor(U, covariance_type, d) - 0.5 * d * LOG_2PI
    N, SX = np.zeros(k), np.zeros((k, d))
    if covariance_type in ("full", "tied"):
        # Whitened offsets mu_i U_i; the second moment is summed in whitened
        # coordinates y, S_i = sum_t gamma_{t,i} y_t^T y_t, and mapped back by m_step.
        offsets = np.einsum("kj,kjl->kl", means, U) if covariance_type == "full" else means @ U
        second = np.zeros((k, d, d) if covariance_type == "full" else (d, d))
    else:
        # Expand ||(x - mu) u||^2 = sum p x^2 - 2 sum p mu x + sum p mu^2, p = u^2:
        # with T(x) = [x^2 (or ||x||^2), x], the log-densities are one product T @ W.
        P = U ** 2
        P2 = P if covariance_type == "diag" else P[:, None]
        W = np.hstack([-0.5 * P2, P2 * means])
        const = const - 0.5 * np.sum(P2 * means ** 2, axis=1)
        second = np.zeros((k, T.shape[1]))
    log_likelihood = 0.0
    step = max(16, _BLOCK_ELEMENTS // (k * d))
    for start in range(0, n, step):
        Xb = X[start:start + step]
        if covariance_type == "full":
            Y = np.matmul(Xb, U)
            Y -= offsets[:, None, :]
        elif covariance_type == "tied":
            Y = (Xb @ U)[None, :, :] - offsets[:, None, :]
        else:
            Tb = T[start:start + step]
            log_prob = W @ Tb.T
        if covariance_type in ("full", "tied"):
            log_prob = np.einsum("kcd,kcd->kc", Y, Y)
            log_prob *= -0.5
        log_prob += const[:, None]
        # Responsibilities, component-major (k, block): a softmax down the columns,
        # in place (log_prob becomes gamma) so the block needs no second array.
        top = log_prob.max(axis=0)
        log_prob -= top
        resp = np.exp(log_prob, out=log_prob)
        total = resp.sum(axis=0)
        resp /= total
        log_likelihood += float(np.sum(top + np.log(total)))
        N += resp.sum(axis=1)
        if covariance_type in ("full", "tied"):
            SX += resp @ Xb
            Yw = Y * resp[:, :, None]
            if covariance_type == "full":
                second += np.matmul(np.swapaxes(Yw, 1, 2), Y)
            else:
                second += Yw.reshape(-1, d).T @ Y.reshape(-1, d)
        else:
            second += resp @ Tb
    return log_likelihood / n, (N, SX, second)


def m_step(statistics, means_old, U_inv, covariance_type, reg_covar):
    """M-step from the sufficient statistics of :func:`e_step`: (weights, means, covariances).

    Same numbers as ``textbook.m_step`` given the gamma these statistics sum.
    The full/tied scatter is known about the *old* means, in whitened
    coordinates, and is moved to the new ones here.
    """
    N, SX, second = statistics
    nk = N + EPS_COUNT
    weights = nk / nk.sum()
    k, d = means_old.shape
    if covariance_type in ("diag", "spherical"):
        SX = second[:, -d:]
        means = SX / nk[:, None]
        if covariance_type == "diag":
            cov = second[:, :d] / nk[:, None] - means ** 2 + reg_covar
        else:
            cov = (second[:, 0] / nk - np.sum(means ** 2, axis=1)) / d + reg_covar
        return weights, means, cov
    means = SX / nk[:, None]
    # Scatter about the old means, A_i = U_i^{-T} S_i U_i^{-1}, then moved to the
    # new means: sum g (x-b)(x-b)^T = A - delta s^T - s delta^T + N delta delta^T,
    # with delta = b - a and s = sum g (x - a). No cancellation: delta is small.
    A = np.swapaxes(U_inv, -1, -2) @ second @ U_inv
    delta = means - means_old
    s = SX - N[:, None] * means_old
    cross = delta[:, :, None] * s[:, None, :]
    moved = N[:, None, None] * delta[:, :, None] * delta[:, None, :]
    moved -= cross + np.swapaxes(cross, 1, 2)
    if covariance_type == "full":
        cov = (A + moved) / nk[:, None, None]
    else:
        cov = (A + moved.sum(axis=0)) / nk.sum()
    cov = 0.5 * (cov + np.swapaxes(cov, -1, -2))
    cov[..., np.arange(d), np.arange(d)] += reg_covar
    return weights, means, cov


def prepare_data(X, covariance_type):
    """``(X - mean(X), T(X))``: the centred data, and for diag/spherical the features
    ``T(x) = [x^2, x]`` (or ``[||x||^2, x]``) whose products with the
    responsibilities are the sufficient statistics. Centring removes the
    cancellation a far offset of the data would cause in the expanded
    squares. Returns (data, shift)."""
    shift = X.mean(axis=0)
    Xc = X - shift
    if covariance_type == "diag":
        T = np.hstack([Xc ** 2, Xc])
    elif covariance_type == "spherical":
        T = np.hstack([np.einsum("ij,ij->i", Xc, Xc)[:, None], Xc])
    else:
        T = None
    return (Xc, T), shift
