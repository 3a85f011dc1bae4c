"""algorithm="textbook" and algorithm="fast" give the same numbers, on awkward data.

With "textbook" the estimators fit, score and sample through
``density.textbook`` alone (checked below by making the fast layer raise);
with "fast" through ``density.fast``. Both start from the same seed: the
same k-means++ start, the same EM start, the same draws.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.density import GaussianMixture, KernelDensity, KMeans
from scratch_genmod.density.fast import gmm_em, kde_sums, kmeans_iterations, lloyd, precisions

TYPES = ["full", "tied", "diag", "spherical"]
KERNELS = ["gaussian", "tophat", "epanechnikov", "exponential", "linear", "cosine"]
offsets = st.sampled_from([0.0, 1e4, -3e6])
scales = st.sampled_from([1e-6, 1.0, 1e5])


def awkward_data(seed, n, d, offset, scale, duplicates):
    """Three clusters of unit spread, far from the origin, a third of the rows one point."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) + rng.integers(0, 3, size=(n, 1)) * 5.0
    if duplicates:
        X[1:n // 3] = X[0]
    return (X + offset) * scale


def both(estimator, **params):
    return estimator(algorithm="fast", **params), estimator(algorithm="textbook", **params)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), kind=st.sampled_from(TYPES), k=st.integers(1, 3),
       d=st.integers(1, 3), offset=offsets, scale=scales, duplicates=st.booleans(),
       init=st.sampled_from(["kmeans", "k-means++", "random"]))
def test_gaussian_mixture_fits_scores_and_samples_alike(seed, kind, k, d, offset, scale,
                                                        duplicates, init):
    X = awkward_data(seed, 60, d, offset, scale, duplicates)
    # tol=0 and few iterations: both run exactly max_iter steps, so the test compares
    # the same EM path (a tolerance hit by rounding would stop one path a step early).
    fast, book = both(GaussianMixture, n_components=k, covariance_type=kind, tol=0.0,
                      max_iter=4, reg_covar=1e-2 * scale ** 2, init_params=init,
                      random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # max_iter reached on purpose
        fast.fit(X)
        book.fit(X)
    assert fast.n_iter_ == book.n_iter_ == 4
    # Rounding: the data hold each value to eps |x|; the fast E-step works on
    # centred data, whitened (see test_fast_equals_textbook for the exact bound).
    # With reg_covar = 1e-2 scale^2 every spread is >= 0.1 scale, so the relative
    # errors stay below ~1e-9 after four steps.
    reach = (abs(offset) + 20.0) * scale
    np.testing.assert_allclose(fast.log_likelihood_history_, book.log_likelihood_history_,
                               rtol=0, atol=1e-9 * (1 + abs(offset)))
    np.testing.assert_allclose(fast.weights_, book.weights_, rtol=0,
                               atol=1e-9 * (1 + abs(offset)))
    np.testing.assert_allclose(fast.means_, book.means_, rtol=0, atol=1e-9 * reach)
    np.testing.assert_allclose(fast.covariances_, book.covariances_, rtol=0,
                               atol=1e-9 * reach ** 2)
    U_scaled = book.precisions_cholesky_ * scale
    np.testing.assert_allclose(fast.precisions_cholesky_ * scale, U_scaled, rtol=0,
                               atol=1e-7 * np.abs(U_scaled).max())
    Y = X[::7] + 0.3 * scale
    np.testing.assert_allclose(fast.score_samples(Y), book.score_samples(Y), rtol=0,
                               atol=1e-7 * (1 + abs(offset)))
    np.testing.assert_array_equal(fast.predict(Y[:1]), book.predict(Y[:1]))
    (Xf, lf), (Xb, lb) = fast.sample(40, random_state=3), book.sample(40, random_state=3)
    np.testing.assert_array_equal(lf, lb)  # labels drawn first, from weights equal to ~1e-9
    np.testing.assert_allclose(Xf, Xb, rtol=0, atol=1e-7 * reach)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31), k=st.integers(1, 6), d=st.integers(1, 4), offset=offsets,
       scale=scales, duplicates=st.booleans(), init=st.sampled_from(["k-means++", "random"]))
def test_kmeans_fits_and_predicts_alike(seed, k, d, offset, scale, duplicates, init):
    X = awkward_data(seed, 80, d, offset, scale, duplicates)
    fast, book = both(KMeans, n_clusters=k, init=init, max_iter=50, random_state=seed)
    fast.fit(X)
    book.fit(X)
    # Both centre the data and start from the same k-means++ or random rows; every
    # step then assigns the same labels (no two centres tie on these data).
    np.testing.assert_array_equal(fast.labels_, book.labels_)
    assert fast.n_iter_ == book.n_iter_
    reach = 20.0 * scale
    np.testing.assert_allclose(fast.cluster_centers_, book.cluster_centers_, rtol=1e-12,
                               atol=1e-12 * reach)
    np.testing.assert_allclose(fast.inertia_, book.inertia_, rtol=1e-9,
                               atol=1e-12 * reach ** 2 * len(X))
    Y = X[::3] + 0.1 * scale
    np.testing.assert_array_equal(fast.predict(Y), book.predict(Y))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31), kernel=st.sampled_from(KERNELS), d=st.integers(1, 3),
       offset=offsets, scale=scales, weighted=st.booleans(),
       bandwidth=st.sampled_from([0.4, 2.0, "scott", "matrix"]))
def test_kernel_density_scores_and_samples_alike(seed, kernel, d, offset, scale, weighted,
                                                 bandwidth):
    X = awkward_data(seed, 40, d, offset, scale, duplicates=False)
    w = np.random.default_rng(seed).uniform(0.0, 2.0, len(X)) if weighted else None
    if bandwidth == "matrix":
        bandwidth = np.diag(np.arange(1.0, d + 1.0)) * 0.5 + 0.1
    if not isinstance(bandwidth, str):
        bandwidth = bandwidth * (scale if np.ndim(bandwidth) == 0 else scale ** 2)
    fast, book = both(KernelDensity, bandwidth=bandwidth, kernel=kernel, random_state=seed)
    fast.fit(X, sample_weight=w)
    book.fit(X, sample_weight=w)
    np.testing.assert_array_equal(fast.bandwidth_matrix_, book.bandwidth_matrix_)
    Y = np.vstack([X[::5], X[:3] + 0.7 * scale, X.mean(axis=0) + 50.0 * scale])
    a, b = fast.score_samples(Y), book.score_samples(Y)
    np.testing.assert_array_equal(np.isfinite(a), np.isfinite(b))
    # In bandwidth units the queries lie within ~100 of the data's centre: the fast
    # sums round each squared distance by ~eps 1e4, a log-profile by as much.
    np.testing.assert_allclose(a[np.isfinite(a)], b[np.isfinite(b)], rtol=1e-12, atol=1e-9)
    # One sampler for both: the same draws from one seed, with or without the centres
    Xf, cf = fast.sample(30, random_state=1, return_centers=True)
    np.testing.assert_array_equal(Xf, book.sample(30, random_state=1))
    assert Xf.shape == (30, d) and cf.shape == (30,) and cf.dtype == np.int64


def test_textbook_runs_without_the_fast_layer(monkeypatch):
    """Every function of density.fast raises: "textbook" estimators never call one."""
    def forbidden(*args, **kwargs):
        raise AssertionError("the textbook path called the fast layer")

    for module in (gmm_em, kde_sums, kmeans_iterations, lloyd, precisions):
        for name in module.__all__:
            monkeypatch.setattr(module, name, forbidden)
    for name in ("precision_factors", "log_gaussian_prob", "em_iteration",
                 "prepare_data", "log_density", "lloyd_iterations", "nearest_center"):
        for importer in ("gmm", "kde", "kmeans"):
            module = __import__(f"scratch_genmod.density.{importer}", fromlist=["_"])
            if hasattr(module, name):
                monkeypatch.setattr(module, name, forbidden)
    X = awkward_data(0, 60, 2, 0.0, 1.0, duplicates=False)
    for kind in TYPES:
        gm = GaussianMixture(3, covariance_type=kind, random_state=0,
                             algorithm="textbook").fit(X)
        gm.score_samples(X), gm.predict_proba(X), gm.bic(X), gm.sample(5)
    km = KMeans(3, random_state=0, algorithm="textbook").fit(X)
    km.predict(X)
    kde = KernelDensity(bandwidth=0.5, algorithm="textbook").fit(X)
    kde.score(X), kde.sample(5)


@pytest.mark.parametrize("estimator", [GaussianMixture, KMeans, KernelDensity])
def test_an_unknown_algorithm_is_named(estimator):
    X = np.random.default_rng(0).normal(size=(20, 2))
    with pytest.raises(ValueError, match="algorithm must be one of 'fast', 'textbook'; "
                                         "got 'lloyd'"):
        estimator(algorithm="lloyd").fit(X)
