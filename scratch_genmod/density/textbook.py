"""Density estimation as the course writes it: plain NumPy, one formula per function.

Start here. A mixture is

    f(x) = sum_i alpha_i Phi_i(x | theta_i),    Phi_i = N(mu_i, Sigma_i),

fitted by EM: the E-step gives the responsibilities
``gamma_{t,i} = alpha_i Phi_i(x_t) / f(x_t)``, the M-step re-estimates
``alpha_i, mu_i, Sigma_i`` from them, and :func:`em` repeats both. A kernel
estimate is the mixture with one bump per observation,
``f^(y) = (1/n) sum_i Phi(y, x_i)`` (:func:`kde`), and Lloyd's step of
k-means is the E-step with hard responsibilities (:func:`lloyd_step`).

The estimators (:class:`~scratch_genmod.density.GaussianMixture`,
:class:`~scratch_genmod.density.KernelDensity`,
:class:`~scratch_genmod.density.KMeans`) give the same numbers, faster: the
tests check them against these functions. Nothing here works in blocks or
reuses a buffer; densities of data are summed as logs (:func:`logsumexp`) so
that nothing underflows, and no covariance is inverted: its Cholesky factor
gives both the quadratic form and the determinant.

>>> gamma, mean_log_f = e_step([[1.0]], [0.5, 0.5], [[0.0], [2.0]], [[[1.0]], [[1.0]]])
>>> gamma                                # x = 1 is half-way between the means
array([[0.5, 0.5]])
"""

import numpy as np

from scratch_genmod.core import (
    check_array,
    check_choice,
    check_sample_weight,
    check_scalar,
    cholesky,
    gaussian_log_density,
    logsumexp,
    precision_cholesky,
)
from scratch_genmod.density.checks import check_covariances, check_weights
from scratch_genmod.density.kde import bandwidth_matrix
from scratch_genmod.density.kernels import KERNELS

__all__ = ["COVARIANCE_TYPES", "e_step", "m_step", "em", "kde", "log_kde", "lloyd_step"]

COVARIANCE_TYPES = ["full", "tied", "diag", "spherical"]
# Added to every N_i, as scikit-learn does: an empty component (N_i = 0) gets the
# mean 0 / eps = 0 and the covariance reg_covar I instead of 0 / 0.
EPS_COUNT = 10 * np.finfo(np.float64).eps


def e_step(X, alpha, means, covariances, covariance_type="full"):
    """E-step: ``gamma_{t,i} = alpha_i Phi_i(x_t) / sum_j alpha_j Phi_j(x_t)``.

    Computed in log space, ``log gamma_{t,i} = log alpha_i + log Phi_i(x_t) -
    log f(x_t)`` with ``log f(x_t) = logsumexp_j(log alpha_j + log Phi_j(x_t))``,
    so a point far from every component still gets responsibilities summing to 1.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    alpha : array-like of shape (n_components,)
        Weights ``alpha_i``, non-negative, summing to 1.
    means : array-like of shape (n_components, n_features)
    covariances : array-like
        ``Sigma_i`` shaped as ``GaussianMixture.covariances_``: (k, d, d) for
        "full", (d, d) for "tied", (k, d) for "diag", (k,) for "spherical".
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"

    Returns
    -------
    gamma : ndarray of shape (n_samples, n_components)
        Each row sums to 1.
    mean_log_likelihood : float
        ``(1/n) sum_t log f(x_t)``.

    Examples
    --------
    Means 0 and 2, unit variances, equal weights: at x = 0 the odds are
    ``Phi_1(0) / Phi_2(0) = e^0 / e^-2``, so ``gamma = 1 / (1 + e^-2) = 0.8808``.

    >>> gamma, _ = e_step([[0.0], [2.0]], [0.5, 0.5], [[0.0], [2.0]], [1.0, 1.0], "spherical")
    >>> gamma.round(4)
    array([[0.8808, 0.1192],
           [0.1192, 0.8808]])
    """
    X, alpha, means, sigmas = _check_mixture(X, alpha, means, covariances, covariance_type)
    log_joint = np.empty((X.shape[0], len(alpha)))
    for i, (mu, sigma) in enumerate(zip(means, sigmas)):
        U = precision_cholesky(sigma, f"covariances[{i}]")  # U U^T = Sigma_i^{-1}
        with np.errstate(divide="ignore"):  # alpha_i = 0 is log 0 = -inf: gamma_{t,i} = 0
            log_joint[:, i] = np.log(alpha[i]) + gaussian_log_density(X, mu, U)
    log_f = logsumexp(log_joint, axis=1)
    return np.exp(log_joint - log_f[:, None]), float(np.mean(log_f))


def m_step(X, gamma, covariance_type="full", reg_covar=1e-6):
    """M-step: the weighted maximum-likelihood parameters given ``gamma``.

        N_i = sum_t gamma_{t,i},   alpha_i = N_i / n,   mu_i = sum_t gamma_{t,i} x_t / N_i,
        Sigma_i = sum_t gamma_{t,i} (x_t - mu_i)(x_t - mu_i)^T / N_i + reg_covar I

    "tied" pools the scatter of all components over n; "diag" keeps the
    variances (the diagonal); "spherical" their mean over the features.
    ``N_i`` gets ``10 eps`` added, as in scikit-learn, so that an empty
    component gives no 0 / 0.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    gamma : array-like of shape (n_samples, n_components)
        Non-negative responsibilities (rows summing to 1).
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
    reg_covar : float, default=1e-6
        Added to every variance; keeps each Sigma_i positive definite.

    Returns
    -------
    alpha : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, n_features)
    covariances : ndarray, shaped as ``GaussianMixture.covariances_``

    Examples
    --------
    Points 0, 2 to the first component and 10, 12 to the second: means 1
    and 11, each variance ((-1)^2 + 1^2) / 2 = 1.

    >>> alpha, means, var = m_step([[0.0], [2.0], [10.0], [12.0]],
    ...                            [[1, 0], [1, 0], [0, 1], [0, 1]], "spherical", 0.0)
    >>> alpha, means.round(12), var.round(12)
    (array([0.5, 0.5]), array([[ 1.],
           [11.]]), array([1., 1.]))
    """
    X = check_array(X, "X")
    gamma = check_array(gamma, "gamma")
    if gamma.shape[0] != X.shape[0] or (gamma < 0).any():
        raise ValueError(f"gamma must be non-negative of shape ({X.shape[0]}, n_components), "
                         f"got shape {gamma.shape} and minimum {gamma.min():.4g}")
    kind = check_choice(covariance_type, "covariance_type", COVARIANCE_TYPES)
    reg_covar = check_scalar(reg_covar, "reg_covar", min_val=0.0)
    N = gamma.sum(axis=0) + EPS_COUNT
    means = gamma.T @ X / N[:, None]
    d = X.shape[1]
    if kind in ("diag", "spherical"):  # only the variances: no d x d scatter
        var = np.stack([g @ (X - mu) ** 2 for g, mu in zip(gamma.T, means)]) / N[:, None]
        var = var + reg_covar
        return N / N.sum(), means, var if kind == "diag" else var.mean(axis=1)
    scatter = np.empty((len(N), d, d))  # S_i = sum_t gamma_{t,i} (x_t - mu_i)(x_t - mu_i)^T
    for i, mu in enumerate(means):
        diff = X - mu
        scatter[i] = (gamma[:, i, None] * diff).T @ diff
    sigma = scatter / N[:, None, None] if kind == "full" else scatter.sum(axis=0) / N.sum()
    sigma = 0.5 * (sigma + np.swapaxes(sigma, -1, -2))  # exactly symmetric
    return N / N.sum(), means, sigma + reg_covar * np.eye(d)


def em(X, alpha, means, covariances, covariance_type="full", reg_covar=1e-6, n_iter=100,
       tol=1e-3):
    """EM: E-step, M-step, until the mean log-likelihood changes by less than ``tol``.

    The test is on the *mean* log-likelihood ``(1/n) sum_t log f(x_t)``, which
    does not grow with n (a sum would). EM never lowers it.

    Parameters
    ----------
    X, alpha, means, covariances, covariance_type
        As for :func:`e_step`: the data and the starting parameters.
    reg_covar : float, default=1e-6
    n_iter : int, default=100
        At most this many iterations.
    tol : float, default=1e-3

    Returns
    -------
    alpha, means, covariances : ndarray
        After the last M-step.
    history : list of float
        ``history[s]`` is the mean log-likelihood of the parameters entering
        iteration s (its E-step), as ``GaussianMixture.log_likelihood_history_``.

    Examples
    --------
    One component on the points -1 and 1: the first M-step gives mean 0 and
    variance 1, which the second leaves unchanged, so EM stops.

    >>> alpha, means, cov, history = em([[-1.0], [1.0]], [1.0], [[5.0]], [[[1.0]]],
    ...                                 reg_covar=0.0)
    >>> means, cov
    (array([[0.]]), array([[[1.]]]))
    >>> len(history), round(history[-1], 4)  # -log(2 pi)/2 - 1/2
    (3, -1.4189)
    """
    n_iter = check_scalar(n_iter, "n_iter", int, min_val=1)
    tol = check_scalar(tol, "tol", min_val=0.0)
    history = []
    for _ in range(n_iter):
        gamma, mean_log_f = e_step(X, alpha, means, covariances, covariance_type)
        alpha, means, covariances = m_step(X, gamma, covariance_type, reg_covar)
        history.append(mean_log_f)
        if len(history) > 1 and abs(history[-1] - history[-2]) < tol:
            break
    return alpha, means, covariances, history


def kde(Y, X, bandwidth=1.0, kernel="gaussian", sample_weight=None):
    """Kernel density estimate ``f^(y) = sum_i p_i K_H(y - x_i)``, ``p_i = 1/n``.

    ``K_H(u) = |H|^(-1/2) K(H^(-1/2) u)`` and ``K(u) = k(||u||) / C_d``, the
    profile ``k`` and constant ``C_d`` of :mod:`~scratch_genmod.density.kernels`.
    With ``H = L L^T`` (Cholesky), ``||L^{-1} u||^2 = u^T H^{-1} u`` and
    ``|H|^(1/2) = prod_k L_kk``. With weights, ``p_i = w_i / sum_j w_j``.

    Parameters
    ----------
    Y : array-like of shape (n_queries, n_features)
    X : array-like of shape (n_samples, n_features)
        The observations x_i.
    bandwidth : float, array-like of shape (d, d), "scott" or "silverman", default=1.0
        As for KernelDensity: a float h means H = h^2 I.
    kernel : str, default="gaussian"
        A name in ``KERNELS``.
    sample_weight : array-like of shape (n_samples,) or None, default=None

    Returns
    -------
    density : ndarray of shape (n_queries,)
        Use :func:`log_kde` where the density under- or overflows.

    Examples
    --------
    Tophat kernel (1/2 on |u| < 1), h = 2: at y = 1 the points 0 and 2 are
    inside, 5 is not, so f^(1) = (1/3) (1/2 + 1/2 + 0) / 2 = 1/6.

    >>> kde([[1.0]], [[0.0], [2.0], [5.0]], bandwidth=2.0, kernel="tophat") * 6
    array([1.])
    """
    Y, X, p, L, K = _check_kde(Y, X, bandwidth, kernel, sample_weight)
    scale = np.exp(-K.log_normaliser(X.shape[1])) / np.prod(np.diag(L))  # 1 / (C_d |H|^1/2)
    f = np.empty(len(Y))
    for j, y in enumerate(Y):
        u = np.linalg.solve(L, (y - X).T)  # column i: L^{-1} (y - x_i)
        f[j] = scale * np.sum(p * np.exp(K.log_profile(np.sum(u * u, axis=0))))
    return f


def log_kde(Y, X, bandwidth=1.0, kernel="gaussian", sample_weight=None):
    """``log f^(y)`` of :func:`kde`, by a log-sum-exp over the observations.

        log f^(y) = logsumexp_i (log p_i + log k(||L^{-1}(y - x_i)||)) - log C_d - sum_k log L_kk

    Finite far in the tails and at any scale of the data (1e-150 as 1e150),
    where :func:`kde` under- or overflows; -inf where a compact kernel is 0.
    Parameters and shapes as for :func:`kde`.

    >>> float(log_kde([[0.0]], [[0.0]])[0])  # log N(0 | 0, 1) = -log(2 pi) / 2
    -0.918938533204672...
    """
    Y, X, p, L, K = _check_kde(Y, X, bandwidth, kernel, sample_weight)
    log_scale = -K.log_normaliser(X.shape[1]) - np.sum(np.log(np.diag(L)))
    with np.errstate(divide="ignore"):  # a weight of 0 is a term of log 0 = -inf
        log_p = np.log(p)
    log_f = np.empty(len(Y))
    for j, y in enumerate(Y):
        u = np.linalg.solve(L, (y - X).T)
        log_f[j] = logsumexp(log_p + K.log_profile(np.sum(u * u, axis=0))) + log_scale
    return log_f


def lloyd_step(X, centers):
    """One Lloyd iteration of k-means: assign each point to its nearest centre, then average.

        label(t) = argmin_i ||x_t - c_i||^2,    c_i <- mean of the x_t with label(t) = i

    A cluster that wins no point has no mean. As in :class:`KMeans`, each
    such centre is re-seeded at a data point: the points farthest from their
    own (old) centre, the farthest one to the lowest-numbered empty cluster.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    centers : array-like of shape (n_clusters, n_features)

    Returns
    -------
    new_centers : ndarray of shape (n_clusters, n_features)
    labels : ndarray of shape (n_samples,), dtype int64
        The nearest of the *given* centres (the first one on a tie).

    Examples
    --------
    >>> new, labels = lloyd_step([[0.0], [1.0], [9.0], [11.0]], [[0.0], [8.0], [100.0]])
    >>> labels          # nobody is nearest to 100: it moves to 11, the farthest point
    array([0, 0, 1, 1])
    >>> new.ravel()     # (0 + 1) / 2, (9 + 11) / 2, and the re-seeded centre
    array([ 0.5, 10. , 11. ])
    """
    X = check_array(X, "X")
    centers = check_array(centers, "centers")
    if centers.shape[1] != X.shape[1]:
        raise ValueError(f"centers has {centers.shape[1]} features, X has {X.shape[1]}")
    d2 = np.stack([np.sum((X - c) ** 2, axis=1) for c in centers], axis=1)
    labels = np.argmin(d2, axis=1).astype(np.int64)
    new = np.empty_like(centers)
    empty = []
    for i in range(len(centers)):
        if np.any(labels == i):
            new[i] = X[labels == i].mean(axis=0)
        else:
            empty.append(i)
    own = d2[np.arange(len(X)), labels]  # each point's distance to its own centre
    new[empty] = X[np.argsort(own)[::-1][:len(empty)]]
    return new, labels


def _check_mixture(X, alpha, means, covariances, covariance_type):
    """Checked ``(X, alpha, means, Sigma)`` with Sigma as k full (d, d) matrices."""
    X = check_array(X, "X")
    kind = check_choice(covariance_type, "covariance_type", COVARIANCE_TYPES)
    alpha = check_array(alpha, "alpha", ndim=1)
    k, d = len(alpha), X.shape[1]
    alpha = check_weights(alpha, k, "alpha")
    means = check_array(means, "means")
    if means.shape != (k, d):
        raise ValueError(f"means must have shape ({k}, {d}) (one row per weight), "
                         f"got {means.shape}")
    cov = check_covariances(covariances, kind, k, d)
    full = {"full": lambda: cov, "tied": lambda: np.repeat(cov[None], k, axis=0),
            "diag": lambda: np.stack([np.diag(v) for v in cov]),
            "spherical": lambda: cov[:, None, None] * np.eye(d)}[kind]()
    return X, alpha, means, full


def _check_kde(Y, X, bandwidth, kernel, sample_weight):
    """Checked ``(Y, X, p, L, kernel)``: weights p_i summing to 1, H = L L^T."""
    X = check_array(X, "X")
    Y = check_array(Y, "Y")
    if Y.shape[1] != X.shape[1]:
        raise ValueError(f"Y has {Y.shape[1]} features, X has {X.shape[1]}")
    K = KERNELS[check_choice(kernel, "kernel", list(KERNELS))]
    w = check_sample_weight(sample_weight, X.shape[0])
    L = cholesky(bandwidth_matrix(bandwidth, X, w), "bandwidth")
    return Y, X, w / w.sum(), L, K
