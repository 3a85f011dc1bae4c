import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.viz import marching_squares


@settings(max_examples=25)
@given(st.floats(0.5, 2.5), st.floats(-0.5, 0.5), st.floats(-0.5, 0.5), st.integers(20, 60))
def test_circle_gives_one_closed_contour_of_the_right_radius(r, cx, cy, n):
    xs = np.linspace(-3.2, 3.1, n)
    ys = np.linspace(-3.1, 3.3, n + 3)
    X, Y = np.meshgrid(xs, ys)
    Z = (X - cx) ** 2 + (Y - cy) ** 2
    lines = marching_squares(Z, r * r, xs, ys)
    assert len(lines) == 1
    line = lines[0]
    np.testing.assert_array_equal(line[0], line[-1])
    step = max(xs[1] - xs[0], ys[1] - ys[0])
    assert np.abs(np.hypot(line[:, 0] - cx, line[:, 1] - cy) - r).max() < step
    # the polygon's area (shoelace formula) is close to pi r^2
    area = 0.5 * abs(np.dot(line[:-1, 0], line[1:, 1]) - np.dot(line[1:, 0], line[:-1, 1]))
    assert abs(area - np.pi * r * r) < 2 * np.pi * r * step


def test_plane_gives_an_open_straight_line_across_the_grid():
    xs, ys = np.linspace(0, 1, 11), np.linspace(0, 2, 21)
    X, Y = np.meshgrid(xs, ys)
    [line] = marching_squares(X + Y, 1.25, xs, ys)
    np.testing.assert_allclose(line.sum(axis=1), 1.25)      # exact for a linear function
    ends = {tuple(np.round(line[0], 9)), tuple(np.round(line[-1], 9))}
    assert ends == {(0.0, 1.25), (1.0, 0.25)}


def test_two_bumps_give_two_loops_and_no_crossing_gives_none():
    xs = ys = np.linspace(-4, 4, 81)
    X, Y = np.meshgrid(xs, ys)
    Z = np.exp(-((X - 2) ** 2 + Y ** 2)) + np.exp(-((X + 2) ** 2 + Y ** 2))
    assert len(marching_squares(Z, 0.5, xs, ys)) == 2
    assert marching_squares(Z, 5.0, xs, ys) == []


def test_saddle_cells_keep_contours_separate():
    xs = ys = np.array([0.0, 1.0])
    Z = np.array([[1.0, 0.0], [0.0, 1.0]])                 # diagonal corners above
    lines = marching_squares(Z, 0.6, xs, ys)               # centre 0.5 is below: two pieces
    assert len(lines) == 2 and all(len(line) == 2 for line in lines)


@pytest.mark.parametrize("args, pattern", [
    ((np.zeros((3, 4)), 0.0, np.arange(3), np.arange(3)), r"Z must have shape \(len\(ys\), len\(xs\)\)"),
    ((np.zeros((3, 3)), 0.0, [0, 2, 1], np.arange(3)), "xs must be strictly increasing"),
    ((np.zeros((3, 3)), np.nan, np.arange(3), np.arange(3)), "level must be a number"),
    ((np.full((3, 3), np.inf), 0.0, np.arange(3), np.arange(3)), "Z contains"),
])
def test_bad_input(args, pattern):
    with pytest.raises(ValueError, match=pattern):
        marching_squares(*args)
