"""One Lloyd iteration, fast: the numbers of ``textbook.lloyd_step``, in chunks of rows on several threads.

The E-step needs each point's nearest centre. In

    ||x_t - c_j||^2 = ||x_t||^2 + (||c_j||^2 - 2 x_t.c_j)

the first term is the same for every centre, so the nearest one is found
from the bracket alone (one matrix product per chunk of rows) and
``||x_t||^2`` is added to the winner only. The M-step needs each cluster's
count ``N_j`` and sum of points ``S_j``; the new centre is ``S_j / N_j``.
What makes it fast changes none of these formulas:

* **chunks and buffers**: the rows go through in chunks whose distance
  table fits in the CPU's cache, written into buffers made once per thread
  (a fresh large array for every chunk costs more than the product that
  fills it: the system hands out and zeroes new pages each time);
* **a running minimum** over the ``k`` rows of a chunk's table (``k``
  element-wise passes) finds the nearest of a few centres, where
  ``np.argmin`` would pay a per-row overhead on rows of a few entries;
* **the sums as a matrix product**: ``S = Z^T X`` with ``Z`` the one-hot
  (n, k) matrix of labels, chunk by chunk, runs in BLAS; with many
  clusters and few features, one ``bincount`` per feature does less work;
* **threads**: NumPy releases the GIL in BLAS and in its element-wise
  loops, so each thread takes a contiguous range of rows; their counts and
  sums are added at the end.

The expansion loses digits when the points are far from the origin compared
with their distances: callers pass centred data (:func:`nearest_center`
centres by itself).
"""

import threading

import numpy as np

from scratch_genmod.core.threads import map_in_threads

__all__ = ["nearest_center", "lloyd_step", "assign"]

# Entries of a chunk's distance table: 1 MB of float64, so that it stays in the cache.
_CHUNK_ELEMENTS = 1 << 17
# Multiply-adds of a chunk's matrix product (rows x features x centres): OpenBLAS
# runs a product below about this size on the calling thread, so each of our
# threads keeps one core instead of waking BLAS's own threads, and the chunk's
# rows of X are still in the cache when the M-step reads them again.
_PRODUCT_SIZE = 1 << 18
# Below this many centres the nearest is found by a running minimum (see above).
_RUNNING_MIN_K = 8
# Rows from which a second thread pays for its start-up.
_MIN_ROWS_PER_THREAD = 4096

_local = threading.local()  # each thread's buffers, kept from call to call


def nearest_center(X, centers, n_threads=1):
    """Label and squared distance of the nearest centre of each row.

    The labels are the assignment of ``textbook.lloyd_step``. Both sides are
    first moved by the centres' mean, so that data far from the origin lose
    no digits in the expansion.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    centers : ndarray of shape (n_clusters, n_features)
    n_threads : int, default=1

    Returns
    -------
    labels : ndarray of shape (n_samples,), dtype int64
    d2 : ndarray of shape (n_samples,)

    Examples
    --------
    >>> labels, d2 = nearest_center(np.array([[0.0], [4.0], [9.0]]), np.array([[1.0], [10.0]]))
    >>> labels, d2                    # 0 and 4 are nearer 1; 9 is nearer 10
    (array([0, 0, 1]), array([1., 9., 1.]))
    """
    shift = centers.mean(axis=0)
    Xc = X - shift
    labels, d2, _, _ = assign(Xc, np.einsum("ij,ij->i", Xc, Xc), centers - shift, n_threads)
    return labels, d2


def lloyd_step(X, centers, x_sq=None, n_threads=1):
    """One Lloyd iteration: same numbers as ``textbook.lloyd_step``, empty clusters included.

    ``X`` should be near the origin (KMeans passes it centred).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    centers : ndarray of shape (n_clusters, n_features)
    x_sq : ndarray of shape (n_samples,) or None, default=None
        ``||x_t||^2``, computed when None.
    n_threads : int, default=1

    Returns
    -------
    new_centers : ndarray of shape (n_clusters, n_features)
    labels : ndarray of shape (n_samples,), dtype int64
        Nearest of the given centres.
    d2 : ndarray of shape (n_samples,)
        Squared distance of each point to that centre.
    n_empty : int
        Clusters that won no point and were re-seeded.

    Examples
    --------
    >>> new, labels, d2, n_empty = lloyd_step(np.array([[-1.0], [0.0], [4.0]]),
    ...                                       np.array([[-2.0], [5.0], [50.0]]))
    >>> new.ravel()   # (-1 + 0) / 2, 4, and the empty third at 0, the farthest from its centre
    array([-0.5,  4. ,  0. ])
    """
    x_sq = np.einsum("ij,ij->i", X, X) if x_sq is None else x_sq
    labels, d2, counts, sums = assign(X, x_sq, centers, n_threads, with_sums=True)
    new = sums / np.maximum(counts, 1)[:, None]
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        # An empty cluster has no mean: re-seed it at a point far from its centre,
        # which lowers the inertia (the rule of textbook.lloyd_step).
        far = np.argsort(d2)[::-1][:empty.size]
        new[empty] = X[far]
    return new, labels, d2, int(empty.size)


def assign(X, x_sq, centers, n_threads=1, with_sums=False):
    """Nearest centres of the rows of centred ``X``, and with ``with_sums`` each cluster's count and sum.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    x_sq : ndarray of shape (n_samples,)
        ``||x_t||^2``.
    centers : ndarray of shape (n_clusters, n_features)
    n_threads : int, default=1
    with_sums : bool, default=False

    Returns
    -------
    labels : ndarray of shape (n_samples,), dtype int64
    d2 : ndarray of shape (n_samples,)
    counts : ndarray of shape (n_clusters,), dtype int64, or None
    sums : ndarray of shape (n_clusters, n_features), or None
    """
    n = X.shape[0]
    labels, d2 = np.empty(n, dtype=np.int64), np.empty(n)
    n_parts = max(1, min(n_threads, n // _MIN_ROWS_PER_THREAD))
    bounds = [n * i // n_parts for i in range(n_parts + 1)]
    work = _Chunks(X, x_sq, centers, labels, d2, with_sums)
    parts = map_in_threads(work.run, list(zip(bounds[:-1], bounds[1:])), n_parts)
    np.maximum(d2, 0.0, out=d2)  # rounding can make a true 0 slightly negative
    if not with_sums:
        return labels, d2, None, None
    return labels, d2, sum(p[0] for p in parts), sum(p[1] for p in parts)


class _Chunks:
    """The work on one range of rows, chunk by chunk, writing into ``labels`` and ``d2``."""

    def __init__(self, X, x_sq, centers, labels, d2, with_sums):
        self.X, self.x_sq, self.labels, self.d2 = X, x_sq, labels, d2
        self.minus_2c = -2.0 * centers
        self.c_sq = np.einsum("ij,ij->i", centers, centers)
        self.with_sums = with_sums
        k, d = centers.shape
        self.step = max(1, _CHUNK_ELEMENTS // max(k, d))  # the table and X's block both ~1 MB
        self.product_rows = max(1, _PRODUCT_SIZE // (k * d))

    def run(self, rows):
        """Counts and sums (or None) of the rows ``rows[0]`` to ``rows[1] - 1``."""
        k, d = self.minus_2c.shape
        counts = np.zeros(k, dtype=np.int64) if self.with_sums else None
        sums = np.zeros((k, d)) if self.with_sums else None
        for start in range(rows[0], rows[1], self.step):
            block = slice(start, min(start + self.step, rows[1]))
            labels, d2 = self.labels[block], self.d2[block]
            self.nearest(self.X[block], labels, d2)
            d2 += self.x_sq[block]
            if self.with_sums:
                counts += np.bincount(labels, minlength=k)
                sums += self.cluster_sums(self.X[block], labels)
        return counts, sums

    def nearest(self, X, labels, d2):
        """Write the nearest centre and its ``||c||^2 - 2 x.c`` into ``labels`` and ``d2``."""
        m, k = X.shape[0], self.minus_2c.shape[0]
        if k <= _RUNNING_MIN_K:
            table = _buffer("table", (k, m))  # row j: ||c_j||^2 - 2 x.c_j of every point
            for rows in self.pieces(m):
                np.matmul(self.minus_2c, X[rows].T, out=table[:, rows])
            table += self.c_sq[:, None]
            is_less = _buffer("is_less", (m,), bool)
            np.copyto(d2, table[0])
            labels[:] = 0
            for j in range(1, k):  # strictly less: a tie keeps the first centre, as argmin does
                np.less(table[j], d2, out=is_less)
                np.minimum(d2, table[j], out=d2)
                np.copyto(labels, j, where=is_less)
        else:
            table = _buffer("table", (m, k))  # row t: ||c_j||^2 - 2 x_t.c_j for every j
            for rows in self.pieces(m):
                np.matmul(X[rows], self.minus_2c.T, out=table[rows])
            table += self.c_sq
            np.argmin(table, axis=1, out=labels)
            where = _buffer("where", (m,), np.int64)  # flat index of each winner in the table
            np.multiply(np.arange(m), k, out=where)
            where += labels
            np.take(table.reshape(-1), where, out=d2)

    def cluster_sums(self, X, labels):
        """``S_j = sum of the rows of X labelled j``, shape (k, d)."""
        k, d = self.minus_2c.shape
        if k > d:  # many clusters, few features: one bincount per feature
            return np.stack([np.bincount(labels, weights=X[:, f], minlength=k) for f in range(d)],
                            axis=1)
        one_hot = _buffer("one_hot", (k, X.shape[0]))  # Z^T: one_hot[j, t] = [label(t) = j]
        np.equal(labels, np.arange(k)[:, None], out=one_hot, casting="unsafe")
        sums, piece = np.zeros((k, d)), _buffer("piece", (k, d))
        for rows in self.pieces(X.shape[0]):
            sums += np.matmul(one_hot[:, rows], X[rows], out=piece)
        return sums

    def pieces(self, m):
        """Slices of ``m`` rows whose matrix products stay below ``_PRODUCT_SIZE``."""
        return [slice(i, i + self.product_rows) for i in range(0, m, self.product_rows)]


def _buffer(name, shape, dtype=np.float64):
    """This thread's buffer called ``name``, of ``shape``, reused from call to call."""
    size = int(np.prod(shape))
    buf = _local.__dict__.get((name, np.dtype(dtype)))
    if buf is None or buf.size < size:
        buf = np.empty(size, dtype=dtype)
        _local.__dict__[(name, np.dtype(dtype))] = buf
    return buf[:size].reshape(shape)
