"""The dense layer's matrix products, in one place: ``a = x W + b`` and its backward pass.

These are :func:`~scratch_genmod.nn.textbook.layers.dense_forward` and
:func:`~scratch_genmod.nn.textbook.layers.dense_backward` without their input
checks (the layer made the arrays itself) and with fewer temporaries: the
bias is added in place to ``x W``, and the parameter gradients are written
(or added) into arrays the layer owns instead of new ones. Every matrix
product (GEMM) of the fast path goes through this module, so how they are
computed (threads, summation order) is decided here.

Threads without changing a bit: each product is cut into parts by rows of
its result (at most ``MAX_PARTS``, none under ``MIN_PART_ROWS`` rows; the
cut depends on the shapes only, never on the thread count). A part is one
BLAS call on one BLAS thread, and the parts run side by side on the
library's pool: a result row comes from the same call whatever the number
of threads or the load (:func:`scratch_genmod.core.threads.check_n_threads`),
and ``dl/dW = x^T G`` is cut by rows of ``dl/dW``, so no part's sum is
split either. (OpenBLAS's own threads cut a float32 product differently
for 1 and 2 threads: the bits of the result changed with the load.)

>>> x, W, b = np.array([[1.0, 2.0]]), np.array([[1.0], [-1.0]]), np.array([0.5])
>>> dense_forward_fused(x, W, b)           # 1 - 2 + 0.5, as textbook dense_forward
array([[-0.5]])
"""

import numpy as np

from scratch_genmod.core.blas import blas_threads
from scratch_genmod.core.threads import check_n_threads, map_in_threads

__all__ = ["dense_forward_fused", "dense_backward_into", "matmul_in_parts"]

# Each part packs the whole of the right-hand matrix again: parts of 16 rows
# (8 for a batch of 128) made an epoch of the course's autoencoder 1.45 times
# slower than OpenBLAS's own two threads; parts of 64 rows, as fast.
MAX_PARTS = 4          # parts of one product at the most
MIN_PART_ROWS = 64     # rows of a part at the least
MIN_PART_WORK = 2 ** 20  # multiply-adds of a product below which it stays whole
# Multiply-adds below which OpenBLAS computes a product on the calling thread
# whatever its count (its threshold: 65,536 times GEMM_MULTITHREAD_THRESHOLD, 4):
# such a product is the same on any count, and setting the count would cost
# more than the product (5 us against 1 us for 64 x 16 times 16 x 8).
SMALL_WORK = 2 ** 18


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


def matmul_in_parts(A, B, out=None, n_threads=None):
    """``A @ B``, in parts of rows of ``A`` of a size set by the shapes, on one BLAS thread each.

    Same numbers as ``A @ B`` on one BLAS thread, part by part; the same
    bits for any ``n_threads`` (None: the library's count for the load).

    Parameters
    ----------
    A : ndarray of shape (m, k)
    B : ndarray of shape (k, n)
    out : ndarray of shape (m, n) or None, default=None
    n_threads : int or None, default=None

    Returns
    -------
    out : ndarray of shape (m, n)

    >>> A = np.arange(40.0).reshape(20, 2)
    >>> bool(np.array_equal(matmul_in_parts(A, np.eye(2), n_threads=2), A))
    True
    """
    m = A.shape[0]
    if out is None:
        out = np.empty((m, B.shape[1]), np.result_type(A, B))
    work = A.size * B.shape[1]
    if work < SMALL_WORK:  # OpenBLAS keeps it on the calling thread: no count to set
        return np.matmul(A, B, out=out)
    n_parts = min(MAX_PARTS, m // MIN_PART_ROWS)
    if work < MIN_PART_WORK or n_parts <= 1:
        n_parts = 1
    cuts = [m * i // n_parts for i in range(n_parts + 1)]
    parts = list(zip(cuts[:-1], cuts[1:]))
    if n_parts == 1:  # the count of threads is not needed
        with blas_threads(1):
            return np.matmul(A, B, out=out)
    with blas_threads(1):
        map_in_threads(lambda part: np.matmul(A[part[0]:part[1]], B, out=out[part[0]:part[1]]),
                       parts, check_n_threads(n_threads))
    return out
