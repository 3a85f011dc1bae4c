"""KernelDensity: bounded-memory chunking, bandwidth selection, persistence and errors."""

import numpy as np
import pytest

from scratch_genmod.core import NotFittedError, clone, load, save
from scratch_genmod.density import KernelDensity, select_bandwidth
from scratch_genmod.density.fast.kde_sums import log_density
from scratch_genmod.density.textbook import KERNELS
from tests.density.kde_reference import KERNEL_NAMES
from tests.memory import peak_bytes


@pytest.mark.parametrize("kernel", KERNEL_NAMES)
def test_chunked_equals_unchunked(kernel):
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(37, 3)), rng.normal(size=(23, 3))
    whole = KernelDensity(bandwidth=0.9, kernel=kernel).fit(X)
    # 1e-4 MiB: blocks of two entries, so every query and data point is split apart.
    tiny = KernelDensity(bandwidth=0.9, kernel=kernel, working_memory=1e-4).fit(X)
    a, b = whole.score_samples(Y), tiny.score_samples(Y)
    assert np.array_equal(np.isfinite(a), np.isfinite(b))
    np.testing.assert_allclose(b[np.isfinite(a)], a[np.isfinite(a)], rtol=1e-13)
    loo_whole, loo_tiny = (log_density(X, m.data_, m.weights_, m.bandwidth_matrix_, KERNELS[kernel],
                                       m.working_memory, exclude_self=True)
                           for m in (whole, tiny))
    ok = np.isfinite(loo_whole)
    np.testing.assert_allclose(loo_tiny[ok], loo_whole[ok], rtol=1e-13)


@pytest.mark.parametrize("kernel", ["gaussian", "epanechnikov"])
def test_peak_memory_stays_within_the_working_memory_budget(kernel):
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(3000, 2)), rng.normal(size=(3000, 2))
    kde = KernelDensity(bandwidth=0.3, kernel=kernel, working_memory=1).fit(X)
    peak = peak_bytes(lambda: kde.score_samples(Y))
    # Unchunked, one 3000 x 3000 float64 array alone would take 72 MB.
    assert peak < 2**20 + 20 * 3000 * 8


def test_near_pairs_recomputed_in_high_dimension_stay_within_the_budget():
    # Two tight clusters far from their common mean: every pair inside a cluster is "near"
    # and recomputed from its d = 100 differences; all at once that took 105 MiB.
    rng = np.random.default_rng(2)
    X = np.vstack([rng.normal(size=(1000, 100)) * 0.1 + s for s in (1000.0, -1000.0)])
    kde = KernelDensity(bandwidth=2.0, kernel="epanechnikov", working_memory=16).fit(X)
    peak = peak_bytes(lambda: kde.score_samples(X[:500]))
    assert peak < 16 * 2**20


@pytest.mark.parametrize("kernel", ["epanechnikov", "gaussian", "exponential"])
def test_near_pairs_keep_their_digits_far_from_the_origin(kernel):
    # Two pairs mirrored about the origin: centring on the data's mean leaves them 1e7
    # bandwidths out, where ||y - x||^2 by the GEMM identity cancels catastrophically;
    # the library recomputes such pairs from their differences.
    pair = np.array([[1e4, 1e4], [1e4 + 1e-3, 1e4]])
    X = np.vstack([pair, -pair])
    Y = pair + [[2e-4, 0.0], [0.0, 3e-4]]
    h = 1e-3
    got = KernelDensity(bandwidth=h, kernel=kernel).fit(X).score_samples(Y)
    r2 = np.array([[0.2**2, 0.8**2], [1.0 + 0.3**2, 0.3**2]])  # (y_j - x_i)^2 / h^2, near pair
    profile = {"epanechnikov": lambda r2: 2 / np.pi * np.maximum(1 - r2, 0),
               "gaussian": lambda r2: np.exp(-r2 / 2) / (2 * np.pi),
               "exponential": lambda r2: np.exp(-np.sqrt(r2)) / (2 * np.pi)}[kernel]
    # the mirrored pair is 2.8e7 bandwidths away: its terms are far below double precision
    expected = np.log(np.sum(profile(r2), axis=1) / (4 * h**2))
    np.testing.assert_allclose(got, expected, rtol=1e-9)


def brute_force_loo(X, h, kernel):
    """Mean over i of log f^_{-i}(x_i), refitting without each point."""
    return np.mean([KernelDensity(bandwidth=h, kernel=kernel).fit(np.delete(X, i, axis=0))
                    .score_samples(X[i:i + 1])[0] for i in range(len(X))])


@pytest.mark.parametrize("kernel", ["gaussian", "cosine"])
def test_select_bandwidth_scores_are_held_out_log_likelihoods(kernel):
    X = np.random.default_rng(2).normal(size=(25, 2))
    candidates = [1.8, 3.0, "scott"]  # wide enough for the cosine to cover every point
    best, loo = select_bandwidth(X, candidates, cv="loo", kernel=kernel)
    scott = KernelDensity(bandwidth="scott").fit(X).bandwidth_matrix_  # from all n points
    expected = [brute_force_loo(X, 1.8, kernel), brute_force_loo(X, 3.0, kernel)]
    expected.append(np.mean([KernelDensity(bandwidth=scott, kernel=kernel)
                             .fit(np.delete(X, i, axis=0)).score_samples(X[i:i + 1])[0]
                             for i in range(len(X))]))
    np.testing.assert_allclose(loo, expected, rtol=1e-12)
    assert best == candidates[int(np.argmax(expected))]
    # k-fold with n folds holds out one point at a time: the same as leave-one-out.
    _, n_fold = select_bandwidth(X, [1.8, 3.0], cv=len(X), kernel=kernel, random_state=0)
    np.testing.assert_allclose(n_fold, expected[:2], rtol=1e-12)


def test_select_bandwidth_k_fold_by_hand():
    X = np.random.default_rng(3).normal(size=(30, 1))
    _, scores = select_bandwidth(X, [0.2, 0.5], cv=3, random_state=4)
    folds = np.array_split(np.random.default_rng(4).permutation(30), 3)
    for h, score in zip([0.2, 0.5], scores):
        held = np.empty(30)
        for fold in folds:
            train = np.setdiff1d(np.arange(30), fold)
            held[fold] = KernelDensity(bandwidth=h).fit(X[train]).score_samples(X[fold])
        assert score == pytest.approx(held.mean(), rel=1e-12)


def test_score_pdf_and_persistence():
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(20, 2)), rng.normal(size=(6, 2))
    kde = KernelDensity(bandwidth="silverman", kernel="linear").fit(X)
    log_f = kde.score_samples(Y)
    assert kde.score(Y[:3]) == pytest.approx(log_f[:3].mean(), rel=1e-15)
    np.testing.assert_array_equal(kde.pdf(Y), np.exp(log_f))
    assert clone(kde).get_params() == kde.get_params()


def test_save_load_round_trip(tmp_path):
    X = np.random.default_rng(6).normal(size=(20, 2))
    kde = KernelDensity(bandwidth=[[0.5, 0.1], [0.1, 0.3]], kernel="cosine").fit(
        X, sample_weight=np.arange(20.0))
    save(kde, tmp_path / "kde.npz")
    back = load(tmp_path / "kde.npz")
    np.testing.assert_array_equal(back.score_samples(X), kde.score_samples(X))


def test_inputs_are_not_modified():
    X = np.random.default_rng(7).normal(size=(10, 2))
    w = np.ones(10)
    X0, w0 = X.copy(), w.copy()
    kde = KernelDensity().fit(X, sample_weight=w)
    kde.score_samples(X)
    kde.data_[0, 0] = 99.0
    assert np.array_equal(X, X0) and np.array_equal(w, w0)


X_OK = np.random.default_rng(8).normal(size=(10, 2))


@pytest.mark.parametrize("params, X, match", [
    ({"bandwidth": 0.0}, X_OK, "bandwidth must be > 0"),
    ({"bandwidth": -1.0}, X_OK, "bandwidth must be > 0"),
    ({"bandwidth": float("inf")}, X_OK, "bandwidth must be finite"),
    ({"bandwidth": 1e200}, X_OK, r"bandwidth=1e\+200 cannot be squared in float64 \(h\^2 = inf\)"),
    ({"bandwidth": 10**400}, X_OK, r"bandwidth must be a finite number within float64's range"),
    ({"bandwidth": 1e-200}, X_OK, r"bandwidth=1e-200 cannot be squared .*\(h\^2 = 0\)"),
    ({"bandwidth": 1e-155}, X_OK, r"bandwidth=1e-155 cannot be squared .*\(h\^2 = 1e-310\)"),
    ({"bandwidth": 1e-20}, X_OK * 1e140, "bandwidth is too small for the spread of X"),
    ({"bandwidth": "scott"}, X_OK * 1e160, "bandwidth='scott' .*overflows or underflows"),
    ({"bandwidth": "silverman"}, X_OK * 1e-170, "bandwidth='silverman' .*overflows or underflows"),
    ({"bandwidth": [[1.0, 2.0], [2.0, 1.0]]}, X_OK, "bandwidth is not positive definite"),
    ({"bandwidth": [[1.0, 0.5], [0.0, 1.0]]}, X_OK, "bandwidth must be symmetric"),
    ({"bandwidth": np.eye(3)}, X_OK, r"bandwidth matrix must have shape \(2, 2\)"),
    ({"bandwidth": [0.5]}, X_OK, r"shape \(2, 2\).*got \(1,\); for one h, .*bandwidth=0\.5"),
    ({"bandwidth": [0.5, 0.5]}, X_OK, r"bandwidth matrix must have shape \(2, 2\).*got \(2,\)$"),
    ({"bandwidth": [[1.0, 0.0], [0.0]]}, X_OK, "bandwidth could not be read as an array"),
    ({"bandwidth": "scot"}, X_OK, "bandwidth must be one of .*did you mean 'scott'"),
    ({"kernel": "gausian"}, X_OK, "kernel must be one of .*did you mean 'gaussian'"),
    ({"working_memory": 0}, X_OK, "working_memory must be > 0"),
    ({}, np.array([[0.0, np.nan]]), "X contains 1 NaN"),
    ({}, np.empty((0, 2)), "X needs at least 1 sample"),
    ({}, np.arange(5.0), r"X must be a 2-D array.*X\.reshape\(-1, 1\)"),
    ({"bandwidth": "scott"}, np.array([[1.0, 2.0]]), "bandwidth='scott' .*at least 2 samples"),
    ({"bandwidth": "silverman"}, np.c_[np.arange(5.0), np.ones(5)],
     "bandwidth='silverman' .*singular"),
])
def test_bad_input_is_a_clear_value_error(params, X, match):
    with pytest.raises(ValueError, match=match):
        KernelDensity(**params).fit(X)


def test_bad_calls_are_clear_errors():
    kde = KernelDensity()
    with pytest.raises(NotFittedError):
        kde.score_samples(X_OK)
    kde.fit(X_OK)
    with pytest.raises(ValueError, match="X has 3 features, but KernelDensity is expecting 2 features as input"):
        kde.score_samples(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="X contains 1 NaN"):
        kde.score_samples(np.array([[0.0, np.nan]]))
    with pytest.raises(ValueError, match="n_samples must be >= 1"):
        kde.sample(0)
    with pytest.raises(ValueError, match="sample_weight must be non-negative"):
        KernelDensity().fit(X_OK, sample_weight=-np.ones(10))
    with pytest.raises(ValueError, match="sample_weight has 3 entries"):
        KernelDensity().fit(X_OK, sample_weight=np.ones(3))
    with pytest.raises(TypeError, match="bandwidth must be"):
        KernelDensity(bandwidth=True).fit(X_OK)
    with pytest.raises(ValueError, match="candidates"):
        select_bandwidth(X_OK, [])
    with pytest.raises(ValueError, match="cv must be <= 10"):
        select_bandwidth(X_OK, [1.0], cv=11)
    with pytest.raises(ValueError, match="cv must be one of 'loo'"):
        select_bandwidth(X_OK, [1.0], cv="LOO")
    with pytest.raises(ValueError, match="every candidate bandwidth"):
        select_bandwidth(np.array([[0.0], [10.0], [20.0]]), [1.0], cv="loo", kernel="tophat")


def test_fit_runs_its_products_on_one_blas_thread(monkeypatch):
    # Left at 2 threads, BLAS would share the covariance's product with a thread of
    # its own, which then spins, waiting for more, on the core the library's threads
    # need for the kernel sums (core.blas): fit sets 1, and puts the count back.
    import scratch_genmod.density.kde as kde_module
    from scratch_genmod.core.blas import blas_thread_count, blas_threads

    seen = []
    original = kde_module.bandwidth_matrix

    def recording(*args):
        seen.append(blas_thread_count())
        return original(*args)

    monkeypatch.setattr(kde_module, "bandwidth_matrix", recording)
    with blas_threads(2):
        before = blas_thread_count()
        kde_module.KernelDensity(bandwidth="scott").fit(np.random.default_rng(0).normal(size=(50, 3)))
        assert blas_thread_count() == before
    assert seen == [1 if before == 2 else before]  # None: no BLAS to ask
