"""textbook/kmeans.py: Lloyd's step by hand, its inertia, and the loop to a fixed point."""

import numpy as np

from scratch_genmod.density.textbook import lloyd, lloyd_step, nearest_centers


def test_lloyd_step_by_hand_and_its_inertia_never_rises():
    new, labels = lloyd_step([[0.0, 0.0], [2.0, 0.0], [10.0, 0.0], [10.0, 4.0]],
                             [[1.0, 1.0], [9.0, 0.0]])
    np.testing.assert_array_equal(labels, [0, 0, 1, 1])
    np.testing.assert_array_equal(new, [[1.0, 0.0], [10.0, 2.0]])
    rng = np.random.default_rng(3)
    X, C = rng.normal(size=(50, 2)), rng.normal(size=(4, 2)) * 3
    for _ in range(5):
        before = np.sum((X - C[lloyd_step(X, C)[1]]) ** 2)
        C = lloyd_step(X, C)[0]
        assert np.sum((X - C[lloyd_step(X, C)[1]]) ** 2) <= before + 1e-12


def test_lloyd_stops_at_its_fixed_point_and_reports_the_inertia():
    X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
    centers, labels, inertia, n_iter = lloyd(X, [[0.0], [1.0]], max_iter=50)
    np.testing.assert_array_equal(centers, [[1.0], [11.0]])
    np.testing.assert_array_equal(labels, [0, 0, 0, 1, 1, 1])
    assert inertia == 4.0  # (1 + 0 + 1) twice
    assert lloyd_step(X, centers)[0].tolist() == centers.tolist()  # a fixed point
    assert n_iter == 3  # 0 | 1..12 (centres 0, 7.2), then 0..2 | 10..12, then no change
    np.testing.assert_array_equal(nearest_centers(X, centers)[1], [1, 0, 1, 1, 0, 1])
