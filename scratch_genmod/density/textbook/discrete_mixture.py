r"""Mixtures of discrete data fitted by EM: Bernoulli (binary images) and categorical.

The mixture of section 2, f(x) = sum_i alpha_i Phi_i(x | theta_i), with
components that are products of independent discrete laws:

* Bernoulli, x in {0, 1}^d: Phi_i(x) = prod_j mu_{i,j}^{x_j} (1 - mu_{i,j})^{1 - x_j};
  on binarised digits, mu_i is the component's prototype image;
* categorical, x_j in {0..K_j - 1}: Phi_i(x) = prod_j theta_{i,j,x_j}.

EM is the Gaussian mixture's with other M-step formulas. E-step:
gamma_{t,i} = alpha_i Phi_i(x_t) / f(x_t), in log space. M-step, with
N_i = sum_t gamma_{t,i}: alpha_i = N_i / n and

    mu_{i,j} = sum_t gamma_{t,i} x_{t,j} / N_i,
    theta_{i,j,k} = sum_t gamma_{t,i} [x_{t,j} = k] / N_i.

Each step never lowers the likelihood (the tests check it). Plain loops
over samples and components; the estimators' fast path computes the same
numbers with matrix products.

Two coins, one fair and one always heads (1), in equal shares: a head has
f = 1/2 * 1/2 + 1/2 * 1 = 3/4, and gamma = (1/3, 2/3).

>>> log_phi = bernoulli_log_phi([[1]], np.array([[0.5], [1.0]]))
>>> gamma, mean_log_f = mixture_e_step(log_phi, [0.5, 0.5])
>>> gamma.round(4).tolist(), bool(np.isclose(mean_log_f, np.log(0.75)))
([[0.3333, 0.6667]], True)
"""

import numpy as np

from scratch_genmod.core import logsumexp
from scratch_genmod.core.discrete import check_binary, check_codes
from scratch_genmod.density.checks import EPS_COUNT

__all__ = ["bernoulli_log_phi", "categorical_log_phi", "mixture_e_step", "bernoulli_m_step",
           "categorical_m_step"]


def bernoulli_log_phi(X, mu):
    """log Phi_i(x_t) = sum_j [x_{t,j} log mu_{i,j} + (1 - x_{t,j}) log(1 - mu_{i,j})].

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) of 0 and 1
    mu : ndarray of shape (n_components, n_features)

    Returns
    -------
    log_phi : ndarray of shape (n_samples, n_components)
        -inf where a component cannot produce x (mu_{i,j} = 0 and x_j = 1, or the reverse).
    """
    X = check_binary(X, "X")
    log_phi = np.zeros((X.shape[0], mu.shape[0]))
    with np.errstate(divide="ignore"):
        for t in range(X.shape[0]):
            for i in range(mu.shape[0]):
                log_phi[t, i] = np.sum(np.where(X[t] == 1, np.log(mu[i]), np.log1p(-mu[i])))
    return log_phi


def categorical_log_phi(X, theta):
    """log Phi_i(x_t) = sum_j log theta_{i,j,x_{t,j}}, shape (n_samples, n_components).

    ``theta`` is a list with one array of shape (n_components, K_j) per feature.
    """
    X = check_codes(X, "X", [theta_j.shape[1] for theta_j in theta])
    log_phi = np.zeros((X.shape[0], theta[0].shape[0]))
    with np.errstate(divide="ignore"):
        for t in range(X.shape[0]):
            for j in range(X.shape[1]):
                log_phi[t] += np.log(theta[j][:, X[t, j]])
    return log_phi


def mixture_e_step(log_phi, alpha):
    """gamma_{t,i} = alpha_i Phi_i(x_t) / f(x_t) and the mean log-likelihood (1/n) sum_t log f(x_t).

    Parameters
    ----------
    log_phi : ndarray of shape (n_samples, n_components)
    alpha : array-like of shape (n_components,)

    Returns
    -------
    gamma : ndarray of shape (n_samples, n_components), rows summing to 1
    mean_log_likelihood : float
    """
    with np.errstate(divide="ignore"):  # alpha_i = 0: a component that takes no point
        log_joint = log_phi + np.log(np.asarray(alpha, dtype=np.float64))
    log_f = logsumexp(log_joint, axis=1)
    if np.isneginf(log_f).any():
        t = int(np.flatnonzero(np.isneginf(log_f))[0])
        raise ValueError(f"X[{t}] has probability 0 under every component: no responsibility "
                         "is defined for it")
    return np.exp(log_joint - log_f[:, None]), float(np.mean(log_f))


def bernoulli_m_step(X, gamma):
    """alpha_i = N_i / n and mu_{i,j} = sum_t gamma_{t,i} x_{t,j} / N_i.

    Returns
    -------
    alpha : ndarray of shape (n_components,)
    mu : ndarray of shape (n_components, n_features)
        A component with N_i = 0 gets mu_i = 0 (it takes no point; its weight is 0).
    """
    X = check_binary(X, "X")
    n, m = gamma.shape
    N = gamma.sum(axis=0) + EPS_COUNT  # as the Gaussian mixture: no 0 / 0
    mu = np.zeros((m, X.shape[1]))
    for i in range(m):
        for t in range(n):
            mu[i] += gamma[t, i] * X[t]
        mu[i] /= N[i]
    return N / N.sum(), np.minimum(mu, 1.0)


def categorical_m_step(X, gamma, n_categories):
    """alpha_i = N_i / n and theta_{i,j,k} = sum_t gamma_{t,i} [x_{t,j} = k] / N_i.

    Returns
    -------
    alpha : ndarray of shape (n_components,)
    theta : list of ndarray, one of shape (n_components, K_j) per feature
    """
    X = check_codes(X, "X", n_categories)
    n, m = gamma.shape
    N = gamma.sum(axis=0) + EPS_COUNT
    theta = [np.zeros((m, K_j)) for K_j in n_categories]
    for t in range(n):
        for j in range(X.shape[1]):
            theta[j][:, X[t, j]] += gamma[t]
    return N / N.sum(), [theta_j / N[:, None] for theta_j in theta]
