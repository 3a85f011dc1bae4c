"""Trustworthiness against a brute-force reading of Venna & Kaski's formula, and its errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.embed import trustworthiness
from scratch_genmod.embed.fast import neighbors
from scratch_genmod.embed.fast.neighbors import nearest_neighbors
from tests.memory import peak_bytes


def brute_force_trustworthiness(X, Y, k):
    """T(k) = 1 - 2 / (n k (2n - 3k - 1)) sum_i sum_{j in U_k(i)} (r(i, j) - k), by loops."""
    n = len(X)
    penalty = 0
    for i in range(n):
        dx = [(float(np.sum((X[i] - X[j]) ** 2)), j) for j in range(n) if j != i]
        dy = [(float(np.sum((Y[i] - Y[j]) ** 2)), j) for j in range(n) if j != i]
        rank_in_X = {j: r + 1 for r, (_, j) in enumerate(sorted(dx))}
        near_in_X = {j for _, j in sorted(dx)[:k]}
        for _, j in sorted(dy)[:k]:
            if j not in near_in_X:
                penalty += rank_in_X[j] - k
    return 1 - 2 / (n * k * (2 * n - 3 * k - 1)) * penalty


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2 ** 31 - 1), st.integers(7, 30), st.data())
def test_matches_the_brute_force_formula(seed, n, data):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5))
    Y = X[:, :2] + rng.normal(scale=rng.uniform(0, 2), size=(n, 2))  # a noisy projection
    k = data.draw(st.integers(1, (n - 1) // 2))
    assert trustworthiness(X, Y, n_neighbors=k) == pytest.approx(
        brute_force_trustworthiness(X, Y, k), abs=1e-12)


def test_a_kept_order_is_perfect_and_a_shuffled_one_is_not():
    rng = np.random.default_rng(0)
    X = np.cumsum(rng.uniform(1, 2, size=12))[:, None]  # distinct gaps: no ties in distance
    assert trustworthiness(X, 3 * X - 1, n_neighbors=3) == 1.0
    shuffled = X[rng.permutation(12)]
    value = trustworthiness(X, shuffled, n_neighbors=3)
    assert value == pytest.approx(brute_force_trustworthiness(X, shuffled, 3), abs=1e-12)
    assert 0.0 <= value < 1.0


def test_nearest_neighbors_excludes_the_point_itself_and_sorts_by_distance():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(25, 3))
    indices, sq_dist = nearest_neighbors(X, 4)
    D = np.sum((X[:, None] - X[None]) ** 2, axis=-1)
    np.fill_diagonal(D, np.inf)
    np.testing.assert_array_equal(indices, np.argsort(D, axis=1)[:, :4])
    np.testing.assert_allclose(sq_dist, np.sort(D, axis=1)[:, :4], atol=1e-12)


def test_nearest_neighbors_stays_within_the_block_budget(monkeypatch):
    # A block holds its distances, argpartition's copy of them and its indices (8 bytes
    # each): sized for the distances alone, the blocks took 3.3 times the budget.
    budget = 2 ** 21
    monkeypatch.setattr(neighbors, "BLOCK_BYTES", budget)
    X = np.random.default_rng(3).normal(size=(2000, 5))
    outputs = 2000 * 10 * 16 + X.nbytes  # the results, and X centred
    assert peak_bytes(lambda: nearest_neighbors(X, 10)) < 1.2 * budget + outputs


def test_a_far_offset_changes_neither_neighbours_nor_trustworthiness():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(60, 5))
    Y = X[:, :2] + rng.normal(scale=0.5, size=(60, 2))
    D = np.sum((X[:, None] - X[None]) ** 2, axis=-1)  # differences first: exact for any offset
    np.fill_diagonal(D, np.inf)
    indices, sq_dist = nearest_neighbors(X + 1e8, 5)
    np.testing.assert_array_equal(indices, np.argsort(D, axis=1)[:, :5])
    np.testing.assert_allclose(sq_dist, np.sort(D, axis=1)[:, :5], rtol=1e-6)
    assert trustworthiness(X + 1e8, Y, n_neighbors=5) == pytest.approx(
        brute_force_trustworthiness(X, Y, 5), abs=1e-12)


@pytest.mark.parametrize("scale", [1e160, 1e-160])
def test_units_change_nothing(scale):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 4))
    Y = X[:, :2] + rng.normal(scale=0.5, size=(40, 2))
    assert trustworthiness(X * scale, Y / scale, n_neighbors=5) == pytest.approx(
        brute_force_trustworthiness(X, Y, 5), abs=1e-12)


def test_bad_input_is_named():
    X = np.random.default_rng(0).normal(size=(10, 3))
    with pytest.raises(ValueError, match="n_neighbors must be < n_samples / 2"):
        trustworthiness(X, X[:, :2], n_neighbors=5)
    with pytest.raises(ValueError, match="n_neighbors"):
        trustworthiness(X, X[:, :2], n_neighbors=0)
    with pytest.raises(ValueError, match="Y"):
        trustworthiness(X, X[:9, :2], n_neighbors=2)
    Y = X[:, :2].copy()
    Y[0, 0] = np.inf
    with pytest.raises(ValueError, match="Y"):
        trustworthiness(X, Y, n_neighbors=2)
