r"""Discrete observations: their checks, log-probabilities and draws of products of simple laws.

Two families use these: naive Bayes (one law per class) and mixtures of
discrete data (one law per component). Both take x = (x_1..x_d) with
independent features given the class or component i:

* Bernoulli, x_j in {0, 1}: log P(x | i) = sum_j x_j log p_{i,j} + (1 - x_j) log(1 - p_{i,j});
* categorical, x_j in {0..K_j - 1}: log P(x | i) = sum_j log theta_{i,j,x_j}.

Here they are computed for all samples at once (two matrix products; one
gather per feature); each family's textbook writes the same sums as loops.
Drawing x from law i is one uniform u_{t,j} per feature: x_j = 1 when
u < p_{i,j}; x_j = the first k whose cumulative sum theta_{i,j,0} + .. +
theta_{i,j,k} passes u (the inverse of the distribution function).

>>> np.exp(bernoulli_log_pmf([[1, 0]], np.array([[0.75, 0.5]]))).tolist()
[[0.375]]
>>> check_codes([[0, 2], [1, 0]], n_categories=[2, 2])
Traceback (most recent call last):
...
ValueError: X has the value 2 in feature 1 (row 0), unseen in fit: feature 1 takes the values 0..1
"""

import numpy as np

from scratch_genmod.core.products import matmul_in_parts
from scratch_genmod.core.validation import check_array

__all__ = ["check_binary", "check_codes", "bernoulli_log_pmf", "categorical_log_pmf",
           "draw_bernoulli", "draw_categorical"]


def check_binary(X, name="X"):
    """Features that are 0 or 1, as a float64 array of shape (n_samples, n_features)."""
    X = check_array(X, name)
    bad = (X != 0) & (X != 1)
    if bad.any():
        t, j = (int(k) for k in np.argwhere(bad)[0])
        raise ValueError(f"{name} must hold 0 and 1 only (binarise it first, e.g. X > 0.5), "
                         f"got {X[t, j]!r} in feature {j} (row {t})")
    return X


def check_codes(X, name="X", n_categories=None):
    """Discrete features coded 0, 1, 2, ...: an int64 array of shape (n_samples, n_features).

    With ``n_categories`` (one K_j per feature, as learnt by ``fit``), a
    value >= K_j, never seen in training, is named with its feature.
    """
    X = check_array(X, name, dtype=None)
    bad = (X != np.round(X)) | (X < 0)
    if bad.any():
        t, j = (int(k) for k in np.argwhere(bad)[0])
        raise ValueError(f"{name} must hold category codes 0, 1, 2, ... (whole numbers >= 0), "
                         f"got {X[t, j]!r} in feature {j} (row {t})")
    X = X.astype(np.int64)
    if n_categories is not None:
        if X.shape[1] != len(n_categories):
            raise ValueError(f"{name} has {X.shape[1]} features, but the model is expecting "
                             f"{len(n_categories)} features as input (the number it was "
                             "fitted with)")
        over = X >= np.asarray(n_categories)
        if over.any():
            t, j = (int(k) for k in np.argwhere(over)[0])
            raise ValueError(f"{name} has the value {X[t, j]} in feature {j} (row {t}), unseen "
                             f"in fit: feature {j} takes the values 0..{n_categories[j] - 1}")
    return X


def bernoulli_log_pmf(X, p):
    """sum_j x_j log p_{i,j} + (1 - x_j) log(1 - p_{i,j}) for every sample and row i of p.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) of 0 and 1
    p : ndarray of shape (n_laws, n_features), entries in [0, 1]

    Returns
    -------
    log_pmf : ndarray of shape (n_samples, n_laws)
        p_{i,j} = 0 or 1 give log 0: the products skip those cells, and an
        observation that needs one of them gets -inf, never NaN (0 * -inf).
    """
    X = np.asarray(X, dtype=np.float64)
    with np.errstate(divide="ignore"):
        log_p, log_q = np.log(p), np.log1p(-p)
    # the products in parts on the library's threads (core.products): the same bits at any load
    not_X = 1 - X
    finite = (matmul_in_parts(X, np.where(p > 0, log_p, 0.0).T)
              + matmul_in_parts(not_X, np.where(p < 1, log_q, 0.0).T))
    impossible = (matmul_in_parts(X, (p == 0).T.astype(np.float64))
                  + matmul_in_parts(not_X, (p == 1).T.astype(np.float64))) > 0
    return np.where(impossible, -np.inf, finite)


def categorical_log_pmf(X, theta):
    """sum_j log theta_{i,j,x_j} for every sample and law i, by one gather per feature.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), int
    theta : list of ndarray, one of shape (n_laws, K_j) per feature

    Returns
    -------
    log_pmf : ndarray of shape (n_samples, n_laws)
    """
    log_pmf = np.zeros((X.shape[0], theta[0].shape[0]))
    with np.errstate(divide="ignore"):  # theta = 0: a value that law never takes
        for j, theta_j in enumerate(theta):
            log_pmf += np.log(theta_j).T[X[:, j]]
    return log_pmf


def draw_bernoulli(p, laws, rng):
    """x_{t,j} ~ Bernoulli(p_{i_t,j}) for the law i_t of each draw: 1 where u_{t,j} < p_{i_t,j}.

    Parameters
    ----------
    p : ndarray of shape (n_laws, n_features), entries in [0, 1]
    laws : ndarray of shape (n_draws,), int
        The law (class, component) each draw comes from.
    rng : numpy.random.Generator
        One uniform per cell is taken from it, row by row.

    Returns
    -------
    X : ndarray of shape (n_draws, n_features), float64 of 0 and 1

    >>> draw_bernoulli(np.array([[1.0, 0.0]]), np.array([0, 0]), np.random.default_rng(0))
    array([[1., 0.],
           [1., 0.]])
    """
    return (rng.random((len(laws), p.shape[1])) < p[laws]).astype(np.float64)


def draw_categorical(theta, laws, rng):
    """x_{t,j} ~ theta_{i_t,j,.}: the first k with theta_{i_t,j,0} + .. + theta_{i_t,j,k} > u_{t,j}.

    Parameters
    ----------
    theta : list of ndarray, one of shape (n_laws, K_j) per feature
    laws : ndarray of shape (n_draws,), int
    rng : numpy.random.Generator
        One uniform per cell is taken from it, row by row.

    Returns
    -------
    X : ndarray of shape (n_draws, n_features), int64
        A cumulative sum that falls short of 1 by rounding leaves a u above
        its end: that draw takes the last value K_j - 1, never K_j.

    >>> theta = [np.array([[0.0, 1.0, 0.0]]), np.array([[0.0, 0.0, 1.0]])]
    >>> draw_categorical(theta, np.array([0, 0]), np.random.default_rng(0)).tolist()
    [[1, 2], [1, 2]]
    """
    u = rng.random((len(laws), len(theta)))
    columns = [np.minimum((u[:, j, None] >= np.cumsum(theta_j[laws], axis=1)).sum(axis=1),
                          theta_j.shape[1] - 1) for j, theta_j in enumerate(theta)]
    return np.column_stack(columns).astype(np.int64)
