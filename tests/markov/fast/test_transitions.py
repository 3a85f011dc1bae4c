"""markov/fast/transitions.py gives the textbook chain's numbers (textbook.chain as reference)."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.markov.fast.transitions import (
    count_transition_pairs, n_step_matrix, viterbi_from_state,
)
from scratch_genmod.markov.textbook import (
    count_transitions, initial_law, most_probable_path, n_step_law,
)


def stochastic_matrix(seed, S, sparsity=0.0):
    rng = np.random.default_rng(seed)
    M = rng.random((S, S)) * (rng.random((S, S)) >= sparsity)
    M[np.arange(S), rng.integers(S, size=S)] += 0.01  # no row of zeros
    return M / M.sum(axis=1, keepdims=True)


# Sequences with empty ones and single states: steps never cross from one to the next.
sequences = st.lists(st.lists(st.integers(0, 3), max_size=9), min_size=1, max_size=6).filter(
    lambda seqs: any(len(s) >= 2 for s in seqs))


@settings(max_examples=60)
@given(sequences)
def test_count_transition_pairs_is_count_transitions(seqs):
    states = [0, 1, 2, 3]
    ids = np.array([x for s in seqs for x in s], dtype=np.int64)
    lengths = np.array([len(s) for s in seqs], dtype=np.int64)
    N, first = count_transition_pairs(ids, lengths, 4)
    assert N.tolist() == count_transitions(seqs, states).tolist()
    np.testing.assert_array_equal(first / first.sum(), initial_law(seqs, states))


@settings(max_examples=40)
@given(st.integers(0, 10**6), st.integers(1, 5), st.floats(0.0, 0.7), st.integers(0, 40))
def test_n_step_matrix_rows_are_the_textbook_laws(seed, S, sparsity, n):
    P = stochastic_matrix(seed, S, sparsity)
    M = n_step_matrix(P, n)
    expected = np.array([n_step_law(P, e, n) for e in np.eye(S)])
    np.testing.assert_allclose(M, expected, rtol=0, atol=1e-13)


def test_n_step_stays_stochastic_for_huge_n():
    P = np.array([[0.5, 0.5], [0.2, 0.8]])
    pi = np.array([2 / 7, 5 / 7])  # pi P = pi by hand: 0.5 * 2/7 + 0.2 * 5/7 = 2/7
    for n in (10**14, 10**17, 10**18, 10**40):
        M = n_step_matrix(P, n)
        np.testing.assert_allclose(M.sum(axis=1), 1.0, rtol=0, atol=1e-15)
        np.testing.assert_allclose(M, [pi, pi], rtol=0, atol=1e-15)
    # A periodic chain never converges: its even and odd powers alternate, exactly.
    flip = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert n_step_matrix(flip, 10**18).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert n_step_matrix(flip, 10**18 + 1).tolist() == [[0.0, 1.0], [1.0, 0.0]]


@settings(max_examples=40)
@given(st.integers(0, 10**6), st.integers(1, 5), st.floats(0.0, 0.7), st.integers(1, 7),
       st.data())
def test_viterbi_from_state_is_the_textbook_viterbi(seed, S, sparsity, length, data):
    P = stochastic_matrix(seed, S, sparsity)
    start = data.draw(st.integers(0, S - 1))
    with np.errstate(divide="ignore"):
        path, log_p = viterbi_from_state(np.log(P), start, length)
    expected_path, expected_log_p = most_probable_path(P, np.eye(S)[start], length - 1)
    assert path == expected_path
    assert math.isclose(log_p, expected_log_p, rel_tol=1e-12, abs_tol=1e-12)
