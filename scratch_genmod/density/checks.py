"""Input checks and constants shared by the textbook functions and the estimators.

One helper per concept, each naming the argument, on top of
:mod:`scratch_genmod.core.validation`.

>>> check_weights([0.25, 0.75], 2)
array([0.25, 0.75])
>>> check_covariances([1.0, 2.0], "spherical", 3, 1)
Traceback (most recent call last):
...
ValueError: covariances must have shape (3,) for covariance_type='spherical', got (2,)
"""

import numpy as np

from scratch_genmod.core import check_array, check_choice

__all__ = ["COVARIANCE_TYPES", "EPS_COUNT", "ALGORITHMS", "check_weights",
           "check_covariances", "check_algorithm"]

COVARIANCE_TYPES = ["full", "tied", "diag", "spherical"]
# Added to every N_i, as scikit-learn does: an empty component (N_i = 0) gets the
# mean 0 / eps = 0 and the covariance reg_covar I instead of 0 / 0.
EPS_COUNT = 10 * np.finfo(np.float64).eps
# How an estimator computes: the fast layer (default) or the textbook's functions.
ALGORITHMS = ["fast", "textbook"]


def check_algorithm(algorithm):
    """``algorithm`` of an estimator: "fast" or "textbook", else a ValueError naming both."""
    return check_choice(algorithm, "algorithm", ALGORITHMS)


def check_weights(weights, k, name="alpha"):
    """Mixture weights: shape (k,), non-negative, summing to 1 (to 1e-6); returned renormalised."""
    w = check_array(weights, name, ndim=1)
    if w.shape != (k,):
        raise ValueError(f"{name} must have shape ({k},), got {w.shape}")
    if (w < 0).any() or abs(w.sum() - 1.0) > 1e-6:
        raise ValueError(f"{name} must be non-negative and sum to 1, got sum "
                         f"{w.sum():.8g} and minimum {w.min():.4g}")
    return w / w.sum()


def check_covariances(covariances, covariance_type, k, d, name="covariances"):
    """An array shaped as ``covariances_`` for ``covariance_type`` (no definiteness check)."""
    shape = {"full": (k, d, d), "tied": (d, d), "diag": (k, d), "spherical": (k,)}[
        covariance_type]
    cov = check_array(covariances, name, ndim=len(shape))
    if cov.shape != shape:
        raise ValueError(f"{name} must have shape {shape} for covariance_type="
                         f"{covariance_type!r}, got {cov.shape}")
    return cov
