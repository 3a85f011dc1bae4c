"""Density estimation: kernel estimators, k-means and Gaussian mixtures fitted by EM."""

from scratch_genmod.density.gmm import ConvergenceWarning, GaussianMixture, select_n_components
from scratch_genmod.density.kmeans import KMeans, kmeans_plusplus
from scratch_genmod.density.kde import KernelDensity, select_bandwidth
