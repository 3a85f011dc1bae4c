"""The bounded E-step (density/hamerly.py) finds the labels of computing every distance."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scratch_genmod.density import KMeans
from scratch_genmod.density.fast import hamerly
from scratch_genmod.density import textbook as tb
from scratch_genmod.density.fast.lloyd import with_ones

EPS = np.finfo(float).eps


def exact_labels(X, C):
    """argmin_j ||x - c_j||^2 from the differences themselves (the first on a tie)."""
    return np.argmin(np.sum((X[:, None] - C) ** 2, axis=2), axis=1)


def bounds_for(X):
    return hamerly.Bounds(with_ones(X), np.sum(X * X, axis=1))


@pytest.mark.parametrize("max_gathered", [0.0, 0.3, 1.0])
def test_labels_along_textbook_iterations_are_the_textbook_labels(monkeypatch, max_gathered):
    # recomputing in place (0), gathering the points in doubt (1), or either
    monkeypatch.setattr(hamerly, "_MAX_GATHERED", max_gathered)
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(loc=c, size=(150, 3)) for c in ([0, 0, 0], [4, 0, 0], [0, 5, 1])])
    X -= X.mean(axis=0)
    C = X[:6] + 0.1  # six centres in one blob: they travel for a while
    bounds, previous, skipped = bounds_for(X), None, 0
    for _ in range(15):
        labels, moved, was = bounds.nearest(C)
        expected = exact_labels(X, C)
        np.testing.assert_array_equal(labels, expected)
        if previous is not None:  # moved and was say exactly what changed
            np.testing.assert_array_equal(moved, np.flatnonzero(expected != previous))
            np.testing.assert_array_equal(was, previous[moved])
            skipped += len(X) - bounds.n_computed_
        previous = labels
        C = tb.lloyd_step(X, C)[0]
    assert skipped > 5 * len(X)  # the bounds did skip most of the work


def test_a_tie_goes_to_the_first_centre_however_the_centres_move():
    X = np.arange(11.0)[:, None]  # 3 is as near 1 as 5, then as near 2 as 4
    bounds = bounds_for(X)
    for C in ([[1.0], [5.0]], [[2.0], [4.0]], [[2.0], [4.0]], [[4.0], [2.0]], [[0.0], [6.0]]):
        C = np.array(C)
        np.testing.assert_array_equal(bounds.nearest(C)[0], exact_labels(X, C))


def test_one_centre_never_recomputes():
    X = np.random.default_rng(1).normal(size=(50, 2))
    bounds = bounds_for(X)
    bounds.nearest(np.zeros((1, 2)))
    labels, moved, was = bounds.nearest(np.ones((1, 2)))
    assert bounds.n_computed_ == 0 and not labels.any() and len(moved) == 0


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(2, 6), d=st.integers(1, 3),
       scale=st.sampled_from([1e-150, 1.0, 1e150]), offset=st.sampled_from([0.0, 1e7]),
       step=st.sampled_from([1e-9, 1e-3, 0.3]))
def test_labels_under_small_and_large_moves_match_every_distance(seed, k, d, scale, offset,
                                                                 step):
    rng = np.random.default_rng(seed)
    X = (rng.normal(size=(60, d)) + rng.integers(0, 3, size=(60, 1)) * 2 + offset) * scale
    mean = X.mean(axis=0)
    X -= mean  # as KMeans passes them
    C = X[rng.choice(len(X), size=k, replace=False)].copy()
    bounds = bounds_for(X)
    for _ in range(6):
        labels = bounds.nearest(C)[0]
        D = np.sum((X[:, None] - C) ** 2, axis=2)
        # only the assignments decided by more than the expansion's rounding are comparable
        size = np.sum(X ** 2, axis=1)[:, None] + np.sum(C ** 2, axis=1)
        dd = 16 * (d + 2) * EPS * (size + np.abs(offset * scale) * np.sqrt(D) + scale ** 2)
        assume(np.all(np.sort(D - dd, axis=1)[:, 1] > np.sort(D + dd, axis=1)[:, 0]))
        np.testing.assert_array_equal(labels, np.argmin(D, axis=1))
        C = C + rng.normal(scale=step * scale, size=C.shape)


def test_kmeans_with_bounds_follows_the_textbook_to_the_same_inertia():
    rng = np.random.default_rng(2)
    X = np.vstack([rng.normal(loc=c, size=(200, 2)) for c in ([0, 0], [6, 0], [0, 6], [6, 6])])
    C = X[rng.choice(len(X), size=7, replace=False)]
    km = KMeans(7, init=C, max_iter=40, tol=0.0).fit(X)
    for _ in range(km.n_iter_):
        C, labels = tb.lloyd_step(X, C)
    np.testing.assert_allclose(km.cluster_centers_, C, rtol=0, atol=1e-10)
    assert km.inertia_ == pytest.approx(np.sum((X - C[exact_labels(X, C)]) ** 2), rel=1e-12)


def test_labels_are_the_callers_own_unless_copy_is_false():
    X = np.random.default_rng(2).normal(size=(40, 2))
    C = X[:3].copy()
    bounds = bounds_for(X)
    labels = bounds.nearest(C)[0]
    labels[:] = -1  # the caller's array: the bounds keep theirs
    again = bounds.nearest(C, copy=False)[0]
    np.testing.assert_array_equal(again, exact_labels(X, C))
    assert again is bounds.labels  # no copy: the array the next call updates
