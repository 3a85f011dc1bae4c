"""KernelDensity.sample: moments, the kernels' exact radius laws, centres drawn by weight."""

import math

import numpy as np
import pytest

from scratch_genmod.density import KERNELS, KernelDensity
from tests.density.kde_reference import (
    COMPACT,
    KERNEL_1D,
    KERNEL_NAMES,
    chi_square,
    gauss_legendre,
    kernel_variance_1d,
)

# Chi-square thresholds far in the tail (p < 1e-6 for their degrees of freedom):
# the draws are seeded, so a pass is deterministic, and a wrong law fails by far.
CHI2_19_DOF = 60.0


@pytest.mark.parametrize("kernel", KERNEL_NAMES)
def test_1d_sample_mean_and_variance_match_the_exact_moments(kernel):
    rng = np.random.default_rng(11)
    x = rng.normal(scale=2.0, size=25)
    w = rng.uniform(0.2, 1.0, size=25)
    h, N = 0.7, 200_000
    p = w / w.sum()
    mean = float(p @ x)
    # A KDE is a mixture: Var = Var(data, weighted) + h^2 * Var(kernel).
    var = float(p @ (x - mean) ** 2) + h * h * kernel_variance_1d(kernel)
    kde = KernelDensity(bandwidth=h, kernel=kernel).fit(x[:, None], sample_weight=w)
    draws, centres = kde.sample(N, random_state=12, return_centers=True)
    s = draws[:, 0]
    assert draws.shape == (N, 1) and centres.shape == (N,)
    m4 = np.mean((s - s.mean()) ** 4)
    assert abs(s.mean() - mean) < 4 * math.sqrt(var / N)
    assert abs(s.var() - var) < 4 * math.sqrt((m4 - var * var) / N)


def radius_bin_probabilities(kernel, d, edges):
    """P(edges[k] <= R < edges[k+1]) for R with density proportional to r^(d-1) k(r)."""
    profile = np.vectorize(KERNEL_1D[kernel])  # proportional to k(r), written out
    r, w = gauss_legendre(edges[:-1], edges[1:], n_nodes=24)
    mass = (w * r ** (d - 1) * profile(r)).reshape(len(edges) - 1, -1).sum(axis=1)
    return mass / mass.sum()


@pytest.mark.parametrize("kernel", KERNEL_NAMES)
@pytest.mark.parametrize("d", [1, 2, 3])
def test_kernel_radius_follows_r_to_the_d_minus_1_times_profile(kernel, d):
    # The last edge is far enough that the mass beyond it is below 1e-12.
    top = 1.0 if kernel in COMPACT else {"gaussian": 9.0, "exponential": 40.0}[kernel]
    edges = np.linspace(0.0, top, 21)
    if kernel == "exponential":  # equal-width bins would leave the far ones empty
        edges = np.concatenate([np.linspace(0.0, 8.0 + 2 * d, 20), [top]])
    z = KERNELS[kernel].sample(np.random.default_rng(d), 50_000, d)
    assert z.shape == (50_000, d)
    r = np.sqrt(np.sum(z * z, axis=1))
    assert r.max() < top  # compact kernels: every draw inside the unit ball
    counts = np.histogram(r, bins=edges)[0]
    assert chi_square(counts, radius_bin_probabilities(kernel, d, edges)) < CHI2_19_DOF


@pytest.mark.parametrize("kernel", ["tophat", "cosine", "exponential"])
def test_kernel_directions_are_uniform_on_the_circle(kernel):
    z = KERNELS[kernel].sample(np.random.default_rng(3), 40_000, 2)
    angle = np.arctan2(z[:, 1], z[:, 0])
    counts = np.histogram(angle, bins=20, range=(-np.pi, np.pi))[0]
    assert chi_square(counts, np.full(20, 1 / 20)) < CHI2_19_DOF


def test_centres_are_drawn_with_probability_p_i():
    X = np.arange(20.0)[:, None]
    w = np.arange(1.0, 21.0)
    _, centres = KernelDensity(bandwidth=0.1).fit(X, sample_weight=w).sample(
        100_000, random_state=0, return_centers=True)
    counts = np.bincount(centres, minlength=20)
    assert chi_square(counts, w / w.sum()) < CHI2_19_DOF


@pytest.mark.parametrize("kernel", sorted(COMPACT))
def test_compact_offsets_stay_in_the_bandwidth_ellipse(kernel):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(30, 2))
    H = np.array([[0.5, 0.3], [0.3, 0.4]])
    kde = KernelDensity(bandwidth=H, kernel=kernel).fit(X)
    draws, centres = kde.sample(20_000, random_state=1, return_centers=True)
    offset = draws - X[centres]
    maha = np.einsum("ij,ij->i", offset, np.linalg.solve(H, offset.T).T)
    assert maha.max() < 1.0
    assert np.all(kde.score_samples(draws) > -np.inf)  # every draw where f^ > 0


def test_gaussian_2d_sample_covariance_is_data_covariance_plus_h():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(40, 2)) @ [[2.0, 0.0], [1.0, 0.5]]
    H = np.array([[0.3, -0.1], [-0.1, 0.2]])
    draws = KernelDensity(bandwidth=H).fit(X).sample(200_000, random_state=6)
    centred = X - X.mean(axis=0)
    expected = centred.T @ centred / len(X) + H  # biased: the mixture's own covariance
    np.testing.assert_allclose(draws.mean(axis=0), X.mean(axis=0), atol=0.02)
    np.testing.assert_allclose(np.cov(draws.T), expected, atol=0.03)


def test_sampling_is_reproducible_and_the_own_generator_advances():
    X = np.random.default_rng(0).normal(size=(10, 2))
    kde = KernelDensity(bandwidth=0.5, kernel="cosine", random_state=3).fit(X)
    a, ca = kde.sample(50, random_state=9, return_centers=True)
    b = kde.sample(50, random_state=9)
    assert a.shape == (50, 2) and np.array_equal(a, b) and ca.shape == (50,)
    first, second = kde.sample(50), kde.sample(50)
    assert not np.array_equal(first, second)
    again = KernelDensity(bandwidth=0.5, kernel="cosine", random_state=3).fit(X)
    assert np.array_equal(again.sample(50), first)
