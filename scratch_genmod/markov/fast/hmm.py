r"""Forward-backward for every sequence at once, in few NumPy calls: the HMM's fast layer.

:mod:`scratch_genmod.markov.textbook.hmm` loops over times and states; a
Python step per time costs microseconds, and an EM iteration over 20,000
observations would cost a tenth of a second in loop overhead alone. Here:

* all sequences are joined into one chain of n observations: the step into
  the first state of a sequence uses the "restart" matrix 1 pi_0^T (every
  row the law pi_0) instead of P, so alpha carries on with the earlier
  sequences' likelihood as a constant factor, which the posteriors divide out;
* the forward vector alpha_t = alpha_{t-1} A_t, A_t = P diag(Phi(x_t)), is
  computed in probability space, rescaled at every step (the scales are kept
  as logs), and parallel in time: the chain is cut into blocks; the products
  of each block's matrices are formed for all blocks at once (pass 1); a
  short loop over blocks gives each block's first vector; then all blocks
  run their vectors at once (pass 2). Python loops: 2 L + n / L steps,
  L = sqrt(n / 2), instead of n. The backward pass is the same chain read
  backwards with the matrices transposed.
* where probabilities would fall below 1e-200 of their row (an observation
  far more likely under a state the chain cannot be in), the answer would
  lose digits: the whole computation is then redone exactly in log space,
  vectorised over states (:func:`log_forward_backward`).

Each function says which textbook function it equals; tests/markov prove it.
"""

import numpy as np

from scratch_genmod.core import logsumexp

__all__ = ["sequence_posteriors", "log_forward_backward", "viterbi_vectorised",
           "categorical_log_emissions_indexed", "categorical_counts"]

#: Below this a rescaled probability has lost digits to underflow: redo in log space.
TINY = 1e-200
#: Above this many states, the blocks' S x S products cost more than the loop they save.
MAX_STATES_FOR_BLOCKS = 16
#: Floats of the block products kept at once (n S^2 in all): 32 MB per segment.
SEGMENT_ENTRIES = 2 ** 22


def sequence_posteriors(pi0, P, log_Phi, lengths, block_length=None):
    """log L of each sequence, gamma_t(i) and sum_t xi_t(i, j), for sequences stacked in time.

    Equals, sequence by sequence, textbook ``forward`` (log L),
    ``state_posteriors`` (gamma) and ``transition_posteriors`` summed over t
    and over sequences (xi_sum).

    Parameters
    ----------
    pi0 : ndarray of shape (S,)
    P : ndarray of shape (S, S)
    log_Phi : ndarray of shape (n, S)
        log Phi_i(x_t) of every observation, sequences one after the other.
    lengths : ndarray of shape (n_sequences,), int
    block_length : int or None, default=None
        Time steps per block; None chooses sqrt(n / 2) (one block, a plain
        loop, above 16 states). Tests shrink it so every loop runs many times.

    Returns
    -------
    log_L : ndarray of shape (n_sequences,)
    gamma : ndarray of shape (n, S)
    xi_sum : ndarray of shape (S, S)
    """
    n, S = log_Phi.shape
    if block_length is None:
        block_length = n if S > MAX_STATES_FOR_BLOCKS else int(np.ceil(np.sqrt(n / 2)))
    starts = np.zeros(n, dtype=bool)
    starts[np.cumsum(lengths)[:-1]] = True
    result = _scaled_posteriors(pi0, P, log_Phi, starts, lengths, block_length)
    if result is not None:
        return result
    return _log_posteriors(pi0, P, log_Phi, lengths)


def _scaled_posteriors(pi0, P, log_Phi, starts, lengths, L):
    """The probability-space version; None when a probability underflowed."""
    m = log_Phi.max(axis=1)
    if not np.isfinite(m).all():
        return None  # an observation no state can emit: only log space says -inf
    b = np.exp(log_Phi - m[:, None])  # Phi_i(x_t) / max_j Phi_j(x_t), max 1
    forward = _scaled_chain(pi0 * b[0], P, pi0, starts[1:], b[1:], L, forward=True)
    if forward is None:
        return None
    backward = _scaled_chain(np.ones(len(pi0)), P, pi0, starts[:0:-1], b[:0:-1], L,
                             forward=False)
    if backward is None:
        return None
    (alpha, log_c), beta = forward, backward[0][::-1]
    ones = np.ones(len(pi0))  # sums over states as BLAS products: S is short
    gamma = alpha * beta
    norms = gamma @ ones
    if (norms < TINY).any():
        return None
    gamma /= norms[:, None]
    w = b[1:] * beta[1:]
    d = ((alpha[:-1] @ P) * w) @ ones  # sum_ij xi_t(i, j) before normalising
    between = np.flatnonzero(starts[1:])  # t -> t+1 crosses into the next sequence
    d[between] = 1.0
    if (d < TINY).any():
        return None
    a = alpha[:-1] / d[:, None]
    a[between] = 0.0
    xi_sum = P * (a.T @ w)
    log_total = log_c + np.cumsum(m)  # log P(x_1..x_t) of all sequences up to t
    ends = np.cumsum(lengths) - 1
    log_L = np.diff(np.concatenate([[0.0], log_total[ends]]))
    return log_L, gamma, xi_sum


def _scaled_chain(v0, P, pi0, restarts, weights, L, forward):
    """v_t = v_{t-1} A_t, rescaled to sum to 1, for t = 1..n-1, in blocks of L steps.

    forward: A_t = P diag(w_t), or 1 pi_0^T diag(w_t) at a restart;
    backward: A_t = diag(w_t) P^T, or diag(w_t) pi_0 1^T at a restart.
    Returns (V, log_c), the true v_t being exp(log_c[t]) V[t] with V[t]
    summing to 1, or None when a rescaled probability underflowed. The
    steps go by segments whose block products fit in SEGMENT_ENTRIES floats.
    """
    n_steps, S = weights.shape
    total0 = v0.sum()
    if not total0 >= TINY:
        return None
    V, log_c = [v0[None, :] / total0], [np.array([np.log(total0)])]
    segment = max(L, SEGMENT_ENTRIES // (S * S) // L * L)
    for a in range(0, n_steps, segment):
        part = _scaled_segment(V[-1][-1], log_c[-1][-1], P, pi0, restarts[a:a + segment],
                               weights[a:a + segment], L, forward)
        if part is None:
            return None
        V.append(part[0])
        log_c.append(part[1])
    return np.concatenate(V), np.concatenate(log_c)


def _scaled_segment(v, log_v, P, pi0, restarts, weights, L, forward):
    """:func:`_scaled_chain` over one segment, from the vector v (sum 1) of log scale log_v."""
    n_steps, S = weights.shape
    B = -(-n_steps // L)
    pad = B * L - n_steps
    # Padding steps are the identity (kind 2) with weights 1: they change nothing.
    kinds = np.concatenate([restarts.astype(np.int8), np.full(pad, 2, np.int8)]).reshape(B, L)
    w = np.concatenate([weights, np.ones((pad, S))]).reshape(B, L, 1, S).transpose(1, 0, 2, 3)
    w = np.ascontiguousarray(w)  # (L, B, 1, S): step r of every block is one slab
    special = (kinds != 0).any(axis=0)  # the steps where some block restarts or pads
    base = P if forward else P.T
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        # Pass 1: the products Q_r = A_1 .. A_r of each block, rows rescaled to sum 1.
        # A start state that cannot explain the block gets a row of 0 / 0: cleaned below.
        Qs, row_sums = np.empty((L, B, S, S)), np.empty((L, B, S))
        ones, previous = np.ones(S), np.broadcast_to(np.eye(S), (B, S, S))
        for r in range(L):
            _step_into(Qs[r], previous, base, pi0, kinds[:, r], w[r], special[r], forward)
            np.matmul(Qs[r].reshape(-1, S), ones, out=row_sums[r].reshape(-1))
            np.divide(Qs[r], row_sums[r][:, :, None], out=Qs[r])
            previous = Qs[r]
        if ((row_sums > 0) & (row_sums < TINY)).any():
            return None
        dead = ~(row_sums > 0)  # 0, or NaN after a row of zeros: log scale -inf
        if dead.any():
            row_sums[dead] = 0.0
            Qs[np.isnan(Qs)] = 0.0
        log_scales = np.cumsum(np.log(row_sums), axis=0)  # (L, B, S): each row's log scale
        # The first vector of each block, from the first vector of the one before.
        top = log_scales[-1].max(axis=1)
        if not np.isfinite(top).all():
            return None
        # M_k = diag(exp(row scales - top)) Q_L: block k's product, rows back to scale.
        M = np.exp(log_scales[-1] - top[:, None])[:, :, None] * Qs[-1]
        firsts, totals = np.empty((B, S)), np.ones(B)
        firsts[0] = v
        for k in range(1, B):
            u = firsts[k - 1] @ M[k - 1]
            totals[k] = u.sum()
            firsts[k] = u / totals[k]
        if not (totals >= TINY).all():
            return None
        log_firsts = log_v + np.concatenate([[0.0], np.cumsum(top[:-1] + np.log(totals[1:]))])
        # Pass 2, all at once: v at step r of block k is its first vector times Q_r.
        log_w = np.log(firsts)[None, :, :] + log_scales
        shift = log_w.max(axis=2)
        if not np.isfinite(shift).all():
            return None
        x = np.einsum("lbi,lbij->lbj", np.exp(log_w - shift[:, :, None]), Qs)
        x_totals = x.sum(axis=2)
        if not (x_totals >= TINY).all():
            return None
    V = (x / x_totals[:, :, None]).transpose(1, 0, 2).reshape(B * L, S)[:n_steps]
    log_c = (log_firsts[None, :] + shift + np.log(x_totals)).T.reshape(B * L)[:n_steps]
    return V, log_c


def _step_into(out, Y, base, pi0, kinds, w, special, forward):
    """out = Y A for each block's matrix A of one step; Y, out (B, S, S), w (B, 1, S).

    Forward: A = base diag(w); backward: A = diag(w) base. The product by
    ``base`` is one BLAS call for all blocks; restarts and padding are
    patched afterwards (they are rare).
    """
    S = base.shape[0]
    if forward:
        np.multiply((Y.reshape(-1, S) @ base).reshape(Y.shape), w, out=out)
    else:
        Y = Y * w
        np.matmul(Y.reshape(-1, S), base, out=out.reshape(-1, S))
    if special:
        for kind in (1, 2):
            rows = kinds == kind
            if not rows.any():
                continue
            if kind == 2:   # padding: the identity, weights 1
                out[rows] = Y[rows]
            elif forward:   # Y 1 pi_0^T diag(w): each row's total times pi_0 w
                out[rows] = Y[rows].sum(axis=-1, keepdims=True) * pi0 * w[rows]
            else:           # diag(w) pi_0 1^T, Y already times w: each row's Y . pi_0
                out[rows] = np.broadcast_to((Y[rows] @ pi0)[..., None], Y[rows].shape)


def log_forward_backward(log_pi0, log_P, log_Phi):
    """log alpha, log beta and log L of one sequence, vectorised over states.

    Equals textbook ``forward`` and ``backward``: each time step is one
    log-space matrix product, log sum_i exp(log alpha_{t-1}(i) + log p_{i,j}).

    Returns
    -------
    log_alpha, log_beta : ndarray of shape (T, S)
    log_L : float
    """
    T, S = log_Phi.shape
    log_alpha, log_beta = np.empty((T, S)), np.zeros((T, S))
    log_alpha[0] = log_pi0 + log_Phi[0]
    for t in range(1, T):
        log_alpha[t] = log_Phi[t] + logsumexp(log_alpha[t - 1][:, None] + log_P, axis=0)
    for t in range(T - 2, -1, -1):
        log_beta[t] = logsumexp(log_P + (log_Phi[t + 1] + log_beta[t + 1])[None, :], axis=1)
    return log_alpha, log_beta, float(logsumexp(log_alpha[-1]))


def _log_posteriors(pi0, P, log_Phi, lengths):
    """:func:`sequence_posteriors` exactly in log space, sequence by sequence."""
    with np.errstate(divide="ignore"):
        log_pi0, log_P = np.log(pi0), np.log(P)
    S = len(pi0)
    log_L, gammas, xi_sum = [], [], np.zeros((S, S))
    for x in np.split(log_Phi, np.cumsum(lengths)[:-1]):
        log_alpha, log_beta, ll = log_forward_backward(log_pi0, log_P, x)
        log_gamma = log_alpha + log_beta
        with np.errstate(invalid="ignore"):  # an impossible sequence: gamma is NaN, as textbook's
            gammas.append(np.exp(log_gamma - logsumexp(log_gamma, axis=1, keepdims=True)))
            log_xi = (log_alpha[:-1, :, None] + log_P[None]
                      + (x[1:] + log_beta[1:])[:, None, :])
            xi_sum += np.exp(log_xi - logsumexp(log_xi, axis=(1, 2), keepdims=True)).sum(0)
        log_L.append(ll)
    return np.array(log_L), np.concatenate(gammas), xi_sum


def viterbi_vectorised(log_pi0, log_P, log_Phi):
    """The most probable path and its log-probability; equals textbook ``viterbi``.

    One step per time, vectorised over states: delta_{t-1}[:, None] + log P
    is the (S, S) table whose column maxima give delta_t, ties to the lowest i.
    """
    T, S = log_Phi.shape
    psi = np.zeros((T, S), dtype=np.int64)
    delta = log_pi0 + log_Phi[0]
    for t in range(1, T):
        scores = delta[:, None] + log_P
        psi[t] = np.argmax(scores, axis=0)
        delta = scores[psi[t], np.arange(S)] + log_Phi[t]
    path = np.zeros(T, dtype=np.int64)
    path[-1] = int(np.argmax(delta))
    for t in range(T - 1, 0, -1):
        path[t - 1] = psi[t, path[t]]
    return path, float(delta[path[-1]])


def categorical_log_emissions_indexed(x, B):
    """log b_{i, x_t} by one fancy index; equals textbook ``categorical_log_emissions``."""
    with np.errstate(divide="ignore"):
        return np.log(B).T[x]


def categorical_counts(x, gamma, B):
    """The M-step b_{i,k} by weighted bincounts; equals textbook ``categorical_m_step``."""
    B = np.array(B, dtype=np.float64)
    counts = np.stack([np.bincount(x, weights=gamma[:, i], minlength=B.shape[1])
                       for i in range(B.shape[0])])
    totals = counts.sum(axis=1)
    visited = totals > 0
    B[visited] = counts[visited] / totals[visited, None]
    return B
