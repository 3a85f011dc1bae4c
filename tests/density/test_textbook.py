"""The textbook functions against closed forms, hand-typed kernels and their invariants.

The fast estimators are tested against these functions (test_fast_equals_textbook.py);
here the textbook itself is checked against computations that share no code with it.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.density.textbook import e_step, em, kde, lloyd_step, log_kde, m_step
from tests.density.kde_reference import KERNEL_1D, KERNEL_2D, KERNEL_NAMES

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


@pytest.mark.parametrize("kernel", KERNEL_NAMES)
@pytest.mark.parametrize("d", [1, 2])
def test_kde_of_one_point_is_the_hand_typed_kernel(kernel, d):
    K = (KERNEL_1D if d == 1 else KERNEL_2D)[kernel]
    h = 0.7
    Y = np.random.default_rng(1).uniform(-1.2, 1.2, size=(25, d)) * h
    expected = [K(float(np.linalg.norm(y)) / h) / h ** d for y in Y]
    np.testing.assert_allclose(kde(Y, np.zeros((1, d)), h, kernel), expected, rtol=1e-13,
                               atol=1e-15)


@pytest.mark.parametrize("kernel", KERNEL_NAMES)
def test_weights_and_a_bandwidth_matrix_as_the_formula_says(kernel):
    rng = np.random.default_rng(2)
    X, Y, w = rng.normal(size=(5, 2)), rng.normal(size=(7, 2)), rng.uniform(0.1, 1, 5)
    H = np.array([[0.8, 0.3], [0.3, 0.5]])
    # K_H(u) = |H|^(-1/2) K(H^(-1/2) u): with the hand-typed 2-D kernel and sqrt(u^T H^-1 u)
    r = np.sqrt(np.einsum("jid,de,jie->ji", Y[:, None] - X, np.linalg.inv(H), Y[:, None] - X))
    terms = np.vectorize(KERNEL_2D[kernel])(r) / math.sqrt(np.linalg.det(H))
    expected = terms @ (w / w.sum())
    np.testing.assert_allclose(kde(Y, X, H, kernel, w), expected, rtol=1e-12, atol=1e-15)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(log_kde(Y, X, H, kernel, w), np.log(expected), rtol=1e-12)


@pytest.mark.parametrize("scale", [1e-150, 1e150])
def test_log_kde_at_extreme_scales_shifts_by_d_log_scale(scale):
    X, Y = np.array([[0.0, 0.0], [1.0, 0.5]]), np.array([[0.2, 0.1], [30.0, -20.0]])
    base = log_kde(Y, X, 0.8)
    np.testing.assert_allclose(log_kde(Y * scale, X * scale, 0.8 * scale),
                               base - 2 * math.log(scale), rtol=1e-13)


def test_lloyd_step_by_hand_and_its_inertia_never_rises():
    new, labels = lloyd_step([[0.0, 0.0], [2.0, 0.0], [10.0, 0.0], [10.0, 4.0]],
                             [[1.0, 1.0], [9.0, 0.0]])
    np.testing.assert_array_equal(labels, [0, 0, 1, 1])
    np.testing.assert_array_equal(new, [[1.0, 0.0], [10.0, 2.0]])
    rng = np.random.default_rng(3)
    X, C = rng.normal(size=(50, 2)), rng.normal(size=(4, 2)) * 3
    for _ in range(5):
        before = np.sum((X - C[lloyd_step(X, C)[1]]) ** 2)
        C = lloyd_step(X, C)[0]
        assert np.sum((X - C[lloyd_step(X, C)[1]]) ** 2) <= before + 1e-12


@pytest.mark.parametrize("call, message", [
    (lambda: e_step([1.0, 2.0], [1.0], [[0.0]], [1.0], "spherical"), "X must be a 2-D"),
    (lambda: e_step([[1.0]], [0.5, 0.6], [[0.0], [1.0]], [1.0, 1.0], "spherical"), "alpha"),
    (lambda: e_step([[1.0]], [1.0], [[0.0, 1.0]], [1.0], "spherical"), "means"),
    (lambda: e_step([[1.0]], [1.0], [[0.0]], [1.0, 2.0], "spherical"), "covariances"),
    (lambda: e_step([[1.0]], [1.0], [[0.0]], [[[-1.0]]]), r"covariances\[0\]"),
    (lambda: e_step([[1.0]], [1.0], [[0.0]], [1.0], "ful"), "covariance_type"),
    (lambda: m_step([[1.0]], [[-1.0]]), "gamma"),
    (lambda: m_step([[1.0]], [[1.0]], reg_covar=-1.0), "reg_covar"),
    (lambda: m_step([[np.nan]], [[1.0]]), "X contains 1 NaN"),
    (lambda: em([[1.0]], [1.0], [[0.0]], [[[1.0]]], n_iter=0), "n_iter"),
    (lambda: kde([[0.0]], [[0.0]], bandwidth=-1.0), "bandwidth"),
    (lambda: kde([[0.0]], [[0.0]], kernel="gauss"), "kernel"),
    (lambda: kde([[0.0, 1.0]], [[0.0]]), "Y has 2 features"),
    (lambda: log_kde([[0.0]], [[0.0]], sample_weight=[-1.0]), "sample_weight"),
    (lambda: lloyd_step([[0.0]], [[0.0, 1.0]]), "centers has 2 features"),
])
def test_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
