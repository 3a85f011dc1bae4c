"""A Markov chain over a finite set of states, estimated by counting transitions.

The chain is its transition matrix M, p_{i,j} = P(X_{t+1} = j | X_t = i),
estimated by counting: p_{i,j} = c(i, j) / sum_j' c(i, j'). Each row sums to
1 (M is row-stochastic); the distribution after n steps from a start
distribution pi_0 is pi_0 M^n, and a stationary distribution solves pi M = pi.
:mod:`.textbook.chain` writes each of these as a plain loop; this class
computes the same numbers with the whole-array operations of
:mod:`.fast.transitions` (``algorithm="fast"``, the default), or runs on the
textbook functions themselves (``algorithm="textbook"``).

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

from scratch_genmod.core import BaseEstimator, check_choice, check_is_fitted, check_scalar
from scratch_genmod.core.mixins import TextInputMixin
from scratch_genmod.core.warning import warn_user
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import (check_state_array, check_state_probabilities,
                                              fitted_attributes)
from scratch_genmod.markov import textbook
from scratch_genmod.markov.chain_graph import communicating_classes, period_of_class
from scratch_genmod.markov.checks import (
    ALGORITHMS, check_distribution, check_sequences, check_states, check_transition_matrix,
)
from scratch_genmod.markov.fast.transitions import (
    count_transition_pairs, n_step_matrix, viterbi_from_state,
)
from scratch_genmod.markov.generation import STRATEGIES

__all__ = ["MarkovChain"]
# algorithm="textbook" takes n steps one at a time: beyond this, use the fast squaring.
TEXTBOOK_MAX_STEPS = 10**6
# A path is a Python list of states: longer ones would not fit in memory.
MAX_SAMPLE = 10**8


@register_estimator
class MarkovChain(TextInputMixin, BaseEstimator):
    """Finite Markov chain: transition matrix by counting, n-step, stationarity, paths.

    Parameters
    ----------
    states : sequence or None, default=None
        The state set, in this order, each state once. None: the sorted
        distinct states seen in ``fit``.
    random_state : None, int or numpy.random.Generator, default=None
        Seeds :meth:`sample`.
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" fits, scores and samples through the plain functions of
        :mod:`scratch_genmod.markov.textbook` (step through them in a
        debugger); "fast" gives the same numbers with
        :mod:`scratch_genmod.markov.fast.transitions`.

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

    def __init__(self, states=None, random_state=None, algorithm="fast"):
        self.states = states
        self.random_state = random_state
        self.algorithm = algorithm

    def fit(self, sequences):
        """Count the transitions of ``sequences`` (a list of state sequences); returns self.

        ``count_matrix_`` is `textbook.count_transitions`, ``transition_matrix_``
        `textbook.transition_matrix` and ``initial_distribution_``
        `textbook.initial_law` (the fast path: one ``bincount`` of the pair codes i * S + j).
        """
        textbook_path = self._textbook()
        sequences, states = check_sequences(sequences, self.states)
        if textbook_path:
            counts = textbook.count_transitions(sequences, states).astype(np.float64)
            self._set_matrix(states, counts, textbook.initial_law(sequences, states),
                             textbook.transition_matrix(counts))
            return self
        flat = list(chain.from_iterable(sequences))
        index = {s: i for i, s in enumerate(states)}
        ids = np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))
        lengths = np.fromiter(map(len, sequences), dtype=np.int64, count=len(sequences))
        counts, first = count_transition_pairs(ids, lengths, len(states))
        self._set_matrix(states, counts, first / first.sum())
        return self

    @classmethod
    def from_transition_matrix(cls, matrix, states=None, initial_distribution=None,
                               random_state=None, algorithm="fast"):
        """A chain given by its transition matrix (e.g. the course's weather chain).

        Parameters
        ----------
        matrix : array-like of shape (n_states, n_states)
            Row-stochastic: entries >= 0, rows summing to 1.
        states : sequence or None, default=None
            Names, each once; None gives 0..n_states-1.
        initial_distribution : array-like of shape (n_states,) or None, default=None
            pi_0: entries >= 0 summing to 1. None gives the uniform distribution.
        random_state, algorithm
            As for the constructor.
        """
        M = check_transition_matrix(matrix, "matrix")
        S = M.shape[0]
        states = list(range(S)) if states is None else check_states(states)
        if len(states) != S:
            raise ValueError(f"states has {len(states)} names for a {S}x{S} matrix")
        pi0 = np.full(S, 1.0 / S) if initial_distribution is None else check_distribution(
            initial_distribution, "initial_distribution", S)
        chain = cls(states=states, random_state=random_state, algorithm=algorithm)
        chain._textbook()
        chain._set_matrix(states, M.copy(), pi0)
        return chain

    def n_step(self, n):
        """M^n: entry (i, j) is P(X_{t+n} = j | X_t = i), for any ``n`` >= 0; rows sum to 1.

        Fast: :func:`~scratch_genmod.markov.fast.transitions.n_step_matrix`,
        repeated squaring with each product's rows renormalised, so M^n stays
        stochastic for any n (10**18 included). Textbook: row i is
        `textbook.n_step_law` from the law sure to be at i (n steps one at a time).
        """
        check_is_fitted(self, "n_step", ["transition_matrix_"])
        n = self._check_steps(n)
        P = self.transition_matrix_
        if self._textbook():
            return np.array([textbook.n_step_law(P, row, n) for row in np.eye(len(P))])
        return n_step_matrix(P, n)

    def n_step_distribution(self, n):
        """pi_n = pi_0 M^n, the law of X_n from ``initial_distribution_``; sums to 1 for any n.

        Returns
        -------
        pi_n : ndarray of shape (n_states,)
        """
        check_is_fitted(self, "n_step_distribution", ["transition_matrix_"])
        n = self._check_steps(n)
        if self._textbook():
            return textbook.n_step_law(self.transition_matrix_, self.initial_distribution_, n)
        pi = self.initial_distribution_ @ n_step_matrix(self.transition_matrix_, n)
        return pi / pi.sum()

    def stationary_distribution(self):
        """The distribution pi with pi M = pi, sum pi = 1.

        It is the left eigenvector of M for eigenvalue 1 (the fast path;
        `textbook.stationary_distribution` solves the linear system). It is
        unique when the chain has a single closed class (every irreducible
        chain); states outside it (transient) get 0, and a warning says the
        chain is reducible. With several closed classes every mixture of
        theirs is stationary: ValueError.

        Returns
        -------
        pi : ndarray of shape (n_states,)
        """
        check_is_fitted(self, "stationary_distribution", ["transition_matrix_"])
        classes, closed = communicating_classes(self.transition_matrix_ > 0)
        if closed.sum() > 1:
            names = [[self.states_[i] for i in np.flatnonzero(classes == c)]
                     for c in np.flatnonzero(closed)]
            raise ValueError(f"the chain is reducible with {int(closed.sum())} closed classes "
                             f"{names}: its stationary distribution is not unique")
        if len(closed) > 1:
            warn_user("the chain is reducible: its transient states get probability 0 "
                      "in the stationary distribution", UserWarning)
        if self._textbook():
            return textbook.stationary_distribution(self.transition_matrix_)
        values, vectors = np.linalg.eig(self.transition_matrix_.T)  # M not symmetric: eig
        v = np.real(vectors[:, np.argmin(np.abs(values - 1.0))])
        return np.abs(v) / np.abs(v).sum()  # one sign throughout: the Perron vector

    def is_irreducible(self):
        """Whether every state can reach every other (one communicating class)."""
        check_is_fitted(self, "is_irreducible", ["transition_matrix_"])
        classes, _ = communicating_classes(self.transition_matrix_ > 0)
        return bool(classes.max() == 0)

    def period(self, state=None):
        """gcd of the lengths of the cycles through ``state`` (its class's period).

        With ``state=None`` the chain must be irreducible. Period 1: aperiodic.
        """
        check_is_fitted(self, "period", ["transition_matrix_"])
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
        """log P(x_2..x_T | x_1) = sum_t log p_{x_t, x_{t+1}} (natural log; -inf if impossible).

        Same numbers as `textbook.sequence_log_prob`.
        """
        check_is_fitted(self, "log_prob", ["transition_matrix_"])
        if isinstance(sequence, str) or not hasattr(sequence, "__iter__"):
            raise TypeError(f"sequence must be a sequence of states, got "
                            f"{type(sequence).__name__}")
        ids = [self._state_id(x, "sequence") for x in sequence]
        if self._textbook():
            return textbook.sequence_log_prob(self.transition_matrix_, ids)
        ids = np.array(ids, dtype=np.int64)
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
            the same path as `textbook.greedy_path` (n - 1 steps); "sample"
            draws each step as `textbook.sample_path` does (same path from one seed).
        random_state : None, int or numpy.random.Generator, default=None
        """
        check_is_fitted(self, "sample", ["transition_matrix_"])
        n = check_scalar(n, "n", int, min_val=1, max_val=MAX_SAMPLE)
        check_choice(strategy, "strategy", STRATEGIES)
        rng = self._random_generator(random_state)
        if start is None:
            state = textbook.draw_state(self.initial_distribution_, rng.random()) \
                if self._textbook() else _draw(_cumulative(self.initial_distribution_), rng.random())
        else:
            state = self._state_id(start, "start")
        if self._textbook():
            P = self.transition_matrix_
            path = (textbook.greedy_path(P, state, n - 1) if strategy == "greedy"
                    else textbook.sample_path(P, state, n - 1, rng))
            return [self.states_[i] for i in path]
        cumulative = _cumulative(self.transition_matrix_)
        path = np.empty(n, dtype=np.int64)
        greedy = np.argmax(self.transition_matrix_, axis=1)
        u = rng.random(n - 1)
        for t in range(n):  # a chain is sequential: one step per iteration
            path[t] = state
            if t < n - 1:
                state = greedy[state] if strategy == "greedy" else _draw(cumulative[state], u[t])
        return [self.states_[i] for i in path]

    def most_probable_path(self, start, length):
        """The sequence of ``length`` states from ``start`` with the largest probability.

        Viterbi's dynamic programme in log space: delta_1 = log 1[x = start],
        delta_{t+1}(j) = max_i delta_t(i) + log p_{i,j}, then follow the argmax
        pointers back. Exact, in O(length * n_states^2): `textbook.most_probable_path`
        with pi_0 sure to be at ``start`` (length - 1 steps), or
        :func:`~scratch_genmod.markov.fast.transitions.viterbi_from_state`.

        Returns
        -------
        path : list of states
        log_prob : float
        """
        check_is_fitted(self, "most_probable_path", ["transition_matrix_"])
        length = check_scalar(length, "length", int, min_val=1, max_val=MAX_SAMPLE)
        start = self._state_id(start, "start")
        if self._textbook():
            pi0 = np.eye(len(self.states_))[start]
            path, log_p = textbook.most_probable_path(self.transition_matrix_, pi0, length - 1)
        else:
            with np.errstate(divide="ignore"):
                log_P = np.log(self.transition_matrix_)
            path, log_p = viterbi_from_state(log_P, start, length)
        return [self.states_[i] for i in path], log_p

    def _textbook(self):
        """Whether to run on the textbook functions; checks ``algorithm``."""
        return check_choice(self.algorithm, "algorithm", ALGORITHMS) == "textbook"

    def _check_steps(self, n):
        n = check_scalar(n, "n", int, min_val=0)
        if self._textbook() and n > TEXTBOOK_MAX_STEPS:
            raise ValueError(f"n={n} steps one at a time is too long for algorithm='textbook' "
                             f"(at most {TEXTBOOK_MAX_STEPS:,}); use algorithm='fast', which "
                             "squares the matrix about log2(n) times")
        return n

    def _set_matrix(self, states, counts, initial, matrix=None):
        never_left = counts.sum(axis=1) == 0
        if matrix is None:
            if never_left.any():
                warn_user(f"states never left in training are made absorbing (p_ii = 1): "
                          f"{[states[i] for i in np.flatnonzero(never_left)]}", UserWarning)
            M = counts + np.diag(never_left.astype(np.float64))
            matrix = M / M.sum(axis=1, keepdims=True)
        self.states_ = list(states)
        self.count_matrix_ = counts
        self.transition_matrix_ = matrix
        self.initial_distribution_ = np.asarray(initial, dtype=np.float64)

    def _check_fitted_state(self):
        """Called by ``load``: distinct states, counts >= 0, rows p_{i,.} and pi_0 summing to 1."""
        self._textbook()  # checks algorithm
        if self.states is not None:
            check_states(self.states)
        names = ["states_", "count_matrix_", "transition_matrix_", "initial_distribution_"]
        if not fitted_attributes(self, names):
            return
        if not isinstance(self.states_, list):
            raise ValueError(f"states_ must be a list, got {type(self.states_).__name__}")
        S = len(check_states(self.states_, "states_"))
        check_state_array(self.count_matrix_, "count_matrix_", shape=(S, S), min_val=0.0)
        check_transition_matrix(check_state_array(self.transition_matrix_, "transition_matrix_",
                                                  shape=(S, S)), "transition_matrix_")
        check_state_probabilities(check_state_array(
            self.initial_distribution_, "initial_distribution_", shape=(S,)), "initial_distribution_")

    def _state_id(self, state, name):
        try:
            return self.states_.index(state)
        except ValueError:
            raise ValueError(f"{name}: unknown state {state!r}; states are {self.states_}") from None


def _cumulative(p):
    """Cumulative sums of the rows of ``p``, divided by their last: a draw u < 1 always lands."""
    cumulative = np.cumsum(p, axis=-1)
    return cumulative / cumulative[..., -1:]


def _draw(cumulative, u):
    """The first j with cumulative_j > u: `textbook.draw_state` on a row of :func:`_cumulative`."""
    return int(np.searchsorted(cumulative, u, side="right"))
