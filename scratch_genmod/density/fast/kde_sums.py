"""The kernel sums of a KDE in log space, block by block within a memory budget.

The maths is ``textbook.log_kde``: :func:`log_density` gives the same
numbers, in time and memory fit for n = m = 10^5. For every query y_j we need

    s_j = log sum_i p_i k(r_ij),    r_ij = ||(y_j - x_i) U||,

where p_i are the normalised weights, k the kernel's profile and U the
"whitening" matrix with U U^T = H^{-1} (so r_ij is the distance in units of
the bandwidth). All n * m terms are needed, so the work is cut into blocks of
queries x data points, each block small enough to stay in cache and under the
memory budget. Within a block:

* distances by one matrix product (GEMM), from
  ||a - b||^2 = ||a||^2 + ||b||^2 - 2 a.b;
  rounding can make a tiny square negative, so it is clipped at 0, and pairs
  much closer than the points' norms (where the subtraction cancels) are
  recomputed directly from their differences;
* the Gaussian needs no distances at all: log k = -||y||^2/2 - ||x||^2/2 + y.x,
  and the -||y||^2/2 of a query is the same for all its terms, so it is
  added once at the end; this shortcut rounds each term by about
  eps (||x||^2 + ||y||^2), so where that is not negligible (points many
  bandwidths from the data's mean) the near pairs are recomputed as above;
* log-sum-exp *per query*: each row is shifted by its own maximum before exp,
  so a query far in the tails, whose every term underflows as a probability,
  still gets its exact log-density.

Blocks along the data points are merged by the streaming form of the same
identity: with running maximum M and running sum S = sum exp(a - M), a new
block with maximum b and sum T gives M' = max(M, b), S' = S e^(M - M') + T e^(b - M').
"""

import numpy as np

from scratch_genmod.core import precision_cholesky
from scratch_genmod.core.blas import blas_threads
from scratch_genmod.core.threads import check_n_threads, map_in_threads

__all__ = ["log_density", "log_kernel_sums"]

# Terms below e^-700 of a query's largest term change its sum by less than
# n * 1e-304: far beneath float64 resolution. Clipping there keeps exp out of
# the (slow) subnormal range without changing any result.
_LOG_NEGLIGIBLE = -700.0
_EPS = np.finfo(float).eps
# Largest rounding of a log-term the Gaussian's GEMM shortcut may leave (see log_kernel_sums)
_SHORTCUT_ERROR = 1e-10
# Pairs with r^2 below this fraction of ||y||^2 + ||x||^2 are recomputed
# directly: there the GEMM form loses most of its digits to cancellation.
_CANCELLATION_RATIO = 1e-4
# Block size aimed at (in float64 entries, 1 MiB): it stays in a core's cache.
_TARGET_BLOCK = 2**17
_QUERY_ROWS = 256  # queries per block asked for in high dimension (see _block_shape)
_BLOCK_ARRAYS = 6  # block-sized arrays alive at once (with temporaries), for the budget


def log_density(Y, X, weights, H, kernel, working_memory=256, exclude_self=False, n_threads=None):
    """log f^(y_j) = log sum_i p_i K_H(y_j - x_i) for each query row: same numbers as ``textbook.log_kde``.

    Parameters
    ----------
    Y : ndarray of shape (m, d)
    X : ndarray of shape (n, d)
        Kernel centres.
    weights : ndarray of shape (n,)
        p_i, positive, summing to 1.
    H : ndarray of shape (d, d)
        Bandwidth matrix.
    kernel : Kernel
        One of ``textbook.KERNELS`` (its profile and normalising constant).
    working_memory : float, default=256
        Budget in MiB for the block-sized work arrays.
    exclude_self : bool, default=False
        Y is X and each point is scored without its own kernel (leave-one-out),
        the n - 1 other weights renormalised.
    n_threads : int or None, default=None
        See :func:`log_kernel_sums`.

    Returns
    -------
    log_density : ndarray of shape (m,)
    """
    K = kernel
    U = precision_cholesky(H, "bandwidth")
    # -log C_d - 1/2 log|H|, and 1/2 log|H^-1| = sum_k log U_kk.
    log_scale = np.sum(np.log(np.diag(U))) - K.log_normaliser(X.shape[1])
    s = log_kernel_sums(Y, X, np.log(weights), U, K, working_memory, exclude_self, n_threads)
    if exclude_self:
        s = s - np.log1p(-weights)  # renormalise the n - 1 remaining weights
    return s + log_scale


def log_kernel_sums(Y, X, log_p, U, kernel, working_memory, exclude_self=False, n_threads=None):
    """s_j = log sum_i p_i k(||(y_j - x_i) U||) for each query row y_j.

    Parameters
    ----------
    Y : ndarray of shape (m, d)
        Queries.
    X : ndarray of shape (n, d)
        Kernel centres (the data).
    log_p : ndarray of shape (n,)
        log of the weights p_i (finite; zero weights dropped beforehand).
    U : ndarray of shape (d, d)
        Whitening matrix, U U^T = H^{-1}.
    kernel : Kernel
    working_memory : float
        Budget in MiB for the block-sized work arrays.
    exclude_self : bool, default=False
        Leave out the term i = j (Y must then be X): leave-one-out sums.
    n_threads : int or None, default=None
        Threads that take the blocks of queries in turn; None: as many as
        are free now (``core.threads``). The numbers do not depend on it.

    Returns
    -------
    s : ndarray of shape (m,)
        -inf exactly where every term is 0 (a compact kernel's support missed).
    """
    centre = X.mean(axis=0)  # a smaller ||x|| means less cancellation in the GEMM
    with blas_threads(1):
        Zx = (X - centre) @ U
    ZxT = np.ascontiguousarray(Zx.T)
    xx = np.einsum("ij,ij->i", Zx, Zx)
    # The Gaussian's shortcut, a_ij = log p_i - ||x_i||^2/2 + y_j.x_i (+ the query's
    # part), rounds each term by ~eps (||x||^2 + ||y||^2): it is taken only for the
    # blocks of queries where that is negligible; the others recompute near pairs.
    shortcut_x = log_p - 0.5 * xx if kernel.name == "gaussian" else None
    rows, cols = _block_shape(len(Y), len(X), X.shape[1], working_memory)
    out = np.empty(len(Y))

    def queries(r0):
        """The sums of the queries r0 to r0 + rows - 1, into ``out``."""
        buffer = np.empty(rows * cols)
        Zy = (Y[r0:r0 + rows] - centre) @ U
        yy = np.einsum("ij,ij->i", Zy, Zy)
        shortcut = shortcut_x is not None and \
            _EPS * (xx.max(initial=0.0) + yy.max(initial=0.0)) <= _SHORTCUT_ERROR
        M = np.full(len(Zy), -np.inf)
        S = np.zeros(len(Zy))
        for c0 in range(0, len(X), cols):
            c1 = min(c0 + cols, len(X))
            A = buffer[: len(Zy) * (c1 - c0)].reshape(len(Zy), c1 - c0)
            np.matmul(Zy, ZxT[:, c0:c1], out=A)
            if shortcut:
                A += shortcut_x[c0:c1]
            else:
                _log_terms(A, Zy, yy, Zx[c0:c1], xx[c0:c1], log_p[c0:c1], kernel)
            if exclude_self:
                _drop_diagonal(A, r0, c0)
            M, S = _merge(M, S, *_block_logsumexp(A))
        with np.errstate(divide="ignore"):  # S = 0 (no support) gives log 0 = -inf
            out[r0:r0 + rows] = M + np.log(S) - (0.5 * yy if shortcut else 0.0)

    # Each block of queries is summed apart, whichever thread takes it: the numbers do
    # not depend on the threads. Each block's products run on one BLAS thread (on a busy
    # machine BLAS's own threads wait for cores; see core.blas), and no more blocks are
    # in memory at once than the budget holds.
    in_budget = _budget_entries(working_memory) // (rows * cols)
    with blas_threads(1):
        map_in_threads(queries, range(0, len(Y), rows),
                       max(1, min(check_n_threads(n_threads), in_budget)))
    return out


def _block_shape(m, n, d, working_memory):
    """(rows, cols) of a block within budget: whole data rows, unless d asks for more queries.

    Each block's matrix product reads d x cols numbers of data for rows x cols
    terms. In low dimension whole data rows are cheapest (few, long rows to
    reduce); in high dimension a block of 2 queries by all n points (what
    whole rows give at n = 60,000) would re-read the data every 2 queries, so
    a block takes at least min(d, ``_QUERY_ROWS``) queries.
    """
    size = min(_budget_entries(working_memory), _TARGET_BLOCK)
    rows = min(m, size, max(size // n, min(d, _QUERY_ROWS)))
    cols = min(n, max(1, size // rows))
    return rows, cols


def _log_terms(A, Zy, yy, Zx, xx, log_p, kernel):
    """Turn the block of dot products A = y.x into log p_i + log k(r_ij), in place."""
    A *= -2.0
    A += yy[:, None]
    A += xx
    np.maximum(A, 0.0, out=A)  # rounding can make a tiny square negative
    near_y, near_x = np.nonzero(A < _CANCELLATION_RATIO * (yy[:, None] + xx))
    step = max(1, A.size // Zy.shape[1])  # pairs whose differences fit in a block's memory
    for start in range(0, near_y.size, step):
        i, j = near_y[start:start + step], near_x[start:start + step]
        diff = Zy[i] - Zx[j]
        A[i, j] = np.einsum("ij,ij->i", diff, diff)
    A[...] = kernel.log_profile(A)
    A += log_p


def _drop_diagonal(A, r0, c0):
    """Set the terms where query index == data index to -inf (leave-one-out)."""
    first, last = max(r0, c0), min(r0 + A.shape[0], c0 + A.shape[1])
    if first < last:
        k = np.arange(first, last)
        A[k - r0, k - c0] = -np.inf


def _block_logsumexp(A):
    """Per-row maximum b and sum T = sum exp(a - b) of a block (A is overwritten).

    Terms are clipped at ``_LOG_NEGLIGIBLE`` below their row's maximum, which
    also turns a compact kernel's -inf (exp of which takes a slow path) into
    a term of e^-700; a row with no term at all (b = -inf) gets T = 0.
    """
    b = A.max(axis=1)
    has_terms = np.isfinite(b)
    A -= np.where(has_terms, b, 0.0)[:, None]
    np.maximum(A, _LOG_NEGLIGIBLE, out=A)
    np.exp(A, out=A)
    return b, np.where(has_terms, A.sum(axis=1), 0.0)


def _merge(M, S, b, T):
    """Streaming log-sum-exp: combine (M, S) with a block's (b, T)."""
    new = np.maximum(M, b)
    shift = np.where(np.isfinite(new), new, 0.0)
    return new, S * np.exp(M - shift) + T * np.exp(b - shift)


def _budget_entries(working_memory):
    """Block entries the budget of ``working_memory`` MiB holds (``_BLOCK_ARRAYS`` arrays of float64 each)."""
    return max(1, int(working_memory * 2**20 / (8 * _BLOCK_ARRAYS)))
