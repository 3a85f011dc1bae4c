"""A Markov chain over a finite set of states, estimated by counting transitions.

The chain is its transition matrix M, p_{i,j} = P(X_{t+1} = j | X_t = i),
estimated by counting: p_{i,j} = c(i, j) / sum_j' c(i, j'). Each row sums to
1 (M is row-stochastic); the distribution after n steps from a start
distribution pi_0 is pi_0 M^n, and a stationary distribution solves pi M = pi.
:mod:`.textbook.chain` writes each of these as a plain loop; this class
computes the same numbers with whole-array operations.

Greedy steps do not give the most probable sequence. From A the greedy walk
goes to B (0.6), then has to choose among three states at 1/3: the path
A B x has probability 0.2, while A C D, through the less likely C, has 0.4.
:meth:`MarkovChain.most_probable_path` finds it by dynamic programming:

>>> chain = MarkovChain.from_transition_matrix(
...     [[0, .6, .4, 0], [0, 1/3, 1/3, 1/3], [0, 0, 0, 1], [0, 0, 0, 1]], ["A", "B", "C", "D"])
>>> chain.sample(3, start="A", strategy="greedy")
['A', 'B', 'B']
>>> path, log_p = chain.most_probable_path("A", 3)
>>> path, round(float(np.exp(log_p)), 3)
(['A', 'C', 'D'], 0.4)
"""

from itertools import chain

import numpy as np

from scratch_genmod.core import BaseEstimator, check_array, check_choice, check_is_fitted
from scratch_genmod.core import check_scalar
from scratch_genmod.core.mixins import TextInputMixin
from scratch_genmod.core.warning import warn_user
from scratch_genmod.markov.chain_graph import communicating_classes, period_of_class
from scratch_genmod.markov.generation import STRATEGIES

__all__ = ["MarkovChain", "check_sequences", "check_transition_matrix"]


class MarkovChain(TextInputMixin, BaseEstimator):
    """Finite Markov chain: transition matrix by counting, n-step, stationarity, paths.

    Parameters
    ----------
    states : sequence or None, default=None
        The state set, in this order. None: the sorted distinct states seen
        in ``fit``.
    random_state : None, int or numpy.random.Generator, default=None
        Seeds :meth:`sample`.

    Attributes
    ----------
    states_ : list
        State of each row/column.
    count_matrix_ : ndarray of shape (n_states, n_states), float64
        c(i, j): transitions i -> j seen (for a chain made by
        :meth:`from_transition_matrix`, the matrix itself).
    transition_matrix_ : ndarray of shape (n_states, n_states), float64
        p_{i,j} = c(i, j) / sum_j c(i, j). A state never left in training has
        no estimate: it is made *absorbing* (p_{i,i} = 1), with a warning.
    initial_distribution_ : ndarray of shape (n_states,)
        Frequencies of the first state of the sequences.

    Examples
    --------
    >>> chain = MarkovChain().fit([["sun", "sun", "rain", "sun"], ["rain", "rain", "sun"]])
    >>> chain.states_, chain.transition_matrix_.tolist()
    (['rain', 'sun'], [[0.3333333333333333, 0.6666666666666666], [0.5, 0.5]])
    >>> [round(float(p), 4) for p in chain.stationary_distribution()]
    [0.4286, 0.5714]
    """

    def __init__(self, states=None, random_state=None):
        self.states = states
        self.random_state = random_state

    def fit(self, sequences):
        """Count the transitions of ``sequences`` (a list of state sequences); returns self.

        Same numbers as `textbook.count_transitions` (``count_matrix_``) and
        `textbook.transition_matrix` (``transition_matrix_``), counted in one
        ``bincount`` of the pair codes i * S + j.
        """
        sequences, states = check_sequences(sequences, self.states)
        flat = list(chain.from_iterable(sequences))
        index = {s: i for i, s in enumerate(states)}
        ids = np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))
        lengths = np.fromiter(map(len, sequences), dtype=np.int64, count=len(sequences))
        starts = np.cumsum(lengths) - lengths
        inside = np.ones(len(ids), dtype=bool)
        inside[np.cumsum(lengths)[lengths > 0] - 1] = False  # no transition out of a last state
        S = len(states)
        pairs = ids[:-1][inside[:-1]] * S + ids[1:][inside[:-1]]
        counts = np.bincount(pairs, minlength=S * S).reshape(S, S).astype(np.float64)
        first = np.bincount(ids[starts[lengths > 0]], minlength=S)
        self._set_matrix(states, counts, first / first.sum())
        return self

    @classmethod
    def from_transition_matrix(cls, matrix, states=None, initial_distribution=None,
                               random_state=None):
        """A chain given by its transition matrix (e.g. the course's weather chain).

        Parameters
        ----------
        matrix : array-like of shape (n_states, n_states)
            Row-stochastic: entries >= 0, rows summing to 1.
        states : sequence or None, default=None
            Names; None gives 0..n_states-1.
        initial_distribution : array-like of shape (n_states,) or None, default=None
            None gives the uniform distribution.
        """
        M = check_transition_matrix(matrix, "matrix")
        S = M.shape[0]
        states = list(range(S)) if states is None else list(states)
        if len(states) != S:
            raise ValueError(f"states has {len(states)} names for a {S}x{S} matrix")
        pi0 = np.full(S, 1.0 / S) if initial_distribution is None else check_array(
            initial_distribution, "initial_distribution", ndim=1)
        chain = cls(states=states, random_state=random_state)
        chain._set_matrix(states, M.copy(), pi0)
        return chain

    def n_step(self, n):
        """M^n: entry (i, j) is P(X_{t+n} = j | X_t = i). ``n`` >= 0.

        Same numbers as `textbook.n_step_law` (row i: from the law sure to be
        at i), by repeated squaring.
        """
        check_is_fitted(self, "n_step")
        n = check_scalar(n, "n", int, min_val=0)
        return np.linalg.matrix_power(self.transition_matrix_, n)

    def stationary_distribution(self):
        """The distribution pi with pi M = pi, sum pi = 1.

        It is the left eigenvector of M for eigenvalue 1. It is unique when
        the chain has a single closed class (every irreducible chain); states
        outside it (transient) get 0, and a warning says the chain is
        reducible. With several closed classes every mixture of theirs is
        stationary: ValueError. Same numbers as `textbook.stationary_distribution`.

        Returns
        -------
        pi : ndarray of shape (n_states,)
        """
        check_is_fitted(self, "stationary_distribution")
        classes, closed = communicating_classes(self.transition_matrix_ > 0)
        if closed.sum() > 1:
            names = [[self.states_[i] for i in np.flatnonzero(classes == c)]
                     for c in np.flatnonzero(closed)]
            raise ValueError(f"the chain is reducible with {int(closed.sum())} closed classes "
                             f"{names}: its stationary distribution is not unique")
        if len(closed) > 1:
            warn_user("the chain is reducible: its transient states get probability 0 "
                      "in the stationary distribution", UserWarning)
        values, vectors = np.linalg.eig(self.transition_matrix_.T)  # M not symmetric: eig
        v = np.real(vectors[:, np.argmin(np.abs(values - 1.0))])
        pi = np.abs(v) / np.abs(v).sum()  # one sign throughout: the Perron vector
        return pi

    def is_irreducible(self):
        """Whether every state can reach every other (one communicating class)."""
        check_is_fitted(self, "is_irreducible")
        classes, _ = communicating_classes(self.transition_matrix_ > 0)
        return bool(classes.max() == 0)

    def period(self, state=None):
        """gcd of the lengths of the cycles through ``state`` (its class's period).

        With ``state=None`` the chain must be irreducible. Period 1: aperiodic.
        """
        check_is_fitted(self, "period")
        classes, _ = communicating_classes(self.transition_matrix_ > 0)
        if state is None:
            if classes.max() > 0:
                raise ValueError("the chain is reducible: each class has its own period; "
                                 "give a state")
            members = np.arange(len(classes))
        else:
            members = np.flatnonzero(classes == classes[self._state_id(state, "state")])
        return period_of_class(self.transition_matrix_ > 0, members)

    def log_prob(self, sequence):
        """log P(x_2..x_T | x_1) = sum_t log p_{x_t, x_{t+1}} (natural log; -inf if impossible)."""
        check_is_fitted(self, "log_prob")
        ids = np.array([self._state_id(x, "sequence") for x in sequence], dtype=np.int64)
        with np.errstate(divide="ignore"):
            return float(np.sum(np.log(self.transition_matrix_[ids[:-1], ids[1:]])))

    def sample(self, n, start=None, strategy="sample", random_state=None):
        """A sequence of ``n`` states: the start, then n - 1 steps.

        Parameters
        ----------
        n : int
            Length, >= 1.
        start : state or None, default=None
            None: drawn from ``initial_distribution_``.
        strategy : {"sample", "greedy"}, default="sample"
            Greedy takes argmax_j p_{i,j} at each step (ties: first state):
            the same path as `textbook.greedy_path` (n - 1 steps).
        random_state : None, int or numpy.random.Generator, default=None
        """
        check_is_fitted(self, "sample")
        n = check_scalar(n, "n", int, min_val=1)
        check_choice(strategy, "strategy", STRATEGIES)
        rng = self._random_generator(random_state)
        cumulative = np.cumsum(self.transition_matrix_, axis=1)
        cumulative /= cumulative[:, -1:]  # exactly 1 at the end: a draw u < 1 always lands
        if start is None:
            first = np.cumsum(self.initial_distribution_)
            state = int(np.searchsorted(first / first[-1], rng.random(), side="right"))
        else:
            state = self._state_id(start, "start")
        path = np.empty(n, dtype=np.int64)
        greedy = np.argmax(self.transition_matrix_, axis=1)
        u = rng.random(n)
        for t in range(n):  # a chain is sequential: one step per iteration
            path[t] = state
            state = greedy[state] if strategy == "greedy" else int(
                np.searchsorted(cumulative[state], u[t], side="right"))
        return [self.states_[i] for i in path]

    def most_probable_path(self, start, length):
        """The sequence of ``length`` states from ``start`` with the largest probability.

        Viterbi's dynamic programme in log space: delta_1 = log 1[x = start],
        delta_{t+1}(j) = max_i delta_t(i) + log p_{i,j}, then follow the argmax
        pointers back. Exact, in O(length * n_states^2). Same numbers as
        `textbook.most_probable_path` with pi_0 sure to be at ``start``
        (length - 1 steps), each step one array operation over all (i, j).

        Returns
        -------
        path : list of states
        log_prob : float
        """
        check_is_fitted(self, "most_probable_path")
        length = check_scalar(length, "length", int, min_val=1)
        S = len(self.states_)
        with np.errstate(divide="ignore"):
            log_M = np.log(self.transition_matrix_)
        delta = np.full(S, -np.inf)
        delta[self._state_id(start, "start")] = 0.0
        pointers = np.zeros((length, S), dtype=np.int64)
        for t in range(1, length):
            scores = delta[:, None] + log_M
            pointers[t] = np.argmax(scores, axis=0)
            delta = scores[pointers[t], np.arange(S)]
        last = int(np.argmax(delta))
        path = [last]
        for t in range(length - 1, 0, -1):
            path.append(int(pointers[t][path[-1]]))
        return [self.states_[i] for i in path[::-1]], float(delta[last])

    def _set_matrix(self, states, counts, initial):
        never_left = counts.sum(axis=1) == 0
        if never_left.any():
            warn_user(f"states never left in training are made absorbing (p_ii = 1): "
                      f"{[states[i] for i in np.flatnonzero(never_left)]}",
                      UserWarning)
        M = counts + np.diag(never_left.astype(np.float64))
        self.states_ = list(states)
        self.count_matrix_ = counts
        self.transition_matrix_ = M / M.sum(axis=1, keepdims=True)
        self.initial_distribution_ = np.asarray(initial, dtype=np.float64)

    def _state_id(self, state, name):
        try:
            return self.states_.index(state)
        except ValueError:
            raise ValueError(f"{name}: unknown state {state!r}; states are {self.states_}") from None


def check_sequences(sequences, states=None):
    """Check state sequences as :meth:`MarkovChain.fit` takes them; each error names its argument.

    Parameters
    ----------
    sequences : sequence of sequences
        At least one of them with 2 states or more (one transition).
    states : sequence or None, default=None
        The state set, in this order; None: the sorted distinct states seen.

    Returns
    -------
    sequences : list of lists
    states : list
    """
    if isinstance(sequences, str) or not hasattr(sequences, "__len__"):
        raise TypeError("sequences must be a list of state sequences, "
                        f"got {type(sequences).__name__}")
    sequences = [list(s) for s in sequences]
    if not any(len(s) >= 2 for s in sequences):
        raise ValueError("sequences is empty: it needs a sequence of at least 2 states")
    seen = set(chain.from_iterable(sequences))
    if states is None:
        try:
            return sequences, sorted(seen)
        except TypeError:
            raise TypeError("sequences mixes states that cannot be sorted; "
                            "give the states explicitly") from None
    states = list(states)
    unknown = seen - set(states)
    if unknown:
        raise ValueError(f"sequences holds states not in states: {sorted(map(str, unknown))}")
    return sequences, states


def check_transition_matrix(matrix, name="P"):
    """``matrix`` as a float64 row-stochastic square array, or ValueError naming ``name``."""
    M = check_array(matrix, name)
    if M.shape[0] != M.shape[1]:
        raise ValueError(f"{name} must be square, got shape {M.shape}")
    if (M < 0).any() or not np.allclose(M.sum(axis=1), 1.0, atol=1e-10):
        raise ValueError(f"{name} must be row-stochastic: entries >= 0 and rows summing to 1")
    return M
