r"""Mixtures of discrete data with matrix products: the fast layer of ``textbook.discrete_mixture``.

The textbook loops over samples; here log Phi_i of all samples is two matrix
products (Bernoulli) or one gather per feature (categorical), and an M-step
is gamma^T X. Each function names the textbook function it equals;
tests/density/fast/test_discrete_mixture.py proves it.
"""

import numpy as np

from scratch_genmod.core.discrete import bernoulli_log_pmf, categorical_log_pmf
from scratch_genmod.core.products import matmul_transposed_in_parts
from scratch_genmod.density.checks import EPS_COUNT

__all__ = ["bernoulli_log_phi_matmul", "categorical_log_phi_gathered", "bernoulli_m_step_matmul",
           "categorical_m_step_onehot"]


def bernoulli_log_phi_matmul(X, mu):
    """X log mu^T + (1 - X) log(1 - mu)^T; equals textbook ``bernoulli_log_phi``."""
    return bernoulli_log_pmf(X, mu)


def categorical_log_phi_gathered(X, theta):
    """sum_j log theta_{i,j,x_j} by one gather per feature; equals ``categorical_log_phi``."""
    return categorical_log_pmf(X, theta)


def bernoulli_m_step_matmul(X, gamma):
    """alpha_i = N_i / n, mu = gamma^T X / N; equals textbook ``bernoulli_m_step``."""
    N = gamma.sum(axis=0) + EPS_COUNT
    # gamma^T X in parts of rows (core.products): the same bits at any load
    return N / N.sum(), np.minimum(matmul_transposed_in_parts(gamma, X) / N[:, None], 1.0)


def categorical_m_step_onehot(X, gamma, n_categories):
    """theta_j = gamma^T onehot(x_j) / N per feature; equals textbook ``categorical_m_step``."""
    N = gamma.sum(axis=0) + EPS_COUNT
    theta = [matmul_transposed_in_parts(gamma, (X[:, j][:, None] == np.arange(K_j)).astype(float))
             / N[:, None] for j, K_j in enumerate(n_categories)]
    return N / N.sum(), theta
