"""Density estimation: kernel estimators, k-means and Gaussian mixtures fitted by EM.

Read ``textbook`` first: every formula (E-step, M-step, EM, the kernel
estimate, a Lloyd step) as a plain function. Then the fast estimators in the
course's order: ``kernels`` and ``kde`` (f^(x) = (1/n) sum_i Phi(x, x_i)),
with ``kde_sums`` (its blockwise log-space sums) and ``kde_selection`` (the
bandwidth by cross-validation); ``kmeans`` (hard assignments); ``gmm`` (soft
assignments by EM), with ``gmm_em`` (one-pass EM iterations) and
``gmm_init`` (where EM starts); ``discrete_mixture`` (EM on binary and
categorical data: Bernoulli and categorical mixtures). Last, ``evaluation``: how good a generator's
samples are (Parzen log-likelihood, nearest training neighbour, classifier score).
"""

from scratch_genmod.density.evaluation import (classifier_score, evaluate_generator,
                                              nearest_training_distance, parzen_log_likelihood)
from scratch_genmod.density.discrete_mixture import BernoulliMixture, CategoricalMixture
from scratch_genmod.density.gmm import ConvergenceWarning, GaussianMixture, select_n_components
from scratch_genmod.density.kde import KernelDensity
from scratch_genmod.density.kde_selection import select_bandwidth
from scratch_genmod.density.kmeans import KMeans
from scratch_genmod.density.textbook import KERNELS, Kernel, kmeans_plusplus

__all__ = [
    "KernelDensity", "select_bandwidth", "KERNELS", "Kernel",
    "KMeans", "kmeans_plusplus",
    "GaussianMixture", "select_n_components", "ConvergenceWarning",
    "BernoulliMixture", "CategoricalMixture",
    "evaluate_generator", "parzen_log_likelihood", "nearest_training_distance",
    "classifier_score",
]
