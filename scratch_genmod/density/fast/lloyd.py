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

* **only the points that moved**: after the first iterations few points
  change cluster, and the sums are updated by ``(Z_new - Z_old)^T X~`` over
  those rows alone (when many moved, the sums are recomputed in full);
* **chunks**: the sums and the final distances go through the rows in
  chunks, so that no temporary array is as big as the data.

The labels come from :mod:`~.nearest_centers` (a tournament, one pass where
few points move, a float32 first pass, chunks on several threads). The
expansion loses digits when the points are far from the origin compared
with their distances: callers pass centred data (:func:`nearest_center`
centres by itself).
"""

from collections import namedtuple

import numpy as np

from scratch_genmod.core.threads import check_n_threads, map_in_threads
from scratch_genmod.density.fast.bracket_tables import gather_rows, thread_arange, thread_buffer
from scratch_genmod.density.fast.nearest_centers import _CHUNK_ELEMENTS, assign, relabel

__all__ = ["LloydStep", "with_ones", "with_ones_by_columns", "row_norms", "nearest_center",
           "lloyd_step", "own_distances", "label_sums"]

# Sums are updated from the moved points while at most this fraction moved.
_MAX_MOVED = 0.25
# Rows per block of with_ones_by_columns: a block and its transpose stay in the cache.
_COPY_ROWS = 8192
# label_sums gathers the moved rows while k * rows <= this many times d + 1 (measured
# crossover with the passes over columns: k = 6 to 32, d + 1 = 3 to 33).
_GATHERED_PRODUCT = 1 << 14

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


def with_ones_by_columns(X, shift=0.0, n_threads=1):
    """``Xa = with_ones(X, shift)``, each row's ``||x_t||^2``, and ``Xa.T`` stored by rows, in float64 and float32.

    The same numbers as ``with_ones``, ``np.einsum`` of its rows,
    ``np.ascontiguousarray(Xa.T)`` and that ``.astype(np.float32)``, made
    in one pass over ``X``, a block of ``_COPY_ROWS`` rows at a time while
    the block is in the cache: on 200,000 rows of 32 features, 33 ms against
    49 ms one after another (most of either is the first touch of new memory).
    The four are views of one array: once a fit has freed it, glibc's
    allocator keeps a block of that size (up to 32 MB) for the next fit,
    where four arrays came back as new memory each time, 0.4 ms per MB to
    touch on this project's machine (20,000 rows: fits 1-8 % faster).
    The blocks are shared by ``n_threads`` threads (None: as many as are free,
    ``core.threads``); each block's numbers are the same whichever runs it.
    A float32 entry beyond float32's range is inf (the caller then drops
    the float32 copy, see ``kmeans_iterations.data_layouts``).

    >>> Xa, x_sq, XaT, XaT32 = with_ones_by_columns(np.array([[2.0], [3.0]]), shift=1.0)
    >>> XaT
    array([[1., 2.],
           [1., 1.]])
    >>> x_sq
    array([1., 4.])
    """
    n, d = X.shape
    size = n * (d + 1)
    block = np.empty(2 * size + n + (size + 1) // 2)
    Xa, XaT = block[:size].reshape(n, d + 1), block[size:2 * size].reshape(d + 1, n)
    x_sq = block[2 * size:2 * size + n]
    XaT32 = block[2 * size + n:].view(np.float32)[:size].reshape(d + 1, n)

    def copy_block(start):
        rows = slice(start, start + _COPY_ROWS)
        block = np.subtract(X[rows], shift, out=Xa[rows, :-1])
        Xa[rows, -1] = XaT[-1, rows] = XaT32[-1, rows] = 1.0
        np.einsum("ij,ij->i", block, block, out=x_sq[rows])
        np.copyto(XaT[:-1, rows], block.T)
        with np.errstate(over="ignore"):
            np.copyto(XaT32[:-1, rows], XaT[:-1, rows], casting="same_kind")

    map_in_threads(copy_block, range(0, n, _COPY_ROWS), check_n_threads(n_threads))
    return Xa, x_sq, XaT, XaT32


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
    return assign(Xa, row_norms(Xa), centers - shift, n_threads)


def lloyd_step(Xa, centers, x_sq=None, n_threads=1, last=None, bounds=None, XaT=None,
               copy32=None):
    """One Lloyd iteration: same numbers as ``textbook.lloyd_step``, empty clusters included.

    Parameters
    ----------
    Xa : ndarray of shape (n_samples, n_features + 1)
        ``with_ones(X)`` of data ``X`` near the origin (KMeans passes it centred).
    centers : ndarray of shape (n_clusters, n_features)
    x_sq : ndarray of shape (n_samples,) or None, default=None
        ``||x_t||^2``, computed when None.
    n_threads : int or None, default=1
    last : LloydStep or None, default=None
        The previous step on the same data: its labels and sums let this
        step update the sums from the points that moved (None: sums in
        full). Its labels are updated in place: they become this step's.
    bounds : hamerly.Bounds or None, default=None
        Find the labels with these distance bounds (the same labels, fewer
        distances), kept from step to step; the moved points then come from
        the bounds, and the step's ``labels`` are the bounds' own array,
        which the next step updates in place. When too many points are in
        doubt the bounds give up (``bounds.gave_up_``) and every distance is
        computed, as without them.
    XaT : ndarray of shape (n_features + 1, n_samples) or None, default=None
        ``Xa.T`` stored by rows, for faster products (see :func:`assign`).
    copy32 : nearest_centers.Float32Copy or None, default=None
        ``XaT`` rounded to float32 (``nearest_centers.float32_copy``): the
        labels from a float32 table first (``nearest_centers.relabel``), the
        same labels.

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
    x_sq = row_norms(Xa) if x_sq is None else x_sq
    k = centers.shape[0]
    found = None if bounds is None else bounds.nearest(centers, copy=False, give_up=True)
    if found is None and last is None:  # the first step: every distance
        labels, d2 = assign(Xa, x_sq, centers, n_threads, XaT=XaT)
        moved = was = None
    elif found is None:  # no bounds, or too many points in doubt for them to pay
        labels, d2 = last.labels, None
        moved, was = relabel(Xa, centers, labels, n_threads, XaT, x_sq, copy32)
    else:
        (labels, moved, was), d2 = found, None
        if moved is None and last is not None:  # bounds (re)built: moved since the last step
            moved = np.flatnonzero(labels != last.labels)
            was = last.labels[moved]
    if last is None or moved is None or moved.size > _MAX_MOVED * len(labels):
        sums = label_sums(Xa, labels, k, XaT=XaT, n_threads=n_threads)
    else:  # the moved points leave their old cluster's sum for the new one's
        sums = last.sums + label_sums(Xa, labels[moved], k, was, rows=moved, XaT=XaT,
                                      n_threads=n_threads)
    counts = sums[:, -1]
    new = sums[:, :-1] / np.maximum(counts, 1)[:, None]
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        # An empty cluster has no mean: re-seed it at a point far from its centre,
        # which lowers the inertia (the rule of textbook.lloyd_step).
        d2 = own_distances(Xa, x_sq, centers, labels, n_threads) if d2 is None else d2
        far = np.argsort(d2)[::-1][:empty.size]
        new[empty] = Xa[far, :-1]
    n_moved = len(labels) if moved is None else int(moved.size)
    return LloydStep(new, labels, d2, sums, int(empty.size), n_moved)


def own_distances(Xa, x_sq, centers, labels, n_threads=1):
    """``||x_t - c_label(t)||^2`` of each row, one dot product per row, in chunks shared by ``n_threads`` threads.

    >>> own_distances(with_ones(np.array([[0.0], [3.0]])), np.array([0.0, 9.0]),
    ...               np.array([[1.0], [5.0]]), np.array([0, 1]))
    array([1., 4.])
    """
    d2 = np.empty(len(labels))
    c_sq = np.einsum("ij,ij->i", centers, centers)

    def chunk(start):  # in chunks: centers[labels] is as big as X
        rows = slice(start, start + step)
        # np.take gathers whole rows several times faster than centers[labels[rows]]
        xc = np.einsum("ij,ij->i", Xa[rows, :-1], np.take(centers, labels[rows], axis=0))
        d2[rows] = x_sq[rows] + c_sq[labels[rows]] - 2.0 * xc

    step = max(1, _CHUNK_ELEMENTS // Xa.shape[1])
    map_in_threads(chunk, range(0, len(labels), step), check_n_threads(n_threads))
    return np.maximum(d2, 0.0, out=d2)


def label_sums(Xa, labels, n_clusters, old_labels=None, rows=None, XaT=None, n_threads=1):
    """``Z^T X~``: each cluster's sum of the rows labelled with it, shape (k, d + 1).

    With ``old_labels``, ``(Z - Z_old)^T X~``: what the sums gain when these
    rows leave their old cluster for the new one (0 for a row that stays).
    With ``rows``, only those rows of ``Xa`` (``labels`` are theirs). A few
    moved rows (at most ``_GATHERED_PRODUCT (d + 1) / k``) are gathered and
    multiplied by ``Z - Z_old`` as the formula reads (:func:`_moved_sums`).
    Else, given ``XaT`` (``Xa.T`` stored by rows), one ``np.bincount`` per
    column of ``X~`` (two with ``old_labels``), three to four times faster
    than the chunks below; the columns are shared by ``n_threads`` threads
    (each column's sums the same whichever runs it).

    Entry ``(t, j)`` of a chunk of rows is added to entry ``(label(t), j)``
    of the sums, all by one ``np.bincount`` over the flattened chunk: a pass
    over the data whatever k (the one-hot product ``Z^T X~`` costs k times
    as much, and under load its BLAS threads wait for cores).

    >>> label_sums(np.array([[1.0, 1], [2, 1], [5, 1]]), np.array([0, 0, 1]), 2)
    array([[3., 2.],
           [5., 1.]])
    """
    if (rows is not None and old_labels is not None
            and n_clusters * len(rows) <= _GATHERED_PRODUCT * Xa.shape[1]):
        return _moved_sums(Xa, labels, old_labels, n_clusters, rows)
    if XaT is not None:
        def sums_of(column):
            return _column_sums(column if rows is None else column.take(rows), labels,
                                old_labels, n_clusters)

        return np.stack(map_in_threads(sums_of, XaT, check_n_threads(n_threads)), axis=1)
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


def _moved_sums(Xa, labels, old_labels, n_clusters, rows):
    """``(Z - Z_old)^T X~`` of the rows ``rows`` of ``Xa``: the rows gathered, the one-hot matrices' difference multiplied.

    ``Z - Z_old`` has a +1 at each row's new cluster and a -1 at its old one.
    For the few points that move in a late Lloyd step this costs a third of
    the passes over columns (``np.bincount``), whose count grows with the
    features whatever the rows (measured at d = 32, k = 16: 4,000 moved
    points, 0.5 ms against 1.6 ms); with many rows and many clusters, the
    product's ``k (d + 1)`` multiply-adds a row cost more than the passes.

    >>> Xa = np.array([[1.0, 1], [2, 1], [5, 1]])
    >>> _moved_sums(Xa, np.array([1, 0]), np.array([0, 1]), 2, np.array([0, 2]))
    array([[ 4.,  0.],
           [-4.,  0.]])
    """
    sums = np.zeros((n_clusters, Xa.shape[1]))
    step = max(1, _CHUNK_ELEMENTS // max(n_clusters, Xa.shape[1]))
    for start in range(0, len(rows), step):  # in chunks: the gathered rows stay small
        part = slice(start, start + step)
        gathered = gather_rows(Xa, rows[part])  # into buffers: new memory costs more
        change = thread_buffer("change", (n_clusters, len(gathered)))  # Z - Z_old of these rows
        change.fill(0.0)
        columns = thread_arange(len(gathered))
        change[labels[part], columns] = 1.0
        change[old_labels[part], columns] -= 1.0  # 0 for a row that stays
        sums += change @ gathered
    return sums


def _column_sums(values, labels, old_labels, n_clusters):
    """One column of :func:`label_sums`: each cluster's sum of ``values`` (less the old clusters')."""
    sums = np.bincount(labels, weights=values, minlength=n_clusters)
    if old_labels is not None:
        sums -= np.bincount(old_labels, weights=values, minlength=n_clusters)
    return sums


def row_norms(Xa):
    """``||x_t||^2`` of each row of ``Xa = with_ones(X)`` (the ones left out).

    >>> row_norms(with_ones(np.array([[3.0, 4.0]])))
    array([25.])
    """
    X = Xa[:, :-1]
    return np.einsum("ij,ij->i", X, X)
