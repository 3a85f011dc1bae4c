r"""The emission densities Phi_i of a hidden Markov model: symbols and Gaussians.

The forward-backward recursions of :mod:`.hmm` only see log Phi_i(x_t).
Here are the two families of Phi_i and their M-steps, which are a mixture's
M-step (section 2) with gamma_t(i) = P(Y_t = i | x) as the weights:

* categorical: Phi_i(x = k) = b_{i,k}, and
  b_{i,k} = sum_t gamma_t(i) [x_t = k] / sum_t gamma_t(i);
* Gaussian: Phi_i = N(mu_i, Sigma_i), with N_i = sum_t gamma_t(i),
  mu_i = sum_t gamma_t(i) x_t / N_i and
  Sigma_i = sum_t gamma_t(i) (x_t - mu_i)(x_t - mu_i)^T / N_i + reg I
  ("diag" keeps only the diagonal of Sigma_i).

Sums run over every time of every sequence. A state with N_i = 0 (never
visited) keeps its parameters: any value gives the same likelihood.

>>> B = np.array([[0.5, 0.5], [0.9, 0.1]])
>>> np.exp(categorical_log_emissions([1, 0], B)).tolist()
[[0.5, 0.1], [0.5, 0.9]]
>>> gammas = [np.array([[1.0, 0.0], [0.5, 0.5]])]       # t=1 surely state 0; t=2 either
>>> categorical_m_step([np.array([1, 0])], gammas, B).tolist()
[[0.3333333333333333, 0.6666666666666666], [1.0, 0.0]]
"""

import numpy as np

from scratch_genmod.core import cholesky, gaussian_log_pdf
from scratch_genmod.markov.textbook.chain import draw_state

__all__ = ["categorical_log_emissions", "gaussian_log_emissions", "categorical_m_step",
           "gaussian_m_step", "sample_categorical", "sample_gaussian", "full_covariance"]


def categorical_log_emissions(x, B):
    """log Phi_i(x_t) = log b_{i, x_t}, shape (T, S).

    Parameters
    ----------
    x : array-like of shape (T,), int
        Symbols 0..K-1.
    B : array-like of shape (S, K)
        b_{i,k}, each row summing to 1.
    """
    x, B = np.asarray(x), np.asarray(B, dtype=np.float64)
    log_Phi = np.empty((x.shape[0], B.shape[0]))
    with np.errstate(divide="ignore"):  # b_{i,k} = 0: state i never emits k
        for t in range(x.shape[0]):
            log_Phi[t] = np.log(B[:, x[t]])
    return log_Phi


def full_covariance(Sigma_i, covariance_type):
    """Sigma_i as a (d, d) matrix: a "diag" row becomes the diagonal matrix it stands for."""
    return np.diag(Sigma_i) if covariance_type == "diag" else np.asarray(Sigma_i)


def gaussian_log_emissions(X, means, covariances, covariance_type):
    """log Phi_i(x_t) = log N(x_t | mu_i, Sigma_i), shape (T, S).

    Parameters
    ----------
    X : array-like of shape (T, d)
    means : array-like of shape (S, d)
    covariances : ndarray of shape (S, d) for "diag", (S, d, d) for "full"
    covariance_type : {"diag", "full"}
    """
    S = len(means)
    log_Phi = np.empty((len(X), S))
    for i in range(S):
        log_Phi[:, i] = gaussian_log_pdf(X, means[i], full_covariance(covariances[i],
                                                                      covariance_type))
    return log_Phi


def categorical_m_step(sequences, gammas, B):
    """b_{i,k} = sum_t gamma_t(i) [x_t = k] / sum_t gamma_t(i), over every sequence.

    Returns
    -------
    B : ndarray of shape (S, K); the rows of unvisited states are those of ``B``.
    """
    B = np.array(B, dtype=np.float64)
    counts = np.zeros_like(B)
    for x, gamma in zip(sequences, gammas):
        for t in range(len(x)):
            counts[:, x[t]] += gamma[t]
    for i in range(B.shape[0]):
        if counts[i].sum() > 0:
            B[i] = counts[i] / counts[i].sum()
    return B


def gaussian_m_step(sequences, gammas, means, covariances, covariance_type, reg_covar):
    """mu_i and Sigma_i weighted by gamma_t(i) over every sequence.

    Returns
    -------
    means : ndarray of shape (S, d)
    covariances : ndarray of shape (S, d) ("diag") or (S, d, d) ("full")
        Unvisited states (N_i = 0) keep the ``means`` and ``covariances`` given.
    """
    X = np.concatenate(sequences)
    gamma = np.concatenate(gammas)
    means = np.array(means, dtype=np.float64)
    covariances = np.array(covariances, dtype=np.float64)
    d = X.shape[1]
    for i in range(means.shape[0]):
        N_i = gamma[:, i].sum()
        if N_i == 0:
            continue
        means[i] = gamma[:, i] @ X / N_i
        diff = X - means[i]
        Sigma_i = (gamma[:, i][:, None] * diff).T @ diff / N_i + reg_covar * np.eye(d)
        covariances[i] = np.diag(Sigma_i) if covariance_type == "diag" else Sigma_i
    return means, covariances


def sample_categorical(B, states, random_state):
    """x_t ~ b_{y_t, .} for each state of a path: :func:`.chain.draw_state` at u_t.

    Returns
    -------
    x : ndarray of shape (len(states),), int64
    """
    B = np.asarray(B, dtype=np.float64)
    u = random_state.random(len(states))
    x = np.zeros(len(states), dtype=np.int64)
    for t, i in enumerate(states):
        x[t] = draw_state(B[i], u[t])
    return x


def sample_gaussian(means, covariances, covariance_type, states, random_state):
    """x_t = mu_{y_t} + L z_t with L L^T = Sigma_{y_t} and z_t ~ N(0, I).

    Returns
    -------
    X : ndarray of shape (len(states), d)
    """
    means = np.asarray(means, dtype=np.float64)
    z = random_state.standard_normal((len(states), means.shape[1]))
    X = np.empty_like(z)
    for t, i in enumerate(states):
        L = cholesky(full_covariance(covariances[i], covariance_type), "covariances")
        X[t] = means[i] + L @ z[t]
    return X
