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


@pytest.mark.parametrize("offset", [100.0, 1e9])
def test_nearest_center_across_chunks_matches_the_textbook(monkeypatch, offset):
    from scratch_genmod.density import kmeans
    from scratch_genmod.density.fast import lloyd
    monkeypatch.setattr(lloyd, "_CHUNK_ELEMENTS", 20)  # 4 rows per chunk with 5 centres
    rng = np.random.default_rng(4)
    X, C = rng.normal(size=(37, 3)) * 4, rng.normal(size=(5, 3)) * 4
    labels, d2 = lloyd.nearest_center(X + offset, C + offset)
    expected_labels, expected_d2 = nearest(X, C)  # the offset cancels exactly
    assert np.array_equal(labels, expected_labels)
    # the offset itself is rounded to ~offset * eps before it cancels
    np.testing.assert_allclose(d2, expected_d2, rtol=0, atol=1e-10 + 1e-6 * offset * 1e-6)


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


@pytest.mark.parametrize("k, d", [(1, 2), (3, 4), (5, 2), (12, 3), (10, 20), (300, 2)])
def test_lloyd_step_in_chunks_pieces_and_threads_is_the_textbook_step(monkeypatch, k, d):
    # The tournament with odd and even rounds (k = 3, 5, 12, and 300 centres whose
    # indices need two bytes), with chunks of a few rows, products of a row or two
    # and three threads, as on large data.
    from scratch_genmod.density.fast import lloyd
    monkeypatch.setattr(lloyd, "_CHUNK_ELEMENTS", 7 * max(k, d + 1))
    monkeypatch.setattr(lloyd, "_PRODUCT_SIZE", 2 * k * (d + 1))
    monkeypatch.setattr(lloyd, "_MIN_PRODUCT_ROWS", 1)
    monkeypatch.setattr(lloyd, "_MIN_ROWS_PER_THREAD", 10)
    rng = np.random.default_rng(k * d)
    n = max(61, 2 * k)
    X = rng.normal(size=(n, d)) + rng.integers(0, 4, size=(n, 1)) * 3.0
    X -= X.mean(axis=0)
    C = X[rng.choice(len(X), size=k, replace=False)] + 0.01
    if k > 1:
        C[-1] = 100.0  # nearest to no point: re-seeded
    new_ref, labels_ref = lloyd_step(X, C)
    step = lloyd.lloyd_step(lloyd.with_ones(X), C, n_threads=3)
    assert np.array_equal(step.labels, labels_ref)
    assert step.n_empty >= (k > 1)
    np.testing.assert_allclose(step.d2, np.sum((X - C[step.labels]) ** 2, axis=1),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(step.centers, new_ref, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(step.sums[:, -1], np.bincount(labels_ref, minlength=k))


def test_tournament_is_argmin_with_ties_to_the_first_centre():
    from scratch_genmod.density.fast.lloyd import tournament
    rng = np.random.default_rng(5)
    for k in range(1, 20):
        table = rng.integers(0, 3, size=(k, 200)).astype(float)  # many exact ties
        minimum, labels = np.empty(200), np.empty(200, dtype=np.int64)
        tournament(table, minimum, labels)
        np.testing.assert_array_equal(labels, np.argmin(table, axis=0))
        np.testing.assert_array_equal(minimum, np.min(table, axis=0))


@pytest.mark.parametrize("max_moved", [0.0, 0.25, 1.0])
def test_sums_updated_from_the_moved_points_follow_the_textbook_iterations(monkeypatch,
                                                                           max_moved):
    # Every step after the first updates the sums from the points that changed
    # cluster (max_moved=1), recomputes them (0), or chooses by the count moved.
    from scratch_genmod.density.fast import lloyd
    monkeypatch.setattr(lloyd, "_MAX_MOVED", max_moved)
    X, _, _ = blobs(200, seed=6)
    X = X - X.mean(axis=0)
    C = X[[0, 1, 2, 3, 4]]  # five centres in one blob: many points move for a while
    C_ref, step = C, None
    for _ in range(12):
        C_ref, labels_ref = lloyd_step(X, C_ref)
        step = lloyd.lloyd_step(lloyd.with_ones(X), C if step is None else step.centers,
                                last=step)
        assert np.array_equal(step.labels, labels_ref)
        np.testing.assert_allclose(step.centers, C_ref, rtol=0, atol=1e-12)
        np.testing.assert_allclose(step.sums, lloyd.label_sums(lloyd.with_ones(X), step.labels, 5),
                                   rtol=0, atol=1e-10)
