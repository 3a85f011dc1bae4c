"""t-SNE as the course writes it, in plain NumPy.

Each function is one formula, on whole ``n x n`` matrices or one row at a
time, with no blocks, buffers or sparse pairs; the fast layer
(:mod:`scratch_genmod.embed.fast`) gives the same numbers and is tested
against these.

In the data, point ``i`` picks ``j`` with probability

    p_{j|i} = exp(-beta_i d_ij) / sum_{l != i} exp(-beta_i d_il),  d_ij = ||x_i - x_j||^2,

``beta_i = 1 / (2 sigma_i^2)`` set so that ``2^{H(P_i)} = perplexity``, i.e.
``H_i = -sum_j p_{j|i} log p_{j|i} = log(perplexity)`` in nats; then
``p_ij = (p_{j|i} + p_{i|j}) / (2n)``. In the map,
``q_ij = w_ij / sum_{k != l} w_kl`` with ``w_ij = (1 + ||y_i - y_j||^2)^-1``,
and the cost is ``C = KL(P || Q) = sum_{i != j} p_ij log(p_ij / q_ij)``.
"""

import numpy as np

from scratch_genmod.core import check_array, check_scalar
from scratch_genmod.embed.checks import check_perplexity

__all__ = ["gaussian_row", "conditional_p", "joint_p", "student_t_q",
           "kl_divergence", "kl_gradient", "descent_step"]


def gaussian_row(d, perplexity, tol=1e-10, max_iter=200):
    """``p_{j|i}`` for one point from its squared distances, ``beta_i`` found by bisection.

    ``H`` falls as ``beta`` grows (a narrower Gaussian): while ``H`` is too
    high ``beta`` doubles (or moves halfway to the upper end once one is
    known), while too low it moves halfway down.

    Parameters
    ----------
    d : array-like of shape (m,)
        ``d_ij`` to the ``m`` other points (``d_ii`` left out).
    perplexity : float
        ``1 < perplexity < m`` (no law on ``m`` points has ``H > log m``).
    tol : float, default=1e-10
        Stop when ``|H - log(perplexity)| < tol`` (nats).
    max_iter : int, default=200

    Returns
    -------
    p : ndarray of shape (m,)
        Sums to 1.

    Examples
    --------
    Points at the same distance get the same share, and ``e^H`` is the
    perplexity asked for:

    >>> p = gaussian_row([1.0, 1.0, 4.0], perplexity=2.5)
    >>> bool(p[0] == p[1]), round(float(np.exp(-np.sum(p * np.log(p)))), 9)
    (True, 2.5)
    """
    d = check_array(d, "d", ndim=1, min_samples=2)
    perplexity = check_perplexity(perplexity, len(d))
    d = d - d.min()  # p does not change; the largest exponent is 0, so no 0/0
    target = np.log(perplexity)
    beta, beta_min, beta_max = 1.0, 0.0, np.inf
    for _ in range(max_iter):
        p = np.exp(-beta * d)
        p /= p.sum()
        H = -np.sum(p[p > 0] * np.log(p[p > 0]))  # 0 log 0 = 0
        if abs(H - target) < tol:
            break
        if H > target:  # too flat: narrow the Gaussian
            beta_min = beta
            beta = 2.0 * beta if beta_max == np.inf else (beta + beta_max) / 2.0
        else:
            beta_max = beta
            beta = (beta + beta_min) / 2.0
    return p


def conditional_p(X, perplexity):
    """The matrix of ``p_{j|i}``: :func:`gaussian_row` for each point in turn.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    perplexity : float
        ``1 < perplexity < n_samples - 1``.

    Returns
    -------
    P : ndarray of shape (n_samples, n_samples)
        ``P[i, j] = p_{j|i}``; zero diagonal, each row sums to 1.

    Examples
    --------
    At the corners of a square, each corner's two sides are equally likely:

    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> P = conditional_p(X, perplexity=2.5)
    >>> float(P[0, 0]), bool(P[0, 1] == P[0, 2] > P[0, 3]), P.sum(axis=1).round(12).tolist()
    (0.0, True, [1.0, 1.0, 1.0, 1.0])
    """
    X = check_array(X, "X", min_samples=3)
    n = X.shape[0]
    check_perplexity(perplexity, n - 1)
    D = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)  # d_ij, pair by pair
    P = np.zeros((n, n))
    for i in range(n):
        others = np.arange(n) != i
        P[i, others] = gaussian_row(D[i, others], perplexity)
    return P


def joint_p(X, perplexity):
    """The symmetric ``p_ij = (p_{j|i} + p_{i|j}) / (2n)``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    perplexity : float
        ``1 < perplexity < n_samples - 1``.

    Returns
    -------
    P : ndarray of shape (n_samples, n_samples)
        Symmetric, zero diagonal, sums to 1; every row sums to at least ``1/(2n)``.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> P = joint_p(X, perplexity=2.5)
    >>> bool(np.array_equal(P, P.T)), round(float(P.sum()), 12)
    (True, 1.0)
    """
    P = conditional_p(X, perplexity)
    return (P + P.T) / (2 * len(P))


def student_t_q(Y):
    """The map's ``q_ij = w_ij / sum_{k != l} w_kl``, ``w_ij = (1 + ||y_i - y_j||^2)^-1``.

    Parameters
    ----------
    Y : array-like of shape (n_samples, n_components)

    Returns
    -------
    Q : ndarray of shape (n_samples, n_samples)
        Symmetric, zero diagonal, sums to 1.

    Examples
    --------
    Points 0, 1, 3 on a line: ``w = 1/2, 1/10, 1/5`` for the pairs (0, 1),
    (0, 2), (1, 2), summed over both orders ``Z = 8/5``, so ``q = 5, 1, 2`` (/16):

    >>> (student_t_q([[0.0], [1.0], [3.0]]) * 16).round(12).tolist()
    [[0.0, 5.0, 1.0], [5.0, 0.0, 2.0], [1.0, 2.0, 0.0]]
    """
    Y = check_array(Y, "Y", min_samples=2)
    W = 1.0 / (1.0 + np.sum((Y[:, None, :] - Y[None, :, :]) ** 2, axis=-1))
    np.fill_diagonal(W, 0.0)  # no pair of a point with itself
    return W / W.sum()


def kl_divergence(P, Q):
    """``KL(P || Q) = sum_{p_ij > 0} p_ij log(p_ij / q_ij)`` (``0 log 0 = 0``).

    Parameters
    ----------
    P, Q : array-like of shape (n_samples, n_samples)

    Returns
    -------
    kl : float

    Examples
    --------
    With ``p_ij = 1/6`` for the three points of :func:`student_t_q`,
    ``KL = 1/3 log((16/30) (16/6) (16/12))``:

    >>> P = (1.0 - np.eye(3)) / 6
    >>> kl = kl_divergence(P, student_t_q([[0.0], [1.0], [3.0]]))
    >>> bool(np.isclose(kl, np.log(16 ** 3 / (30 * 6 * 12)) / 3, rtol=1e-14))
    True
    """
    P = check_array(P, "P")
    Q = check_array(Q, "Q")
    if Q.shape != P.shape:
        raise ValueError(f"Q must have the shape of P {P.shape}, got {Q.shape}")
    kept = P > 0
    return float(np.sum(P[kept] * np.log(P[kept] / Q[kept])))


def kl_gradient(Y, P, exaggeration=1.0):
    """``dC/dy_i = 4 sum_j (alpha p_ij - q_ij) w_ij (y_i - y_j)``, ``alpha`` the exaggeration.

    Parameters
    ----------
    Y : array-like of shape (n_samples, n_components)
    P : array-like of shape (n_samples, n_samples)
        Symmetric joint probabilities.
    exaggeration : float, default=1.0
        ``alpha``: 1 gives the gradient of ``KL(P || Q)``; early
        exaggeration multiplies the attraction by ``alpha > 1``.

    Returns
    -------
    grad : ndarray of shape (n_samples, n_components)

    Examples
    --------
    For the three points of :func:`student_t_q` and ``p_ij = 1/6``:
    ``dC/dy_0 = 4 [(1/6 - 5/16)(1/2)(-1) + (1/6 - 1/16)(1/10)(-3)] = 1/6``, and
    likewise ``-43/120`` and ``23/120`` (the forces sum to 0):

    >>> P = (1.0 - np.eye(3)) / 6
    >>> (kl_gradient([[0.0], [1.0], [3.0]], P) * 120).round(10).ravel().tolist()
    [20.0, -43.0, 23.0]
    """
    Y = check_array(Y, "Y", min_samples=2)
    P = check_array(P, "P")
    if P.shape != (len(Y), len(Y)):
        raise ValueError(f"P must have shape ({len(Y)}, {len(Y)}) to match Y, got {P.shape}")
    alpha = check_scalar(exaggeration, "exaggeration", float, min_val=0.0)
    diff = Y[:, None, :] - Y[None, :, :]  # y_i - y_j
    W = 1.0 / (1.0 + np.sum(diff ** 2, axis=-1))
    np.fill_diagonal(W, 0.0)
    Q = W / W.sum()
    return 4.0 * np.einsum("ij,ijk->ik", (alpha * P - Q) * W, diff)


def descent_step(Y, update, gains, grad, momentum, rate, min_gain=0.01):
    """One step of gradient descent with momentum and per-coordinate gains.

    ``update <- momentum * update - rate * gains * grad``, ``Y <- Y + update``.
    Each coordinate keeps a gain (the delta-bar-delta rule of Jacobs, 1988):
    it grows by 0.2 while the gradient still points against the last update
    (the point keeps going downhill the same way), and shrinks by a factor
    0.8 when they agree (it overshot), never below ``min_gain``.

    Parameters
    ----------
    Y, update, gains, grad : ndarray of shape (n_samples, n_components)
    momentum : float
    rate : float
        The learning rate.
    min_gain : float, default=0.01

    Returns
    -------
    Y, update, gains : ndarray of shape (n_samples, n_components)
        New arrays; the inputs are not changed.

    Examples
    --------
    From rest the gains shrink first (``update * grad = 0`` is not
    "against"), so the first step is ``-rate * 0.8 * grad``:

    >>> Y, update, gains = descent_step(np.zeros((1, 2)), np.zeros((1, 2)), np.ones((1, 2)),
    ...                                 np.array([[1.0, -2.0]]), 0.5, 10.0)
    >>> Y.tolist(), gains.tolist()
    ([[-8.0, 16.0]], [[0.8, 0.8]])
    """
    downhill = update * grad < 0.0
    gains = np.maximum(np.where(downhill, gains + 0.2, gains * 0.8), min_gain)
    update = momentum * update - rate * gains * grad
    return Y + update, update, gains
