import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.core import load, save
from scratch_genmod.density import KMeans, kmeans_plusplus
from scratch_genmod.density.textbook import lloyd_step


def blobs(n_per=100, seed=0):
    rng = np.random.default_rng(seed)
    centers = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    X = np.vstack([c + rng.normal(size=(n_per, 2)) for c in centers])
    return X, np.repeat(np.arange(3), n_per), centers


def nearest(X, C):
    """Labels of textbook.lloyd_step and each point's squared distance to its centre."""
    labels = lloyd_step(X, C)[1]
    return labels, np.sum((X - C[labels]) ** 2, axis=1)


def test_recovers_blob_centres_and_labels():
    X, y, centers = blobs()
    km = KMeans(n_clusters=3, random_state=0).fit(X)
    order = [int(np.argmin(np.sum((km.cluster_centers_ - c) ** 2, axis=1))) for c in centers]
    assert sorted(order) == [0, 1, 2]
    for i, c in enumerate(centers):
        assert np.allclose(km.cluster_centers_[order[i]], X[y == i].mean(axis=0))
    assert np.array_equal(np.array(order)[y], km.labels_)


def test_inertia_labels_and_predict_match_the_textbook_and_centres_are_its_fixed_point():
    X, _, _ = blobs(30, seed=1)
    km = KMeans(n_clusters=4, random_state=2).fit(X)
    labels, d2 = nearest(X, km.cluster_centers_)
    assert np.array_equal(km.labels_, labels)
    assert km.inertia_ == pytest.approx(d2.sum(), rel=1e-12)
    X_new = np.random.default_rng(3).normal(scale=5, size=(50, 2))
    assert np.array_equal(km.predict(X_new), nearest(X_new, km.cluster_centers_)[0])
    # converged: one more Lloyd step leaves each centre at the mean of its points
    np.testing.assert_allclose(lloyd_step(X, km.cluster_centers_)[0], km.cluster_centers_,
                               rtol=0, atol=1e-12)


def test_a_point_predicted_alone_gets_its_label_in_a_batch():
    # Centres on a grid of integers times 1e-6 (inexact in binary) and probes
    # on the same grid: many exact ties, where the first centre must win
    # whether a point comes alone or among others (alone, BLAS would multiply
    # it by its matrix-vector kernel, which rounds otherwise).
    rng = np.random.default_rng(3)
    for _ in range(5):
        G = np.unique(rng.integers(-3, 4, size=(6, 3)), axis=0)[:5] * 1e-6
        km = KMeans(len(G), init=G, max_iter=5).fit(np.repeat(G, 8, axis=0))
        P = rng.integers(-3, 4, size=(300, 3)) * 1e-6
        alone = [km.predict(P[i:i + 1])[0] for i in range(len(P))]
        np.testing.assert_array_equal(alone, km.predict(P))


def test_a_far_offset_moves_the_centres_and_nothing_else():
    X, _, _ = blobs(50, seed=2)
    start = X[[0, 50, 100]]
    near = KMeans(n_clusters=3, init=start).fit(X)
    far = KMeans(n_clusters=3, init=start + 1e9).fit(X + 1e9)  # e.g. timestamps in seconds
    assert np.array_equal(far.labels_, near.labels_)
    np.testing.assert_allclose(far.cluster_centers_ - 1e9, near.cluster_centers_, atol=1e-6)
    assert far.inertia_ == pytest.approx(near.inertia_, rel=1e-8)


@settings(max_examples=25)
@given(st.integers(0, 10_000), st.integers(1, 5))
def test_lloyd_never_raises_inertia_from_its_start(seed, k):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 2))
    start = X[rng.choice(40, size=k, replace=False)]
    start_inertia = nearest(X, start)[1].sum()
    km = KMeans(n_clusters=k, init=start, max_iter=50).fit(X)
    assert km.inertia_ <= start_inertia + 1e-12
    assert np.all(np.isfinite(km.cluster_centers_))


def test_empty_cluster_is_reseeded_not_nan():
    X, _, _ = blobs(20)
    start = np.array([[0.0, 0.0], [10.0, 0.0], [1e6, 1e6]])  # the last one wins no point
    km = KMeans(n_clusters=3, init=start, max_iter=20).fit(X)
    assert np.all(np.isfinite(km.cluster_centers_))
    assert np.bincount(km.labels_, minlength=3).min() > 0


def test_kmeans_plusplus_picks_distinct_rows_of_X():
    X, _, _ = blobs(50)
    C = kmeans_plusplus(X, 3, random_state=0)
    rows = {tuple(r) for r in X}
    assert all(tuple(c) in rows for c in C) and len({tuple(c) for c in C}) == 3
    # D^2 sampling on three far blobs puts one seed in each blob
    assert len(set(nearest(C, np.array([[0, 0], [10, 0], [0, 10.0]]))[0])) == 3


def test_random_init_and_restarts_are_reproducible():
    X, _, _ = blobs(30)
    a = KMeans(n_clusters=3, init="random", n_init=3, random_state=5).fit(X)
    b = KMeans(n_clusters=3, init="random", n_init=3, random_state=5).fit(X)
    assert np.array_equal(a.cluster_centers_, b.cluster_centers_)
    one = KMeans(n_clusters=3, init="random", n_init=1, random_state=5).fit(X)
    assert a.inertia_ <= one.inertia_ + 1e-12  # the first start is the same one


def test_save_load_round_trip(tmp_path):
    X, _, _ = blobs(20)
    km = KMeans(n_clusters=3, random_state=0).fit(X)
    again = load(save(km, tmp_path / "km.npz"))
    assert np.array_equal(again.cluster_centers_, km.cluster_centers_)
    assert np.array_equal(again.predict(X), km.predict(X))


@pytest.mark.parametrize("kwargs, X, message", [
    ({"n_clusters": 5}, np.zeros((3, 2)), "n_clusters"),
    ({"n_clusters": 2}, np.array([[0.0, np.nan], [1.0, 1.0], [2.0, 2.0]]), "X"),
    ({"n_clusters": 2, "init": "kmeans"}, np.zeros((3, 2)), "init"),
    ({"n_clusters": 2, "init": np.zeros((3, 2))}, np.zeros((3, 2)), "init"),
    ({"n_clusters": 2, "init": np.zeros((2, 3))}, np.zeros((3, 2)), "init"),
    ({"n_clusters": 0}, np.zeros((3, 2)), "n_clusters"),
    ({"n_clusters": 2, "tol": -1.0}, np.zeros((3, 2)), "tol"),
    ({"n_clusters": 2, "n_threads": 0}, np.zeros((3, 2)), "n_threads"),
])
def test_bad_input_is_named(kwargs, X, message):
    with pytest.raises(ValueError, match=message):
        KMeans(**kwargs).fit(X)


def test_predict_checks_fit_and_dimension():
    with pytest.raises(ValueError, match="not fitted"):
        KMeans().predict(np.zeros((2, 2)))
    km = KMeans(n_clusters=2, random_state=0).fit(blobs(10)[0])
    with pytest.raises(ValueError, match="X has 3 features"):
        km.predict(np.zeros((2, 3)))


@pytest.mark.parametrize("algorithm", ["fast", "textbook"])
def test_a_fit_runs_every_product_on_one_blas_thread(monkeypatch, algorithm):
    # Left at 2 threads, BLAS would share the mean's sum and the k-means++ products
    # with a thread of its own, which then spins, waiting for more, on the core the
    # library's threads need for the Lloyd steps (core.blas): the fit sets 1.
    import scratch_genmod.density.kmeans as kmeans_module
    from scratch_genmod.core.blas import blas_thread_count, blas_threads

    seen = []
    plusplus = kmeans_module.kmeans_plusplus

    def recording(*args, **kwargs):
        seen.append(blas_thread_count())
        return plusplus(*args, **kwargs)

    monkeypatch.setattr(kmeans_module, "kmeans_plusplus", recording)
    X = np.random.default_rng(0).normal(size=(500, 3))
    with blas_threads(2):
        before = blas_thread_count()
        KMeans(3, n_init=2, random_state=0, algorithm=algorithm).fit(X)
        assert blas_thread_count() == before  # put back after the fit
    assert seen == ([1, 1] if before == 2 else [before, before])  # None: no BLAS to ask
