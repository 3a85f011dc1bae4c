"""The Cholesky factors of the precisions, in which the fast EM and the scores work.

Each component ``Phi_i = N(mu_i, Sigma_i)`` is stored by the Cholesky factor
``U_i`` of its precision, ``U_i U_i^T = Sigma_i^{-1}`` (scikit-learn's
``precisions_cholesky_``; ``textbook.precisions_cholesky`` computes it one
component at a time), because then, with ``y = (x - mu_i) U_i``,

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
"""

import numpy as np

from scratch_genmod.core import gaussian_log_density
from scratch_genmod.core.blas import blas_threads
from scratch_genmod.core.logmath import lower_inverse

__all__ = ["precision_factors", "factors_from_precisions", "inverse_factor",
           "log_gaussian_prob", "log_det_factor"]

LOG_2PI = np.log(2.0 * np.pi)
_COLLAPSE = ("component {i} collapsed (its covariance is not positive definite: too few "
             "or identical points); increase reg_covar (now {reg:g}), use fewer components "
             "or rescale the data")


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
        with blas_threads(1):  # small factorizations: see core.blas
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
    with blas_threads(1):
        return np.swapaxes(lower_inverse(L), -1, -2), np.swapaxes(L, -1, -2)


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
            with blas_threads(1):
                factors[i] = np.linalg.cholesky(P)
        except np.linalg.LinAlgError:
            raise ValueError(f"{label} is not positive definite") from None
    U = factors.reshape(precisions.shape)
    return U, inverse_factor(U, covariance_type)


def inverse_factor(U, covariance_type):
    """``U^{-1}`` of the lower-triangular ``U`` (``core.logmath.lower_inverse``); for diag/spherical ``1 / U``."""
    if covariance_type in ("diag", "spherical"):
        return 1.0 / U
    with blas_threads(1):
        return lower_inverse(U)


def log_gaussian_prob(X, means, U, covariance_type):
    """``log Phi_i(x_t)`` for every point and component, shape (n_samples, k).

    The direct, stable form, component by component: ``y = (x - mu_i) U_i``.
    Plus ``log alpha_i``, the numbers of ``textbook.log_joint``, from the
    factors ``U`` (no Cholesky factorisation per call) instead of the covariances.
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
