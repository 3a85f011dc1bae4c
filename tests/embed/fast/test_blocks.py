"""Every blocked loop of embed/fast runs many times here, against the textbook's numbers.

Blocks are shrunk (tests/embed/fast/blocks.py) so that a bug in the accumulation
across blocks - one block's product dropped, a sum assigned instead of added -
changes the answer. The other fast-equals-textbook tests also draw small blocks.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.embed.fast import dense_gradient, neighbors, principal_axes, sparse_gradient
from scratch_genmod.embed.fast.neighbors import nearest_neighbors
from scratch_genmod.embed.fast.pair_repulsion import pair_repulsion
from scratch_genmod.embed.textbook import kl_gradient, pca, student_t_q, trustworthiness
from scratch_genmod.embed.trustworthiness import trustworthiness as fast_trustworthiness
from tests.embed.fast.blocks import small_blocks


def test_small_blocks_cut_every_loop_into_several_steps():
    n = 20
    with small_blocks():
        assert dense_gradient.block_rows(n) == 3  # 7 blocks of the pair sums
        assert neighbors.row_chunk(n, itemsize=24) == 1  # 20 blocks of distances
        assert principal_axes.CHUNK_ROWS == 3  # 7 chunks of A^T A
        rows, cols = np.triu_indices(n, k=1)
        parts = sparse_gradient.SparseGradient(rows, cols, np.full(len(rows), 0.01), n).parts
        assert len(parts) == sparse_gradient.MAX_PARTS
    assert dense_gradient.block_rows(n) > n  # and the defaults are back


@st.composite
def maps(draw):
    """Maps of 4 to 40 points (never a multiple of the block alone), some wide enough for float64."""
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    n = draw(st.integers(4, 40))
    dim = draw(st.integers(1, 3))
    width = draw(st.sampled_from([1e-2, 1.0, 30.0, 3e3]))  # 3e3: summed in float64
    Y = rng.normal(scale=width, size=(n, dim))
    Y[1] = Y[0] + rng.normal(scale=1e-3, size=dim)  # a near pair
    return Y


@settings(max_examples=60, deadline=None)
@given(maps())
def test_the_pair_repulsion_by_small_blocks_is_the_textbook_one(Y):
    n = len(Y)
    # the textbook's repulsion: kl_gradient with P = 0 is -4/Z sum_j w_ij^2 (y_i - y_j)
    Q = student_t_q(Y)
    Z = 1.0 / (Q[0, 1] * (1.0 + np.sum((Y[0] - Y[1]) ** 2)))
    expected = -Z / 4.0 * kl_gradient(Y, np.zeros((n, n)))
    with small_blocks():
        repulsion, Z_fast = pair_repulsion(Y)
    W = 1.0 / (1.0 + np.sum((Y[:, None] - Y[None]) ** 2, axis=-1))
    np.fill_diagonal(W, 0.0)
    size = np.linalg.norm(Y - Y.mean(axis=0), axis=1)
    # float32 errs by ~4e-7 ||y||^2 on each 1 + d_ij^2 (float64 beyond ||y|| = 100)
    rel = 1e-6 * (1.0 + min(np.max(size) ** 2, 1e4))
    scale = np.sum(W ** 2 * (size[:, None] + size[None, :] + 1.0), axis=1)
    assert np.all(np.abs(repulsion - expected).max(axis=1) <= rel * scale)
    assert Z_fast == pytest.approx(Z, rel=rel)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.integers(7, 30), st.integers(1, 3), st.booleans())
def test_trustworthiness_by_blocks_is_the_textbook_one(seed, n, k, small):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    Y = X[:, :2] + rng.normal(scale=0.5, size=(n, 2))  # a noisy picture: some intruders
    with small_blocks(small):  # the data's distances one row at a time
        fast = fast_trustworthiness(X, Y, n_neighbors=k)
    assert fast == pytest.approx(trustworthiness(X, Y, n_neighbors=k), abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.integers(4, 30), st.integers(1, 8))
def test_nearest_neighbours_one_row_at_a_time_are_the_sorted_distances(seed, n, k):
    X = np.random.default_rng(seed).normal(size=(n, 3))
    k = min(k, n - 1)
    with small_blocks():
        indices, sq = nearest_neighbors(X, k)
    D = np.sum((X[:, None] - X[None]) ** 2, axis=-1)
    np.fill_diagonal(D, np.inf)
    expected = np.argsort(D, axis=1, kind="stable")[:, :k]
    np.testing.assert_array_equal(indices, expected)
    np.testing.assert_allclose(sq, np.take_along_axis(D, expected, axis=1), rtol=1e-12, atol=1e-14)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.integers(4, 25), st.integers(2, 5))
def test_covariance_by_chunks_and_total_variance_are_the_textbook_ones(seed, n, d):
    X = np.random.default_rng(seed).normal(size=(n, d)) * np.arange(1, d + 1) + 5.0
    k = min(n, d)
    V, lam, _ = pca(X, k)
    with small_blocks():
        S, Vt = principal_axes.covariance_eigh(X, X.mean(axis=0))
        total = principal_axes.total_variance(X, X.mean(axis=0))
    np.testing.assert_allclose(S ** 2 / (n - 1), lam, rtol=1e-9, atol=1e-12 * lam[0])
    assert total == pytest.approx(float(np.trace(np.cov(X.T))), rel=1e-12)
    np.testing.assert_allclose(np.abs(Vt @ V.T).diagonal()[lam > 1e-9 * lam[0]], 1.0, atol=1e-6)
