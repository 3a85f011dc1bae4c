"""Losses as the course writes them: a value and its gradient ``dl/dy_hat``.

Each loss is a mean over all ``N`` entries of the batch (``N = n_samples x
n_outputs``), so a learning rate means the same thing whatever the batch size.
The autoencoder minimises ``||D(E(x)) - x||``: the squared norm (MSE) or the
1-norm (MAE); for data in [0, 1] the binary cross-entropy compares a pixel's
probability ``sigmoid(a)`` with its value.

>>> mse(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]))   # (1 + 4) / 2
2.5
"""

import numpy as np

from scratch_genmod.nn.checks import check_same_shape
from scratch_genmod.nn.textbook.layers import sigmoid

__all__ = ["mse", "mse_gradient", "mae", "mae_gradient", "bce_with_logits",
           "bce_with_logits_gradient", "squared_error"]

def mse(y_hat, y):
    """Mean squared error ``l = 1/N sum (y_hat - y)^2`` over all ``N`` entries (a float).

    ``y_hat`` and ``y`` have shape (n_samples, n_outputs).

    >>> mse(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]))   # (1 + 4) / 2
    2.5
    """
    y_hat, y = check_same_shape(y_hat=y_hat, y=y)
    return float(np.mean((y_hat - y) ** 2))


def mse_gradient(y_hat, y):
    """``dl/dy_hat = 2 (y_hat - y) / N`` for the mean squared error.

    ``y_hat``, ``y`` and the gradient have shape (n_samples, n_outputs).

    >>> mse_gradient(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]))   # 2 [1, 2] / 2
    array([[1., 2.]])
    """
    y_hat, y = check_same_shape(y_hat=y_hat, y=y)
    return 2 * (y_hat - y) / y_hat.size

def mae(y_hat, y):
    """Mean absolute error ``l = 1/N sum |y_hat - y|`` over all ``N`` entries (a float).

    >>> mae(np.array([[1.0, -2.0]]), np.array([[0.0, 0.0]]))   # (1 + 2) / 2
    1.5
    """
    y_hat, y = check_same_shape(y_hat=y_hat, y=y)
    return float(np.mean(np.abs(y_hat - y)))


def mae_gradient(y_hat, y):
    """``dl/dy_hat = sign(y_hat - y) / N`` (0 where ``y_hat = y``: a sub-gradient).

    >>> mae_gradient(np.array([[1.0, -2.0]]), np.array([[0.0, 0.0]]))
    array([[ 0.5, -0.5]])
    """
    y_hat, y = check_same_shape(y_hat=y_hat, y=y)
    return np.sign(y_hat - y) / y_hat.size


def bce_with_logits(a, y):
    """Binary cross-entropy of targets ``y`` in [0, 1] given logits ``a`` (a float).

        l = 1/N sum [-y log s(a) - (1 - y) log(1 - s(a))] = 1/N sum [log(1 + e^a) - y a],

    with ``log(1 + e^a) = max(a, 0) + log(1 + e^-|a|)`` so nothing overflows.

    >>> round(bce_with_logits(np.array([[0.0]]), np.array([[1.0]])), 4)   # log 2
    0.6931
    """
    a, y = check_same_shape(a=a, y=y)
    return float(np.mean(np.maximum(a, 0) + np.log1p(np.exp(-np.abs(a))) - y * a))


def bce_with_logits_gradient(a, y):
    """``dl/da = (sigmoid(a) - y) / N``.

    >>> bce_with_logits_gradient(np.array([[0.0, 0.0]]), np.array([[1.0, 0.0]]))
    array([[-0.25,  0.25]])
    """
    a, y = check_same_shape(a=a, y=y)
    return (sigmoid(a) - y) / a.size


def squared_error(x, x_hat):
    """``||x - x_hat||^2`` of each row: the reconstruction error of each sample.

    ``x`` and ``x_hat`` have shape (n_samples, n); the result (n_samples,).

    >>> squared_error(np.array([[1.0, 2.0], [0.0, 0.0]]), np.zeros((2, 2)))   # 1 + 4, 0
    array([5., 0.])
    """
    x, x_hat = check_same_shape(x=x, x_hat=x_hat)
    return np.sum((x - x_hat) ** 2, axis=1)
