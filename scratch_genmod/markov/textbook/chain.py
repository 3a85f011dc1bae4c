r"""A finite Markov chain as the course writes it: counts, p_{i,j}, pi_0 M^n, pi M = pi, paths.

A Markov chain over states 1..S is its transition matrix M,
p_{i,j} = P(X_{t+1} = j | X_t = i), estimated by counting the steps i -> j:

    p_{i,j} = N_{i,j} / sum_j' N_{i,j'}.

After n steps from the law pi_0 the chain follows pi_n = pi_0 M^n; a
stationary law solves pi M = pi with sum_i pi(i) = 1. :class:`MarkovChain`
computes the same numbers, vectorised; the tests check that it does.

The toy weather chain, two rainy days then sun:

>>> N = count_transitions([["sun", "sun", "rain", "sun"], ["rain", "rain", "sun"]],
...                       states=["rain", "sun"])
>>> N.tolist()                        # rain->rain 1, rain->sun 2, sun->rain 1, sun->sun 1
[[1, 2], [1, 1]]
>>> P = transition_matrix(N)          # rows divided by 3 and by 2
>>> P.tolist()
[[0.3333333333333333, 0.6666666666666666], [0.5, 0.5]]
>>> bool(np.allclose(stationary_distribution(P), [3 / 7, 4 / 7]))   # pi_rain = (1/2) / (2/3 + 1/2)
True
"""

import numpy as np

from scratch_genmod.core import check_array, check_scalar
from scratch_genmod.core.warning import warn_user
from scratch_genmod.markov.checks import check_distribution, check_sequences, check_transition_matrix

__all__ = ["count_transitions", "initial_law", "transition_matrix", "n_step_law",
           "stationary_distribution", "sequence_log_prob", "draw_state", "sample_path",
           "greedy_path", "most_probable_path"]


def count_transitions(sequences, states):
    """N[i, j] = number of steps from ``states[i]`` to ``states[j]`` in ``sequences``.

    Parameters
    ----------
    sequences : sequence of sequences of states
        At least one with 2 states; each step x_t -> x_{t+1} inside a
        sequence counts once (nothing links one sequence to the next).
    states : sequence
        The state set, in the order of the rows and columns.

    Returns
    -------
    N : ndarray of shape (n_states, n_states), int64

    Examples
    --------
    >>> count_transitions([["a", "b", "b"], ["b", "a"]], ["a", "b"]).tolist()
    [[0, 1], [1, 1]]
    """
    sequences, states = check_sequences(sequences, states)
    index = {s: i for i, s in enumerate(states)}
    N = np.zeros((len(states), len(states)), dtype=np.int64)
    for sequence in sequences:
        for x, y in zip(sequence, sequence[1:]):
            N[index[x], index[y]] += 1
    return N


def initial_law(sequences, states):
    """pi_0(i) = (number of sequences starting in ``states[i]``) / (number of sequences).

    Empty sequences are skipped.

    Examples
    --------
    >>> initial_law([["a", "b"], ["b"], ["b", "a"]], ["a", "b"]).tolist()
    [0.3333333333333333, 0.6666666666666666]
    """
    sequences, states = check_sequences(sequences, states)
    firsts = [sequence[0] for sequence in sequences if sequence]
    return np.array([firsts.count(state) / len(firsts) for state in states])


def transition_matrix(counts):
    """p_{i,j} = N_{i,j} / sum_j' N_{i,j'}: each row of counts divided by its total.

    A state never left (a row of zeros) has no estimate; like
    :class:`MarkovChain` we make it absorbing, p_{i,i} = 1, with a warning.

    Parameters
    ----------
    counts : array-like of shape (n_states, n_states)
        N_{i,j} >= 0, from :func:`count_transitions`.

    Returns
    -------
    P : ndarray of shape (n_states, n_states), float64, rows summing to 1

    Examples
    --------
    >>> transition_matrix([[1, 3], [0, 2]]).tolist()
    [[0.25, 0.75], [0.0, 1.0]]
    """
    N = check_array(counts, "counts")
    if N.shape[0] != N.shape[1] or (N < 0).any():
        raise ValueError(f"counts must be a square array of counts >= 0, got shape {N.shape}")
    S = N.shape[0]
    P = np.zeros((S, S))
    never_left = []
    for i in range(S):
        total = N[i].sum()
        if total == 0:
            never_left.append(i)
            P[i, i] = 1.0
        else:
            P[i] = N[i] / total
    if never_left:
        warn_user(f"states never left in training are made absorbing (p_ii = 1): "
                  f"{never_left}", UserWarning)
    return P


def n_step_law(P, pi0, n):
    """pi_n = pi_0 M^n, the law of X_n, by n steps pi_t = pi_{t-1} M.

    Row i of M^n is ``n_step_law(P, e_i, n)``, e_i the law sure to be at i.

    Parameters
    ----------
    P : array-like of shape (n_states, n_states), row-stochastic
    pi0 : array-like of shape (n_states,), a distribution
    n : int, >= 0

    Returns
    -------
    pi_n : ndarray of shape (n_states,)

    Examples
    --------
    >>> n_step_law([[0.5, 0.5], [0.0, 1.0]], [1.0, 0.0], 2).tolist()   # stays at 0: 1/2 * 1/2
    [0.25, 0.75]
    """
    P = check_transition_matrix(P, "P")
    pi = check_distribution(pi0, "pi0", len(P))
    n = check_scalar(n, "n", int, min_val=0)
    for _ in range(n):
        next_pi = pi @ P  # pi_t(j) = sum_i pi_{t-1}(i) p_{i,j}
        if np.array_equal(next_pi, pi):  # a fixed point: every later step gives it again
            break
        pi = next_pi
    return pi


def stationary_distribution(P):
    """The law pi with pi M = pi and sum_i pi(i) = 1, as a linear system.

    pi (M - I) = 0 gives S equations of rank S - 1; with sum pi = 1 the
    system has one solution exactly when the chain has one closed class
    (every irreducible chain). Otherwise: ValueError.

    Parameters
    ----------
    P : array-like of shape (n_states, n_states), row-stochastic

    Returns
    -------
    pi : ndarray of shape (n_states,)

    Examples
    --------
    >>> pi = stationary_distribution([[1/3, 2/3], [1/2, 1/2]])   # pi = (3/7, 4/7)
    >>> bool(np.allclose(pi, [3 / 7, 4 / 7]))
    True
    """
    M = check_transition_matrix(P, "P")
    S = len(M)
    A = np.vstack([M.T - np.eye(S), np.ones((1, S))])  # (M^T - I) pi = 0, 1 . pi = 1
    b = np.append(np.zeros(S), 1.0)
    if np.linalg.matrix_rank(A) < S:
        raise ValueError("P has several closed classes: its stationary distribution is not unique")
    pi = np.linalg.lstsq(A, b, rcond=None)[0]
    return np.maximum(pi, 0.0)  # transient states: 0, not -1e-17


def sequence_log_prob(P, path):
    """log P(x_1..x_T | x_0) = sum_t log p_{x_t, x_{t+1}} (natural log; -inf if a step is impossible).

    Parameters
    ----------
    P : array-like of shape (n_states, n_states), row-stochastic
    path : sequence of int
        State indices x_0 .. x_T.

    Examples
    --------
    >>> bool(np.isclose(sequence_log_prob([[0.5, 0.5], [0.2, 0.8]], [0, 1, 1]), np.log(0.5 * 0.8)))
    True
    """
    P = check_transition_matrix(P, "P")
    total = 0.0
    for i, j in zip(path, path[1:]):
        if P[i, j] == 0:
            return -np.inf
        total += np.log(P[i, j])
    return float(total)


def draw_state(p, u):
    """The state j with p_0 + .. + p_{j-1} <= u < p_0 + .. + p_j (u uniform in [0, 1)).

    Drawing u ~ U[0, 1) and taking this j draws j with probability p_j (the
    inverse of the cumulative distribution).

    Examples
    --------
    >>> draw_state([0.2, 0.5, 0.3], 0.1), draw_state([0.2, 0.5, 0.3], 0.7)
    (0, 2)
    """
    total, cumulative = sum(p), 0.0
    for j, p_j in enumerate(p):
        cumulative += p_j
        if u < cumulative / total:  # / total: the last state is reached even after rounding
            return j
    return len(p) - 1


def sample_path(P, start, n_steps, rng):
    """x_0 = start, then x_{t+1} drawn from the row p_{x_t, .}: one uniform number per step.

    Parameters
    ----------
    P : array-like of shape (n_states, n_states), row-stochastic
    start : int
    n_steps : int, >= 0
    rng : numpy.random.Generator

    Returns
    -------
    path : list of n_steps + 1 ints

    Examples
    --------
    >>> sample_path([[0.0, 1.0], [1.0, 0.0]], 0, 3, np.random.default_rng(0))   # no choice
    [0, 1, 0, 1]
    """
    P = check_transition_matrix(P, "P")
    start = check_scalar(start, "start", int, min_val=0, max_val=len(P) - 1)
    n_steps = check_scalar(n_steps, "n_steps", int, min_val=0)
    path = [start]
    for _ in range(n_steps):
        path.append(draw_state(P[path[-1]], rng.random()))
    return path


def greedy_path(P, start, n_steps):
    """Always the most likely next state: x_{t+1} = argmax_j p_{x_t, j} (ties: smallest j).

    Parameters
    ----------
    P : array-like of shape (n_states, n_states), row-stochastic
    start : int, the index of x_0
    n_steps : int, >= 0

    Returns
    -------
    path : list of n_steps + 1 ints, x_0 .. x_{n_steps}

    Examples
    --------
    >>> P = [[0, .6, .4, 0], [0, 1/3, 1/3, 1/3], [0, 0, 0, 1], [0, 0, 0, 1]]  # A B C D
    >>> greedy_path(P, 0, 2)                  # A -> B (0.6) -> B (first of three 1/3)
    [0, 1, 1]
    """
    P = check_transition_matrix(P, "P")
    S = len(P)
    start = check_scalar(start, "start", int, min_val=0, max_val=S - 1)
    n_steps = check_scalar(n_steps, "n_steps", int, min_val=0)
    path = [start]
    for _ in range(n_steps):
        row = P[path[-1]]
        path.append(max(range(S), key=lambda j: row[j]))  # max keeps the first of ties
    return path


def most_probable_path(P, pi0, n_steps):
    """The most probable x_0..x_n, by Viterbi's dynamic programme in log space.

    delta_0(i) = log pi_0(i); delta_{t+1}(j) = max_i delta_t(i) + log p_{i,j},
    remembering the best i; the path is read back from the best last state.
    Greedy steps are not enough: see the example.

    Parameters
    ----------
    P : array-like of shape (n_states, n_states), row-stochastic
    pi0 : array-like of shape (n_states,), the law of x_0
    n_steps : int, >= 0

    Returns
    -------
    path : list of n_steps + 1 ints
    log_prob : float, log pi_0(x_0) + sum_t log p_{x_t, x_{t+1}}

    Examples
    --------
    >>> P = [[0, .6, .4, 0], [0, 1/3, 1/3, 1/3], [0, 0, 0, 1], [0, 0, 0, 1]]  # A B C D
    >>> path, log_p = most_probable_path(P, [1, 0, 0, 0], 2)  # A C D: 0.4 x 1 > 0.6 x 1/3
    >>> path, round(float(np.exp(log_p)), 12)
    ([0, 2, 3], 0.4)
    """
    P = check_transition_matrix(P, "P")
    S = len(P)
    pi0 = check_distribution(pi0, "pi0", S)
    n_steps = check_scalar(n_steps, "n_steps", int, min_val=0)
    with np.errstate(divide="ignore"):
        log_P, delta = np.log(P), list(np.log(pi0))
    pointers = []
    for _ in range(n_steps):
        best = [max(range(S), key=lambda i: delta[i] + log_P[i, j]) for j in range(S)]
        delta = [delta[best[j]] + log_P[best[j], j] for j in range(S)]
        pointers.append(best)
    last = max(range(S), key=lambda j: delta[j])
    path = [last]
    for best in reversed(pointers):  # back from x_n: the best predecessor of each state
        path.append(best[path[-1]])
    return path[::-1], float(delta[last])
