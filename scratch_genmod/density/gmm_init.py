"""Where EM starts: responsibilities from k-means (or random), or parameters given.

EM only climbs to the nearest local maximum of the likelihood, so the start
matters. The default takes the labels of a k-means fit as hard
responsibilities and runs one M-step on them. ``weights_init``,
``means_init`` and ``precisions_init`` replace the corresponding part.
"""

import numpy as np

from scratch_genmod.core import check_array
from scratch_genmod.density import gmm_em as steps
from scratch_genmod.density.kmeans import KMeans, kmeans_plusplus, nearest_center

__all__ = ["initial_parameters", "initial_responsibilities"]


def initial_parameters(model, X, k, kind, reg_covar, rng):
    """Starting ``(weights, means, U, U^{-1})`` of a :class:`GaussianMixture`.

    Parameters
    ----------
    model : GaussianMixture
        Read for ``init_params``, ``weights_init``, ``means_init`` and
        ``precisions_init``.
    X : ndarray of shape (n_samples, n_features)
    k : int
    kind : str
        The covariance type.
    reg_covar : float
    rng : numpy.random.Generator
    """
    d = X.shape[1]
    weights = _check_weights(model.weights_init, k)
    means = None
    if model.means_init is not None:
        means = check_array(model.means_init, "means_init")
        if means.shape != (k, d):
            raise ValueError(f"means_init must have shape ({k}, {d}), got {means.shape}")
    precisions = None
    if model.precisions_init is not None:
        precisions = _check_precisions(model.precisions_init, kind, k, d)
    if weights is None or means is None or precisions is None:
        resp = initial_responsibilities(X, k, model.init_params, rng)
        w0, mu0, cov0 = steps.estimate_parameters(X, resp, reg_covar, kind)
        weights = w0 if weights is None else weights
        means = mu0 if means is None else means
    if precisions is None:
        U, U_inv = steps.precision_factors(cov0, kind, reg_covar)
    else:
        U, U_inv = steps.factors_from_precisions(precisions, kind)
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
        labels = nearest_center(X, kmeans_plusplus(X, k, random_state=rng))[0]
    resp = np.zeros((n, k))
    resp[np.arange(n), labels] = 1.0
    return resp


def _check_weights(weights_init, k):
    if weights_init is None:
        return None
    w = check_array(weights_init, "weights_init", ndim=1)
    if w.shape != (k,):
        raise ValueError(f"weights_init must have shape ({k},), got {w.shape}")
    if (w < 0).any() or abs(w.sum() - 1.0) > 1e-6:
        raise ValueError(f"weights_init must be non-negative and sum to 1, got sum "
                         f"{w.sum():.8g} and minimum {w.min():.4g}")
    return w / w.sum()


def _check_precisions(precisions_init, kind, k, d):
    shape = {"full": (k, d, d), "tied": (d, d), "diag": (k, d), "spherical": (k,)}[kind]
    P = check_array(precisions_init, "precisions_init", ndim=len(shape))
    if P.shape != shape:
        raise ValueError(f"precisions_init must have shape {shape} for covariance_type="
                         f"{kind!r}, got {P.shape}")
    return P
