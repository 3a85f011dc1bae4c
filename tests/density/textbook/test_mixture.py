"""textbook/mixture.py against closed forms and its invariants; sampling by its moments.

The fast EM is tested against these functions (tests/density/fast); here the
textbook itself is checked against computations that share no code with it.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.density.textbook import e_step, em, m_step, sample_mixture


TYPES = ["full", "tied", "diag", "spherical"]


def test_e_step_in_1d_is_the_formula_written_with_math_exp():
    x, alpha, mu, var = [-1.0, 0.5, 3.0], [0.3, 0.7], [0.0, 2.0], [1.0, 4.0]
    gamma, mean_log_f = e_step(np.array(x)[:, None], alpha, np.array(mu)[:, None], var,
                               "spherical")
    for t, xt in enumerate(x):
        joint = [a * math.exp(-(xt - m) ** 2 / (2 * v)) / math.sqrt(2 * math.pi * v)
                 for a, m, v in zip(alpha, mu, var)]
        assert gamma[t] == pytest.approx([j / sum(joint) for j in joint], rel=1e-14)
    f = [sum(a * math.exp(-(xt - m) ** 2 / (2 * v)) / math.sqrt(2 * math.pi * v)
             for a, m, v in zip(alpha, mu, var)) for xt in x]
    assert mean_log_f == pytest.approx(np.mean(np.log(f)), rel=1e-14)


def test_e_step_far_from_every_component_is_finite_and_certain():
    # log-odds of x = 1e4 between means 0 and 1 (unit variances): -(1e8 - (1e4 - 1)^2)/2
    gamma, mean_log_f = e_step([[1e4]], [0.5, 0.5], [[0.0], [1.0]], [1.0, 1.0], "spherical")
    np.testing.assert_array_equal(gamma, [[0.0, 1.0]])
    assert mean_log_f == pytest.approx(math.log(0.5) - 0.5 * math.log(2 * math.pi)
                                       - 0.5 * (1e4 - 1) ** 2, rel=1e-15)


@pytest.mark.parametrize("kind", TYPES)
def test_m_step_on_hard_labels_is_each_groups_mean_and_biased_covariance(kind):
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(30, 3)), rng.normal(size=(20, 3)) * 2 + 5])
    labels = np.repeat([0, 1], [30, 20])
    alpha, means, cov = m_step(X, np.eye(2)[labels], kind, reg_covar=0.0)
    np.testing.assert_allclose(alpha, [0.6, 0.4], rtol=1e-14)
    groups = [X[labels == i] for i in range(2)]
    np.testing.assert_allclose(means, [g.mean(axis=0) for g in groups], rtol=1e-13)
    biased = [np.cov(g.T, bias=True) for g in groups]
    expected = {"full": np.array(biased), "tied": (30 * biased[0] + 20 * biased[1]) / 50,
                "diag": np.array([np.diag(b) for b in biased]),
                "spherical": np.array([np.trace(b) / 3 for b in biased])}[kind]
    np.testing.assert_allclose(cov, expected, rtol=1e-12)


def test_m_step_gives_an_empty_component_mean_zero_and_covariance_reg_covar():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    alpha, means, cov = m_step(X, [[1.0, 0.0], [1.0, 0.0]], "full", reg_covar=0.5)
    np.testing.assert_array_equal(means[1], [0.0, 0.0])
    np.testing.assert_array_equal(cov[1], 0.5 * np.eye(2))
    assert alpha[1] < 1e-14


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(TYPES), st.integers(1, 3))
def test_em_never_lowers_the_mean_log_likelihood(seed, kind, k):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 2)) + rng.integers(0, 3, size=(40, 1)) * 3.0
    start = m_step(X, rng.dirichlet(np.ones(k), size=40), kind, 1e-3)
    # reg_covar = 0: with it, the M-step is no longer the maximiser and may lower it slightly
    history = em(X, *start, covariance_type=kind, reg_covar=0.0, n_iter=15, tol=0.0)[3]
    assert len(history) == 15
    assert np.all(np.diff(history) >= -1e-12 * np.abs(history[1:]))


@pytest.mark.parametrize("kind", ["full", "diag"])
def test_sample_mixture_has_the_mixtures_weights_means_and_covariances(kind):
    alpha, means = np.array([0.3, 0.7]), np.array([[-4.0, 0.0], [3.0, 1.0]])
    full = np.array([[[1.0, 0.6], [0.6, 2.0]], [[0.5, 0.0], [0.0, 0.25]]])
    Sigma = full if kind == "full" else np.array([[1.0, 2.0], [0.5, 0.25]])
    X, labels = sample_mixture(100_000, alpha, means, Sigma, kind, random_state=0)
    assert X.shape == (100_000, 2) and labels.dtype == np.int64
    assert abs(np.mean(labels == 1) - 0.7) < 4 * math.sqrt(0.21 / 100_000)
    assert np.any(labels[:50] == 0) and np.any(labels[:50] == 1)  # not grouped
    for i in range(2):
        rows = X[labels == i]
        expected = full[i] if kind == "full" else np.diag(Sigma[i])
        np.testing.assert_allclose(rows.mean(axis=0), means[i], atol=0.05)
        np.testing.assert_allclose(np.cov(rows.T), expected, atol=0.05)
