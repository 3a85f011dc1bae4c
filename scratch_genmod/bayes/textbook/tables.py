"""Probability tables and Bayes' rule as the course writes them, in plain NumPy.

    P(X=x, Y=y) = N(x, y) / n,   P(x) = sum_y P(x, y),   P(y | x) = P(x, y) / P(x),
    Bayes' rule:  P(y | x) = P(x | y) P(y) / sum_y' P(x | y') P(y'),
    generative decision:  argmax_y  log P(x | y) + log P(y).

Tables are laid out as in :mod:`scratch_genmod.bayes.tables`: ``P[x, y]`` one
row per value of ``x``; ``P(X | Y)`` one row per ``y``. The fast layer
(:mod:`~scratch_genmod.bayes.tables`, :mod:`~scratch_genmod.bayes.bayes_rule`)
gives the same numbers.
"""

import numpy as np

from scratch_genmod.core import check_array, check_same_length
from scratch_genmod.bayes.checks import check_discrete

__all__ = ['count_pairs', 'joint', 'marginal_x', 'marginal_y', 'y_given_x', 'x_given_y', 'bayes_rule', 'generative_decision']


def count_pairs(x, y):
    """``N[a, b] = #{k : x_k = a-th value, y_k = b-th value}``, over the sorted distinct values.

    Parameters
    ----------
    x, y : array-like of shape (n_samples,)
        Paired discrete values (numbers or strings).

    Returns
    -------
    N : ndarray of shape (n_distinct_x, n_distinct_y)

    Examples
    --------
    >>> count_pairs([1, 1, 2, 2], [0, 0, 0, 1]).tolist()
    [[2.0, 0.0], [1.0, 1.0]]
    """
    x = check_discrete(x, "x", ndim=1)
    y = check_discrete(y, "y", ndim=1)
    check_same_length(x=x, y=y)
    x_values, y_values = sorted(set(x.tolist())), sorted(set(y.tolist()))
    N = np.zeros((len(x_values), len(y_values)))
    for a, b in zip(x.tolist(), y.tolist()):  # one tally mark per observed pair
        N[x_values.index(a), y_values.index(b)] += 1
    return N


def joint(N):
    """``P(x, y) = N(x, y) / n`` from a table of counts of shape (n_x, n_y).

    >>> joint([[2, 0], [1, 1]]).tolist()
    [[0.5, 0.0], [0.25, 0.25]]
    """
    N = _check_table(N, "N")
    return N / N.sum()


def marginal_x(P):
    """``P(x) = sum_y P(x, y)``, shape (n_x,), from a joint table of shape (n_x, n_y).

    >>> marginal_x([[0.5, 0.0], [0.25, 0.25]]).tolist()
    [0.5, 0.5]
    """
    return _check_table(P, "P").sum(axis=1)


def marginal_y(P):
    """``P(y) = sum_x P(x, y)``, shape (n_y,), from a joint table of shape (n_x, n_y).

    >>> marginal_y([[0.5, 0.0], [0.25, 0.25]]).tolist()
    [0.75, 0.25]
    """
    return _check_table(P, "P").sum(axis=0)


def y_given_x(P):
    """``P(y | x) = P(x, y) / P(x)``: shape (n_x, n_y), each row sums to 1.

    >>> y_given_x([[0.5, 0.0], [0.25, 0.25]]).tolist()
    [[1.0, 0.0], [0.5, 0.5]]
    """
    P = _check_table(P, "P")
    return P / marginal_x(P)[:, None]


def x_given_y(P):
    """``P(x | y) = P(x, y) / P(y)``: one row per ``y``, shape (n_y, n_x), each row sums to 1.

    >>> (x_given_y([[0.5, 0.0], [0.25, 0.25]]) * 3).tolist()
    [[2.0, 1.0], [0.0, 3.0]]
    """
    P = _check_table(P, "P")
    return (P / marginal_y(P)[None, :]).T


def bayes_rule(likelihood, prior):
    """``P(y | x) = P(x | y) P(y) / sum_y' P(x | y') P(y')``.

    Parameters
    ----------
    likelihood : array-like of shape (n_y, n_x)
        ``P(x | y)``, one row per ``y`` (as :func:`x_given_y`).
    prior : array-like of shape (n_y,)
        ``P(y)``.

    Returns
    -------
    posterior : ndarray of shape (n_x, n_y)
        ``P(y | x)``, one row per ``x``.

    Examples
    --------
    The counts of :func:`count_pairs`: ``P(x | y=0) = (2/3, 1/3)``,
    ``P(x | y=1) = (0, 1)``, ``P(y) = (3/4, 1/4)``. For ``x = 2``:
    ``(1/3 * 3/4) / (1/3 * 3/4 + 1 * 1/4) = 1/2``:

    >>> bayes_rule([[2 / 3, 1 / 3], [0.0, 1.0]], [0.75, 0.25]).round(12).tolist()
    [[1.0, 0.0], [0.5, 0.5]]
    """
    likelihood = _check_table(likelihood, "likelihood")
    prior = check_array(prior, "prior", ndim=1)
    if prior.shape != (likelihood.shape[0],):
        raise ValueError(f"prior must have one entry per row of likelihood "
                         f"({likelihood.shape[0]}), got {prior.shape[0]}")
    numerator = likelihood.T * prior  # P(x | y) P(y), one row per x
    return numerator / numerator.sum(axis=1, keepdims=True)


def generative_decision(log_likelihood, log_prior):
    """The most probable class, ``argmax_y log P(x | y) + log P(y)`` (no normalising needed).

    Parameters
    ----------
    log_likelihood : array-like of shape (n_samples, n_classes)
        ``log P(x | y)`` of each sample under each class density.
    log_prior : array-like of shape (n_classes,)

    Returns
    -------
    index : ndarray of shape (n_samples,)
        The position of the chosen class.

    Examples
    --------
    ``0.2 * 0.3 = 0.06 < 0.1 * 0.7 = 0.07``: the prior tips it to class 1.

    >>> generative_decision(np.log([[0.2, 0.1]]), np.log([0.3, 0.7])).tolist()
    [1]
    """
    log_likelihood = check_array(log_likelihood, "log_likelihood", allow_nonfinite=True)
    log_prior = check_array(log_prior, "log_prior", ndim=1, allow_nonfinite=True)
    if log_prior.shape != (log_likelihood.shape[1],):
        raise ValueError(f"log_prior must have one entry per class "
                         f"({log_likelihood.shape[1]}), got {log_prior.shape[0]}")
    return np.argmax(log_likelihood + log_prior, axis=1)


def _check_table(T, name):
    """A 2-D table of non-negative numbers."""
    T = check_array(T, name)
    if (T < 0).any():
        raise ValueError(f"{name} must hold non-negative counts or probabilities")
    return T
