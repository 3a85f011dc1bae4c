"""Trustworthiness: are the neighbours seen in a picture true neighbours in the data?

Venna & Kaski (2001). For each point ``i`` let ``U_k(i)`` be the points
among its ``k`` nearest neighbours in the embedding ``Y`` that are *not*
among its ``k`` nearest in the data ``X``, and ``r(i, j)`` the rank of ``j``
among the neighbours of ``i`` in ``X`` (1 = nearest). Then

    T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in U_k(i)} (r(i, j) - k).

Each intruder is penalised by how far outside the true neighbourhood it
really lies. ``T = 1`` when every neighbourhood is kept; the normalisation
makes the worst possible embedding score 0, and needs ``k < n / 2``.
"""

import numpy as np

from scratch_genmod.core import check_array, check_same_length, check_scalar
from scratch_genmod.embed.fast.neighbors import distance_row_blocks, nearest_neighbors
from scratch_genmod.embed.rescaling import unit_spread

__all__ = ["trustworthiness"]


def trustworthiness(X, Y, n_neighbors=5):
    """How well the embedding ``Y`` keeps the neighbourhoods of ``X``, in [0, 1].

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data (Euclidean distances).
    Y : array-like of shape (n_samples, n_components)
        The embedding of the same points.
    n_neighbors : int, default=5
        ``k``, with ``1 <= k < n_samples / 2``.

    Returns
    -------
    T : float

    Examples
    --------
    >>> X = np.arange(10.0).reshape(-1, 1)
    >>> trustworthiness(X, 2 * X + 1, n_neighbors=2)      # same order: perfect
    1.0
    >>> trustworthiness(X, X[::-1] % 3, n_neighbors=2) < 1
    True
    """
    X = check_array(X, "X", min_samples=3)
    Y = check_array(Y, "Y")
    check_same_length(X=X, Y=Y)
    n = X.shape[0]
    k = check_scalar(n_neighbors, "n_neighbors", int, min_val=1)
    if not k < n / 2:
        raise ValueError(f"n_neighbors must be < n_samples / 2 = {n / 2:g}, got {k}")

    X, Y = unit_spread(X), unit_spread(Y)  # ranks do not depend on units; squares stay in range
    embedded_neighbors, _ = nearest_neighbors(Y, k)
    penalty = 0.0
    for rows, D in distance_row_blocks(X, itemsize=9):  # distances and one comparison
        D[np.arange(len(rows)), rows] = np.inf  # the point itself ranks last, after all others
        neighbors = embedded_neighbors[rows]
        d = np.take_along_axis(D, neighbors, axis=1)
        for c in range(k):
            # the rank of j among i's neighbours in X: 1 + the points nearer than j,
            # ties in index order (a stable sort of the row)
            r = 1 + np.count_nonzero(D < d[:, c:c + 1], axis=1)
            tied = np.count_nonzero(D == d[:, c:c + 1], axis=1) > 1
            if np.any(tied):
                earlier = np.arange(n)[None, :] < neighbors[tied, c:c + 1]
                r[tied] += np.count_nonzero((D[tied] == d[tied, c:c + 1]) & earlier, axis=1)
            penalty += float(np.sum(np.maximum(r - k, 0)))  # only intruders (r > k) count
    return 1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * penalty
