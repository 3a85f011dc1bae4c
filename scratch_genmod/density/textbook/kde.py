"""Kernel density estimation as the course writes it: one loop over the queries.

The estimate puts a bump on every observation and averages them,

    f^(y) = sum_i p_i K_H(y - x_i),    p_i = 1/n (or w_i / sum_j w_j),

a mixture with one component per observation; so it is sampled like one
(:func:`sample_kde`). ``H`` is the bandwidth matrix (:func:`bandwidth_matrix`:
a float h means ``h^2 I``; Scott's and Silverman's rules scale the data's
covariance), ``K`` a radial kernel of :mod:`.kernels`.

>>> float(kde([[0.0]], [[-1.0], [1.0]], bandwidth=1.0, kernel="tophat")[0])  # |u| < 1: none
0.0
"""

import numbers

import numpy as np

from scratch_genmod.core import (
    check_array,
    check_choice,
    check_random_state,
    check_sample_weight,
    check_scalar,
    cholesky,
    logsumexp,
    precision_cholesky,
)
from scratch_genmod.density.textbook.kernels import KERNELS

__all__ = ["kde", "log_kde", "bandwidth_matrix", "sample_kde"]

RULES = ("scott", "silverman")


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



def sample_kde(n_samples, X, p, H, kernel="gaussian", random_state=None):
    """Draw from ``f^``: a centre ``x_i`` with probability ``p_i``, plus ``L z``, z ~ K, H = L L^T.

    ``L z`` has the law of ``K_H``: its density is ``|L|^-1 K(L^{-1} u)``
    and ``|L| = |H|^(1/2)``. The centres are drawn first, then all of z.

    Parameters
    ----------
    n_samples : int
    X : array-like of shape (n_centres, n_features)
        The kernel centres x_i.
    p : array-like of shape (n_centres,)
        Their weights, non-negative, summing to 1.
    H : array-like of shape (n_features, n_features)
        Bandwidth matrix.
    kernel : str, default="gaussian"
    random_state : None, int or numpy.random.Generator, default=None

    Returns
    -------
    Y : ndarray of shape (n_samples, n_features)
    centres : ndarray of shape (n_samples,), dtype int64
        Index into ``X`` of the kernel each row was drawn from.

    Examples
    --------
    A tophat of half-width h = 0.5 around the only centre 3:

    >>> Y, centres = sample_kde(5, [[3.0]], [1.0], [[0.25]], "tophat", random_state=0)
    >>> bool(np.all(np.abs(Y - 3.0) < 0.5)), centres.tolist()
    (True, [0, 0, 0, 0, 0])
    """
    rng = check_random_state(random_state)
    X = check_array(X, "X")
    K = KERNELS[check_choice(kernel, "kernel", list(KERNELS))]
    centres = rng.choice(len(X), size=n_samples, p=np.asarray(p, dtype=np.float64))
    z = K.sample(rng, n_samples, X.shape[1])
    L = cholesky(np.asarray(H, dtype=np.float64), "bandwidth")
    return X[centres.astype(np.int64)] + z @ L.T, centres.astype(np.int64)


def bandwidth_matrix(bandwidth, X, w):
    """H from a ``bandwidth`` parameter (float h, a (d, d) matrix, or a rule).

    Parameters
    ----------
    bandwidth : float, array-like of shape (d, d), "scott" or "silverman"
    X : ndarray of shape (n_samples, d)
    w : ndarray of shape (n_samples,)
        Non-negative weights (used by the rules).

    Returns
    -------
    H : ndarray of shape (d, d)
    """
    d = X.shape[1]
    if isinstance(bandwidth, str):
        rule = check_choice(bandwidth, "bandwidth", list(RULES))
        return _rule_of_thumb(rule, X, w)
    if isinstance(bandwidth, numbers.Real) or getattr(bandwidth, "ndim", None) == 0 or bandwidth is None:
        if isinstance(bandwidth, (bool, np.bool_)) or not isinstance(
                bandwidth, (numbers.Real, np.ndarray)):
            raise TypeError(
                "bandwidth must be a positive number, a (d, d) matrix, 'scott' or "
                f"'silverman', got {type(bandwidth).__name__} {bandwidth!r}")
        # a Python int goes to check_scalar as it is: float(10**400) would overflow unnamed
        h = check_scalar(bandwidth if isinstance(bandwidth, numbers.Real) else float(bandwidth),
                         "bandwidth", min_val=0.0, include_min=False)
        if not np.finfo(float).tiny <= h * h < np.inf:  # neither 0, subnormal nor inf
            raise ValueError(f"bandwidth={h:g} cannot be squared in float64 (h^2 = {h * h:g}); "
                             "rescale X and the bandwidth together")
        return h * h * np.eye(d)
    H = check_array(bandwidth, "bandwidth", ndim=(1, 2), min_samples=0)
    if H.shape != (d, d):
        hint = f"; for one h, pass the number: bandwidth={H.item()!r}" if H.size == 1 else ""
        raise ValueError(
            f"bandwidth matrix must have shape ({d}, {d}) to match X, got {H.shape}{hint}")
    precision_cholesky(H, "bandwidth")  # raises unless H is symmetric positive definite
    return H.copy()


def _rule_of_thumb(rule, X, w):
    """H = c^2 Sigma_w: Scott's or Silverman's factor times the weighted covariance."""
    n, d = X.shape
    p = w / w.sum()
    n_eff = 1.0 / np.sum(p * p)
    if n_eff <= 1.0 + 1e-12:  # (also n = 1)
        raise ValueError(
            f"bandwidth={rule!r} estimates the data's covariance and needs at least 2 "
            f"samples with positive weight, got {int(np.count_nonzero(w))}; give a float "
            "bandwidth instead")
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        centred = X - p @ X
        # Unbiased weighted covariance (NumPy's cov with aweights, ddof=1).
        sigma = (centred * p[:, None]).T @ centred / (1.0 - np.sum(p * p))
    factor = n_eff ** (-1.0 / (d + 4)) if rule == "scott" else \
        (n_eff * (d + 2) / 4.0) ** (-1.0 / (d + 4))
    H = factor**2 * sigma
    spread = np.ptp(X[w > 0], axis=0) > 0
    if not np.isfinite(H).all() or np.any(spread & (np.diag(H) <= 0)):
        raise ValueError(
            f"bandwidth={rule!r} scales the data's covariance, which overflows or underflows "
            "float64 at X's scale; rescale X (e.g. divide it by its standard deviation)")
    try:
        precision_cholesky(H, "bandwidth")
    except ValueError:
        raise ValueError(
            f"bandwidth={rule!r} scales the data's covariance, which is singular here "
            "(the data lie in a lower-dimensional subspace, e.g. a constant feature); "
            "give a float bandwidth or a (d, d) matrix") from None
    return H


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
