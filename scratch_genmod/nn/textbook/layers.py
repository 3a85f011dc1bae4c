"""Layers as the course writes them: ``a = x W + b``, then an activation ``sigma``.

A batch is a matrix whose rows are samples, so for a layer with input ``x``
(n, n_in), weights ``W`` (n_in, n_out) and ``G = dl/da`` (n, n_out) the chain
rule gives

    dl/dx = G W^T,   dl/dW = x^T G,   dl/db = sum of the rows of G.

An activation acts on each entry on its own, so its backward pass is a
product entry by entry: ``dl/dx = dl/da * sigma'(x)``.

>>> x = np.array([[1.0, 2.0]])
>>> W, b = np.array([[1.0], [-1.0]]), np.array([0.5])
>>> dense_forward(x, W, b)               # 1 - 2 + 0.5
array([[-0.5]])
>>> relu(dense_forward(x, W, b))
array([[0.]])
"""

import numpy as np

from scratch_genmod.core import check_array, check_same_length, check_scalar
from scratch_genmod.nn.checks import check_same_shape

__all__ = ["dense_forward", "dense_backward", "relu", "relu_backward", "leaky_relu",
           "leaky_relu_backward", "sigmoid", "sigmoid_backward", "tanh", "tanh_backward"]

def dense_forward(x, W, b):
    """A dense layer ``a = x W + b``.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_in)
    W : ndarray of shape (n_in, n_out)
    b : ndarray of shape (n_out,)

    Returns
    -------
    a : ndarray of shape (n_samples, n_out)

    >>> dense_forward(np.array([[1.0, 1.0]]), np.eye(2), np.array([0.0, 3.0]))
    array([[1., 4.]])
    """
    x, W, b = _check_dense(x, W, b)
    return x @ W + b


def dense_backward(x, W, grad_out):
    """Gradients of a dense layer from ``G = dl/da``: ``(G W^T, x^T G, sum_rows G)``.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_in)
        The layer's input in the forward pass.
    W : ndarray of shape (n_in, n_out)
    grad_out : ndarray of shape (n_samples, n_out)
        ``G = dl/da``.

    Returns
    -------
    grad_x : ndarray of shape (n_samples, n_in)
    grad_W : ndarray of shape (n_in, n_out)
    grad_b : ndarray of shape (n_out,)

    >>> gx, gW, gb = dense_backward(np.array([[1.0, 2.0]]), np.array([[3.0], [4.0]]),
    ...                             np.array([[10.0]]))
    >>> gx, gW.ravel(), gb                   # G W^T = [30, 40], x^T G = [10, 20]
    (array([[30., 40.]]), array([10., 20.]), array([10.]))
    """
    x, W, _ = _check_dense(x, W, np.zeros(np.shape(W)[-1]))
    G = check_array(grad_out, "grad_out", dtype=None, n_features=W.shape[1],
                    estimator="W (its number of columns)")
    check_same_length(x=x, grad_out=G)
    return G @ W.T, x.T @ G, G.sum(axis=0)


def relu(x):
    """``relu(x) = max(x, 0)``, entry by entry; ``x`` of shape (n_samples, n_features).

    >>> relu(np.array([[-1.0, 0.0, 2.0]]))
    array([[0., 0., 2.]])
    """
    x = check_array(x, "x", dtype=None)
    return np.maximum(x, 0)


def relu_backward(x, grad):
    """``dl/dx = dl/da * [x > 0]``: the gradient passes where the input was positive.

    ``x`` (the input of the forward pass) and ``grad = dl/da`` have the same
    shape (n_samples, n_features); so has ``dl/dx``. At the kink ``x = 0``
    the derivative is taken to be 0.

    >>> relu_backward(np.array([[-1.0, 0.0, 2.0]]), np.array([[5.0, 5.0, 5.0]]))
    array([[0., 0., 5.]])
    """
    x, grad = check_same_shape(x=x, grad=grad)
    return grad * (x > 0)


def leaky_relu(x, alpha=0.01):
    """``x`` where ``x > 0``, else ``alpha x``, entry by entry (``0 <= alpha < 1``).

    >>> leaky_relu(np.array([[-2.0, 3.0]]), alpha=0.5)
    array([[-1.,  3.]])
    """
    x = check_array(x, "x", dtype=None)
    alpha = check_scalar(alpha, "alpha", min_val=0.0, max_val=1.0, include_max=False)
    return np.where(x > 0, x, alpha * x)


def leaky_relu_backward(x, grad, alpha=0.01):
    """``dl/dx = dl/da * (1 if x > 0 else alpha)``; at ``x = 0`` the slope is ``alpha``.

    >>> leaky_relu_backward(np.array([[-2.0, 3.0]]), np.array([[4.0, 4.0]]), alpha=0.5)
    array([[2., 4.]])
    """
    x, grad = check_same_shape(x=x, grad=grad)
    alpha = check_scalar(alpha, "alpha", min_val=0.0, max_val=1.0, include_max=False)
    return grad * np.where(x > 0, 1.0, alpha)


def sigmoid(x):
    """``s(x) = 1 / (1 + exp(-x))``, computed without overflow.

    With ``e = exp(-|x|) <= 1``: ``s(x) = 1 / (1 + e)`` for ``x >= 0`` and
    ``s(x) = e / (1 + e)`` for ``x < 0``. ``x`` and ``s`` have shape
    (n_samples, n_features).

    >>> sigmoid(np.array([[0.0, -1000.0, 1000.0]]))
    array([[0.5, 0. , 1. ]])
    """
    x = check_array(x, "x", dtype=None)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


def sigmoid_backward(x, grad):
    """``dl/dx = dl/ds * s (1 - s)`` with ``s = sigmoid(x)``.

    ``x`` (the input of the forward pass), ``grad = dl/ds`` and ``dl/dx``
    have shape (n_samples, n_features).

    >>> sigmoid_backward(np.array([[0.0]]), np.array([[8.0]]))   # 8 * 0.5 * 0.5
    array([[2.]])
    """
    x, grad = check_same_shape(x=x, grad=grad)
    s = sigmoid(x)
    return grad * s * (1 - s)


def tanh(x):
    """``tanh(x) = (e^x - e^-x) / (e^x + e^-x)``, entry by entry, in (-1, 1).

    >>> tanh(np.array([[0.0]]))
    array([[0.]])
    """
    return np.tanh(check_array(x, "x", dtype=None))


def tanh_backward(x, grad):
    """``dl/dx = dl/da * (1 - tanh(x)^2)``.

    >>> tanh_backward(np.array([[0.0]]), np.array([[3.0]]))   # slope 1 at 0
    array([[3.]])
    """
    x, grad = check_same_shape(x=x, grad=grad)
    return grad * (1 - np.tanh(x) ** 2)


def _check_dense(x, W, b):
    x = check_array(x, "x", dtype=None)
    W = check_array(W, "W", dtype=None)
    b = check_array(b, "b", ndim=1, dtype=None)
    if W.shape[0] != x.shape[1]:
        raise ValueError(f"W must have one row per feature of x ({x.shape[1]}), "
                         f"got shape {W.shape}")
    if b.shape[0] != W.shape[1]:
        raise ValueError(f"b must have one entry per column of W ({W.shape[1]}), "
                         f"got shape {b.shape}")
    return x, W, b
