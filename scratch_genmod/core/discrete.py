r"""Discrete observations: their checks, and log-probabilities of products of simple laws.

Two families use these: naive Bayes (one law per class) and mixtures of
discrete data (one law per component). Both take x = (x_1..x_d) with
independent features given the class or component i:

* Bernoulli, x_j in {0, 1}: log P(x | i) = sum_j x_j log p_{i,j} + (1 - x_j) log(1 - p_{i,j});
* categorical, x_j in {0..K_j - 1}: log P(x | i) = sum_j log theta_{i,j,x_j}.

Here they are computed for all samples at once (two matrix products; one
gather per feature); each family's textbook writes the same sums as loops.

>>> np.exp(bernoulli_log_pmf([[1, 0]], np.array([[0.75, 0.5]]))).tolist()
[[0.375]]
>>> check_codes([[0, 2], [1, 0]], n_categories=[2, 2])
Traceback (most recent call last):
...
ValueError: X has the value 2 in feature 1 (row 0), unseen in fit: feature 1 takes the values 0..1
"""

import numpy as np

from scratch_genmod.core.validation import check_array

__all__ = ["check_binary", "check_codes", "bernoulli_log_pmf", "categorical_log_pmf"]


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
    finite = X @ np.where(p > 0, log_p, 0.0).T + (1 - X) @ np.where(p < 1, log_q, 0.0).T
    impossible = (X @ (p == 0).T + (1 - X) @ (p == 1).T) > 0
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
