"""t-SNE's repulsion summed over every unordered pair once, in float32 blocks: ``O(n^2)``.

For a few thousand points this beats the grid (:mod:`.grid_repulsion`): half
the pairs of the dense sum (:mod:`.dense_gradient`), in single precision,
two matrix products per block of rows.
"""

import numpy as np

from scratch_genmod.core.blas import blas_threads
from scratch_genmod.embed.fast.dense_gradient import block_rows

__all__ = ["pair_repulsion"]

FLOAT32_MAX_SQ_NORM = 1e4   # beyond, the products run in float64


def pair_repulsion(Y):
    """``sum_j w_ij^2 (y_i - y_j)`` for every ``i`` and ``Z = sum_{i != j} w_ij``, in float32.

    One product gives ``1 + ||y_i - y_j||^2`` directly: with
    ``L_i = [y_i, 1 + ||y_i||^2, 1]`` and ``R_j = [-2 y_j, 1, ||y_j||^2]``,
    ``L_i . R_j = 1 + ||y_i||^2 + ||y_j||^2 - 2 y_i . y_j`` (in float32 an
    error of about ``1e-7 ||y||^2`` on a squared distance: 2e-4 of the force
    on a map 100 wide, much below Barnes-Hut's approximation). As ``w`` is
    symmetric, only the upper triangle is computed, a block of rows
    ``I = a..b`` against the columns ``j >= a``; a second product
    ``W^2 [Y, 1]`` adds the block's sums to its rows and, transposed, to the
    rows of its columns beyond ``b``. The map is centred first (which changes
    no distance) so float32 keeps the small distances accurate. The diagonal
    is set to 0 rather than subtracted afterwards: a map of a few far-apart
    points has ``Z`` far below ``n``, lost in ``sum - n``. A map so wide
    (a point farther than 100 from the centre) that float32 would lose the
    near pairs' distances is summed in float64.

    Same numbers as the repulsion ``-(1/Z) sum_j w_ij^2 (y_i - y_j)`` of
    :func:`scratch_genmod.embed.textbook.kl_gradient` (times ``-Z``) and the
    normaliser of :func:`~scratch_genmod.embed.textbook.student_t_q`, to
    float32's accuracy.

    Parameters
    ----------
    Y : ndarray of shape (n_samples, n_components)

    Returns
    -------
    repulsion : ndarray of shape (n_samples, n_components)
        ``sum_j w_ij^2 (y_i - y_j)``.
    Z : float

    Examples
    --------
    Two points at distance 1: ``w = 1/2``, ``Z = 2 w = 1``, and each is pushed
    away from the other by ``w^2 (y_i - y_j) = -/+ 1/4``:

    >>> repulsion, Z = pair_repulsion(np.array([[0.0, 0.0], [1.0, 0.0]]))
    >>> repulsion.tolist(), Z
    ([[-0.25, 0.0], [0.25, 0.0]], 1.0)
    """
    n, dim = Y.shape
    centred = Y - Y.mean(axis=0)
    # float32's error on 1 + d_ij^2 is about 4e-7 max ||y||^2: past the
    # limit (a map some 200 wide) it would swamp near pairs' distances
    wide = float(np.max(np.einsum("ij,ij->i", centred, centred))) > FLOAT32_MAX_SQ_NORM
    dtype = np.float64 if wide else np.float32
    Y32 = centred.astype(dtype)
    sq_norms = np.einsum("ij,ij->i", Y32, Y32)
    left = np.hstack([Y32, (1.0 + sq_norms)[:, None], np.ones((n, 1), dtype)])
    right = np.vstack([-2.0 * Y32.T, np.ones((1, n), dtype), sq_norms[None, :]])
    Y_and_one = np.hstack([Y32, np.ones((n, 1), dtype)])
    sums = np.zeros((n, dim + 1))  # [sum_j w_ij^2 y_j, sum_j w_ij^2]
    step = block_rows(n)
    # the square block [start, stop) of a block of rows holds both orders of
    # its pairs, the rest one order: Z counts the one once and the other
    # twice. count[step - k:] starts with k ones, then twos
    count = np.concatenate([np.ones(step, dtype), np.full(n, 2.0, dtype)])
    Z_rows = np.zeros(n)
    with blas_threads(1):  # the same bits whatever the load: see core.blas
        _sum_blocks(left, right, Y_and_one, count, step, sums, Z_rows)
    Z = float(Z_rows.sum())
    repulsion = sums[:, dim:] * Y32 - sums[:, :dim]
    return repulsion, Z


def _sum_blocks(left, right, Y_and_one, count, step, sums, Z_rows):
    """The loop of :func:`pair_repulsion` over blocks of rows, adding into ``sums`` and ``Z_rows``."""
    n = left.shape[0]
    for start in range(0, n, step):
        stop = min(start + step, n)
        W = left[start:stop] @ right[:, start:]  # 1 + d_ij^2 for j >= start
        np.reciprocal(W, out=W)
        np.fill_diagonal(W, 0.0)  # no pair of a point with itself (not 1 - 1: round-off)
        # the row sums are a matrix-vector product (BLAS's float32 partial
        # sums: ~2e-7 relative, and four times faster than NumPy's pairwise
        # .sum here); np.dot, as @ holds Python's lock for a matrix times a
        # vector or a thin matrix
        Z_rows[start:stop] = np.dot(W, count[step - (stop - start):][:n - start])
        np.multiply(W, W, out=W)
        sums[start:stop] += np.dot(W, Y_and_one[start:])
        sums[stop:] += W[:, stop - start:].T @ Y_and_one[start:stop]
