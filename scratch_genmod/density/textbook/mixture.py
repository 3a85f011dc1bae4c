"""Gaussian mixtures as the course writes them: the E-step, the M-step, EM, sampling.

A mixture is

    f(x) = sum_i alpha_i Phi_i(x | theta_i),    Phi_i = N(mu_i, Sigma_i),

fitted by EM: the E-step gives the responsibilities
``gamma_{t,i} = alpha_i Phi_i(x_t) / f(x_t)``, the M-step re-estimates
``alpha_i, mu_i, Sigma_i`` from them, and :func:`em` repeats both.
Densities of data are summed as logs (:func:`logsumexp`) so that nothing
underflows, and no covariance is inverted: its Cholesky factor gives both
the quadratic form and the determinant.

>>> gamma, mean_log_f = e_step([[1.0]], [0.5, 0.5], [[0.0], [2.0]], [[[1.0]], [[1.0]]])
>>> gamma                                # x = 1 is half-way between the means
array([[0.5, 0.5]])
"""

import numpy as np

from scratch_genmod.core import (
    check_array,
    check_choice,
    check_random_state,
    check_scalar,
    cholesky,
    gaussian_log_density,
    logsumexp,
    precision_cholesky,
)
from scratch_genmod.density.checks import (COVARIANCE_TYPES, EPS_COUNT, check_covariances,
                                           check_weights)

__all__ = ["log_joint", "e_step", "m_step", "em", "sample_mixture", "n_parameters",
           "precisions_cholesky", "precisions_from_cholesky"]


def log_joint(X, alpha, means, covariances, covariance_type="full"):
    """``log alpha_i + log Phi_i(x_t | mu_i, Sigma_i)`` = log P(x_t, Y = i), shape (n, k).

    ``log f(x_t)`` is the log-sum-exp of row t, and the most probable
    component its argmax (the course's equation (1)). Parameters as for
    :func:`e_step`.

    Examples
    --------
    One component N(0, 1) of weight 1: ``log Phi(0) = -log(2 pi) / 2``.

    >>> log_joint([[0.0]], [1.0], [[0.0]], [1.0], "spherical").round(6)
    array([[-0.918939]])
    """
    X, alpha, means, sigmas = _check_mixture(X, alpha, means, covariances, covariance_type)
    log_phi_alpha = np.empty((X.shape[0], len(alpha)))
    for i, (mu, sigma) in enumerate(zip(means, sigmas)):
        U = precision_cholesky(sigma, f"covariances[{i}]")  # U U^T = Sigma_i^{-1}
        with np.errstate(divide="ignore"):  # alpha_i = 0 is log 0 = -inf: gamma_{t,i} = 0
            log_phi_alpha[:, i] = np.log(alpha[i]) + gaussian_log_density(X, mu, U)
    return log_phi_alpha


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
    log_phi_alpha = log_joint(X, alpha, means, covariances, covariance_type)
    log_f = logsumexp(log_phi_alpha, axis=1)
    return np.exp(log_phi_alpha - log_f[:, None]), float(np.mean(log_f))


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


def sample_mixture(n_samples, alpha, means, covariances, covariance_type="full",
                   random_state=None, component=None):
    """Draw from ``f``: a label ``Y = i`` with probability ``alpha_i``, then ``x ~ N(mu_i, Sigma_i)``.

    ``x = mu_i + L_i z`` with ``z ~ N(0, I)`` and ``Sigma_i = L_i L_i^T``
    (Cholesky), whose covariance is ``L_i I L_i^T = Sigma_i``. The labels
    are drawn first, then all of z, so rows come in random order.

    Parameters
    ----------
    n_samples : int
    alpha, means, covariances, covariance_type
        As for :func:`e_step`.
    random_state : None, int or numpy.random.Generator, default=None
    component : int or None, default=None
        An int ``i`` draws from ``Phi_i`` alone (no label is drawn).

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,), dtype int64

    Examples
    --------
    Variances 0 put every draw on its component's mean:

    >>> X, labels = sample_mixture(4, [0.5, 0.5], [[0.0], [9.0]], [0.0, 0.0], "spherical", 0)
    >>> bool(np.all(X[:, 0] == 9.0 * labels))
    True
    """
    rng = check_random_state(random_state)
    means = check_array(means, "means")
    k, d = means.shape
    alpha = check_weights(alpha, k, "alpha")
    sigmas = _as_full(check_covariances(covariances, covariance_type, k, d), covariance_type, k, d)
    if component is None:
        labels = rng.choice(k, size=n_samples, p=alpha).astype(np.int64)
    else:
        labels = np.full(n_samples, component, dtype=np.int64)
    z = rng.standard_normal((n_samples, d))
    X = np.empty_like(z)
    for i in np.unique(labels):
        # the diagonal types have a diagonal L_i = sqrt(Sigma_i): no factorisation needed
        L = np.diag(np.sqrt(np.diag(sigmas[i]))) if covariance_type in ("diag", "spherical") \
            else cholesky(sigmas[i], f"covariances[{i}]")
        X[labels == i] = means[i] + z[labels == i] @ L.T
    return X, labels


def n_parameters(covariance_type, k, d):
    """Free parameters ``p`` of a mixture (in BIC = -2 log L + p log n): Sigma's, mu's, k - 1 alpha's.

    >>> n_parameters("full", 2, 2)  # 2 x 3 covariance entries + 2 x 2 means + 1 weight
    11
    """
    n_sigma = {"full": k * d * (d + 1) // 2, "tied": d * (d + 1) // 2,
               "diag": k * d, "spherical": k}[covariance_type]
    return n_sigma + k * d + k - 1


def precisions_cholesky(covariances, covariance_type="full"):
    """``U_i`` with ``U_i U_i^T = Sigma_i^{-1}``, shaped as ``covariances`` (scikit-learn's form).

    Full and tied: the triangular factor of each precision; diag and
    spherical: ``1 / sqrt(sigma^2)``, one per variance.

    >>> precisions_cholesky([4.0, 0.25], "spherical")
    array([0.5, 2. ])
    """
    kind = check_choice(covariance_type, "covariance_type", COVARIANCE_TYPES)
    sigma = np.asarray(covariances, dtype=np.float64)
    if kind in ("diag", "spherical"):
        if not np.all(sigma > 0):
            raise ValueError(f"covariances must be positive for covariance_type={kind!r}, "
                             f"got a minimum of {sigma.min():.4g}")
        return 1.0 / np.sqrt(sigma)
    if kind == "tied":
        return precision_cholesky(sigma, "covariances")
    return np.stack([precision_cholesky(s, f"covariances[{i}]") for i, s in enumerate(sigma)])


def precisions_from_cholesky(U, covariance_type="full"):
    """``Sigma_i^{-1} = U_i U_i^T`` (full, tied) or ``U_i^2`` (diag, spherical).

    >>> precisions_from_cholesky(np.array([[[2.0]]]), "full")
    array([[[4.]]])
    """
    U = np.asarray(U, dtype=np.float64)
    if covariance_type in ("diag", "spherical"):
        return U ** 2
    return U @ np.swapaxes(U, -1, -2)


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
    return X, alpha, means, _as_full(check_covariances(covariances, kind, k, d), kind, k, d)


def _as_full(cov, covariance_type, k, d):
    """The k full (d, d) matrices Sigma_i of ``covariances`` of any type."""
    return {"full": lambda: cov, "tied": lambda: np.repeat(cov[None], k, axis=0),
            "diag": lambda: np.stack([np.diag(v) for v in cov]),
            "spherical": lambda: cov[:, None, None] * np.eye(d)}[covariance_type]()


