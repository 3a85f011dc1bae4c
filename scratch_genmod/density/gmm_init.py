"""Where EM starts: responsibilities from k-means (or random), or parameters given.

EM only climbs to the nearest local maximum of the likelihood, so the start
matters. The default takes the labels of a k-means fit as hard
responsibilities and runs one M-step (``textbook.m_step``) on them, for
both algorithms: EM starts from the same numbers.
``weights_init``, ``means_init`` and ``precisions_init`` replace the
corresponding part.
"""

import numpy as np

from scratch_genmod.core import check_array, precision_cholesky
from scratch_genmod.density.checks import check_covariances, check_weights
from scratch_genmod.density.kmeans import KMeans
from scratch_genmod.density.textbook import kmeans_plusplus, m_step, nearest_centers

__all__ = ["initial_parameters", "initial_responsibilities", "covariances_from_precisions"]


def initial_parameters(X, n_components, covariance_type, init_params, reg_covar, rng,
                       weights_init=None, means_init=None, precisions_init=None,
                       algorithm="fast"):
    """Starting ``(alpha, means, Sigma)`` of EM.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_components : int
    covariance_type : {"full", "tied", "diag", "spherical"}
    init_params : {"kmeans", "k-means++", "random"}
        How the starting responsibilities are drawn (see
        :func:`initial_responsibilities`); used only for the parts not given.
    reg_covar : float
    rng : numpy.random.Generator
    weights_init : array-like of shape (n_components,) or None, default=None
    means_init : array-like of shape (n_components, n_features) or None, default=None
    precisions_init : array-like or None, default=None
        Shaped as ``covariances_``.
    algorithm : {"fast", "textbook"}, default="fast"
        Of the k-means fit that gives the starting responsibilities.

    Returns
    -------
    alpha : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, n_features)
    Sigma : ndarray or None
        Shaped as ``covariances_``; None when ``precisions_init`` is given.
    precisions : ndarray or None
        The checked ``precisions_init`` (None when not given): EM starts from
        their Cholesky factors, never from their inverse.
    """
    k, d = n_components, X.shape[1]
    weights = None if weights_init is None else check_weights(weights_init, k, "weights_init")
    means = None
    if means_init is not None:
        means = check_array(means_init, "means_init")
        if means.shape != (k, d):
            raise ValueError(f"means_init must have shape ({k}, {d}), got {means.shape}")
    precisions = None
    if precisions_init is not None:
        precisions = check_covariances(precisions_init, covariance_type, k, d,
                                       "precisions_init")
    Sigma = None
    if weights is None or means is None or precisions is None:
        gamma = initial_responsibilities(X, k, init_params, rng, algorithm)
        alpha0, mu0, Sigma = m_step(X, gamma, covariance_type, reg_covar)
        weights = alpha0 if weights is None else weights
        means = mu0 if means is None else means
    return weights, means, None if precisions is not None else Sigma, precisions


def covariances_from_precisions(precisions, covariance_type):
    """``Sigma_i = P_i^{-1}``, as ``U_i U_i^T`` with ``U_i`` the factor of ``P_i``'s inverse.

    >>> covariances_from_precisions(np.array([[[4.0]]]), "full")
    array([[[0.25]]])
    """
    if covariance_type in ("diag", "spherical"):
        return 1.0 / precisions
    stack = precisions.reshape(-1, *precisions.shape[-2:])
    U = np.stack([precision_cholesky(P, f"precisions_init[{i}]") for i, P in enumerate(stack)])
    return (U @ np.swapaxes(U, 1, 2)).reshape(precisions.shape)


def initial_responsibilities(X, k, init_params, rng, algorithm="fast"):
    """Starting ``gamma`` of shape (n_samples, k).

    "kmeans": one-hot labels of a k-means fit; "k-means++": each point to its
    nearest k-means++ seed (no Lloyd iterations); "random": rows drawn
    uniformly and normalised to sum to 1.
    """
    n = X.shape[0]
    if init_params == "random":
        gamma = rng.random((n, k))
        return gamma / gamma.sum(axis=1, keepdims=True)
    if init_params == "kmeans":
        labels = KMeans(n_clusters=k, n_init=1, random_state=rng,
                        algorithm=algorithm).fit(X).labels_
    else:
        labels = nearest_centers(X, kmeans_plusplus(X, k, random_state=rng))[0]
    gamma = np.zeros((n, k))
    gamma[np.arange(n), labels] = 1.0
    return gamma
