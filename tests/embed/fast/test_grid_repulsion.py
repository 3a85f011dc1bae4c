"""The grid repulsion (embed/fast/grid_repulsion.py) against the textbook t-SNE formulas.

References: scratch_genmod.embed.textbook (student_t_q for Z, kl_gradient with P = 0 for
the repulsion: -4 sum_j q_ij w_ij (y_i - y_j)) and closed forms (Lagrange polynomials
reproduce polynomials of degree p - 1)."""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scratch_genmod.embed.fast.grid_repulsion import (error_bound, grid_is_cheaper,
                                                      interpolated_repulsion)
from scratch_genmod.embed.fast.lagrange_grid import lagrange_weights
from scratch_genmod.embed.fast.sparse_gradient import knn_kl_gradient
from scratch_genmod.embed.textbook import kl_divergence, kl_gradient, student_t_q


@st.composite
def maps(draw, max_n=120):
    """Clustered 1-D or 2-D maps, tiny to ~100 wide, maybe far from the origin, with duplicates."""
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    n = draw(st.integers(2, max_n))
    dim = draw(st.integers(1, 2))
    Y = rng.normal(scale=10.0 ** rng.uniform(-3, 1.5), size=(n, dim))
    k = rng.integers(1, 5)
    Y += rng.normal(scale=10.0 ** rng.uniform(-1, 1.5), size=(k, dim))[rng.integers(0, k, n)]
    if draw(st.booleans()):
        Y[0] = Y[-1]
    return Y + draw(st.sampled_from([0.0, 1e4]))


def textbook_Z_and_repulsion(Y):
    """Z = w_01 / q_01 and sum_j w_ij^2 (y_i - y_j) = -Z/4 * kl_gradient(Y, P=0)."""
    Q = student_t_q(Y)
    Z = 1.0 / (Q[0, 1] * (1.0 + np.sum((Y[0] - Y[1]) ** 2)))
    return Z, -Z / 4.0 * kl_gradient(Y, np.zeros((len(Y), len(Y))))


def force_scale(Y):
    """sum_j w_ij^2 (|y_i| + |y_j|) for the centred map: what the repulsion error is measured by."""
    C = Y - Y.mean(axis=0)
    W = 1.0 / (1.0 + np.sum((C[:, None] - C[None]) ** 2, axis=-1))
    np.fill_diagonal(W, 0.0)
    size = np.linalg.norm(C, axis=1)
    return np.sum(W ** 2 * (size[:, None] + size[None, :]), axis=1)


@settings(max_examples=60, deadline=None)
@example(np.array([[22.79580368, 1.55033534], [-2.42108795, -1.93125891],
                   [-2.42023253, -1.93506592]]), 2, 0.5)  # 4.01 c_p h^p: above the old 4
@given(maps(), st.integers(2, 5), st.sampled_from([0.5, 1.0]))
def test_grid_sums_are_the_textbook_ones_within_the_error_bound(Y, n_nodes, box_width):
    Z, repulsion = textbook_Z_and_repulsion(Y)
    push, Z_grid = interpolated_repulsion(Y, n_nodes=n_nodes, box_width=box_width)
    bound = error_bound(n_nodes, box_width)
    assert abs(Z_grid / Z - 1.0) <= bound
    error = np.linalg.norm(push - repulsion, axis=1)
    assert np.all(error <= bound * force_scale(Y) + 1e-12 * np.abs(repulsion).max())


def test_the_error_falls_with_more_nodes_per_box():
    rng = np.random.default_rng(3)
    Y = np.vstack([rng.normal(c, 2.0, size=(100, 2)) for c in ([0, 0], [15, 5], [-10, 12])])
    Z, repulsion = textbook_Z_and_repulsion(Y)
    errors = []
    for n_nodes in (2, 3, 4, 5, 6):
        push, Z_grid = interpolated_repulsion(Y, n_nodes=n_nodes)
        errors.append(np.max(np.linalg.norm(push - repulsion, axis=1) / force_scale(Y)))
        assert abs(Z_grid / Z - 1.0) <= error_bound(n_nodes)
    assert all(later < earlier for earlier, later in zip(errors, errors[1:]))
    # many points: the errors average out far below the worst case
    assert errors[1] <= error_bound(3) / 10


def test_a_map_much_smaller_than_a_box_is_summed_almost_exactly():
    # 16 boxes across a map 1e-3 wide: h^3 ~ 1e-13
    Y = np.random.default_rng(0).uniform(0, 1e-3, size=(50, 2))
    Z, repulsion = textbook_Z_and_repulsion(Y)
    push, Z_grid = interpolated_repulsion(Y)
    assert Z_grid == pytest.approx(Z, rel=1e-10)
    np.testing.assert_allclose(push, repulsion, rtol=0, atol=1e-9 * np.abs(repulsion).max())


@pytest.mark.parametrize("n_nodes", [1, 2, 3, 5])
def test_lagrange_weights_reproduce_polynomials_of_degree_below_p(n_nodes):
    t = np.linspace(0.0, n_nodes, 13)
    L = lagrange_weights(t, n_nodes)
    nodes = np.arange(n_nodes) + 0.5
    for degree in range(n_nodes):
        np.testing.assert_allclose(L @ nodes ** degree, t ** degree, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(maps(max_n=40), st.sampled_from([1.0, 12.0]))
def test_knn_gradient_on_the_grid_is_the_textbook_gradient(Y, exaggeration):
    n = len(Y)
    rng = np.random.default_rng(n)
    A = rng.uniform(size=(n, n)) * (rng.uniform(size=(n, n)) < 0.5)
    P = A + A.T
    np.fill_diagonal(P, 0.0)
    P[0, 1] = P[1, 0] = 0.3
    P /= P.sum()
    rows, cols = np.nonzero(np.triu(P, k=1))
    grad, kl = knn_kl_gradient(Y, rows, cols, P[rows, cols], exaggeration, repulsion="grid")
    expected = kl_gradient(Y, P, exaggeration)
    # only the repulsion -4/Z sum_j w_ij^2 (y_i - y_j) is approximate: its error
    # (and Z's, which scales it) are within the bound of force_scale / Z
    Z, _ = textbook_Z_and_repulsion(Y)
    tol = 4.0 * 2.0 * error_bound() * force_scale(Y) / Z
    assert np.all(np.linalg.norm(grad - expected, axis=1) <= tol + 1e-12 * np.abs(expected).max())
    # KL = sum p log p - sum p log w + log Z: off by log(1 + relative error of Z)
    assert abs(kl - kl_divergence(P, student_t_q(Y))) <= -np.log1p(-error_bound())


def test_the_grid_is_chosen_for_many_points_on_a_small_map_only():
    rng = np.random.default_rng(0)
    assert grid_is_cheaper(rng.normal(size=(20_000, 2)))
    assert not grid_is_cheaper(rng.normal(size=(200, 2)))
    assert not grid_is_cheaper(rng.normal(size=(20_000, 3)))  # the grid would be 3-D
    # the same points spread 100 times wider need a grid 10,000 times larger
    assert not grid_is_cheaper(100 * rng.normal(size=(2_000, 2)))


@settings(max_examples=200, deadline=None)
@given(st.floats(0.0, 16.0), st.floats(0.1, 10.0))
def test_a_small_map_gets_boxes_from_a_ladder_that_cover_it(span, box_width):
    from scratch_genmod.embed.fast.grid_repulsion import BOX_STEPS, MIN_BOXES, _boxes
    h, n_boxes = _boxes(span * box_width, box_width, MIN_BOXES)
    assert n_boxes == MIN_BOXES
    assert h <= box_width
    assert n_boxes * h >= span * box_width  # the grid covers the map
    if span > 1e-6:  # and is at most one rung wider
        assert n_boxes * h <= 2.0 ** (1 / BOX_STEPS) * span * box_width * (1 + 1e-9)
    rung = -BOX_STEPS * np.log2(h / box_width)  # h = box_width * 2^(-k / BOX_STEPS)
    assert abs(rung - round(rung)) < 1e-6


def test_a_map_that_changes_little_keeps_its_boxes():
    from scratch_genmod.embed.fast.grid_repulsion import _boxes
    spans = np.linspace(0.5, 1.5, 1001)
    sides = np.array([_boxes(s, 1.0, 16)[0] for s in spans])
    # 1.5 / 0.5 = 2^1.58: about 13 rungs of 2^(1/8) for 1000 steps of the width
    assert len(np.unique(sides)) <= 14


def test_the_fft_friendly_size_is_the_smallest_5_smooth_count_and_quick_for_huge_maps():
    import time

    from scratch_genmod.embed.fast.grid_repulsion import _fft_friendly

    def smooth(m):
        for prime in (2, 3, 5):
            while m % prime == 0:
                m //= prime
        return m == 1

    for n in range(1, 2000):
        expected = next(m for m in range(n, 2 * n + 1) if smooth(m))
        assert _fft_friendly(n) == expected
    start = time.perf_counter()
    assert smooth(_fft_friendly(10 ** 40 + 1)) and _fft_friendly(10 ** 40 + 1) > 10 ** 40
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("width", [1e6, 1e300, np.inf])
def test_a_very_wide_map_is_never_put_on_a_grid(width):
    Y = np.array([[0.0, 0.0], [width, 0.0], [1.0, 1.0]] * 50)
    assert not grid_is_cheaper(Y)
    with pytest.raises(ValueError, match=r"Y is .* wide: its grid would need more than 16384 "
                                         r"nodes per axis; sum the pairs instead"):
        interpolated_repulsion(Y)
