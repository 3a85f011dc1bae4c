r"""A finite chain's counts, powers and best paths with whole-array operations.

Each function gives the numbers of a function of
:mod:`scratch_genmod.markov.textbook.chain` (named in its docstring) without
a Python loop over the transitions or the states; ``tests/markov/fast/``
proves it.

>>> P = np.array([[0.5, 0.5], [0.2, 0.8]])
>>> M = n_step_matrix(P, 10**18)                  # the stationary law (2/7, 5/7) in each row
>>> bool(np.allclose(M, [[2 / 7, 5 / 7]] * 2)), M.sum(axis=1).tolist()
(True, [1.0, 1.0])
"""

import numpy as np

__all__ = ["count_transition_pairs", "n_step_matrix", "viterbi_from_state"]


def count_transition_pairs(ids, lengths, n_states):
    """N_{i,j}, the steps i -> j inside the sequences, in one ``bincount`` of the codes i * S + j.

    Same numbers as :func:`scratch_genmod.markov.textbook.count_transitions`.

    Parameters
    ----------
    ids : ndarray of shape (n_tokens,), int64
        The state index of every position, the sequences one after the other.
    lengths : ndarray of shape (n_sequences,), int64
        Length of each sequence (no step links one sequence to the next).
    n_states : int
        S.

    Returns
    -------
    N : ndarray of shape (n_states, n_states), float64
    first : ndarray of shape (n_states,), float64
        How many sequences start in each state.
    """
    S = n_states
    ends = np.cumsum(lengths)
    inside = np.ones(len(ids), dtype=bool)
    inside[ends[lengths > 0] - 1] = False  # no step out of a sequence's last state
    step = inside[:-1]
    pairs = ids[:-1][step] * S + ids[1:][step]
    N = np.bincount(pairs, minlength=S * S).reshape(S, S).astype(np.float64)
    first = np.bincount(ids[(ends - lengths)[lengths > 0]], minlength=S).astype(np.float64)
    return N, first


def n_step_matrix(P, n):
    """M^n, entry (i, j) = P(X_{t+n} = j | X_t = i), by repeated squaring with stochastic rows.

    Row i equals :func:`scratch_genmod.markov.textbook.n_step_law` from the law
    sure to be at i, in about 2 log2(n) products instead of n. Each product's
    rows are divided by their sums: rounding would otherwise grow with every
    squaring (rows summing to 26 after 10**17 steps), while M^n is stochastic
    for every n. For large n this converges to the stationary limit (every
    row pi, when the chain is irreducible and aperiodic) and stays there.

    Parameters
    ----------
    P : ndarray of shape (n_states, n_states), row-stochastic
    n : int, >= 0

    Returns
    -------
    M_n : ndarray of shape (n_states, n_states), rows summing to 1
    """
    result = np.eye(len(P))
    power = np.array(P, dtype=np.float64)
    while n > 0:
        if n & 1:
            result = _stochastic_rows(result @ power)
        n >>= 1
        if n:
            power = _stochastic_rows(power @ power)
    return result


def viterbi_from_state(log_P, start, length):
    """The most probable path of ``length`` states from state ``start``, and its log-probability.

    delta_1 = log 1[x = start], delta_{t+1}(j) = max_i delta_t(i) + log p_{i,j},
    one array operation over all (i, j) per step; then the argmax pointers
    are followed back. Same numbers as
    :func:`scratch_genmod.markov.textbook.most_probable_path` with pi_0 sure to
    be at ``start`` and ``length - 1`` steps.

    Parameters
    ----------
    log_P : ndarray of shape (n_states, n_states)
        log p_{i,j} (-inf for an impossible step).
    start : int
    length : int, >= 1

    Returns
    -------
    path : list of int
    log_prob : float
    """
    S = len(log_P)
    delta = np.full(S, -np.inf)
    delta[start] = 0.0
    pointers = np.zeros((length, S), dtype=np.int64)
    for t in range(1, length):  # one step of the chain per iteration
        scores = delta[:, None] + log_P
        pointers[t] = np.argmax(scores, axis=0)
        delta = scores[pointers[t], np.arange(S)]
    last = int(np.argmax(delta))
    path = [last]
    for t in range(length - 1, 0, -1):
        path.append(int(pointers[t][path[-1]]))
    return path[::-1], float(delta[last])


def _stochastic_rows(M):
    """Each row divided by its sum: the product of stochastic matrices is stochastic."""
    return M / M.sum(axis=1, keepdims=True)
