"""Density estimation as the course writes it: plain NumPy, one formula per function.

Start here, one module per topic:

* :mod:`.mixture` - ``f(x) = sum_i alpha_i Phi_i(x | theta_i)`` fitted by EM:
  :func:`e_step` (the responsibilities ``gamma_{t,i}``), :func:`m_step`
  (``N_i``, ``alpha_i``, ``mu_i``, ``Sigma_i`` for the four covariance
  types), :func:`em`, :func:`sample_mixture`;
* :mod:`.kernels` and :mod:`.kde` - the kernel estimate
  ``f^(y) = sum_i p_i K_H(y - x_i)``, a mixture with one bump per
  observation: :func:`kde`, :func:`log_kde`, :func:`bandwidth_matrix`,
  :func:`sample_kde`;
* :mod:`.discrete_mixture` - the same EM on binary and categorical data:
  :func:`bernoulli_log_phi`, :func:`categorical_log_phi`,
  :func:`mixture_e_step`, :func:`bernoulli_m_step`, :func:`categorical_m_step`;
* :mod:`.kmeans` - the E-step with hard responsibilities: :func:`lloyd_step`,
  :func:`lloyd`, :func:`kmeans_plusplus`.

The estimators (:class:`~scratch_genmod.density.GaussianMixture`,
:class:`~scratch_genmod.density.KernelDensity`,
:class:`~scratch_genmod.density.KMeans`) run on these functions with
``algorithm="textbook"``, and by default on the fast layer
(:mod:`scratch_genmod.density.fast`), which the tests prove gives the same
numbers. Nothing here works in blocks or reuses a buffer; it imports nothing
of the package but ``core`` and ``density.checks``.
"""

from scratch_genmod.density.textbook.discrete_mixture import (
    bernoulli_log_phi,
    bernoulli_m_step,
    categorical_log_phi,
    categorical_m_step,
    mixture_e_step,
)
from scratch_genmod.density.textbook.kde import bandwidth_matrix, kde, log_kde, sample_kde
from scratch_genmod.density.textbook.kernels import KERNELS, Kernel
from scratch_genmod.density.textbook.kmeans import (kmeans_plusplus, lloyd, lloyd_step,
                                                   nearest_centers)
from scratch_genmod.density.textbook.mixture import (
    e_step,
    em,
    log_joint,
    m_step,
    n_parameters,
    precisions_cholesky,
    precisions_from_cholesky,
    sample_mixture,
)

__all__ = [
    "log_joint", "e_step", "m_step", "em", "sample_mixture", "n_parameters",
    "precisions_cholesky", "precisions_from_cholesky",
    "KERNELS", "Kernel", "kde", "log_kde", "bandwidth_matrix", "sample_kde",
    "nearest_centers", "lloyd_step", "lloyd", "kmeans_plusplus",
    "bernoulli_log_phi", "categorical_log_phi", "mixture_e_step", "bernoulli_m_step",
    "categorical_m_step",
]
