"""The dense layer's matrix products, in one place: ``a = x W + b`` and its backward pass.

These are :func:`~scratch_genmod.nn.textbook.layers.dense_forward` and
:func:`~scratch_genmod.nn.textbook.layers.dense_backward` without their input
checks (the layer made the arrays itself) and with fewer temporaries: the
bias is added in place to ``x W``, and the parameter gradients are written
(or added) into arrays the layer owns instead of new ones. Every matrix
product (GEMM) of the fast path goes through this module, and how they are
computed (threads, summation order) is decided in one place below it.

Threads without changing a bit: each product is
:func:`scratch_genmod.core.products.matmul_in_parts`, cut into parts by rows
of its result, each part one BLAS call on one BLAS thread, the parts side by
side on the library's pool; ``dl/dW = x^T G`` is cut by rows of ``dl/dW``, so
no part's sum is split either.

>>> x, W, b = np.array([[1.0, 2.0]]), np.array([[1.0], [-1.0]]), np.array([0.5])
>>> dense_forward_fused(x, W, b)           # 1 - 2 + 0.5, as textbook dense_forward
array([[-0.5]])
"""

import numpy as np

from scratch_genmod.core.products import matmul_in_parts

__all__ = ["dense_forward_fused", "dense_backward_into"]


def dense_forward_fused(x, W, b):
    """``a = x W + b`` with ``b`` added in place: one new array instead of two.

    Same numbers as ``textbook.layers.dense_forward(x, W, b)``.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_in)
    W : ndarray of shape (n_in, n_out)
    b : ndarray of shape (n_out,)

    Returns
    -------
    a : ndarray of shape (n_samples, n_out)
    """
    a = matmul_in_parts(x, W)
    a += b
    return a


def dense_backward_into(x, W, G, grad_W, grad_b, accumulate=False, input_grad=True):
    """``dl/dW = x^T G`` and ``dl/db = sum_rows G`` into ``grad_W``, ``grad_b``; ``G W^T``.

    Same numbers as ``textbook.layers.dense_backward(x, W, G)``, whose two
    parameter gradients are written into ``grad_W`` and ``grad_b`` (or added
    to them with ``accumulate=True``: a layer used twice before its
    optimiser step sums its gradients).

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_in)
        The layer's input in the forward pass.
    W : ndarray of shape (n_in, n_out)
    G : ndarray of shape (n_samples, n_out)
        ``dl/da``.
    grad_W : ndarray of shape (n_in, n_out)
    grad_b : ndarray of shape (n_out,)
        Updated in place.
    accumulate : bool, default=False
    input_grad : bool, default=True
        False skips ``dl/dx`` (the first layer, whose input is data).

    Returns
    -------
    grad_x : ndarray of shape (n_samples, n_in), or None when not ``input_grad``

    >>> gW, gb = np.zeros((2, 1)), np.zeros(1)
    >>> dense_backward_into(np.array([[1.0, 2.0]]), np.array([[3.0], [4.0]]),
    ...                     np.array([[10.0]]), gW, gb)
    array([[30., 40.]])
    >>> gW.ravel(), gb                     # x^T G, sum_rows G
    (array([10., 20.]), array([10.]))
    """
    if accumulate:
        grad_W += matmul_in_parts(x.T, G)
        grad_b += G.sum(axis=0)
    else:
        matmul_in_parts(x.T, G, out=grad_W)
        np.sum(G, axis=0, out=grad_b)
    return matmul_in_parts(G, W.T) if input_grad else None
