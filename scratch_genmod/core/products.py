"""Matrix products of the library's long work: in parts on its pool, each on one BLAS thread.

OpenBLAS's own threads cut a product differently for 1 and 2 threads (the
bits of a float32 product changed with the load), wait for cores another
job holds, and spin after it (:mod:`scratch_genmod.core.blas`).
:func:`matmul_in_parts` cuts ``A @ B`` into parts by rows of ``A`` (at most
``MAX_PARTS``, none under ``MIN_PART_ROWS`` rows; the cut depends on the
shapes only, never on the thread count). A part is one BLAS call on one BLAS
thread, and the parts run side by side on the library's pool
(:mod:`scratch_genmod.core.threads`): a row of the result comes from the
same call whatever the number of threads or the load.

A product ``A^T B`` of two long, thin matrices (a sum over their many rows)
is :func:`matmul_transposed_in_parts`: parts of rows of both, whose results
are added in a fixed order.

>>> A = np.arange(6.0).reshape(3, 2)
>>> matmul_in_parts(A, np.array([[1.0], [1.0]])).ravel()   # each row's sum
array([1., 5., 9.])
"""

import numpy as np

from scratch_genmod.core.blas import blas_threads
from scratch_genmod.core.threads import check_n_threads, map_in_threads

__all__ = ["matmul_in_parts", "matmul_transposed_in_parts"]

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
        return _matmul(A, B, out)
    parts = _row_parts(m, work)
    with blas_threads(1):
        if len(parts) == 1:  # the count of threads is not needed
            return _matmul(A, B, out)
        map_in_threads(lambda part: _matmul(A[part[0]:part[1]], B, out[part[0]:part[1]]),
                       parts, check_n_threads(n_threads))
    return out


def matmul_transposed_in_parts(A, B, n_threads=None):
    """``A^T @ B`` as the sum over parts ``p`` of rows of both of ``A_p^T B_p``, in a fixed order.

    For a long, thin ``A`` and ``B`` (``gamma^T X`` of a mixture's M-step,
    ``Y^T X`` of class counts, ``X^T R`` of a gradient): each part reads
    whole rows, and the parts' (small) results are added in the parts'
    order, whatever thread made which, so the same bits on any number of
    threads. (Cut by rows of the result instead, each part would read a
    strip of every row of ``X``: 23 ms against 11 for 20,000 x 784 with
    10 columns.) The cut follows :func:`matmul_in_parts`'s rules.

    >>> A, B = np.arange(6.0).reshape(3, 2), np.ones((3, 1))
    >>> matmul_transposed_in_parts(A, B).ravel()     # each column's sum
    array([6., 9.])
    """
    work = A.size * B.shape[1]
    if work < SMALL_WORK:
        return _matmul(A.T, B)
    parts = _row_parts(A.shape[0], work)
    with blas_threads(1):
        sums = map_in_threads(lambda part: _matmul(A[part[0]:part[1]].T, B[part[0]:part[1]]),
                              parts, check_n_threads(n_threads))
    total = sums[0]
    for part_sum in sums[1:]:  # in the parts' order
        total += part_sum
    return total


def _matmul(A, B, out=None):
    """``np.matmul(A, B, out=out)``, without OpenBLAS's stray "invalid value" warning.

    OpenBLAS's kernels may compute lanes past the end of an operand and leave
    the invalid-operation flag raised on finite data: NumPy then warns
    "invalid value encountered in matmul" (seen once, in a test's 6 x 5
    float32 product of entries near 1e-15, and not again on the same
    numbers). The flag is ignored; only where the result holds a NaN is the
    product made again under the caller's settings, so that a real one
    warns (or raises) as NumPy would.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     product = _matmul(np.array([[np.inf]]), np.array([[0.0]]))   # inf * 0: a real NaN
    >>> product, [str(warning.message) for warning in caught]
    (array([[nan]]), ['invalid value encountered in matmul'])
    """
    with np.errstate(invalid="ignore"):
        result = np.matmul(A, B, out=out)
    if np.isnan(result).any():
        result = np.matmul(A, B, out=out)
    return result


def _row_parts(m, work):
    """``(start, stop)`` of the parts of ``m`` rows of a product of ``work`` multiply-adds."""
    n_parts = min(MAX_PARTS, m // MIN_PART_ROWS)
    if work < MIN_PART_WORK or n_parts <= 1:
        n_parts = 1
    cuts = [m * i // n_parts for i in range(n_parts + 1)]
    return list(zip(cuts[:-1], cuts[1:]))
