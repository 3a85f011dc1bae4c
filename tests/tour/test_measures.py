"""The measures behind the tour's captions, on cases worked by hand."""

import numpy as np
import pytest

from scratch_genmod.tour.measures import (
    boundary_bend, boundary_points, describe_boundaries, describe_map, describe_rise,
    line_residual, neighbour_confusion, rise_span, shared_regions,
)


def test_rise_span_finds_the_flat_start_and_the_plateau():
    # flat for 8 iterations, then a steep climb of 10, then flat: 10 % is reached at
    # iteration 10 (gain 2 >= 1), 90 % at iteration 13 (gain 9.5 >= 9)
    curve = [0.0] * 8 + [0.5, 2.0, 5.0, 8.0, 9.5, 9.9, 10.0, 10.0]
    assert rise_span(curve) == (10, 13)
    text = describe_rise(curve)
    assert "stays nearly flat for 9 iterations" in text
    assert "between iterations 10 and 13" in text and "over the 3 iterations after" in text
    assert "climbs from the first iterations" in describe_rise([0.0, 5.0, 9.0, 10.0])
    assert rise_span([1.0, 1.0, 1.0]) == (1, 1)


def test_neighbour_confusion_counts_each_class_s_neighbours_by_class():
    # two tight pairs of class 0 and 1 side by side, and a far pair of class 2
    Y = np.array([[0.0, 0.0], [0.1, 0.0], [0.05, 0.1], [50.0, 0.0], [50.1, 0.0]])
    labels = ["a", "a", "b", "c", "c"]
    classes, C = neighbour_confusion(Y, labels, n_neighbors=1)
    # a's nearest: the other a (distance 0.1) for both; b's nearest: an a; c's: the other c
    assert classes.tolist() == ["a", "b", "c"]
    np.testing.assert_array_equal(C, [[1, 0, 0], [1, 0, 0], [0, 0, 1]])


def test_shared_regions_joins_classes_linked_either_way_into_groups():
    classes = np.array([0, 1, 2, 3, 4])
    C = np.array([[0.70, 0.25, 0.00, 0.00, 0.05],
                  [0.05, 0.90, 0.05, 0.00, 0.00],
                  [0.00, 0.21, 0.79, 0.00, 0.00],
                  [0.00, 0.00, 0.00, 0.40, 0.10],
                  [0.00, 0.00, 0.00, 0.15, 0.85]])
    assert shared_regions(classes, C, 0.2) == [[0, 1, 2]]  # 0-1 by row 0, 1-2 by row 2
    assert shared_regions(classes, C, 0.1) == [[0, 1, 2], [3, 4]]
    text = describe_map(classes, C, n_neighbors=10, shared=0.2, own=0.5)
    assert text.startswith("Of each point's 10 nearest neighbours in the map, 73 % on average")
    assert "A region of their own (at least 50 % alike): 4." in text
    assert "Sharing a region (one has 20 % or more of its neighbours in the other): 0/1/2." in text
    assert text.endswith("Spread among the others: 3.")


def test_boundary_points_interpolate_the_zero_crossing_on_grid_edges():
    xs, ys = np.linspace(0.0, 1.0, 5), np.linspace(0.0, 1.0, 3)
    margin = np.tile(xs - 0.3, (3, 1))  # zero on the vertical line x = 0.3
    points = boundary_points(xs, ys, margin)
    np.testing.assert_allclose(points, [[0.3, 0.0], [0.3, 0.5], [0.3, 1.0]])
    masked = np.where(np.arange(3)[:, None] == 1, np.nan, margin)  # the middle row is not this boundary
    np.testing.assert_allclose(boundary_points(xs, ys, masked), [[0.3, 0.0], [0.3, 1.0]])


def test_line_residual_is_the_rms_distance_from_the_best_line():
    assert line_residual([[0, 0], [1, 2], [2, 4], [3, 6.0]]) == pytest.approx(0.0, abs=1e-12)
    # y = +-1 at both ends of a long stretch of the x axis: every distance is 1
    assert line_residual([[0, 1], [0, -1], [30, 1], [30, -1.0]]) == pytest.approx(1.0, rel=1e-12)


def test_boundary_bend_of_a_linear_and_of_a_circular_boundary():
    xs = ys = np.linspace(-2.0, 2.0, 81)
    xx, yy = np.meshgrid(xs, ys)
    straight = np.column_stack([(xx + yy).ravel(), np.zeros(xx.size)])  # log-odds x + y
    assert boundary_bend(xs, ys, straight) == pytest.approx(0.0, abs=1e-9)
    # a circle of radius 1: its points' RMS distance from any line through the centre is
    # sqrt(1/2) (the mean of sin^2), over a width of 4
    circle = np.column_stack([(1.0 - xx ** 2 - yy ** 2).ravel(), np.zeros(xx.size)])
    assert boundary_bend(xs, ys, circle) == pytest.approx(np.sqrt(0.5) / 4, rel=0.02)
    text = describe_boundaries({"linear": 0.0, "naive": 0.012, "mixture": 0.13})
    assert "linear: straight (0.0 %); naive: nearly straight (1.2 %); mixture: curved (13.0 %)" in text
