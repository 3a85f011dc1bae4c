"""Every loop over blocks in density/fast runs several times under test, against the textbook.

A bug in how blocks are combined (a sum assigned instead of added, a block
left out) is invisible while one block holds all the data, which is what the
default block sizes give on test-sized data. Each test shrinks the block so
that its loop runs many times, and compares with the textbook functions.
"""

from collections import Counter

import numpy as np
import pytest

from scratch_genmod.density import textbook as tb
from scratch_genmod.density.fast import (gmm_em, hamerly, kde_sums, kmeans_iterations, lloyd,
                                          nearest_centers, precisions)

TYPES = ["full", "tied", "diag", "spherical"]


@pytest.mark.parametrize("kind", TYPES)
def test_em_iteration_in_blocks_of_16_rows_is_the_textbook_iteration(monkeypatch, kind):
    monkeypatch.setattr(gmm_em, "_BLOCK_ELEMENTS", 1)  # max(16, 1 // (k d)) = 16 rows
    rng = np.random.default_rng(3)
    n, k, d = 200, 3, 2  # 13 blocks, the last one short
    X = rng.normal(size=(n, d)) + rng.integers(0, 3, size=(n, 1)) * 3.0
    alpha = np.array([0.2, 0.3, 0.5])
    means = X[[0, 70, 140]] + 0.1
    Sigma = {"full": np.stack([np.eye(d) * v for v in (0.5, 1.0, 2.0)]), "tied": np.eye(d),
             "diag": rng.uniform(0.5, 2.0, (k, d)), "spherical": np.array([0.5, 1.0, 2.0])}[kind]
    data, shift = gmm_em.prepare_data(X, kind)
    U, U_inv = precisions.precision_factors(Sigma, kind, 0.0)
    ll, alpha_new, means_new, Sigma_new = gmm_em.em_iteration(
        data, alpha, means - shift, U, U_inv, kind, 1e-6)
    gamma, ll_ref = tb.e_step(X, alpha, means, Sigma, kind)
    alpha_ref, means_ref, Sigma_ref = tb.m_step(X, gamma, kind, 1e-6)
    # one block alone, or the last one assigned instead of added, is off by whole nats
    assert abs(ll - ll_ref) < 1e-12 * abs(ll_ref)
    np.testing.assert_allclose(alpha_new, alpha_ref, rtol=1e-12)
    np.testing.assert_allclose(means_new + shift, means_ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(Sigma_new, Sigma_ref, rtol=0, atol=1e-12)


@pytest.mark.parametrize("kernel", ["gaussian", "epanechnikov"])
@pytest.mark.parametrize("exclude_self", [False, True])
def test_kernel_sums_over_3_x_2_blocks_and_near_pairs_two_at_a_time(kernel, exclude_self):
    # Two tight clusters 2e4 bandwidths apart: in the GEMM expansion
    # ||y||^2 + ||x||^2 - 2 y.x a pair's squared distance (~0.1) is off by
    # eps (||y||^2 + ||x||^2) ~ 4e-8, so every pair of a cluster must be
    # recomputed from its difference; and no pair across the clusters counts.
    rng = np.random.default_rng(0)
    d = 3
    X = np.vstack([rng.normal(scale=0.1, size=(6, d)) + 1e4,
                   rng.normal(scale=0.1, size=(6, d)) - 1e4])
    # 6 entries per block: 3 queries x 2 points; near pairs recomputed 6 // d = 2 at a time
    working_memory = 6.5 * 8 * kde_sums._BLOCK_ARRAYS / 2**20
    assert kde_sums._block_shape(12, 12, d, working_memory) == (3, 2)
    p = np.full(12, 1 / 12)
    H = np.eye(d)
    got = kde_sums.log_density(X, X, p, H, tb.KERNELS[kernel], working_memory,
                               exclude_self)
    if exclude_self:  # each point by the 11 others, their weights renormalised
        ref = np.array([tb.log_kde(X[i:i + 1], np.delete(X, i, axis=0), H, kernel)[0]
                        for i in range(len(X))])
    else:
        ref = tb.log_kde(X, X, H, kernel)
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-10)


@pytest.mark.parametrize("exclude_self", [False, True])
def test_kernel_sums_by_blocks_of_queries_on_threads_are_the_same_bits(monkeypatch, exclude_self):
    # Blocks of 3 queries x 4 points (a target of 12 entries, the budget ample):
    # 7 blocks of queries taken in turn by 1, 2 or 3 threads give the same bits,
    # and the textbook's numbers.
    monkeypatch.setattr(kde_sums, "_TARGET_BLOCK", 12)
    rng = np.random.default_rng(1)
    X = rng.normal(size=(20, 3))
    assert kde_sums._block_shape(20, 20, 3, 256) == (3, 4)
    p, H = np.full(20, 1 / 20), np.diag([0.5, 1.0, 2.0])
    got = [kde_sums.log_density(X, X, p, H, tb.KERNELS["gaussian"], 256, exclude_self,
                                n_threads=n) for n in (1, 2, 3)]
    for other in got[1:]:
        assert other.tobytes() == got[0].tobytes()
    ref = np.array([tb.log_kde(X[i:i + 1], np.delete(X, i, axis=0), H, "gaussian")[0]
                    for i in range(20)]) if exclude_self else tb.log_kde(X, X, H, "gaussian")
    np.testing.assert_allclose(got[0], ref, rtol=0, atol=1e-12)


@pytest.mark.parametrize("path", ["float32", "float64", "bounds"])
def test_lloyd_iterations_in_chunks_of_a_few_rows_are_the_textbook_iterations(monkeypatch, path):
    # Chunks of 7 rows for the tables, the gathered rows (of the float32 pass's
    # undecided points, the sample, the bounds), the sums from the points that
    # moved and the final distances, on three threads; each step's labels from
    # a float32 first pass, from float64 alone (no copy of the data by columns),
    # or through bounds that are built at once and never given up.
    k, d = 6, 3
    for module in (lloyd, nearest_centers):
        monkeypatch.setattr(module, "_CHUNK_ELEMENTS", 7 * max(k, d + 1))
    monkeypatch.setattr(kmeans_iterations, "_THREADED_WORK", 0)  # threads on small data too
    monkeypatch.setattr(kmeans_iterations, "_BOUNDS_MIN_WORK", 0)  # and the bounds' sample
    if path == "float64":
        monkeypatch.setattr(kmeans_iterations, "_MAX_FEATURES_BY_COLUMNS", 0)
    if path == "bounds":
        monkeypatch.setattr(kmeans_iterations, "_BOUNDS_ON", 2.0)
        monkeypatch.setattr(kmeans_iterations, "_BUILD_AT", np.inf)
        monkeypatch.setattr(hamerly, "break_even", lambda k, d1: 2.0)
    chunks = {"plain": Counter(), "gathered": Counter(), "kept": 0}  # chunks run per call
    undecided = []  # rows the float32 pass left, 7 to a chunk
    run, keep_or_move = nearest_centers._Chunks.run, nearest_centers._Chunks.keep_or_move
    nearest_of_rows = nearest_centers._nearest_of_rows

    def counting_nearest_of_rows(Xa, ca, rows, n_threads):
        undecided.append(len(rows))
        return nearest_of_rows(Xa, ca, rows, n_threads)

    monkeypatch.setattr(nearest_centers, "_nearest_of_rows", counting_nearest_of_rows)

    def counting_run(self, part):
        chunks["plain" if self.rows is None else "gathered"][id(self)] += 1
        return run(self, part)

    def counting_keep_or_move(self, *args):
        chunks["kept"] += 1
        return keep_or_move(self, *args)

    monkeypatch.setattr(nearest_centers._Chunks, "run", counting_run)
    monkeypatch.setattr(nearest_centers._Chunks, "keep_or_move", counting_keep_or_move)
    rng = np.random.default_rng(4)
    X = np.vstack([rng.normal(loc=c, size=(150, d)) for c in ([0, 0, 0], [4, 0, 0], [0, 5, 1])])
    X -= X.mean(axis=0)
    C = X[:k] + 0.1  # six centres in one blob: they travel, and points change cluster
    Xa = lloyd.with_ones(X)
    got = kmeans_iterations.lloyd_iterations(Xa, np.sum(X * X, axis=1), C, 40, 0.0, n_threads=3)
    ref = tb.lloyd(X, C, 40, 0.0)
    np.testing.assert_array_equal(got[1], ref[1])
    np.testing.assert_allclose(got[0], ref[0], rtol=0, atol=1e-12)
    assert abs(got[2] - ref[2]) < 1e-10 * ref[2] and got[3] == ref[3]
    # every kind of call ran in several chunks, and labels came from the old ones
    assert max(chunks["plain"].values()) > 1 and max(chunks["gathered"].values()) > 1
    if path == "float32":
        assert max(undecided) > 7
    else:
        assert chunks["kept"] > 1 and not undecided
