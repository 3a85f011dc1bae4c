"""The HMM's fast layer equals the textbook, with blocks small enough that every loop runs
many times, on awkward models (impossible transitions, densities 1e-400 apart)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.markov.fast import hmm as fast
from scratch_genmod.markov.textbook import (
    backward,
    categorical_log_emissions,
    categorical_m_step,
    forward,
    state_posteriors,
    transition_posteriors,
    viterbi,
)


def model(seed, S, zeros):
    rng = np.random.default_rng(seed)
    pi0, P = rng.dirichlet(np.ones(S)), rng.dirichlet(np.ones(S), S)
    if zeros:
        P[rng.random((S, S)) < 0.4] = 0.0
        P[np.arange(S), rng.integers(S, size=S)] += 0.3
        P /= P.sum(axis=1, keepdims=True)
    return pi0, P


def textbook_posteriors(pi0, P, log_Phi, lengths):
    log_L, gammas, xi_sum = [], [], 0.0
    for part in np.split(log_Phi, np.cumsum(lengths)[:-1]):
        log_alpha, ll = forward(pi0, P, part)
        log_beta = backward(P, part)
        gammas.append(state_posteriors(log_alpha, log_beta))
        xi_sum = xi_sum + transition_posteriors(log_alpha, log_beta, P, part).sum(axis=0)
        log_L.append(ll)
    return np.array(log_L), np.concatenate(gammas), xi_sum


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 10**6), S=st.integers(1, 5),
       lengths=st.lists(st.integers(1, 9), min_size=1, max_size=5),
       scale=st.sampled_from([0.1, 1.0, 30.0, 900.0]), zeros=st.booleans(),
       block_length=st.sampled_from([1, 2, 3, None, 1000]))
def test_sequence_posteriors_equal_the_textbook(seed, S, lengths, scale, zeros, block_length):
    pi0, P = model(seed, S, zeros)
    n = sum(lengths)
    # Densities up to e^-2700 apart: the rescaled chain underflows and log space takes over.
    log_Phi = scale * np.random.default_rng(seed + 1).normal(size=(n, S))
    expected = textbook_posteriors(pi0, P, log_Phi, np.array(lengths))
    if not np.isfinite(expected[0]).all():
        return  # a sequence the model cannot produce: no posteriors to compare
    got = fast.sequence_posteriors(pi0, P, log_Phi, np.array(lengths), block_length)
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-10, atol=1e-9)
    np.testing.assert_allclose(got[1], expected[1], atol=1e-10)
    np.testing.assert_allclose(got[2], expected[2], rtol=1e-9, atol=1e-9)


def test_blocks_and_restarts_run_many_times_on_long_chains():
    # 3 blocks of 40 steps and sequences that start inside blocks, against the textbook.
    pi0, P = model(4, 3, False)
    lengths = np.array([17, 1, 45, 30, 27])
    log_Phi = np.random.default_rng(5).normal(size=(lengths.sum(), 3))
    expected = textbook_posteriors(pi0, P, log_Phi, lengths)
    for block_length in (1, 7, 40, None):
        got = fast._scaled_posteriors(pi0, P, log_Phi, np.isin(np.arange(120), np.cumsum(lengths)),
                                      lengths, block_length or 8)
        assert got is not None  # the probability-space path itself, not the fallback
        for a, b in zip(got, expected):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_underflow_falls_back_to_log_space():
    # The chain must start in state 1, whose density is e^-1000 that of state 0.
    pi0, P = np.array([0.0, 1.0]), np.array([[0.5, 0.5], [0.5, 0.5]])
    log_Phi = np.array([[0.0, -1000.0], [0.0, 0.0], [-5.0, 0.0]])
    starts = np.zeros(3, dtype=bool)
    assert fast._scaled_posteriors(pi0, P, log_Phi, starts, np.array([3]), 2) is None
    got = fast.sequence_posteriors(pi0, P, log_Phi, np.array([3]))
    expected = textbook_posteriors(pi0, P, log_Phi, np.array([3]))
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), S=st.integers(1, 5), T=st.integers(1, 12),
       zeros=st.booleans())
def test_viterbi_vectorised_equals_the_textbook(seed, S, T, zeros):
    pi0, P = model(seed, S, zeros)
    log_Phi = np.random.default_rng(seed + 2).normal(size=(T, S)) * 3
    with np.errstate(divide="ignore"):
        path, log_p = fast.viterbi_vectorised(np.log(pi0), np.log(P), log_Phi)
    expected_path, expected_log_p = viterbi(pi0, P, log_Phi)
    assert path.tolist() == expected_path.tolist()
    assert log_p == pytest.approx(expected_log_p, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), S=st.integers(1, 4), K=st.integers(1, 5),
       T=st.integers(1, 30))
def test_categorical_emissions_and_counts_equal_the_textbook(seed, S, K, T):
    rng = np.random.default_rng(seed)
    B = rng.dirichlet(np.ones(K), S)
    B[0, 0] = 0.0  # a symbol state 0 never emits
    B[0] /= B[0].sum() if B[0].sum() > 0 else 1.0
    x = rng.integers(K, size=T)
    np.testing.assert_array_equal(fast.categorical_log_emissions_indexed(x, B),
                                  categorical_log_emissions(x, B))
    gamma = rng.dirichlet(np.ones(S), T)
    gamma[:, -1] = 0.0  # the last state never visited keeps its row
    np.testing.assert_allclose(fast.categorical_counts(x, gamma, B),
                               categorical_m_step([x], [gamma], B), rtol=1e-12)
