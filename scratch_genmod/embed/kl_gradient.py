"""The t-SNE cost and its gradient: KL(P || Q) with a Student-t kernel in the map.

In the map, similarities use a Student-t kernel with one degree of freedom,

    w_ij = 1 / (1 + ||y_i - y_j||^2),   Z = sum_{k != l} w_kl,   q_ij = w_ij / Z,

whose heavy tail lets moderately distant points sit far apart (the
"crowding problem" of a Gaussian map). The cost and its gradient are

    C = KL(P || Q) = sum_{i != j} p_ij log(p_ij / q_ij)
      = sum p_ij log p_ij - sum p_ij log w_ij + log Z          (sum p_ij = 1),

    dC/dy_i = 4 sum_j (p_ij - q_ij) w_ij (y_i - y_j)
            = 4 [ sum_j p_ij w_ij (y_i - y_j)  -  (1/Z) sum_j w_ij^2 (y_i - y_j) ],
                  attraction (along P's edges)    repulsion (all pairs)

Both sums have the form ``sum_j a_ij (y_i - y_j) = (sum_j a_ij) y_i - (A Y)_i``,
so a block of rows costs one matrix product. During early exaggeration the
attraction is multiplied by ``exaggeration``; the cost reported is always
that of the true ``P``.

``exact_kl_gradient`` is the reference: dense ``P``, float64, every pair.
``knn_kl_gradient`` takes the sparse ``P`` of the nearest neighbours (the
attraction then costs ``O(n k)``) and sums the repulsion over every pair
(once per unordered pair) in float32 blocks: still ``O(n^2)``, but with
half the pairs, in single precision, and without the ``n x n`` ``P``.
"""

import numpy as np

from scratch_genmod.core import squared_distances

__all__ = ["exact_kl_gradient", "knn_kl_gradient"]

# Entries of one block of pairs (512 KB in float32, well inside L2). Small
# products also run on one BLAS thread: a multi-threaded product is a meeting
# point of its threads, which on a busy machine costs more than it saves.
_BLOCK_ENTRIES = 2 ** 17


def exact_kl_gradient(Y, P, exaggeration=1.0, compute_kl=True):
    """Gradient (and cost) of ``KL(P || Q)`` over all pairs, in float64, by blocks of rows.

    Same numbers as :func:`scratch_genmod.embed.textbook.kl_gradient` and
    :func:`~scratch_genmod.embed.textbook.kl_divergence`.

    Parameters
    ----------
    Y : ndarray of shape (n_samples, n_components)
        The map.
    P : ndarray of shape (n_samples, n_samples)
        Symmetric joint probabilities, zero diagonal, summing to 1.
    exaggeration : float, default=1.0
        Factor on the attraction (early exaggeration).
    compute_kl : bool, default=True
        Also return the cost (an extra logarithm per pair).

    Returns
    -------
    grad : ndarray of shape (n_samples, n_components)
    kl : float or None

    Examples
    --------
    The pair forces are equal and opposite, so the gradient sums to 0; KL > 0:

    >>> from scratch_genmod.embed.affinities import exact_joint_probabilities
    >>> rng = np.random.default_rng(0)
    >>> P = exact_joint_probabilities(rng.normal(size=(10, 3)), perplexity=3.0)
    >>> grad, kl = exact_kl_gradient(rng.normal(size=(10, 2)), P)
    >>> bool(np.allclose(grad.sum(axis=0), 0.0)), bool(kl > 0)
    (True, True)
    """
    n = Y.shape[0]
    # the expansion of ||y_i - y_j||^2 cancels for a map far from the origin;
    # moving every point by the same vector changes no distance, so centre first
    Y = Y - Y.mean(axis=0)
    sq_norms = np.einsum("ij,ij->i", Y, Y)
    attraction = np.empty_like(Y)
    repulsion = np.empty_like(Y)
    Z, p_log_w, p_log_p = 0.0, 0.0, 0.0
    step = max(8, _BLOCK_ENTRIES // n)
    for start in range(0, n, step):
        block = slice(start, min(start + step, n))
        rows = np.arange(block.start, block.stop)
        W = squared_distances(Y[block], Y, sq_norms[block], sq_norms)
        W += 1.0
        np.reciprocal(W, out=W)
        W[np.arange(len(rows)), rows] = 0.0  # no pair of a point with itself
        Z += float(W.sum())
        P_block = P[block]
        attraction[block] = _pull(P_block * W, Y, Y[block])
        repulsion[block] = _pull(W * W, Y, Y[block])
        if compute_kl:
            positive = P_block > 0  # 0 log 0 = 0: pairs with p_ij = 0 add nothing
            p_log_w += float(np.sum(P_block[positive] * np.log(W[positive])))
            p_log_p += float(np.sum(P_block[positive] * np.log(P_block[positive])))
    grad = 4.0 * (exaggeration * attraction - repulsion / Z)
    kl = float(p_log_p - p_log_w + np.log(Z)) if compute_kl else None
    return grad, kl


def knn_kl_gradient(Y, rows, cols, values, exaggeration=1.0, compute_kl=True):
    """Gradient (and cost) of ``KL(P || Q)`` for a sparse ``P`` (see the module docstring).

    Same numbers as :func:`scratch_genmod.embed.textbook.kl_gradient` and
    :func:`~scratch_genmod.embed.textbook.kl_divergence` (to float32's
    accuracy in the repulsion).

    Parameters
    ----------
    Y : ndarray of shape (n_samples, n_components)
    rows, cols, values : ndarray of shape (n_pairs,)
        The nonzero ``p_ij`` of the upper triangle, ``i < j``, each
        unordered pair once (so ``values`` sum to 1/2), sorted by ``i`` (as
        :func:`~scratch_genmod.embed.affinities.knn_joint_probabilities`
        lists them); ``p_ji = p_ij``.
    exaggeration : float, default=1.0
    compute_kl : bool, default=True

    Returns
    -------
    grad : ndarray of shape (n_samples, n_components), float64
    kl : float or None

    Examples
    --------
    The same gradient and cost as the dense reference for the same ``P``
    (up to the float32 repulsion):

    >>> from scratch_genmod.embed.affinities import knn_joint_probabilities
    >>> rng = np.random.default_rng(0)
    >>> rows, cols, values = knn_joint_probabilities(rng.normal(size=(30, 4)), perplexity=3.0)
    >>> P = np.zeros((30, 30))
    >>> P[rows, cols] = values
    >>> Y = rng.normal(size=(30, 2))
    >>> upper = rows < cols
    >>> grad, kl = knn_kl_gradient(Y, rows[upper], cols[upper], values[upper])
    >>> grad_exact, kl_exact = exact_kl_gradient(Y, P)
    >>> bool(np.allclose(grad, grad_exact, atol=1e-6)), bool(abs(kl - kl_exact) < 1e-6)
    (True, True)
    """
    n, dim = Y.shape
    # one coordinate at a time: gathers from contiguous 1-D arrays are fast
    diffs = [np.take(y, rows) - np.take(y, cols) for y in np.ascontiguousarray(Y.T)]
    inv_w = 1.0 + sum(d * d for d in diffs)  # 1 / w_ij = 1 + ||y_i - y_j||^2
    pull = values / inv_w
    # the pair pulls i towards j and j towards i with opposite forces; rows
    # are sorted, so the forces on the i side add up by contiguous runs
    run_starts = np.flatnonzero(np.diff(rows, prepend=-1))
    attraction = np.zeros((n, dim))
    for c, d in enumerate(diffs):
        force = pull * d
        attraction[rows[run_starts], c] = np.add.reduceat(force, run_starts)
        attraction[:, c] -= np.bincount(cols, weights=force, minlength=n)
    repulsion, Z = _float32_repulsion(Y)
    grad = 4.0 * (exaggeration * attraction - repulsion / Z)
    kl = None
    if compute_kl:  # both orders of each pair: twice the upper-triangle sums
        kl = float(2.0 * np.sum(values * np.log(values * inv_w)) + np.log(Z))
    return grad, kl


def _pull(A, Y, Y_block):
    """``sum_j a_ij (y_i - y_j) = (sum_j a_ij) y_i - (A Y)_i`` for a block of rows."""
    return A.sum(axis=1)[:, None] * Y_block - A @ Y


def _float32_repulsion(Y):
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
    points has ``Z`` far below ``n``, lost in ``sum - n``.
    """
    n, dim = Y.shape
    Y32 = (Y - Y.mean(axis=0)).astype(np.float32)
    sq_norms = np.einsum("ij,ij->i", Y32, Y32)
    left = np.hstack([Y32, (1.0 + sq_norms)[:, None], np.ones((n, 1), np.float32)])
    right = np.vstack([-2.0 * Y32.T, np.ones((1, n), np.float32), sq_norms[None, :]])
    Y_and_one = np.hstack([Y32, np.ones((n, 1), np.float32)])
    sums = np.zeros((n, dim + 1))  # [sum_j w_ij^2 y_j, sum_j w_ij^2]
    Z = 0.0
    step = max(8, _BLOCK_ENTRIES // n)
    for start in range(0, n, step):
        stop = min(start + step, n)
        W = left[start:stop] @ right[:, start:]  # 1 + d_ij^2 for j >= start
        np.reciprocal(W, out=W)
        diagonal = np.arange(stop - start)
        W[diagonal, diagonal] = 0.0  # no pair of a point with itself (not 1 - 1: round-off)
        # row sums in float32 are pairwise sums (error ~ log(n) eps); the
        # square block [start, stop) holds both orders, the rest one order
        inside = W[:, :stop - start].sum(axis=1, dtype=np.float32)
        beyond = W[:, stop - start:].sum(axis=1, dtype=np.float32)
        Z += float(inside.sum(dtype=np.float64)) + 2.0 * float(beyond.sum(dtype=np.float64))
        np.multiply(W, W, out=W)
        sums[start:stop] += W @ Y_and_one[start:]
        sums[stop:] += W[:, stop - start:].T @ Y_and_one[start:stop]
    repulsion = sums[:, dim:] * Y32 - sums[:, :dim]
    return repulsion, Z
