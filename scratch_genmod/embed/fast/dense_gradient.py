"""The t-SNE cost and its gradient over every pair, by blocks of rows: the dense reference.

In the map, ``w_ij = 1 / (1 + ||y_i - y_j||^2)``, ``Z = sum_{k != l} w_kl``,
``q_ij = w_ij / Z``, and

    C = KL(P || Q) = sum p_ij log p_ij - sum p_ij log w_ij + log Z          (sum p_ij = 1),

    dC/dy_i = 4 [ sum_j p_ij w_ij (y_i - y_j)  -  (1/Z) sum_j w_ij^2 (y_i - y_j) ],
                  attraction (along P's edges)    repulsion (all pairs)

Both sums have the form ``sum_j a_ij (y_i - y_j) = (sum_j a_ij) y_i - (A Y)_i``,
so a block of rows costs one matrix product, and the ``n x n`` ``W`` is never
held whole. During early exaggeration the attraction is multiplied by
``exaggeration``; the cost reported is always that of the true ``P``.
"""

import numpy as np

from scratch_genmod.core import squared_distances
from scratch_genmod.core.blas import blas_threads

__all__ = ["exact_kl_gradient", "block_rows"]

# Entries of one block of pairs (512 KB in float32, 1 MB in float64: well
# inside L2); a block has at least MIN_BLOCK_ROWS rows, so that a huge map
# does not make one NumPy call per row.
BLOCK_ENTRIES = 2 ** 17
MIN_BLOCK_ROWS = 8


def block_rows(n):
    """Rows of an ``(rows, n)`` block of pairs: about ``BLOCK_ENTRIES`` entries.

    >>> block_rows(1024), block_rows(10 ** 6)
    (128, 8)
    """
    return max(MIN_BLOCK_ROWS, BLOCK_ENTRIES // n)


def exact_kl_gradient(Y, P, exaggeration=1.0, compute_kl=True):
    """Gradient (and cost) of ``KL(P || Q)`` over all pairs, in float64, by blocks of rows.

    Same numbers as :func:`scratch_genmod.embed.textbook.kl_gradient` and
    :func:`~scratch_genmod.embed.textbook.kl_divergence` (of
    :func:`~scratch_genmod.embed.textbook.student_t_q`), to round-off.

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

    >>> from scratch_genmod.embed.fast.joint_probabilities import exact_joint_probabilities
    >>> rng = np.random.default_rng(0)
    >>> P = exact_joint_probabilities(rng.normal(size=(10, 3)), perplexity=3.0)
    >>> grad, kl = exact_kl_gradient(rng.normal(size=(10, 2)), P)
    >>> bool(np.allclose(grad.sum(axis=0), 0.0)), bool(kl > 0)
    (True, True)
    """
    with blas_threads(1):  # the same bits whatever the load: see core.blas
        return _blocks(Y, P, exaggeration, compute_kl)


def _blocks(Y, P, exaggeration, compute_kl):
    """:func:`exact_kl_gradient`, its loop over blocks of rows."""
    n = Y.shape[0]
    # the expansion of ||y_i - y_j||^2 cancels for a map far from the origin;
    # moving every point by the same vector changes no distance, so centre first
    Y = Y - Y.mean(axis=0)
    sq_norms = np.einsum("ij,ij->i", Y, Y)
    attraction = np.empty_like(Y)
    repulsion = np.empty_like(Y)
    Z, p_log_w, p_log_p = 0.0, 0.0, 0.0
    step = block_rows(n)
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


def _pull(A, Y, Y_block):
    """``sum_j a_ij (y_i - y_j) = (sum_j a_ij) y_i - (A Y)_i`` for a block of rows."""
    return A.sum(axis=1)[:, None] * Y_block - A @ Y
