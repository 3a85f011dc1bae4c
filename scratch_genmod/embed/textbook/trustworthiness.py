"""Trustworthiness as the course writes it: ranks of the data's neighbours, point by point.

Venna & Kaski (2001). For each point ``i`` let ``U_k(i)`` be the points
among its ``k`` nearest neighbours in the embedding ``Y`` that are *not*
among its ``k`` nearest in the data ``X``, and ``r(i, j)`` the rank of ``j``
among the neighbours of ``i`` in ``X`` (1 = nearest, ties in index order):

    T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in U_k(i)} (r(i, j) - k).
"""

import numpy as np

from scratch_genmod.core import check_array, check_same_length, check_scalar

__all__ = ["trustworthiness"]


def trustworthiness(X, Y, n_neighbors=5):
    """``T(k)`` by sorting each point's distances in ``X`` and in ``Y``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    Y : array-like of shape (n_samples, n_components)
    n_neighbors : int, default=5
        ``k``, with ``1 <= k < n_samples / 2``.

    Returns
    -------
    T : float

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [3.0], [6.0], [10.0], [15.0]])   # gaps 1 .. 5: no ties
    >>> trustworthiness(X, -X, 1)      # a mirror keeps every neighbour
    1.0

    Swapping the ends (point 0 drawn at 15, point 5 at 0): point 0's nearest
    in the picture is 4 (rank 4 in ``X``: 3 too far), point 1's is 5 (rank
    5: 4), point 5's is 1 (rank 4: 3); the others keep theirs. The sum is 10,
    so ``T = 1 - 2 * 10 / (6 * 1 * 8)``:

    >>> round(trustworthiness(X, X[[5, 1, 2, 3, 4, 0]], 1), 6)
    0.583333
    """
    X = check_array(X, "X", min_samples=3)
    Y = check_array(Y, "Y")
    check_same_length(X=X, Y=Y)
    n = X.shape[0]
    k = check_scalar(n_neighbors, "n_neighbors", int, min_val=1)
    if not k < n / 2:
        raise ValueError(f"n_neighbors must be < n_samples / 2 = {n / 2:g}, got {k}")
    DX = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    DY = np.sum((Y[:, None, :] - Y[None, :, :]) ** 2, axis=-1)
    penalty = 0
    for i in range(n):
        others = np.arange(n) != i
        by_x = np.flatnonzero(others)[np.argsort(DX[i, others], kind="stable")]
        rank = np.empty(n, dtype=int)
        rank[by_x] = np.arange(1, n)  # r(i, j): 1 for the nearest in X
        near_y = np.flatnonzero(others)[np.argsort(DY[i, others], kind="stable")][:k]
        penalty += sum(rank[j] - k for j in near_y if rank[j] > k)  # the intruders U_k(i)
    return float(1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * penalty)
