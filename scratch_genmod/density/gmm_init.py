"""Where EM starts: responsibilities from k-means (or random), or parameters given.

EM only climbs to the nearest local maximum of the likelihood, so the start
matters. The default takes the labels of a k-means fit as hard
responsibilities and runs one M-step (``textbook.m_step``) on them.
``weights_init``, ``means_init`` and ``precisions_init`` replace the
corresponding part.
"""

import numpy as np

from scratch_genmod.core import check_array
from scratch_genmod.density.checks import check_covariances, check_weights
from scratch_genmod.density.fast import gmm_em
from scratch_genmod.density.kmeans import KMeans
from scratch_genmod.density.textbook import kmeans_plusplus, m_step, nearest_centers

__all__ = ["initial_parameters", "initial_responsibilities"]


def initial_parameters(X, n_components, covariance_type, init_params, reg_covar, rng,
                       weights_init=None, means_init=None, precisions_init=None):
    """Starting ``(weights, means, U, U^{-1})`` of EM.

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

    Returns
    -------
    weights : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, n_features)
    U, U_inv : ndarray
        Precision Cholesky factors and their inverses, shaped as ``covariances_``.
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
    if weights is None or means is None or precisions is None:
        resp = initial_responsibilities(X, k, init_params, rng)
        w0, mu0, cov0 = m_step(X, resp, covariance_type, reg_covar)
        weights = w0 if weights is None else weights
        means = mu0 if means is None else means
    if precisions is None:
        U, U_inv = gmm_em.precision_factors(cov0, covariance_type, reg_covar)
    else:
        U, U_inv = gmm_em.factors_from_precisions(precisions, covariance_type)
    return weights, means, U, U_inv


def initial_responsibilities(X, k, init_params, rng):
    """Starting ``gamma`` of shape (n_samples, k).

    "kmeans": one-hot labels of a k-means fit; "k-means++": each point to its
    nearest k-means++ seed (no Lloyd iterations); "random": rows drawn
    uniformly and normalised to sum to 1.
    """
    n = X.shape[0]
    if init_params == "random":
        resp = rng.random((n, k))
        return resp / resp.sum(axis=1, keepdims=True)
    if init_params == "kmeans":
        labels = KMeans(n_clusters=k, n_init=1, random_state=rng).fit(X).labels_
    else:
        labels = nearest_centers(X, kmeans_plusplus(X, k, random_state=rng))[0]
    resp = np.zeros((n, k))
    resp[np.arange(n), labels] = 1.0
    return resp
