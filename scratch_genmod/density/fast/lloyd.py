"""One Lloyd iteration, fast: the numbers of ``textbook.lloyd_step``, in chunks of rows on several threads.

The E-step needs each point's nearest centre. In

    ||x_t - c_j||^2 = ||x_t||^2 + (||c_j||^2 - 2 x_t.c_j)

the first term is the same for every centre, so the nearest one is found
from the bracket alone and ``||x_t||^2`` is added to the winner only. With a
column of ones appended to the data, ``x~_t = [x_t, 1]``, and
``c~_j = [-2 c_j, ||c_j||^2]``, the bracket is the dot product ``c~_j.x~_t``:
one matrix product gives a chunk's whole (k, m) table of brackets. The
M-step needs each cluster's sum of points ``S_j`` and count ``N_j``: the sum
of the ``x~_t`` labelled ``j`` is ``[S_j, N_j]``, so with ``Z`` the (n, k)
one-hot matrix of labels, ``Z^T X~`` is every sum and count (computed by a
``bincount``, see :func:`label_sums`); the new centre is ``S_j / N_j``.
What makes it fast changes none of these formulas:

* **a tournament** finds the smallest entry of each column of the table:
  rows 0 and 1 play, 2 and 3 play, ..., then the winners play in pairs, and
  so on, ``log2 k`` rounds of element-wise operations on whole rows (where
  ``np.argmin`` along the short axis would pay a per-row overhead). The
  right player wins only when strictly less, and every index on the right
  is above every index on the left, so a tie goes to the first centre, as
  ``argmin`` does;
* **only the points that moved**: after the first iterations few points
  change cluster, and the sums are updated by ``(Z_new - Z_old)^T X~`` over
  those rows alone (when many moved, the sums are recomputed in full);
* **chunks and buffers**: the rows go through in chunks whose table stays in
  the CPU's cache, written into buffers made once per thread (a fresh large
  array for every chunk costs more than the product that fills it);
* **threads**: NumPy releases the GIL in BLAS and in its element-wise loops,
  so each thread takes a contiguous range of rows.

The expansion loses digits when the points are far from the origin compared
with their distances: callers pass centred data (:func:`nearest_center`
centres by itself).
"""

import math
import threading
from collections import namedtuple

import numpy as np

from scratch_genmod.core.threads import map_in_threads

__all__ = ["LloydStep", "with_ones", "nearest_center", "lloyd_step", "assign", "label_sums"]

# Entries of a chunk's table: 4 MB of float64, in the cache with its scratch rows.
_CHUNK_ELEMENTS = 1 << 19
# Multiply-adds of one matrix product (rows x features x centres): OpenBLAS runs a
# product below about this size on the calling thread, so each of our threads keeps
# one core instead of waking BLAS's own threads.
_PRODUCT_SIZE = 1 << 18
# Rows a product needs to run at speed: when a product of this size is already
# above _PRODUCT_SIZE (many features and centres), one thread hands whole chunks
# to BLAS, which uses every core by itself.
_MIN_PRODUCT_ROWS = 256
# Rows from which a second thread pays for its start-up.
_MIN_ROWS_PER_THREAD = 4096
# Sums are updated from the moved points while at most this fraction moved.
_MAX_MOVED = 0.25

_local = threading.local()  # each thread's buffers, kept from call to call

LloydStep = namedtuple("LloydStep", "centers labels d2 sums n_empty n_moved")
LloydStep.__doc__ = """One Lloyd iteration's result.

centers : (k, d) new centres; labels : (n,) int64 nearest of the given
centres; d2 : (n,) squared distance to it; sums : (k, d + 1) each cluster's
sum of ``x~ = [x, 1]`` (the last column is the count ``N_j``); n_empty :
clusters that won no point and were re-seeded; n_moved : points whose label
changed since the last step (all of them when there was none).

>>> step = lloyd_step(with_ones(np.array([[0.0], [1.0], [5.0]])), np.array([[0.0], [4.0]]))
>>> step.labels, step.n_empty, step.n_moved   # no step before it: every point counts as moved
(array([0, 0, 1]), 0, 3)
"""


def with_ones(X, shift=0.0):
    """``X~ = [X - shift, 1]``: the rows of ``X`` moved by ``shift``, with a 1 appended, shape (n, d + 1).

    >>> with_ones(np.array([[2.0], [3.0]]), shift=1.0)
    array([[1., 1.],
           [2., 1.]])
    """
    Xa = np.empty((X.shape[0], X.shape[1] + 1))
    np.subtract(X, shift, out=Xa[:, :-1])
    Xa[:, -1] = 1.0
    return Xa


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
    Xa = with_ones(X, shift)
    return assign(Xa, _row_norms(Xa), centers - shift, n_threads)


def lloyd_step(Xa, centers, x_sq=None, n_threads=1, last=None, bounds=None):
    """One Lloyd iteration: same numbers as ``textbook.lloyd_step``, empty clusters included.

    Parameters
    ----------
    Xa : ndarray of shape (n_samples, n_features + 1)
        ``with_ones(X)`` of data ``X`` near the origin (KMeans passes it centred).
    centers : ndarray of shape (n_clusters, n_features)
    x_sq : ndarray of shape (n_samples,) or None, default=None
        ``||x_t||^2``, computed when None.
    n_threads : int, default=1
    last : LloydStep or None, default=None
        The previous step on the same data: its labels and sums let this
        step update the sums from the points that moved. None: sums in full.
    bounds : hamerly.Bounds or None, default=None
        Find the labels with these distance bounds (the same labels, fewer
        distances), kept from step to step; the moved points then come from
        the bounds, and the step's ``labels`` are the bounds' own array,
        which the next step updates in place. When too many points are in
        doubt the bounds give up (``bounds.gave_up_``) and every distance is
        computed, as without them.

    Returns
    -------
    LloydStep

    Examples
    --------
    >>> step = lloyd_step(with_ones(np.array([[-1.0], [0.0], [4.0]])),
    ...                   np.array([[-2.0], [5.0], [50.0]]))
    >>> step.centers.ravel()   # (-1 + 0) / 2, 4, and the empty third at 0, the farthest from its centre
    array([-0.5,  4. ,  0. ])
    >>> step.sums              # [sum of x, count] of each cluster
    array([[-1.,  2.],
           [ 4.,  1.],
           [ 0.,  0.]])
    """
    x_sq = _row_norms(Xa) if x_sq is None else x_sq
    k = centers.shape[0]
    found = None if bounds is None else bounds.nearest(centers, copy=False, give_up=True)
    if found is None:  # no bounds, or too many points in doubt for them to pay
        labels, d2 = assign(Xa, x_sq, centers, n_threads)
        moved = None if last is None else np.flatnonzero(labels != last.labels)
        was = None if last is None else last.labels[moved]
    else:
        (labels, moved, was), d2 = found, None
        if moved is None and last is not None:  # bounds (re)built: moved since the last step
            moved = np.flatnonzero(labels != last.labels)
            was = last.labels[moved]
    if last is None or moved is None or moved.size > _MAX_MOVED * len(labels):
        sums = label_sums(Xa, labels, k)
    else:  # the moved points leave their old cluster's sum for the new one's
        sums = last.sums + label_sums(Xa, labels[moved], k, was, rows=moved)
    counts = sums[:, -1]
    new = sums[:, :-1] / np.maximum(counts, 1)[:, None]
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        # An empty cluster has no mean: re-seed it at a point far from its centre,
        # which lowers the inertia (the rule of textbook.lloyd_step).
        d2 = own_distances(Xa, x_sq, centers, labels) if d2 is None else d2
        far = np.argsort(d2)[::-1][:empty.size]
        new[empty] = Xa[far, :-1]
    n_moved = len(labels) if moved is None else int(moved.size)
    return LloydStep(new, labels, d2, sums, int(empty.size), n_moved)


def own_distances(Xa, x_sq, centers, labels):
    """``||x_t - c_label(t)||^2`` of each row, one dot product per row.

    >>> own_distances(with_ones(np.array([[0.0], [3.0]])), np.array([0.0, 9.0]),
    ...               np.array([[1.0], [5.0]]), np.array([0, 1]))
    array([1., 4.])
    """
    d2 = np.empty(len(labels))
    c_sq = np.einsum("ij,ij->i", centers, centers)
    step = max(1, _CHUNK_ELEMENTS // Xa.shape[1])
    for start in range(0, len(labels), step):  # in chunks: centers[labels] is as big as X
        rows = slice(start, start + step)
        # np.take gathers whole rows several times faster than centers[labels[rows]]
        xc = np.einsum("ij,ij->i", Xa[rows, :-1], np.take(centers, labels[rows], axis=0))
        d2[rows] = x_sq[rows] + c_sq[labels[rows]] - 2.0 * xc
    return np.maximum(d2, 0.0, out=d2)


def label_sums(Xa, labels, n_clusters, old_labels=None, rows=None):
    """``Z^T X~``: each cluster's sum of the rows labelled with it, shape (k, d + 1).

    With ``old_labels``, ``(Z - Z_old)^T X~``: what the sums gain when these
    rows leave their old cluster for the new one (0 for a row that stays).
    With ``rows``, only those rows of ``Xa`` (``labels`` are theirs).

    Entry ``(t, j)`` of a chunk of rows is added to entry ``(label(t), j)``
    of the sums, all by one ``np.bincount`` over the flattened chunk: a pass
    over the data whatever k (the one-hot product ``Z^T X~`` costs k times
    as much, and under load its BLAS threads wait for cores).

    >>> label_sums(np.array([[1.0, 1], [2, 1], [5, 1]]), np.array([0, 0, 1]), 2)
    array([[3., 2.],
           [5., 1.]])
    """
    n, d1 = len(labels), Xa.shape[1]
    sums = np.zeros(n_clusters * d1)
    columns = np.arange(d1)
    step = max(1, _CHUNK_ELEMENTS // d1)
    for start in range(0, n, step):
        part = slice(start, min(start + step, n))
        block = (Xa[part] if rows is None else np.take(Xa, rows[part], axis=0)).ravel()
        # flat index label(t) * (d + 1) + j of each entry (t, j) of the chunk
        index = (labels[part, None] * d1 + columns).ravel()
        sums += np.bincount(index, weights=block, minlength=n_clusters * d1)
        if old_labels is not None:
            index = (old_labels[part, None] * d1 + columns).ravel()
            sums -= np.bincount(index, weights=block, minlength=n_clusters * d1)
    return sums.reshape(n_clusters, d1)


def assign(Xa, x_sq, centers, n_threads=1, second=False, rows=None):
    """Nearest centre and its squared distance for each row of ``Xa = with_ones(X)``, ``X`` centred.

    Parameters
    ----------
    Xa : ndarray of shape (n_samples, n_features + 1)
    x_sq : ndarray of shape (n_samples,)
        ``||x_t||^2``.
    centers : ndarray of shape (n_clusters, n_features)
    n_threads : int, default=1
    second : bool, default=False
        Also return each row's squared distance to its second-nearest centre
        (``inf`` when there is one centre).
    rows : ndarray of int or None, default=None
        Only these rows (gathered a chunk at a time); None: every row.

    Returns
    -------
    labels : ndarray of shape (n_rows,), dtype int64
    d2 : ndarray of shape (n_rows,)
    d2_second : ndarray of shape (n_rows,), only with ``second``
    """
    n = Xa.shape[0] if rows is None else len(rows)
    labels, d2 = np.empty(n, dtype=np.int64), np.empty(n)
    d2_second = np.empty(n) if second else None
    work = _Chunks(Xa, x_sq, centers, rows, labels, d2, d2_second)
    if work.product_rows < _MIN_PRODUCT_ROWS:  # big products: BLAS has the cores
        n_threads, work.product_rows = 1, work.step
    n_parts = max(1, min(n_threads, n // _MIN_ROWS_PER_THREAD))
    bounds = [n * i // n_parts for i in range(n_parts + 1)]
    map_in_threads(work.run, list(zip(bounds[:-1], bounds[1:])), n_parts)
    np.maximum(d2, 0.0, out=d2)  # rounding can make a true 0 slightly negative
    if not second:
        return labels, d2
    return labels, d2, np.maximum(d2_second, 0.0, out=d2_second)


class _Chunks:
    """The work on one range of rows, chunk by chunk, writing into ``labels`` and ``d2``."""

    def __init__(self, Xa, x_sq, centers, rows, labels, d2, d2_second=None):
        self.Xa, self.x_sq, self.rows = Xa, x_sq, rows
        self.labels, self.d2, self.d2_second = labels, d2, d2_second
        c_sq = np.einsum("ij,ij->i", centers, centers)
        self.ca = np.hstack([-2.0 * centers, c_sq[:, None]])  # c~_j = [-2 c_j, ||c_j||^2]
        k, d1 = self.ca.shape
        self.step = max(1, _CHUNK_ELEMENTS // k)  # a (k, step) table of ~4 MB...
        if rows is not None:  # ...and a gathered block of at most as much
            self.step = min(self.step, max(1, _CHUNK_ELEMENTS // d1))
        self.product_rows = max(1, _PRODUCT_SIZE // (k * d1))

    def run(self, part):
        """Labels and ``d2`` of the rows ``part[0]`` to ``part[1] - 1``."""
        k = self.ca.shape[0]
        for start in range(part[0], part[1], self.step):
            block = slice(start, min(start + self.step, part[1]))
            m = block.stop - block.start
            Xa, x_sq = self.block(block)
            table = _buffer("table", (k, m))  # table[j, t] = c~_j . x~_t
            for piece in range(0, m, self.product_rows):
                cut = slice(piece, min(piece + self.product_rows, m))
                np.matmul(self.ca, Xa[cut].T, out=table[:, cut])
            tournament(table, self.d2[block], self.labels[block])
            self.d2[block] += x_sq
            if self.d2_second is not None:  # the winner out, the best of the rest
                table[self.labels[block], np.arange(m)] = np.inf
                np.min(table, axis=0, out=self.d2_second[block])
                self.d2_second[block] += x_sq

    def block(self, block):
        """``Xa`` and ``x_sq`` of the rows at positions ``block``."""
        if self.rows is None:
            return self.Xa[block], self.x_sq[block]
        index = self.rows[block]
        gathered = _buffer("gathered", (len(index), self.Xa.shape[1]))
        return np.take(self.Xa, index, axis=0, out=gathered), self.x_sq[index]


def tournament(table, minimum, labels):
    """Each column's smallest entry of ``table`` (k, m) into ``minimum``, its row (the first on a tie) into ``labels``.

    Same as ``np.min(table, axis=0)`` and ``np.argmin(table, axis=0)``, in
    ``log2 k`` rounds of row-wide operations (see the module's notes).

    >>> table = np.array([[3.0, 1.0, 2.0], [1.0, 1.0, 5.0], [2.0, 0.0, 2.0]])
    >>> minimum, labels = np.empty(3), np.empty(3, dtype=int)
    >>> tournament(table, minimum, labels)
    >>> minimum, labels
    (array([1., 0., 2.]), array([1, 2, 0]))
    """
    k, m = table.shape
    index_type = np.min_scalar_type(k)
    values, winners = table, np.zeros((1, m), dtype=index_type)  # one player: centre 0
    for turn in range(k.bit_length()):
        r = values.shape[0]
        if r == 1:
            break
        h, odd = r // 2, r % 2
        out_v = _buffer(f"values{turn % 2}", (h + odd, m))
        out_w = _buffer(f"winners{turn % 2}", (h + odd, m), index_type)
        right_wins = _buffer("right_wins", (h, m), bool)
        left, right = values[0:2 * h:2], values[1:2 * h:2]
        np.less(right, left, out=right_wins)
        np.minimum(left, right, out=out_v[:h])
        if turn == 0:  # players 2i and 2i + 1
            np.add(right_wins, np.arange(0, 2 * h, 2, dtype=index_type)[:, None], out=out_w[:h])
        else:  # every index on the right is larger: max(left's, [right wins] * right's)
            np.multiply(winners[1:2 * h:2], right_wins, out=out_w[:h])
            np.maximum(out_w[:h], winners[0:2 * h:2], out=out_w[:h])
        if odd:  # the last player waits for the next round
            out_v[h] = values[-1]
            out_w[h] = r - 1 if turn == 0 else winners[-1]
        values, winners = out_v, out_w
    np.copyto(minimum, values[0])
    np.copyto(labels, winners[0])


def _row_norms(Xa):
    """``||x_t||^2`` of each row of ``Xa = with_ones(X)`` (the ones left out)."""
    X = Xa[:, :-1]
    return np.einsum("ij,ij->i", X, X)


def _buffer(name, shape, dtype=np.float64):
    """This thread's buffer called ``name``, of ``shape``, reused from call to call."""
    size = math.prod(shape)
    buf = _local.__dict__.get((name, np.dtype(dtype)))
    if buf is None or buf.size < size:
        buf = np.empty(size, dtype=dtype)
        _local.__dict__[(name, np.dtype(dtype))] = buf
    return buf[:size].reshape(shape)
