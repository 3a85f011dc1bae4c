r"""Naive Bayes on discrete features, as the course's tables: counts, smoothed, multiplied.

"Naive" takes the features independent given the class, so a class's law of
x = (x_1..x_d) is a product of one table per feature:

    P(x | y_i) = prod_j P(x_j | y_i).

Each table is counted, with alpha added to every cell (Laplace smoothing for
alpha = 1, so that a value never seen with a class does not make every
observation holding it impossible):

* categorical: theta_{i,j,k} = P(x_j = k | y_i) = (N_{i,j,k} + alpha) / (N_i + alpha K_j),
  N_{i,j,k} the samples of class i whose feature j is k, K_j the values of feature j;
* Bernoulli (x_j in {0, 1}): p_{i,j} = P(x_j = 1 | y_i) = (N_{i,j} + alpha) / (N_i + 2 alpha),
  and P(x_j | y_i) = p_{i,j}^{x_j} (1 - p_{i,j})^{1 - x_j}.

In logs, log P(x | y_i) = sum_j log P(x_j | y_i); Bayes' rule then gives the
class (:func:`scratch_genmod.bayes.textbook.bayes_rule`).

Two weather reports of class "rain" (cloudy, cloudy) and one of class "sun"
(clear), one feature with K = 2 values, alpha = 1:

>>> theta = fit_categorical_nb([[1], [1], [0]], [0, 0, 1], 2, [2], alpha=1.0)
>>> theta[0].tolist()                 # rain: (0 + 1)/(2 + 2), (2 + 1)/(2 + 2)
[[0.25, 0.75], [0.6666666666666666, 0.3333333333333333]]
"""

import numpy as np

from scratch_genmod.core import check_scalar
from scratch_genmod.core.discrete import check_binary, check_codes

__all__ = ["fit_categorical_nb", "categorical_nb_log_likelihood", "fit_bernoulli_nb",
           "bernoulli_nb_log_likelihood"]


def fit_categorical_nb(X, y_index, n_classes, n_categories, alpha):
    """theta_{i,j,k} = (N_{i,j,k} + alpha) / (N_i + alpha K_j), one table per feature.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features), int
        Feature j takes the values 0..K_j - 1.
    y_index : array-like of shape (n_samples,), int
        The class of each sample, 0..n_classes - 1.
    n_classes : int
    n_categories : sequence of int, one K_j per feature
    alpha : float, >= 0

    Returns
    -------
    theta : list of ndarray, one of shape (n_classes, K_j) per feature
        Each row sums to 1.
    """
    X = check_codes(X, "X", n_categories)
    alpha = check_scalar(alpha, "alpha", min_val=0.0)
    theta = []
    for j, K_j in enumerate(n_categories):
        N = np.zeros((n_classes, K_j))
        for x, i in zip(X[:, j], y_index):
            N[i, x] += 1
        theta.append((N + alpha) / (N.sum(axis=1, keepdims=True) + alpha * K_j))
    return theta


def categorical_nb_log_likelihood(X, theta):
    """log P(x | y_i) = sum_j log theta_{i,j,x_j}, shape (n_samples, n_classes).

    >>> theta = [np.array([[0.25, 0.75], [0.5, 0.5]])]
    >>> np.exp(categorical_nb_log_likelihood([[1]], theta)).tolist()
    [[0.75, 0.5]]
    """
    X = check_codes(X, "X", [theta_j.shape[1] for theta_j in theta])
    n_classes = theta[0].shape[0]
    log_likelihood = np.zeros((X.shape[0], n_classes))
    with np.errstate(divide="ignore"):  # alpha = 0: a value never seen has probability 0
        for t in range(X.shape[0]):
            for j in range(X.shape[1]):
                log_likelihood[t] += np.log(theta[j][:, X[t, j]])
    return log_likelihood


def fit_bernoulli_nb(X, y_index, n_classes, alpha):
    """p_{i,j} = (N_{i,j} + alpha) / (N_i + 2 alpha): how often feature j is 1 in class i.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) of 0 and 1
    y_index : array-like of shape (n_samples,), int
    n_classes : int
    alpha : float, >= 0

    Returns
    -------
    p : ndarray of shape (n_classes, n_features)

    Examples
    --------
    >>> fit_bernoulli_nb([[1, 0], [1, 1], [0, 0]], [0, 0, 1], 2, alpha=1.0).tolist()
    [[0.75, 0.5], [0.3333333333333333, 0.3333333333333333]]
    """
    X = check_binary(X, "X")
    alpha = check_scalar(alpha, "alpha", min_val=0.0)
    ones, N = np.zeros((n_classes, X.shape[1])), np.zeros(n_classes)
    for x, i in zip(X, y_index):
        ones[i] += x
        N[i] += 1
    return (ones + alpha) / (N[:, None] + 2 * alpha)


def bernoulli_nb_log_likelihood(X, p):
    """log P(x | y_i) = sum_j [x_j log p_{i,j} + (1 - x_j) log(1 - p_{i,j})], shape (n, n_classes).

    >>> np.exp(bernoulli_nb_log_likelihood([[1, 0]], np.array([[0.75, 0.5]]))).tolist()
    [[0.375]]
    """
    X = check_binary(X, "X")
    log_likelihood = np.zeros((X.shape[0], p.shape[0]))
    with np.errstate(divide="ignore"):
        for t in range(X.shape[0]):
            for i in range(p.shape[0]):
                terms = np.where(X[t] == 1, np.log(p[i]), np.log1p(-p[i]))
                log_likelihood[t, i] = terms.sum()
    return log_likelihood
