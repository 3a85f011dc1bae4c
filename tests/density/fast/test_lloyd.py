"""fast/lloyd.py: one Lloyd step in chunks, pieces and threads, against the textbook."""

import numpy as np
import pytest

from scratch_genmod.density.fast import lloyd, nearest_centers
from scratch_genmod.density.textbook import lloyd_step
from tests.density.test_kmeans import blobs, nearest


def shrink_chunks(monkeypatch, elements):
    """Chunks of ``elements`` table entries (a few rows) for the labels, sums and distances."""
    monkeypatch.setattr(lloyd, "_CHUNK_ELEMENTS", elements)
    monkeypatch.setattr(nearest_centers, "_CHUNK_ELEMENTS", elements)


@pytest.mark.parametrize("offset", [100.0, 1e9])
def test_nearest_center_across_chunks_matches_the_textbook(monkeypatch, offset):
    shrink_chunks(monkeypatch, 20)  # 4 rows per chunk with 5 centres
    rng = np.random.default_rng(4)
    X, C = rng.normal(size=(37, 3)) * 4, rng.normal(size=(5, 3)) * 4
    labels, d2 = lloyd.nearest_center(X + offset, C + offset)
    expected_labels, expected_d2 = nearest(X, C)  # the offset cancels exactly
    assert np.array_equal(labels, expected_labels)
    # the offset itself is rounded to ~offset * eps before it cancels
    np.testing.assert_allclose(d2, expected_d2, rtol=0, atol=1e-10 + 1e-6 * offset * 1e-6)


@pytest.mark.parametrize("k, d", [(1, 2), (3, 4), (5, 2), (12, 3), (10, 20), (300, 2)])
def test_lloyd_step_in_chunks_pieces_and_threads_is_the_textbook_step(monkeypatch, k, d):
    # The tournament with odd and even rounds (k = 3, 5, 12, and 300 centres whose
    # indices need two bytes), with chunks of a few rows and three threads, as on
    # large data.
    shrink_chunks(monkeypatch, 7 * max(k, d + 1))
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


@pytest.mark.parametrize("max_moved", [0.0, 0.25, 1.0])
def test_sums_updated_from_the_moved_points_follow_the_textbook_iterations(monkeypatch,
                                                                           max_moved):
    # Every step after the first updates the sums from the points that changed
    # cluster (max_moved=1), recomputes them (0), or chooses by the count moved.
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


def test_label_sums_by_columns_are_each_clusters_sum_and_count():
    rng = np.random.default_rng(3)
    X, labels = rng.normal(size=(50, 4)), rng.integers(0, 6, size=50)
    labels[labels == 5] = 4  # cluster 5 empty: zeros
    Xa = lloyd.with_ones(X)
    expected = np.array([np.append(X[labels == j].sum(axis=0), np.sum(labels == j))
                         for j in range(6)])
    for XaT in (None, np.ascontiguousarray(Xa.T)):
        np.testing.assert_allclose(lloyd.label_sums(Xa, labels, 6, XaT=XaT), expected,
                                   rtol=0, atol=1e-12)
    # the columns shared by three threads: the same bits
    shared = lloyd.label_sums(Xa, labels, 6, XaT=XaT, n_threads=3)
    assert shared.tobytes() == lloyd.label_sums(Xa, labels, 6, XaT=XaT).tobytes()


@pytest.mark.parametrize("path", ["gathered rows", "by columns", "by rows"])
def test_label_sums_of_moved_rows_are_what_the_sums_gain(monkeypatch, path):
    # Some rows leave their old cluster for a new one (others stay): the sums gain
    # the moved rows' [x, 1] in the new cluster and lose them in the old, computed
    # here as the difference of two full sums; the rows gathered and multiplied by
    # Z - Z_old, or passes over the columns of X~ stored either way. Chunks of 7
    # entries: every loop runs more than once.
    monkeypatch.setattr(lloyd, "_CHUNK_ELEMENTS", 7)
    if path != "gathered rows":
        monkeypatch.setattr(lloyd, "_GATHERED_PRODUCT", 0)
    by_columns = path == "by columns"
    rng = np.random.default_rng(4)
    X, old = rng.normal(size=(60, 3)), rng.integers(0, 5, size=60)
    Xa = lloyd.with_ones(X)
    new = old.copy()
    rows = np.sort(rng.choice(60, size=17, replace=False))
    new[rows] = rng.integers(0, 5, size=17)
    expected = lloyd.label_sums(Xa, new, 5) - lloyd.label_sums(Xa, old, 5)
    XaT = np.ascontiguousarray(Xa.T) if by_columns else None
    gained = lloyd.label_sums(Xa, new[rows], 5, old[rows], rows=rows, XaT=XaT)
    np.testing.assert_allclose(gained, expected, rtol=0, atol=1e-12)
    shared = lloyd.label_sums(Xa, new[rows], 5, old[rows], rows=rows, XaT=XaT, n_threads=3)
    assert shared.tobytes() == gained.tobytes()  # on three threads: the same bits
