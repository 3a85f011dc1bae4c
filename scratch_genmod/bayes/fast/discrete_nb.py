r"""Discrete naive Bayes with whole-array operations: counts by bincount, likelihoods by gathers.

Read :mod:`scratch_genmod.bayes.textbook.discrete_nb` first: it loops over
samples; here a feature's table is one ``bincount`` and the log-likelihood
of all samples one gather (categorical) or two matrix products (Bernoulli).
Each function names the textbook function it equals; tests/bayes/fast prove it.
"""

import numpy as np

from scratch_genmod.core.discrete import bernoulli_log_pmf, categorical_log_pmf
from scratch_genmod.core.products import matmul_transposed_in_parts

__all__ = ["categorical_tables", "categorical_log_likelihood_gathered", "bernoulli_rates",
           "bernoulli_log_likelihood_matmul"]


def categorical_tables(X, y_index, n_classes, n_categories, alpha):
    """theta_{i,j,k} of every feature by one bincount each; equals textbook ``fit_categorical_nb``."""
    theta = []
    for j, K_j in enumerate(n_categories):
        N = np.bincount(y_index * K_j + X[:, j], minlength=n_classes * K_j).reshape(n_classes, K_j)
        theta.append((N + alpha) / (N.sum(axis=1, keepdims=True) + alpha * K_j))
    return theta


def categorical_log_likelihood_gathered(X, theta):
    """sum_j log theta_{i,j,x_j} by one gather per feature; equals ``categorical_nb_log_likelihood``."""
    return categorical_log_pmf(X, theta)


def bernoulli_rates(X, y_index, n_classes, alpha):
    """p_{i,j} by one product Y^T X (Y one-hot classes); equals textbook ``fit_bernoulli_nb``."""
    Y = np.zeros((X.shape[0], n_classes))
    Y[np.arange(X.shape[0]), y_index] = 1.0
    # Y^T X in parts of rows (core.products): the same bits at any load
    return (matmul_transposed_in_parts(Y, X) + alpha) / (Y.sum(axis=0)[:, None] + 2 * alpha)


def bernoulli_log_likelihood_matmul(X, p):
    """X log p^T + (1 - X) log(1 - p)^T; equals textbook ``bernoulli_nb_log_likelihood``."""
    return bernoulli_log_pmf(X, p)
