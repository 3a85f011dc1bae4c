"""Density estimation: kernel estimators, k-means and Gaussian mixtures fitted by EM.

Read in the course's order: ``kernels`` and ``kde`` (the non-parametric
estimator f^(x) = (1/n) sum_i Phi(x, x_i)) with ``kde_selection`` (its
bandwidth chosen by cross-validation), then ``kmeans`` (hard
assignments) and ``gmm`` (soft assignments by EM).
"""

from scratch_genmod.density.gmm import ConvergenceWarning, GaussianMixture, select_n_components
from scratch_genmod.density.kde import KernelDensity
from scratch_genmod.density.kde_selection import select_bandwidth
from scratch_genmod.density.kernels import KERNELS, Kernel
from scratch_genmod.density.kmeans import KMeans, kmeans_plusplus

__all__ = [
    "KernelDensity", "select_bandwidth", "KERNELS", "Kernel",
    "KMeans", "kmeans_plusplus",
    "GaussianMixture", "select_n_components", "ConvergenceWarning",
]
