"""t-SNE's input similarities: a Gaussian per point, its width set by the perplexity.

Point ``i`` picks a neighbour ``j`` with probability

    p_{j|i} = exp(-beta_i d_ij) / sum_{l != i} exp(-beta_i d_il),   d_ij = ||x_i - x_j||^2,

where ``beta_i = 1 / (2 sigma_i^2)`` is chosen so the distribution has the
requested perplexity ``2^{H} = e^{H_nat}``: its entropy
``H_i = -sum_j p_{j|i} log p_{j|i}`` must equal ``log(perplexity)`` (natural
logs). Dense regions thus get narrow Gaussians, sparse regions wide ones, and
every point has about ``perplexity`` effective neighbours.

The joint, symmetric similarities are ``p_ij = (p_{j|i} + p_{i|j}) / (2n)``,
which sum to 1 and give every point, even an outlier, a share of at least
``1 / (2n)``.

``exact_joint_probabilities`` uses all ``n - 1`` other points (a dense
``n x n`` matrix); ``knn_joint_probabilities`` only the ``3 * perplexity``
nearest (almost all of the mass: the Gaussian is negligible beyond), as a
sparse list of pairs.
"""

import numpy as np

from scratch_genmod.core import logsumexp
from scratch_genmod.embed.fast.neighbors import distance_row_blocks, nearest_neighbors

__all__ = ["conditional_probabilities", "exact_joint_probabilities", "knn_joint_probabilities"]


def conditional_probabilities(sq_distances, perplexity, tol=1e-5, max_iter=100):
    """Rows ``p_{.|i}`` with entropy ``log(perplexity)``: one search for all rows at once.

    Each row's ``beta_i`` is searched on ``b = log beta`` (the entropy falls
    monotonically as ``b`` grows) by safeguarded Newton steps:

        dH/db = -beta^2 Var_{p_i}(d_i),    b <- b - (H(b) - log perplexity) / (dH/db),

    and a step that would leave the bracket known to hold the answer, or that
    is not at most half the previous step, bisects the bracket instead (or
    multiplies or divides ``beta`` by e while a side is still open): Newton
    steps alone can bounce between two points across the answer when some
    distances are tied. Every row moves together, as array operations;
    converged rows stop changing.

    Parameters
    ----------
    sq_distances : ndarray of shape (n_rows, n_neighbors)
        Squared distances from each point to its candidate neighbours (the
        point itself excluded).
    perplexity : float
        Must be below ``n_neighbors`` (no distribution over ``m`` points has
        entropy above ``log m``).
    tol : float, default=1e-5
        Tolerance on ``|H_i - log(perplexity)|`` (nats).
    max_iter : int, default=100

    Returns
    -------
    P : ndarray of shape (n_rows, n_neighbors)
        Same numbers, row by row, as
        :func:`scratch_genmod.embed.textbook.gaussian_row` (up to ``tol``).
        Each row sums to 1. A row with ties that make the target entropy
        unreachable (e.g. many duplicate points) keeps its closest attempt.

    Examples
    --------
    >>> P = conditional_probabilities(np.array([[1.0, 2.0, 3.0, 4.0]]), perplexity=2.0)
    >>> round(float(np.exp(-np.sum(P * np.log(P)))), 6)
    2.0
    """
    # shifting each row by its minimum distance leaves p unchanged and keeps
    # every exponent <= 0
    d = sq_distances - sq_distances.min(axis=1, keepdims=True)
    target = np.log(perplexity)
    n_rows = d.shape[0]
    mean_d = d.mean(axis=1)
    log_beta = -np.log(np.where(mean_d > 0, mean_d, 1.0))  # beta ~ 1 / typical distance
    lower = np.full(n_rows, -np.inf)
    upper = np.full(n_rows, np.inf)
    last_step = np.full(n_rows, np.inf)
    active = np.arange(n_rows)  # rows still searching
    P = np.empty_like(d)
    for _ in range(max_iter):
        b, d_a = log_beta[active], d[active]
        beta = np.exp(b)[:, None]
        logits = -beta * d_a
        log_Z = logsumexp(logits, axis=1)
        p = np.exp(logits - log_Z[:, None])
        P[active] = p
        mean = np.einsum("ij,ij->i", p, d_a)
        entropy = beta[:, 0] * mean + log_Z  # H = beta E[d] + log Z
        error = entropy - target
        done = np.abs(error) <= tol
        # entropy too high -> beta too small -> the answer lies above b
        lower[active] = np.where(error > 0, b, lower[active])
        upper[active] = np.where(error < 0, b, upper[active])
        variance = np.einsum("ij,ij->i", p, (d_a - mean[:, None]) ** 2)
        slope = -beta[:, 0] ** 2 * variance
        usable = slope < -1e-300
        newton = b - error / np.where(usable, slope, -1.0)
        lo, hi = lower[active], upper[active]
        fallback = np.where(np.isinf(lo), hi - 1.0,
                            np.where(np.isinf(hi), lo + 1.0, 0.5 * (lo + hi)))
        # a Newton step is trusted inside the bracket, when not too long (beta =
        # e^b must not overflow while a side is still open) and when the steps
        # shrink (otherwise it may be bouncing across the answer)
        step = np.abs(newton - b)
        inside = (usable & (newton > lo) & (newton < hi) & (step < 4.0)
                  & (step <= 0.5 * last_step[active]))
        log_beta[active] = np.where(inside, newton, fallback)
        last_step[active] = np.abs(log_beta[active] - b)
        active = active[~done]
        if active.size == 0:
            break
    return P


def exact_joint_probabilities(X, perplexity, tol=1e-5):
    """Dense symmetric ``P`` with ``p_ij = (p_{j|i} + p_{i|j}) / (2n)``, ``p_ii = 0``.

    Same numbers as :func:`scratch_genmod.embed.textbook.joint_p` (up to the
    search's ``tol``).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    perplexity : float
        ``< n_samples - 1``.
    tol : float, default=1e-5
        Tolerance of the perplexity search (:func:`conditional_probabilities`).

    Returns
    -------
    P : ndarray of shape (n_samples, n_samples)
        Symmetric, zero diagonal, sums to 1.

    Examples
    --------
    >>> P = exact_joint_probabilities(np.array([[0.0], [1.0], [3.0], [7.0]]), perplexity=2.0)
    >>> bool(np.array_equal(P, P.T)), round(float(P.sum()), 12), float(P[0, 0])
    (True, 1.0, 0.0)
    """
    n = X.shape[0]
    conditional = np.zeros((n, n))
    for rows, D in distance_row_blocks(X):
        off_diagonal = np.arange(n)[None, :] != rows[:, None]  # drop d_ii from each row
        p = conditional_probabilities(D[off_diagonal].reshape(len(rows), n - 1), perplexity, tol)
        conditional[rows[0]:rows[-1] + 1][off_diagonal] = p.ravel()
    P = conditional + conditional.T
    P /= 2.0 * n
    return P


def knn_joint_probabilities(X, perplexity, tol=1e-5):
    """Sparse symmetric ``P`` over each point's ``k = min(n - 1, 3 perplexity + 1)`` neighbours.

    Same numbers as :func:`scratch_genmod.embed.textbook.joint_p` when
    ``k = n - 1``; otherwise each row's Gaussian is renormalised over the
    ``k`` nearest points only.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    perplexity : float
        ``< n_samples - 1``.
    tol : float, default=1e-5
        Tolerance of the perplexity search (:func:`conditional_probabilities`).

    Returns
    -------
    rows, cols : ndarray of shape (n_pairs,)
        The pairs ``(i, j)`` with ``p_ij > 0``, sorted by ``i``; each pair
        appears in both orders.
    values : ndarray of shape (n_pairs,)
        ``p_ij > 0``; they sum to 1.

    Examples
    --------
    >>> X = np.random.default_rng(0).normal(size=(30, 4))
    >>> rows, cols, values = knn_joint_probabilities(X, perplexity=3.0)
    >>> round(float(values.sum()), 12), bool(np.all(rows != cols))
    (1.0, True)
    >>> sorted(zip(rows.tolist(), cols.tolist())) == sorted(zip(cols.tolist(), rows.tolist()))
    True
    """
    n = X.shape[0]
    k = min(n - 1, int(3.0 * perplexity + 1))
    neighbors, sq_dist = nearest_neighbors(X, k)
    conditional = conditional_probabilities(sq_dist, perplexity, tol)
    # p_{j|i} + p_{i|j}: list every entry under both (i, j) and (j, i), then
    # add up the entries that land on the same pair
    i = np.repeat(np.arange(n), k)
    j = neighbors.ravel()
    keys = np.concatenate([i * n + j, j * n + i])
    pair_keys, where = np.unique(keys, return_inverse=True)
    values = np.bincount(where, weights=np.tile(conditional.ravel(), 2)) / (2.0 * n)
    # a far neighbour of a tight cluster can get p_{j|i} = 0 exactly (exp
    # underflows): such a pair adds nothing to the cost and is dropped
    keep = values > 0
    return pair_keys[keep] // n, pair_keys[keep] % n, values[keep]
