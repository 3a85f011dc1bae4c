"""The maths of EM: one iteration against the textbook, and its invariants."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.datasets import make_mixture
from scratch_genmod.density import GaussianMixture
from scratch_genmod.density.textbook import e_step, m_step

TYPES = ["full", "tied", "diag", "spherical"]


def full_covariances(cov, kind, k, d):
    """Any covariance_type's array as k full (d, d) matrices."""
    if kind == "full":
        return cov
    if kind == "tied":
        return np.repeat(cov[None], k, axis=0)
    if kind == "diag":
        return np.stack([np.diag(c) for c in cov])
    return np.stack([c * np.eye(d) for c in cov])


def random_start(kind, k, d, rng):
    weights = rng.dirichlet(np.ones(k) * 3)
    means = rng.normal(size=(k, d))
    A = rng.normal(size=(k, d, d))
    covs = A @ A.transpose(0, 2, 1) + 0.5 * np.eye(d)
    cov = {"full": covs, "tied": covs[0], "diag": rng.uniform(0.5, 2, (k, d)),
           "spherical": rng.uniform(0.5, 2, k)}[kind]
    precisions = np.linalg.inv(cov) if kind in ("full", "tied") else 1.0 / cov
    return weights, means, cov, precisions


@pytest.mark.parametrize("kind", TYPES)
def test_one_iteration_is_textbook_e_step_then_m_step(kind):
    rng = np.random.default_rng(1)
    k, d = 3, 2
    X = rng.normal(size=(60, d)) * 2 + 1
    weights, means, cov, precisions = random_start(kind, k, d, rng)
    gm = GaussianMixture(k, covariance_type=kind, max_iter=1, tol=0.0, reg_covar=1e-3,
                         weights_init=weights, means_init=means, precisions_init=precisions)
    with pytest.warns(UserWarning, match="did not converge"):
        gm.fit(X)
    gamma, ll = e_step(X, weights, means, cov, kind)
    w, mu, c = m_step(X, gamma, kind, 1e-3)
    assert gm.lower_bound_ == pytest.approx(ll, rel=1e-12)
    np.testing.assert_allclose(gm.weights_, w, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gm.means_, mu, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gm.covariances_, c, rtol=1e-10, atol=1e-12)
    # the stored precision factors belong to the new covariances
    precision = np.linalg.inv(full_covariances(c, kind, k, d))
    np.testing.assert_allclose(full_covariances(gm.precisions_, kind, k, d), precision,
                               rtol=1e-9, atol=1e-12)
    # and score_samples is the textbook log-density at the new parameters
    ll_new = e_step(X, w, mu, c, kind)[1]
    assert gm.score(X) == pytest.approx(ll_new, rel=1e-12)


@settings(max_examples=20)
@given(st.integers(0, 10_000), st.sampled_from(TYPES), st.integers(1, 4), st.integers(1, 3))
def test_em_never_decreases_the_log_likelihood(seed, kind, k, d):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(80, d)) + rng.integers(0, 3, size=(80, 1)) * 2.0
    gm = GaussianMixture(k, covariance_type=kind, tol=0.0, max_iter=25, reg_covar=0.0,
                         init_params="random", random_state=seed)
    with pytest.warns(UserWarning, match="did not converge"):
        gm.fit(X)
    history = np.array(gm.log_likelihood_history_)
    assert len(history) == 25
    assert np.all(np.diff(history) >= -1e-10 * np.abs(history[1:]))
    assert gm.score(X) >= history[-1] - 1e-10 * abs(history[-1])


@pytest.mark.parametrize("kind", TYPES)
def test_fitted_model_invariants(kind):
    rng = np.random.default_rng(2)
    X = np.vstack([rng.normal(size=(50, 3)), rng.normal(size=(50, 3)) + 4])
    gm = GaussianMixture(3, covariance_type=kind, random_state=0).fit(X)
    assert gm.weights_.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(gm.predict_proba(X).sum(axis=1), 1.0, atol=1e-12)
    covs = full_covariances(gm.covariances_, kind, 3, 3)
    assert np.array_equal(covs, covs.transpose(0, 2, 1))
    assert np.all(np.linalg.eigvalsh(covs) > 0)
    U = gm.precisions_cholesky_
    U_full = full_covariances(U if kind in ("full", "tied") else U, kind, 3, 3)
    if kind in ("full", "tied"):
        np.testing.assert_allclose(U_full @ U_full.transpose(0, 2, 1) @ covs,
                                   np.broadcast_to(np.eye(3), covs.shape), atol=1e-9)
    else:
        np.testing.assert_allclose(full_covariances(U ** 2, kind, 3, 3) @ covs,
                                   np.broadcast_to(np.eye(3), covs.shape), atol=1e-9)


@pytest.mark.parametrize("kind", TYPES)
def test_density_integrates_to_one_in_1d_and_2d(kind):
    rng = np.random.default_rng(3)
    X1 = np.concatenate([rng.normal(-2, 0.5, 100), rng.normal(1, 1.0, 100)])[:, None]
    gm = GaussianMixture(2, covariance_type=kind, random_state=0).fit(X1)
    xs = np.linspace(-12, 12, 20001)
    # the density vanishes at both ends, so the Riemann sum is the trapezoid rule
    dx = xs[1] - xs[0]
    assert np.exp(gm.score_samples(xs[:, None])).sum() * dx == pytest.approx(1, abs=1e-6)
    X2 = np.vstack([rng.normal(size=(100, 2)) * [1, 0.5], rng.normal(size=(100, 2)) + 3])
    gm = GaussianMixture(2, covariance_type=kind, random_state=0).fit(X2)
    g = np.linspace(-10, 13, 401)
    xx, yy = np.meshgrid(g, g)
    dens = np.exp(gm.score_samples(np.column_stack([xx.ravel(), yy.ravel()]))).reshape(xx.shape)
    assert dens.sum() * (g[1] - g[0]) ** 2 == pytest.approx(1, abs=1e-4)


def test_one_component_is_sample_mean_and_biased_covariance_in_one_iteration():
    X = np.random.default_rng(4).normal(size=(200, 3)) @ [[2, 0, 0], [1, 1, 0], [0, 0.5, 3]]
    gm = GaussianMixture(1, max_iter=1, init_params="random", reg_covar=0.0)
    with pytest.warns(UserWarning):
        gm.fit(X)
    np.testing.assert_allclose(gm.means_[0], X.mean(axis=0), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(gm.covariances_[0], np.cov(X.T, bias=True), rtol=1e-10)


@pytest.mark.parametrize("kind", ["full", "diag"])
def test_recovers_known_mixture_and_labels(kind):
    weights = np.array([0.5, 0.3, 0.2])
    means = np.array([[0.0, 0.0], [8.0, 0.0], [0.0, 8.0]])
    covs = np.array([[[1.0, 0.5], [0.5, 1.0]], [[2.0, 0.0], [0.0, 0.5]], [[0.5, 0.0], [0.0, 1.5]]])
    if kind == "diag":
        covs = covs * np.eye(2)
    n = 6000
    X, y = make_mixture(n, weights, means, covs, random_state=0)
    gm = GaussianMixture(3, covariance_type=kind, random_state=0).fit(X)
    order = [int(np.argmin(np.sum((gm.means_ - m) ** 2, axis=1))) for m in means]
    assert sorted(order) == [0, 1, 2]
    tol = 6 / np.sqrt(n)  # a few standard errors, in units of the data's scale
    np.testing.assert_allclose(gm.weights_[order], weights, atol=tol)
    np.testing.assert_allclose(gm.means_[order], means, atol=4 * tol)
    fitted = full_covariances(gm.covariances_, kind, 3, 2)[order]
    np.testing.assert_allclose(fitted, covs, atol=8 * tol)
    accuracy = max(np.mean(np.array(p)[y] == gm.predict(X))
                   for p in itertools.permutations(range(3)))
    assert accuracy > 0.99


@pytest.mark.parametrize("kind", TYPES)
def test_sample_from_one_component_has_its_moments(kind):
    rng = np.random.default_rng(5)
    X = np.vstack([rng.normal(size=(100, 2)) * [2, 0.5], rng.normal(size=(100, 2)) + 5])
    gm = GaussianMixture(2, covariance_type=kind, random_state=0).fit(X)
    n = 40_000
    S, labels = gm.sample(n, component=1, random_state=6)
    assert S.shape == (n, 2) and np.all(labels == 1)
    cov = full_covariances(gm.covariances_, kind, 2, 2)[1]
    # mean within 5 standard errors; covariance within 5 standard errors of a sample covariance
    se_mean = np.sqrt(np.diag(cov) / n)
    assert np.all(np.abs(S.mean(axis=0) - gm.means_[1]) < 5 * se_mean)
    se_cov = np.sqrt((cov ** 2 + np.outer(np.diag(cov), np.diag(cov))) / n)
    assert np.all(np.abs(np.cov(S.T) - cov) < 5 * se_cov)


def test_sample_from_mixture_is_shuffled_with_weight_frequencies():
    rng = np.random.default_rng(7)
    X = np.vstack([rng.normal(size=(300, 1)), rng.normal(size=(100, 1)) + 10])
    gm = GaussianMixture(2, random_state=0).fit(X)
    S, labels = gm.sample(20_000, random_state=8)
    freq = np.bincount(labels, minlength=2) / 20_000
    assert np.all(np.abs(freq - gm.weights_) < 5 * np.sqrt(0.25 / 20_000))
    assert not np.all(np.diff(labels) >= 0) and not np.all(np.diff(labels) <= 0)
    for i in range(2):
        assert abs(S[labels == i].mean() - gm.means_[i, 0]) < 0.1
