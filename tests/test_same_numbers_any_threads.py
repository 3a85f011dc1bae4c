"""Same seed, same numbers, whatever the load: fits with 1 and with 2 threads agree bit for bit.

Each pair of fits differs in the library's thread count (scratch_genmod.threads) and in
the count BLAS was left at outside the library's work (1 against 2, as
OPENBLAS_NUM_THREADS=1 against the default): the library cuts its products into parts
that depend on the shapes only and runs each on one BLAS thread.
"""

import contextlib

import numpy as np
import pytest

import scratch_genmod
from scratch_genmod.core.blas import blas_threads
from scratch_genmod.density.fast import kmeans_iterations
from scratch_genmod.core.products import matmul_in_parts


@contextlib.contextmanager
def run_on(n):
    with scratch_genmod.use_threads(n), blas_threads(n):
        yield


def fit_twice(make, data):
    """Two fits of ``make()`` on ``data`` (X, or a tuple (X, y)), on 1 thread and on 2."""
    data = data if isinstance(data, tuple) else (data,)
    fits = []
    for n in (1, 2):
        with run_on(n):
            fits.append(make().fit(*data))
    return fits


def digits(n=192):
    return scratch_genmod.make_digits(n, random_state=0)[0].reshape(n, -1).astype(np.float32)


def test_a_float32_product_is_the_same_on_any_number_of_threads():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(128, 784)).astype(np.float32)  # the shape where OpenBLAS's own
    B = rng.normal(size=(784, 1024)).astype(np.float32)  # threads changed the bits
    results = [matmul_in_parts(A, B, n_threads=n) for n in (1, 2, 3)]
    with blas_threads(2):
        results.append(matmul_in_parts(A, B, n_threads=2))
    for other in results[1:]:
        np.testing.assert_array_equal(other, results[0])
    np.testing.assert_allclose(results[0], A @ B, rtol=1e-4, atol=1e-3)


def test_the_autoencoder_learns_the_same_weights_on_1_and_2_threads():
    make = lambda: scratch_genmod.Autoencoder((784, 96, 8), epochs=2, batch_size=64,  # noqa: E731
                                              progress=False, random_state=0)
    a, b = fit_twice(make, digits())
    X = digits()
    np.testing.assert_array_equal(a.encode(X), b.encode(X))
    assert a.history_["loss"] == b.history_["loss"]


def test_the_vae_learns_the_same_weights_on_1_and_2_threads():
    make = lambda: scratch_genmod.VariationalAutoencoder(  # noqa: E731
        (784, 96, 4), epochs=2, batch_size=64, progress=False, random_state=0)
    X = digits()
    a, b = fit_twice(make, X)
    np.testing.assert_array_equal(a.encode(X), b.encode(X))
    assert a.history_["loss"] == b.history_["loss"]


@pytest.mark.parametrize("algorithm", ["fast", "textbook"])
def test_kmeans_is_the_same_on_1_and_2_threads(monkeypatch, algorithm):
    # 20,000 rows: enough that BLAS's own threads would share the mean's sum (in
    # another order), and k-means++ products; data far from the origin, whose
    # centring carries every digit of the mean into the centres. The Lloyd steps
    # share their chunks even on data this small.
    monkeypatch.setattr(kmeans_iterations, "_THREADED_WORK", 0)
    X = np.random.default_rng(0).normal(size=(20_000, 8)) * 3.0 + 100.0
    make = lambda: scratch_genmod.KMeans(6, n_init=2, max_iter=20, random_state=0,  # noqa: E731
                                         algorithm=algorithm)
    a, b = fit_twice(make, X)
    np.testing.assert_array_equal(a.cluster_centers_, b.cluster_centers_)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    assert a.inertia_ == b.inertia_


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag"])
def test_a_mixture_is_the_same_on_1_and_2_threads(covariance_type):
    # 100 features: products large enough that BLAS's own threads changed the bits
    X = np.random.default_rng(0).normal(size=(2000, 100)) * np.linspace(1, 3, 100)
    make = lambda: scratch_genmod.GaussianMixture(3, covariance_type=covariance_type,  # noqa: E731
                                                  max_iter=5, tol=0.0, random_state=0)
    with pytest.warns(UserWarning, match="EM did not converge"):
        a, b = fit_twice(make, X)
    np.testing.assert_array_equal(a.means_, b.means_)
    np.testing.assert_array_equal(a.covariances_, b.covariances_)
    assert a.lower_bound_ == b.lower_bound_


@pytest.mark.parametrize("method", ["knn", "exact"])
def test_tsne_draws_the_same_map_on_1_and_2_threads(method):
    X = np.random.default_rng(0).normal(size=(150, 20))
    make = lambda: scratch_genmod.TSNE(perplexity=10.0, max_iter=300, method=method,  # noqa: E731
                                       progress=False)
    a, b = fit_twice(make, X)
    np.testing.assert_array_equal(a.embedding_, b.embedding_)
    assert a.kl_divergence_ == b.kl_divergence_


def wide_binary(n=6000, d=784):
    """Binary images' shape: products long enough for BLAS's own threads to cut them."""
    rng = np.random.default_rng(0)
    return (rng.random((n, d)) < np.linspace(0.05, 0.6, d)).astype(np.float64), rng


def test_bernoulli_models_are_the_same_on_1_and_2_threads():
    X, rng = wide_binary()
    y = rng.integers(0, 3, len(X))
    a, b = fit_twice(lambda: scratch_genmod.BernoulliNB(), (X, y))
    with run_on(1):
        proba = a.predict_proba(X)
    with run_on(2):
        assert b.predict_proba(X).tobytes() == proba.tobytes()
    np.testing.assert_array_equal(a.feature_prob_, b.feature_prob_)
    make = lambda: scratch_genmod.BernoulliMixture(4, max_iter=5, tol=0.0,  # noqa: E731
                                                   random_state=0)
    with pytest.warns(UserWarning, match="EM did not converge"):
        a, b = fit_twice(make, X)
    np.testing.assert_array_equal(a.means_, b.means_)
    assert a.lower_bound_ == b.lower_bound_


def test_logistic_regression_and_pca_are_the_same_on_1_and_2_threads():
    X, rng = wide_binary()
    X -= X.mean(axis=0)
    y = rng.integers(0, 3, len(X))
    make = lambda: scratch_genmod.LogisticRegression(solver="gradient", max_iter=20)  # noqa: E731
    with pytest.warns(UserWarning, match="did not converge"):
        a, b = fit_twice(make, (X, y))
    np.testing.assert_array_equal(a.coef_, b.coef_)
    a, b = fit_twice(lambda: scratch_genmod.PCA(20, svd_solver="covariance_eigh"), (X,))
    with run_on(1):
        codes, back, log_p = a.transform(X), a.inverse_transform(a.transform(X)), a.score_samples(X)
    with run_on(2):
        assert b.transform(X).tobytes() == codes.tobytes()
        assert b.inverse_transform(codes).tobytes() == back.tobytes()
        assert b.score_samples(X).tobytes() == log_p.tobytes()


def test_a_gaussian_hmm_and_randomized_pca_are_the_same_on_1_and_2_threads():
    # 50 features: the emissions' solves and the M-step's sums long enough for BLAS's
    # own threads; the randomized SVD's products and QR factors of 6,000 rows
    X = np.random.default_rng(0).normal(size=(6000, 50))
    make = lambda: scratch_genmod.GaussianHMM(3, covariance_type="full", max_iter=3,  # noqa: E731
                                              random_state=0)
    with pytest.warns(UserWarning, match="did not converge"):
        a, b = fit_twice(make, X)
    np.testing.assert_array_equal(a.covariances_, b.covariances_)
    with run_on(1):
        log_p, gamma = a.score_samples(X), a.predict_proba(X)
    with run_on(2):
        assert b.score_samples(X).tobytes() == log_p.tobytes()
        assert b.predict_proba(X).tobytes() == gamma.tobytes()
    make = lambda: scratch_genmod.PCA(10, svd_solver="randomized", random_state=0)  # noqa: E731
    a, b = fit_twice(make, X)
    np.testing.assert_array_equal(a.components_, b.components_)
