"""Squared Euclidean distances and nearest neighbours, one block of rows at a time.

The data-space pairwise work of t-SNE's P and of :func:`trustworthiness`
goes through here. The ``n x n`` distance matrix is never held whole: rows are
handled in blocks of ``row_chunk(n)`` so the working memory stays near
``BLOCK_BYTES``.
"""

import numpy as np

from scratch_genmod.core import squared_distances

__all__ = ["row_chunk", "distance_row_blocks", "nearest_neighbors"]

BLOCK_BYTES = 32 * 2 ** 20  # working memory of one block of float64 distances


def row_chunk(n_columns, itemsize=8):
    """How many rows of an ``(rows, n_columns)`` block fit in the working memory.

    >>> row_chunk(4096)          # 32 MB of float64 rows of 4,096 entries
    1024
    """
    return max(1, BLOCK_BYTES // (itemsize * max(n_columns, 1)))


def distance_row_blocks(X, itemsize=8):
    """Yield ``(rows, D)``: the squared distances ``D`` of a block of rows of ``X`` to all of ``X``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    itemsize : int, default=8
        Bytes the caller keeps per entry of a block (e.g. 24 for distances,
        an order and ranks), which sets the block height through :func:`row_chunk`.

    Yields
    ------
    rows : ndarray of shape (n_rows,)
        Consecutive row indices ``a, a + 1, ..., b - 1``.
    D : ndarray of shape (n_rows, n_samples)
        ``D[r, j] = ||x_{rows[r]} - x_j||^2`` (the point itself included, at
        0): the rows of the ``d_ij`` of
        :func:`scratch_genmod.embed.textbook.conditional_p`, to round-off.

    Examples
    --------
    >>> [(rows.tolist(), D.tolist()) for rows, D in distance_row_blocks(np.array([[0.0], [2.0]]))]
    [([0, 1], [[0.0, 4.0], [4.0, 0.0]])]
    """
    n = X.shape[0]
    # Distances do not change when every point moves by the same vector; the
    # expansion loses digits to ||x||^2 when the data sit far from the origin
    # (an offset of 1e7 is enough to reorder near neighbours), so centre first.
    X = X - X.mean(axis=0)
    sq_norms = np.einsum("ij,ij->i", X, X)
    step = row_chunk(n, itemsize)
    for start in range(0, n, step):
        rows = np.arange(start, min(start + step, n))
        yield rows, squared_distances(X[rows], X, sq_norms[rows], sq_norms)


def nearest_neighbors(X, n_neighbors):
    """The ``k`` nearest other points of every row of ``X`` (a point is not its own neighbour).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_neighbors : int
        ``k``, with ``1 <= k <= n_samples - 1``.

    Returns
    -------
    indices : ndarray of shape (n_samples, n_neighbors)
        Neighbours of each point by increasing distance.
    sq_distances : ndarray of shape (n_samples, n_neighbors)
        Their squared Euclidean distances. (The order is the one
        :func:`scratch_genmod.embed.textbook.trustworthiness` sorts by, ties
        apart.)

    Examples
    --------
    >>> indices, sq_dist = nearest_neighbors(np.array([[0.0], [1.0], [3.0], [7.0]]), 2)
    >>> indices.tolist(), sq_dist.tolist()
    ([[1, 2], [0, 2], [1, 0], [2, 1]], [[1.0, 9.0], [1.0, 4.0], [4.0, 9.0], [16.0, 36.0]])
    """
    n = X.shape[0]
    indices = np.empty((n, n_neighbors), dtype=np.intp)
    sq_dist = np.empty((n, n_neighbors))
    # per entry of a block: its distance, argpartition's working copy of it and the indices
    for rows, D in distance_row_blocks(X, itemsize=24):
        D[np.arange(len(rows)), rows] = np.inf  # a point is not its own neighbour
        # argpartition finds the k smallest in O(n); only those k are then sorted
        nearest = np.argpartition(D, n_neighbors - 1, axis=1)[:, :n_neighbors]
        nearest_d = np.take_along_axis(D, nearest, axis=1)
        order = np.argsort(nearest_d, axis=1, kind="stable")
        indices[rows] = np.take_along_axis(nearest, order, axis=1)
        sq_dist[rows] = np.take_along_axis(nearest_d, order, axis=1)
    return indices, sq_dist

