"""KernelDensity's maths against independent computations: integrals, double loops, scaling."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.density import KernelDensity
from scratch_genmod.density.textbook import kde
from tests.density.kde_reference import COMPACT, KERNEL_NAMES, piecewise_nodes

seeds = st.integers(0, 2**32 - 1)


@pytest.mark.parametrize("kernel", KERNEL_NAMES)
@settings(max_examples=12, deadline=None)
@given(seed=seeds, n=st.integers(1, 50), h=st.floats(0.05, 2.0), spread=st.floats(0.0, 5.0))
def test_1d_density_integrates_to_one_and_is_non_negative(kernel, seed, n, h, spread):
    X = np.random.default_rng(seed).normal(scale=spread, size=(n, 1))
    reach = h * (1.0 if kernel in COMPACT else 45.0)  # e^-45: the tails' mass is ~1e-20
    breaks = np.concatenate([X[:, 0], X[:, 0] - h, X[:, 0] + h,
                             [X.min() - reach, X.max() + reach]])
    u, w = piecewise_nodes(breaks, 0.5 * h)  # cut at every kink and jump: exact pieces
    f = KernelDensity(bandwidth=h, kernel=kernel).fit(X).pdf(u[:, None])
    assert np.all(f >= 0) and np.all(np.isfinite(f))
    assert float(np.sum(w * f)) == pytest.approx(1.0, abs=1e-8)


@pytest.mark.parametrize("kernel", KERNEL_NAMES)
@settings(max_examples=3, deadline=None)
@given(seed=seeds, n=st.integers(1, 12), h=st.floats(0.3, 1.0), matrix=st.booleans())
def test_2d_density_integrates_to_one_on_a_grid(kernel, seed, n, h, matrix):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    if matrix:  # an elongated, rotated bandwidth matrix with eigenvalues h^2 and (h/2)^2
        angle = rng.uniform(0, np.pi)
        R = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        bandwidth = R @ np.diag([h * h, h * h / 4]) @ R.T
    else:
        bandwidth = h
    reach = h * {"gaussian": 10.0, "exponential": 24.0}.get(kernel, 1.0)
    # The tophat's jumps make the midpoint rule's error O(step): it needs the finest grid.
    step = h / {"gaussian": 12, "exponential": 12, "tophat": 150}.get(kernel, 25)
    g = np.arange(-1 - reach, 1 + reach, step) + step / 2  # midpoint rule
    grid = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    f = KernelDensity(bandwidth=bandwidth, kernel=kernel).fit(X).pdf(grid)
    assert np.all(f >= 0) and np.all(np.isfinite(f))
    assert float(f.sum() * step * step) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("kernel", KERNEL_NAMES)
@settings(max_examples=8, deadline=None)
@given(seed=seeds, n=st.integers(1, 12), d=st.sampled_from([1, 2]),
       matrix=st.booleans(), weighted=st.booleans())
def test_pdf_equals_the_textbook_sum(kernel, seed, n, d, matrix, weighted):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    Y = np.vstack([rng.normal(scale=1.5, size=(8, d)), X[:2]])  # also exactly at centres
    A = rng.normal(size=(d, d))
    H = A @ A.T + 0.3 * np.eye(d) if matrix else np.eye(d) * rng.uniform(0.3, 2.0) ** 2
    bandwidth = H if matrix else math.sqrt(H[0, 0])
    w = rng.uniform(0.1, 3.0, size=n) if weighted else None
    got = KernelDensity(bandwidth=bandwidth, kernel=kernel).fit(X, sample_weight=w).pdf(Y)
    expected = kde(Y, X, bandwidth, kernel, w)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


@settings(max_examples=25, deadline=None)
@given(seed=seeds, n=st.integers(1, 30), h=st.floats(0.01, 10.0), far=st.floats(0.0, 1e4))
def test_gaussian_is_the_log_of_the_average_of_normal_pdfs(seed, n, h, far):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = np.append(rng.normal(size=5), far)  # far: every normal pdf underflows to 0
    # log N(y | x_i, h^2) written out, then a log-sum-exp by hand, minus log n.
    log_phi = -0.5 * ((y[:, None] - x) / h) ** 2 - math.log(h * math.sqrt(2 * math.pi))
    top = log_phi.max(axis=1)
    expected = top + np.log(np.exp(log_phi - top[:, None]).sum(axis=1)) - math.log(n)
    got = KernelDensity(bandwidth=h).fit(x[:, None]).score_samples(y[:, None])
    # The Gaussian's terms come from one matrix product (log k = y.x - |x|^2/2 - |y|^2/2, in
    # units of h, centred on the data's mean), exact to about 2 eps (|y|^2 + |x|^2) each: with
    # h = 0.01 that is ~1e-11, beyond a plain 1e-12. The tolerance allows twice that rounding.
    u_y, u_x = (y - x.mean()) / h, (x - x.mean()) / h
    rounding = 4 * np.finfo(float).eps * (u_y ** 2 + np.max(u_x ** 2))
    assert np.all(np.abs(got - expected) <= 1e-12 * np.abs(expected) + 1e-12 + rounding)


@pytest.mark.parametrize("d", [1, 2, 5])
def test_far_query_keeps_its_true_log_density(d):
    X = np.zeros((1, d))
    Y = np.full((1, d), 1e3)
    r2 = d * 1e6
    gauss = KernelDensity(bandwidth=1.0).fit(X).score_samples(Y)[0]
    assert gauss == pytest.approx(-0.5 * r2 - 0.5 * d * math.log(2 * math.pi), rel=1e-14)
    expo = KernelDensity(bandwidth=1.0, kernel="exponential").fit(X).score_samples(Y)[0]
    # C_d = S_{d-1} Gamma(d): 2 (d=1), 2 pi (d=2), 8 pi^2 * 4! / Gamma(5/2) / ... via lgamma
    log_c = math.log(2) + 0.5 * d * math.log(math.pi) - math.lgamma(d / 2) + math.lgamma(d)
    assert expo == pytest.approx(-math.sqrt(r2) - log_c, rel=1e-14)
    for kernel in COMPACT:  # truly 0 beyond the support: -inf, and no warning
        assert KernelDensity(bandwidth=1.0, kernel=kernel).fit(X).score_samples(Y)[0] == -np.inf


@pytest.mark.parametrize("kernel", KERNEL_NAMES)
@settings(max_examples=6, deadline=None)
@given(seed=seeds, log_c=st.floats(-4.0, 4.0), d=st.sampled_from([1, 2, 3]))
def test_scaling_data_query_and_h_by_c_shifts_log_density_by_d_log_c(kernel, seed, log_c, d):
    rng = np.random.default_rng(seed)
    X, Y, h, c = rng.normal(size=(20, d)), rng.normal(scale=1.3, size=(15, d)), 0.8, 10**log_c
    base = KernelDensity(bandwidth=h, kernel=kernel).fit(X).score_samples(Y)
    scaled = KernelDensity(bandwidth=c * h, kernel=kernel).fit(c * X).score_samples(c * Y)
    assert np.array_equal(np.isfinite(base), np.isfinite(scaled))
    ok = np.isfinite(base)
    np.testing.assert_allclose(scaled[ok], base[ok] - d * math.log(c), rtol=1e-11, atol=1e-11)


@pytest.mark.parametrize("rule", ["scott", "silverman"])
@pytest.mark.parametrize("how", ["scalar", "per-axis", "matrix"])
@pytest.mark.parametrize("kernel", ["gaussian", "epanechnikov", "exponential"])
def test_rules_scale_with_the_data(rule, how, kernel):
    rng = np.random.default_rng(7)
    X, Y = rng.normal(size=(60, 2)) @ [[1.0, 0.4], [0.0, 0.7]], rng.normal(size=(20, 2))
    A = {"scalar": 1e3 * np.eye(2), "per-axis": np.diag([1e-3, 50.0]),
         "matrix": np.array([[2.0, -1.0], [0.5, 3.0]])}[how]
    base = KernelDensity(bandwidth=rule, kernel=kernel).fit(X)
    moved = KernelDensity(bandwidth=rule, kernel=kernel).fit(X @ A.T)
    np.testing.assert_allclose(moved.bandwidth_matrix_, A @ base.bandwidth_matrix_ @ A.T,
                               rtol=1e-12, atol=0)
    expected = base.score_samples(Y) - math.log(abs(np.linalg.det(A)))
    got = moved.score_samples(Y @ A.T)
    ok = np.isfinite(expected)
    assert np.array_equal(ok, np.isfinite(got))
    np.testing.assert_allclose(got[ok], expected[ok], rtol=1e-11)


@pytest.mark.parametrize("weighted", [False, True])
def test_rule_of_thumb_factors_times_the_covariance(weighted):
    rng = np.random.default_rng(3)
    n, d = 40, 3
    X = rng.normal(size=(n, d)) * [1.0, 5.0, 0.1]
    w = rng.uniform(0.5, 2.0, size=n) if weighted else np.ones(n)
    n_eff = w.sum() ** 2 / np.sum(w * w)
    cov = np.cov(X.T, aweights=w)
    scott = KernelDensity(bandwidth="scott").fit(X, sample_weight=w).bandwidth_matrix_
    silverman = KernelDensity(bandwidth="silverman").fit(X, sample_weight=w).bandwidth_matrix_
    np.testing.assert_allclose(scott, n_eff ** (-2 / (d + 4)) * cov, rtol=1e-12)
    np.testing.assert_allclose(silverman, (n_eff * (d + 2) / 4) ** (-2 / (d + 4)) * cov,
                               rtol=1e-12)


@pytest.mark.parametrize("kernel", KERNEL_NAMES)
def test_permuting_the_data_changes_nothing(kernel):
    rng = np.random.default_rng(4)
    X, Y, w = rng.normal(size=(30, 2)), rng.normal(size=(10, 2)), rng.uniform(size=30)
    order = rng.permutation(30)
    a = KernelDensity(bandwidth=0.9, kernel=kernel).fit(X, sample_weight=w).score_samples(Y)
    b = KernelDensity(bandwidth=0.9, kernel=kernel).fit(X[order], sample_weight=w[order])
    np.testing.assert_allclose(b.score_samples(Y), a, rtol=1e-13)


@pytest.mark.parametrize("kernel", KERNEL_NAMES)
def test_integer_weights_equal_repeated_points_and_zero_weights_drop_them(kernel):
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(10, 2)), rng.normal(size=(12, 2))
    counts = rng.integers(0, 4, size=10)
    counts[0] = 1
    weighted = KernelDensity(bandwidth=1.1, kernel=kernel).fit(X, sample_weight=counts)
    repeated = KernelDensity(bandwidth=1.1, kernel=kernel).fit(np.repeat(X, counts, axis=0))
    np.testing.assert_allclose(weighted.score_samples(Y), repeated.score_samples(Y), rtol=1e-12)
    assert len(weighted.data_) == np.count_nonzero(counts)
    assert weighted.weights_.sum() == pytest.approx(1.0, abs=1e-15)
