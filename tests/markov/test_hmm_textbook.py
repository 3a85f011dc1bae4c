"""The HMM textbook against brute force over every hidden path, and Baum-Welch against a
second implementation written here (probability space, rescaled as Rabiner does)."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.core import logsumexp
from scratch_genmod.markov.textbook import (
    backward,
    baum_welch_step,
    categorical_log_emissions,
    categorical_m_step,
    forward,
    gaussian_log_emissions,
    gaussian_m_step,
    sample_categorical,
    sample_states,
    state_posteriors,
    transition_posteriors,
    viterbi,
)


def random_model(seed, S, K, zeros=False):
    rng = np.random.default_rng(seed)
    pi0, P, B = rng.dirichlet(np.ones(S)), rng.dirichlet(np.ones(S), S), rng.dirichlet(np.ones(K), S)
    if zeros:  # impossible transitions and emissions, never a row of zeros
        P[rng.random((S, S)) < 0.3] = 0.0
        P[np.arange(S), rng.integers(S, size=S)] += 0.5
        P /= P.sum(axis=1, keepdims=True)
    return pi0, P, B


def joint_log_probs(pi0, P, log_Phi):
    """log P(y, x) for every hidden path y, by the definition of the model."""
    T, S = log_Phi.shape
    paths = list(itertools.product(range(S), repeat=T))
    with np.errstate(divide="ignore"):
        lp0, lP = np.log(pi0), np.log(P)
    joint = [lp0[y[0]] + log_Phi[0, y[0]] + sum(lP[y[t - 1], y[t]] + log_Phi[t, y[t]]
                                                 for t in range(1, T)) for y in paths]
    return np.array(paths), np.array(joint)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 3), st.integers(1, 5), st.booleans())
def test_forward_backward_viterbi_equal_the_sum_over_every_path(seed, S, T, zeros):
    pi0, P, B = random_model(seed, S, 3, zeros)
    x = np.random.default_rng(seed + 1).integers(3, size=T)
    log_Phi = categorical_log_emissions(x, B)
    paths, joint = joint_log_probs(pi0, P, log_Phi)
    log_L = logsumexp(joint)
    log_alpha, ll = forward(pi0, P, log_Phi)
    assert ll == pytest.approx(log_L, rel=1e-12, abs=1e-12)
    log_beta = backward(P, log_Phi)
    # beta_1: L = sum_i pi_0(i) Phi_i(x_1) beta_1(i).
    with np.errstate(divide="ignore"):
        assert logsumexp(np.log(pi0) + log_Phi[0] + log_beta[0]) == pytest.approx(log_L, rel=1e-12)
    post = np.exp(joint - log_L)
    gamma = state_posteriors(log_alpha, log_beta)
    for t in range(T):
        for i in range(S):
            assert gamma[t, i] == pytest.approx(post[paths[:, t] == i].sum(), abs=1e-12)
    xi = transition_posteriors(log_alpha, log_beta, P, log_Phi)
    for t in range(T - 1):
        for i, j in itertools.product(range(S), repeat=2):
            mask = (paths[:, t] == i) & (paths[:, t + 1] == j)
            assert xi[t, i, j] == pytest.approx(post[mask].sum(), abs=1e-12)
    path, log_p = viterbi(pi0, P, log_Phi)
    assert log_p == pytest.approx(joint.max(), rel=1e-12)
    best = np.flatnonzero(np.isclose(joint, joint.max(), rtol=1e-12, atol=0))
    assert any((paths[k] == path).all() for k in best)


def test_viterbi_of_the_casino_by_hand():
    # Fair (0) and loaded (1) dice; rolls 6, 6, 1. Path 1,1,1: 0.5 * 0.5 * 0.9 * 0.5 * 0.9 * 0.1.
    B = np.array([[1 / 6] * 6, [0.1] * 5 + [0.5]])
    path, log_p = viterbi([0.5, 0.5], [[0.9, 0.1], [0.1, 0.9]], np.log(B[:, [5, 5, 0]].T))
    assert path.tolist() == [1, 1, 1]
    assert np.exp(log_p) == pytest.approx(0.010125, rel=1e-12)
    # Forward by hand on the first two rolls: alpha_1 = (1/12, 1/4), alpha_2(j) = ...
    _, ll = forward([0.5, 0.5], [[0.9, 0.1], [0.1, 0.9]], np.log(B[:, [5, 5]].T))
    a1 = np.array([0.5 / 6, 0.25])
    a2 = np.array([(a1[0] * 0.9 + a1[1] * 0.1) / 6, (a1[0] * 0.1 + a1[1] * 0.9) * 0.5])
    assert np.exp(ll) == pytest.approx(a2.sum(), rel=1e-12)


def scaled_baum_welch(sequences, pi0, P, B):
    """A second Baum-Welch, in probability space with Rabiner's scaling c_t, for symbols."""
    S, K = B.shape
    start, trans, emit, total = np.zeros(S), np.zeros((S, S)), np.zeros((S, K)), 0.0
    for x in sequences:
        T = len(x)
        a, c = np.zeros((T, S)), np.zeros(T)
        a[0] = pi0 * B[:, x[0]]
        c[0] = a[0].sum()
        a[0] /= c[0]
        for t in range(1, T):
            a[t] = (a[t - 1] @ P) * B[:, x[t]]
            c[t] = a[t].sum()
            a[t] /= c[t]
        b = np.ones((T, S))
        for t in range(T - 2, -1, -1):
            b[t] = P @ (B[:, x[t + 1]] * b[t + 1]) / c[t + 1]
        g = a * b
        start += g[0]
        for t in range(T - 1):
            trans += np.outer(a[t], B[:, x[t + 1]] * b[t + 1]) * P / c[t + 1]
        for t in range(T):
            emit[:, x[t]] += g[t]
        total += np.log(c).sum()
    return (start / len(sequences), trans / trans.sum(axis=1, keepdims=True),
            emit / emit.sum(axis=1, keepdims=True), total)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 4),
       st.lists(st.integers(2, 12), min_size=1, max_size=4))
def test_baum_welch_equals_a_scaled_probability_space_version(seed, S, lengths):
    pi0, P, B = random_model(seed, S, 4)
    rng = np.random.default_rng(seed + 7)
    sequences = [rng.integers(4, size=n) for n in lengths]
    ours, theirs = (pi0, P, B), (pi0, P, B)
    history = []
    for _ in range(5):
        *ours, ll = baum_welch_step(sequences, ours[0], ours[1],
                                    lambda x, B=ours[2]: categorical_log_emissions(x, B),
                                    lambda xs, gs, B=ours[2]: categorical_m_step(xs, gs, B))
        *theirs, ll_theirs = scaled_baum_welch(sequences, *theirs)
        assert ll == pytest.approx(ll_theirs, rel=1e-10)
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
        history.append(ll)
    assert np.all(np.diff(history) >= -1e-12 - 1e-9 * np.abs(history[:-1]))  # EM never goes down


def test_gaussian_m_step_by_its_formulas():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 2))
    gamma = rng.dirichlet([1.0, 1.0], size=30)
    parts, gammas = [X[:10], X[10:]], [gamma[:10], gamma[10:]]
    for kind in ("diag", "full"):
        start_cov = np.ones((2, 2)) if kind == "diag" else np.tile(np.eye(2), (2, 1, 1))
        means, covs = gaussian_m_step(parts, gammas, np.zeros((2, 2)), start_cov, kind, 0.5)
        for i in range(2):
            w = gamma[:, i] / gamma[:, i].sum()
            mu = (w[:, None] * X).sum(axis=0)
            Sigma = sum(w[t] * np.outer(X[t] - mu, X[t] - mu) for t in range(30)) + 0.5 * np.eye(2)
            np.testing.assert_allclose(means[i], mu, rtol=1e-12)
            np.testing.assert_allclose(covs[i], np.diag(Sigma) if kind == "diag" else Sigma,
                                       rtol=1e-12)
    # A state never visited keeps what it had.
    gamma0 = np.column_stack([np.ones(30), np.zeros(30)])
    means, covs = gaussian_m_step([X], [gamma0], np.full((2, 2), 7.0), np.ones((2, 2)), "diag", 0.0)
    assert means[1].tolist() == [7.0, 7.0] and covs[1].tolist() == [1.0, 1.0]


def test_gaussian_emissions_are_the_normal_density():
    X = np.array([[0.0, 1.0], [2.0, -1.0]])
    log_Phi = gaussian_log_emissions(X, np.array([[0.0, 0.0], [1.0, 1.0]]),
                                     np.array([[1.0, 4.0], [2.0, 0.5]]), "diag")
    def normal(x, mu, var):
        return np.exp(-(x - mu) ** 2 / (2 * var)) / np.sqrt(2 * np.pi * var)
    expected = [[normal(0, 0, 1) * normal(1, 0, 4), normal(0, 1, 2) * normal(1, 1, 0.5)],
                [normal(2, 0, 1) * normal(-1, 0, 4), normal(2, 1, 2) * normal(-1, 1, 0.5)]]
    np.testing.assert_allclose(np.exp(log_Phi), expected, rtol=1e-12)


def test_sampled_paths_follow_p_ij_and_symbols_follow_b():
    P = np.array([[0.7, 0.3, 0.0], [0.1, 0.1, 0.8], [0.5, 0.0, 0.5]])
    rng = np.random.default_rng(0)
    path = sample_states([0.0, 1.0, 0.0], P, 30000, rng)
    assert path[0] == 1
    counts = np.zeros((3, 3))
    np.add.at(counts, (path[:-1], path[1:]), 1)
    np.testing.assert_allclose(counts / counts.sum(axis=1, keepdims=True), P, atol=0.015)
    B = np.array([[0.2, 0.8], [1.0, 0.0], [0.5, 0.5]])
    x = sample_categorical(B, path, rng)
    for i in range(3):
        assert np.mean(x[path == i] == 0) == pytest.approx(B[i, 0], abs=0.02)


@pytest.mark.parametrize("args, message", [
    (([0.5, 0.6], [[1, 0], [0, 1]], [[0, 0]]), "pi0 must be a distribution over the 2 states"),
    (([0.5, 0.5], [[1, 0], [0, 0]], [[0, 0]]), "P must be row-stochastic.*state 1 has no "
                                               "transitions"),
    (([0.5, 0.5], [[1, 0, 0], [0, 1, 0]], [[0, 0]]), "P must be square"),
    (([0.5, 0.5], [[1, 0], [0, 1]], [[0, 0, 0]]), r"log_Phi must have shape \(T, 2\)"),
    (([0.5, 0.5], [[1, 0], [0, 1]], np.zeros((0, 2))), "log_Phi needs at least 1 sample"),
    (([0.5, 0.5], [[1, 0], [0, 1]], [[np.nan, 0]]), "log_Phi must hold log-densities"),
])
def test_bad_models_are_refused_naming_the_argument(args, message):
    with pytest.raises(ValueError, match=message):
        forward(*args)
    with pytest.raises(ValueError, match=message):
        viterbi(*args)
