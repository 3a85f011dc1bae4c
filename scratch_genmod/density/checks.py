"""Input checks shared by the textbook functions and the estimators of mixtures.

One helper per concept, each naming the argument, on top of
:mod:`scratch_genmod.core.validation`.

>>> check_weights([0.25, 0.75], 2)
array([0.25, 0.75])
>>> check_covariances([1.0, 2.0], "spherical", 3, 1)
Traceback (most recent call last):
...
ValueError: covariances must have shape (3,) for covariance_type='spherical', got (2,)
"""

from scratch_genmod.core import check_array

__all__ = ["check_weights", "check_covariances"]


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
