"""Squared Euclidean distances between two sets of points, by one matrix product.

Every pairwise computation of the library (k-means, t-SNE's neighbours and
gradient, trustworthiness) needs the table ``D[i, j] = ||a_i - b_j||^2``.
Expanded, ``||a - b||^2 = ||a||^2 + ||b||^2 - 2 a.b``, the cross terms of all
pairs are one matrix product (BLAS), far faster than differences pair by
pair. The expansion cancels when the points are far from the origin compared
with their distances: callers centre their data first.
"""

import numpy as np

__all__ = ["squared_distances"]


def squared_distances(A, B, sq_norms_A=None, sq_norms_B=None):
    """``D[i, j] = ||a_i - b_j||^2`` by ``||a||^2 + ||b||^2 - 2 a.b`` (one matrix product).

    The expansion can round a true 0 to a tiny negative number: such entries
    are set to 0, the value they stand for.

    Parameters
    ----------
    A : ndarray of shape (n_a, n_features)
    B : ndarray of shape (n_b, n_features)
    sq_norms_A, sq_norms_B : ndarray of shape (n_a,) and (n_b,) or None, default=None
        Precomputed squared row norms (computed when None).

    Returns
    -------
    D : ndarray of shape (n_a, n_b)

    Examples
    --------
    >>> squared_distances(np.array([[0.0, 0.0]]), np.array([[3.0, 4.0], [0.0, 0.0]]))
    array([[25.,  0.]])
    """
    if sq_norms_A is None:
        sq_norms_A = np.einsum("ij,ij->i", A, A)
    if sq_norms_B is None:
        sq_norms_B = np.einsum("ij,ij->i", B, B)
    D = A @ (-2.0 * B.T)
    D += sq_norms_A[:, None]
    D += sq_norms_B[None, :]
    return np.maximum(D, 0.0, out=D)
