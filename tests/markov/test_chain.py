import contextlib
import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.core import NotFittedError, load, save
from scratch_genmod.markov import MarkovChain
from scratch_genmod.markov.textbook import count_transitions, stationary_distribution, transition_matrix

WEATHER = np.array([[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.2, 0.3, 0.5]])

sequences_strategy = st.lists(st.lists(st.integers(0, 3), min_size=2, max_size=12),
                              min_size=1, max_size=5)


def stochastic_matrix(seed, S, positive=True):
    M = np.random.default_rng(seed).random((S, S)) + (0.01 if positive else 0.0)
    return M / M.sum(axis=1, keepdims=True)


@settings(max_examples=40)
@given(sequences_strategy, st.booleans())
def test_counts_and_rows_are_the_textbook_ones(seqs, extra_state):
    states = sorted({x for s in seqs for x in s}) + ([9] if extra_state else [])  # 9: never visited
    counts = count_transitions(seqs, states)
    never_left = (counts.sum(1) == 0).any()
    with absorbing_warning(never_left):
        chain = MarkovChain(states=states if extra_state else None).fit(seqs)
    with absorbing_warning(never_left):
        expected = transition_matrix(counts)
    assert chain.states_ == states
    np.testing.assert_array_equal(chain.count_matrix_, counts)
    np.testing.assert_array_equal(chain.transition_matrix_, expected)
    np.testing.assert_allclose(expected.sum(axis=1), 1.0, rtol=0, atol=1e-12)


@contextlib.contextmanager
def absorbing_warning(expected):
    """The warning about states made absorbing when ``expected``; no warning at all otherwise."""
    if expected:
        with pytest.warns(UserWarning, match="absorbing"):
            yield
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield


def test_never_left_state_is_absorbing_with_warning():
    with pytest.warns(UserWarning, match="absorbing.*'c'"):
        chain = MarkovChain().fit([["a", "b", "a", "c"]])
    assert chain.transition_matrix_[2].tolist() == [0.0, 0.0, 1.0]
    assert chain.initial_distribution_.tolist() == [1.0, 0.0, 0.0]


@settings(max_examples=30)
@given(st.integers(0, 10**6), st.integers(2, 6))
def test_stationary_distribution_sums_to_one_and_is_invariant(seed, S):
    chain = MarkovChain.from_transition_matrix(stochastic_matrix(seed, S))
    pi = chain.stationary_distribution()
    assert pi.shape == (S,) and (pi >= 0).all()
    assert math.isclose(pi.sum(), 1.0, rel_tol=1e-12)
    np.testing.assert_allclose(pi @ chain.transition_matrix_, pi, atol=1e-12)
    # The rows of M^n converge to pi for an irreducible aperiodic chain (slowly when the
    # second eigenvalue is near -1: 0.96^200 = 3e-4, so n is far beyond 200).
    np.testing.assert_allclose(chain.n_step(10**9), np.tile(pi, (S, 1)), atol=1e-9)


@settings(max_examples=30)
@given(st.integers(0, 10**6), st.integers(1, 5), st.integers(0, 6), st.integers(0, 6))
def test_chapman_kolmogorov(seed, S, a, b):
    chain = MarkovChain.from_transition_matrix(stochastic_matrix(seed, S, positive=False))
    np.testing.assert_allclose(chain.n_step(a + b), chain.n_step(a) @ chain.n_step(b),
                               atol=1e-12)
    np.testing.assert_array_equal(chain.n_step(0), np.eye(S))


def test_weather_stationary_by_hand():
    chain = MarkovChain.from_transition_matrix(WEATHER, ["sun", "cloud", "rain"])
    # pi M = pi: 0.3 a = 0.3 b + 0.2 c and 0.5 c = 0.1 a + 0.3 b give (a, b, c) ~ (21, 13, 12)
    pi = np.array([21, 13, 12]) / 46
    np.testing.assert_allclose(pi @ WEATHER, pi, atol=1e-15)
    np.testing.assert_allclose(chain.stationary_distribution(), pi, atol=1e-12)
    np.testing.assert_allclose(stationary_distribution(WEATHER), pi, atol=1e-12)
    assert chain.is_irreducible() and chain.period() == 1


def test_reducible_chains():
    two_closed = np.array([[1.0, 0, 0], [0.5, 0, 0.5], [0, 0, 1.0]])
    chain = MarkovChain.from_transition_matrix(two_closed, ["a", "b", "c"])
    assert not chain.is_irreducible()
    with pytest.raises(ValueError, match="reducible with 2 closed classes"):
        chain.stationary_distribution()
    one_closed = np.array([[0.5, 0.5, 0], [0, 0.2, 0.8], [0, 0.6, 0.4]])
    chain = MarkovChain.from_transition_matrix(one_closed)
    with pytest.warns(UserWarning, match="reducible"):
        pi = chain.stationary_distribution()
    np.testing.assert_allclose(pi, [0, 0.6 / 1.4, 0.8 / 1.4], atol=1e-12)
    with pytest.raises(ValueError, match="give a state"):
        chain.period()
    assert chain.period(state=1) == 1


def test_periods():
    cycle = np.roll(np.eye(3), 1, axis=1)  # 0 -> 1 -> 2 -> 0
    chain = MarkovChain.from_transition_matrix(cycle)
    assert chain.is_irreducible() and chain.period() == 3
    bipartite = np.array([[0, 0.5, 0.5, 0], [0.3, 0, 0, 0.7], [1, 0, 0, 0], [0, 0.4, 0.6, 0]])
    assert MarkovChain.from_transition_matrix(bipartite).period() == 2


def test_sampled_transition_frequencies_match_p_chi_square():
    chain = MarkovChain.from_transition_matrix(WEATHER, random_state=0)
    path = np.array(chain.sample(100_000, start=0))
    counts = np.zeros((3, 3))
    np.add.at(counts, (path[:-1], path[1:]), 1)
    expected = counts.sum(1, keepdims=True) * WEATHER
    chi2 = ((counts - expected) ** 2 / expected).sum()
    df = 3 * 2
    # Wilson-Hilferty 0.999 quantile of chi2(df): z = 3.09.
    q999 = df * (1 - 2 / (9 * df) + 3.09 * math.sqrt(2 / (9 * df))) ** 3
    assert chi2 < q999


def test_greedy_is_deterministic_and_not_the_most_probable_path():
    M = [[0, .6, .4, 0], [0, 1 / 3, 1 / 3, 1 / 3], [0, 0, 0, 1], [0, 0, 0, 1]]
    chain = MarkovChain.from_transition_matrix(M, list("ABCD"))
    greedy = chain.sample(3, start="A", strategy="greedy", random_state=1)
    assert greedy == chain.sample(3, start="A", strategy="greedy", random_state=2)
    path, log_p = chain.most_probable_path("A", 3)
    assert path == ["A", "C", "D"] and math.isclose(log_p, math.log(0.4))
    assert chain.log_prob(greedy) < log_p


@settings(max_examples=25)
@given(st.integers(0, 10**6), st.integers(2, 4), st.integers(1, 5))
def test_most_probable_path_matches_brute_force(seed, S, length):
    M = stochastic_matrix(seed, S, positive=False)
    M[M < 0.15] = 0
    M = M / M.sum(1, keepdims=True)
    chain = MarkovChain.from_transition_matrix(M)
    best = max(itertools.product(range(S), repeat=length - 1),
               key=lambda rest: np.prod([M[a, b] for a, b in zip((0,) + rest, rest)]))
    best_p = np.prod([M[a, b] for a, b in zip((0,) + best, best)])
    path, log_p = chain.most_probable_path(0, length)
    assert math.isclose(math.exp(log_p), best_p, rel_tol=1e-9)
    assert math.isclose(math.exp(chain.log_prob(path)), best_p, rel_tol=1e-9)


def test_log_prob_by_hand_and_impossible():
    chain = MarkovChain().fit([["a", "b", "b", "a"]])
    assert math.isclose(chain.log_prob(["a", "b", "b"]), math.log(1.0) + math.log(0.5))
    assert chain.log_prob(["a", "a"]) == -math.inf


def test_save_load_round_trip(tmp_path):
    chain = MarkovChain(random_state=3).fit([list("abcabca"), list("cab")])
    again = load(save(chain, tmp_path / "chain"))
    np.testing.assert_array_equal(again.transition_matrix_, chain.transition_matrix_)
    assert again.states_ == chain.states_
    assert again.sample(20) == chain.sample(20)


def test_bad_input():
    with pytest.raises(NotFittedError):
        MarkovChain().n_step(2)
    with pytest.raises(ValueError, match="sequences"):
        MarkovChain().fit([["a"], []])
    with pytest.raises(TypeError, match="sequences"):
        MarkovChain().fit("abc")
    with pytest.raises(ValueError, match="states"):
        MarkovChain(states=["a"]).fit([["a", "b"]])
    with pytest.raises(ValueError, match="matrix"):
        MarkovChain.from_transition_matrix([[0.5, 0.6], [1, 0]])
    chain = MarkovChain.from_transition_matrix(WEATHER)
    with pytest.raises(ValueError, match="start"):
        chain.sample(3, start=7)
    with pytest.raises(ValueError, match="strategy"):
        chain.sample(3, strategy="best")
    with pytest.raises(ValueError, match="n must be >= 1"):
        chain.sample(0)
    with pytest.raises(ValueError, match="length"):
        chain.most_probable_path(0, 0)
    with pytest.raises(ValueError, match="n must be >= 0"):
        chain.n_step(-1)


# -- algorithm="textbook": the same chain through the textbook functions -------------

@settings(max_examples=40, deadline=None)
@given(sequences_strategy, st.integers(0, 2**32 - 1), st.integers(0, 12), st.data())
def test_textbook_algorithm_gives_the_same_numbers(seqs, seed, n, data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a state never left: absorbing
        fast = MarkovChain(algorithm="fast").fit(seqs)
        book = MarkovChain(algorithm="textbook").fit(seqs)
    np.testing.assert_array_equal(book.count_matrix_, fast.count_matrix_)
    np.testing.assert_array_equal(book.transition_matrix_, fast.transition_matrix_)
    np.testing.assert_array_equal(book.initial_distribution_, fast.initial_distribution_)
    np.testing.assert_allclose(book.n_step(n), fast.n_step(n), rtol=0, atol=1e-13)
    np.testing.assert_allclose(book.n_step_distribution(n), fast.n_step_distribution(n),
                               rtol=0, atol=1e-13)
    sequence = data.draw(st.lists(st.sampled_from(fast.states_), min_size=1, max_size=8))
    assert math.isclose(book.log_prob(sequence), fast.log_prob(sequence), rel_tol=1e-12) or (
        book.log_prob(sequence) == fast.log_prob(sequence) == -math.inf)
    start = data.draw(st.sampled_from(fast.states_))
    assert book.most_probable_path(start, n + 1) == fast.most_probable_path(start, n + 1)
    for strategy in ("sample", "greedy"):
        for first in (None, start):
            assert (book.sample(n + 1, first, strategy, random_state=seed)
                    == fast.sample(n + 1, first, strategy, random_state=seed))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # reducible: transient states get 0
        try:
            expected = fast.stationary_distribution()
        except ValueError:  # several closed classes: not unique, for both
            with pytest.raises(ValueError, match="not unique"):
                book.stationary_distribution()
            return
        np.testing.assert_allclose(book.stationary_distribution(), expected, atol=1e-10)


def test_algorithm_is_checked_and_textbook_refuses_endless_loops():
    with pytest.raises(ValueError, match="algorithm must be one of 'fast', 'textbook'; got 'quick'"):
        MarkovChain(algorithm="quick").fit([["a", "b"]])
    with pytest.raises(ValueError, match="algorithm must be one of"):
        MarkovChain.from_transition_matrix(WEATHER, algorithm=None)
    book = MarkovChain.from_transition_matrix(WEATHER, algorithm="textbook")
    with pytest.raises(ValueError, match="n=10000000000 steps .* use algorithm='fast'"):
        book.n_step(10**10)


def test_n_step_is_stochastic_for_any_n():
    # issue 27: rows summed to 26 at n = 10**17 (1.0033 at 10**14, inf at 10**20)
    chain = MarkovChain.from_transition_matrix([[0.5, 0.5], [0.2, 0.8]],
                                               initial_distribution=[1.0, 0.0])
    pi = np.array([2 / 7, 5 / 7])  # by hand: pi P = pi
    for n in (10**14, 10**17, 10**18, 10**20):
        np.testing.assert_allclose(chain.n_step(n), [pi, pi], rtol=0, atol=1e-15)
        np.testing.assert_allclose(chain.n_step_distribution(n), pi, rtol=0, atol=1e-15)
    np.testing.assert_allclose(chain.n_step_distribution(1), [0.5, 0.5])


@pytest.mark.parametrize("bad, message", [
    ([1.5, -0.5], "must be a distribution over the 2 states: 2 entries >= 0 summing to 1"),
    ([0.3, 0.3], "must be a distribution over the 2 states"),
    ([0.5, 0.5, 0.0], "must be a distribution over the 2 states"),
    ([np.nan, 1.0], "contains 1 NaN")])
def test_initial_distribution_must_be_a_distribution(bad, message):
    with pytest.raises(ValueError, match="initial_distribution " + message):
        MarkovChain.from_transition_matrix([[0.5, 0.5], [0.2, 0.8]], initial_distribution=bad)


def test_a_repeated_state_is_refused():
    with pytest.raises(ValueError, match="states must name each state once, but 'a' appear"):
        MarkovChain(states=["a", "a", "b", "c"]).fit([["a", "b", "c"]])
    with pytest.raises(ValueError, match="states must name each state once"):
        MarkovChain.from_transition_matrix(np.eye(2), states=["x", "x"])


def test_huge_sizes_are_refused_with_their_name():
    chain = MarkovChain.from_transition_matrix(WEATHER)
    with pytest.raises(ValueError, match="n must be <= 100000000"):
        chain.sample(10**12)
    with pytest.raises(ValueError, match="length must be <= 100000000"):
        chain.most_probable_path(0, 10**400)
    np.testing.assert_allclose(chain.n_step(10**400).sum(axis=1), 1.0)
