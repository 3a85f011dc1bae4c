"""t-SNE: perplexity calibration, the joint P, the KL gradient against finite differences,
separation of blobs, and clear errors. Expected values come from the textbook formulas
(embed/textbook.py) or direct ones here."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.embed import TSNE, trustworthiness
from scratch_genmod.embed.fast.dense_gradient import exact_kl_gradient
from scratch_genmod.embed.fast.joint_probabilities import (conditional_probabilities,
                                                           exact_joint_probabilities,
                                                           knn_joint_probabilities)
from scratch_genmod.embed.fast.sparse_gradient import knn_kl_gradient
from scratch_genmod.embed.textbook import gaussian_row, joint_p, kl_divergence, student_t_q


def blobs(n_per_blob=30, d=10, n_blobs=3, spread=20.0, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=spread, size=(n_blobs, d))
    X = np.vstack([c + rng.normal(size=(n_per_blob, d)) for c in centres])
    return X, np.repeat(np.arange(n_blobs), n_per_blob)


def entropy(p):
    """Shannon entropy in nats of each row (0 log 0 = 0)."""
    safe = np.where(p > 0, p, 1.0)
    return -np.sum(p * np.log(safe), axis=1)


def kl_by_definition(P, Y):
    """KL(P || Q) of the map Y, by the textbook formulas."""
    return kl_divergence(P, student_t_q(Y))


# -- the perplexity search ----------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2 ** 31 - 1), st.integers(5, 60), st.data())
def test_every_row_reaches_the_requested_entropy(seed, m, data):
    perplexity = data.draw(st.floats(1.5, 0.8 * m))  # up to near m, where the search is hardest
    rng = np.random.default_rng(seed)
    scale = 10.0 ** rng.uniform(-3, 3)  # tiny and huge distances alike
    D = rng.exponential(scale, size=(40, m))
    P = conditional_probabilities(D, perplexity)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    assert np.max(np.abs(entropy(P) - np.log(perplexity))) <= 1e-5


def test_rows_are_gaussians_in_the_distance_matching_a_bisection():
    rng = np.random.default_rng(1)
    D = rng.uniform(0, 50, size=(6, 30))
    P = conditional_probabilities(D, 7.0)
    for row, d in zip(P, D):
        # log p_j = -beta d_j - log Z: a straight line in d with one slope
        slope = np.polyfit(d, np.log(row), 1)[0]
        np.testing.assert_allclose(np.log(row), np.log(row[0]) + slope * (d - d[0]), atol=1e-8)
        np.testing.assert_allclose(row, gaussian_row(d, 7.0), atol=1e-6)


def test_joint_P_is_symmetric_sums_to_one_and_matches_the_definition():
    X, _ = blobs(n_per_blob=12, d=4, spread=3.0, seed=2)
    P = exact_joint_probabilities(X, 5.0)
    np.testing.assert_allclose(P, P.T, atol=0)
    assert P.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_array_equal(np.diag(P), 0.0)
    assert np.all(P >= 0.0)
    # every point keeps at least 1 / (2n) of the mass
    assert np.all(P.sum(axis=1) >= 1.0 / (2 * len(X)) - 1e-15)
    np.testing.assert_allclose(P, joint_p(X, 5.0), atol=1e-7)


def test_nearest_neighbour_P_is_symmetric_sums_to_one_and_is_close_to_the_dense_one():
    X, _ = blobs(n_per_blob=40, d=5, spread=3.0, seed=3)
    n = len(X)
    rows, cols, values = knn_joint_probabilities(X, 5.0)
    sparse = np.zeros((n, n))
    sparse[rows, cols] = values
    np.testing.assert_allclose(sparse, sparse.T, atol=0)
    assert values.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(rows != cols) and np.all(values > 0)
    # beyond 3 perplexity neighbours the Gaussian has almost no mass left
    assert np.abs(sparse - exact_joint_probabilities(X, 5.0)).sum() < 0.02


# -- the gradient ---------------------------------------------------------------

def test_exact_gradient_and_cost_match_finite_differences_of_the_kl():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(9, 4))
    P = exact_joint_probabilities(X, 3.0)
    Y = rng.normal(size=(9, 2))
    grad, kl = exact_kl_gradient(Y, P)
    assert kl == pytest.approx(kl_by_definition(P, Y), rel=1e-12)
    h = 1e-6
    numeric = np.zeros_like(Y)
    for index in np.ndindex(*Y.shape):
        step = np.zeros_like(Y)
        step[index] = h
        numeric[index] = (kl_by_definition(P, Y + step) - kl_by_definition(P, Y - step)) / (2 * h)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)


def test_exaggeration_multiplies_only_the_attraction():
    rng = np.random.default_rng(5)
    P = exact_joint_probabilities(rng.normal(size=(8, 3)), 2.0)
    Y = rng.normal(size=(8, 2))
    W = 1.0 / (1.0 + np.sum((Y[:, None] - Y[None]) ** 2, axis=-1))
    np.fill_diagonal(W, 0.0)
    diff = Y[:, None] - Y[None]
    attraction = 4 * np.sum((P * W)[:, :, None] * diff, axis=1)
    repulsion = 4 * np.sum((W * W / W.sum())[:, :, None] * diff, axis=1)
    np.testing.assert_allclose(exact_kl_gradient(Y, P, 12.0, False)[0], 12 * attraction - repulsion,
                               atol=1e-12)


def test_knn_gradient_matches_the_exact_one():
    X, _ = blobs(n_per_blob=30, d=5, spread=4.0, seed=6)
    rows, cols, values = knn_joint_probabilities(X, 5.0)
    P = np.zeros((len(X), len(X)))
    P[rows, cols] = values
    Y = np.random.default_rng(6).normal(scale=5.0, size=(len(X), 2))
    exact, kl_exact = exact_kl_gradient(Y, P, 4.0)
    upper = rows < cols
    fast, kl_fast = knn_kl_gradient(Y, rows[upper], cols[upper], values[upper], 4.0)
    tol = 1e-4
    scale = np.abs(exact).max()
    np.testing.assert_allclose(fast, exact, atol=tol * scale)
    assert kl_fast == pytest.approx(kl_exact, rel=tol)


# -- the embedding ----------------------------------------------------------------

@pytest.mark.parametrize("method", ["exact", "knn"])
def test_three_separated_blobs_stay_separated(method):
    X, labels = blobs()
    tsne = TSNE(perplexity=10.0, max_iter=500, method=method, random_state=0, progress=False)
    Y = tsne.fit_transform(X)
    assert Y.shape == (90, 2) and np.all(np.isfinite(Y))
    assert trustworthiness(X, Y, n_neighbors=5) > 0.95
    D = np.sum((Y[:, None] - Y[None]) ** 2, axis=-1)
    np.fill_diagonal(D, np.inf)
    np.testing.assert_array_equal(labels[D.argmin(axis=1)], labels)
    assert tsne.n_iter_ <= 500 and tsne.learning_rate_ == 50.0
    assert tsne.kl_divergence_ == pytest.approx(
        kl_by_definition(exact_joint_probabilities(X, 10.0), Y), rel=0.05)


def test_reported_kl_is_the_kl_of_the_final_map():
    X, _ = blobs(n_per_blob=10, d=4, seed=7)
    tsne = TSNE(perplexity=4.0, max_iter=250, method="exact", random_state=0, progress=False)
    Y = tsne.fit_transform(X)
    # the exact method's P is searched to the textbook's 1e-10 nats
    assert tsne.kl_divergence_ == pytest.approx(kl_by_definition(joint_p(X, 4.0), Y), rel=1e-9)


def test_same_seed_same_map_and_input_untouched():
    X, _ = blobs(n_per_blob=10, d=4, seed=8)
    copy = X.copy()
    a = TSNE(perplexity=4.0, max_iter=250, init="random", random_state=3, progress=False).fit_transform(X)
    b = TSNE(perplexity=4.0, max_iter=250, init="random", random_state=3, progress=False).fit_transform(X)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(X, copy)


# -- the gradient in parts, on several threads -------------------------------------

@pytest.mark.parametrize("repulsion", ["pairs", "grid"])
def test_the_gradient_in_parts_is_the_textbook_one_and_the_same_on_any_threads(
        monkeypatch, repulsion):
    from scratch_genmod.embed.fast import sparse_gradient as kl_gradient
    monkeypatch.setattr(kl_gradient, "PAIRS_PER_PART", 50)  # several parts of a small P
    X, _ = blobs(n_per_blob=40, d=5, spread=4.0, seed=3)
    rows, cols, values = knn_joint_probabilities(X, 5.0)
    P = np.zeros((len(X), len(X)))
    P[rows, cols] = values
    upper = rows < cols
    sparse = kl_gradient.SparseGradient(rows[upper], cols[upper], values[upper], len(X))
    assert len(sparse.parts) == kl_gradient.MAX_PARTS  # the pairs are cut in parts
    Y = np.random.default_rng(3).normal(scale=3.0, size=(len(X), 2))
    runs = [sparse(Y, 4.0, True, repulsion, n_threads) for n_threads in (1, 2, 3)]
    for grad, kl in runs[1:]:  # bit for bit, whichever thread summed which part
        np.testing.assert_array_equal(grad, runs[0][0])
        assert kl == runs[0][1]
    # in one part: the same sums, in another order (the attraction's in float32,
    # so a run of pairs cut between two parts is rounded twice: float32's 6e-8)
    monkeypatch.setattr(kl_gradient, "PAIRS_PER_PART", 10 ** 9)
    whole = kl_gradient.SparseGradient(rows[upper], cols[upper], values[upper], len(X))
    assert len(whole.parts) == 1
    grad_whole, kl_whole = whole(Y, 4.0, True, repulsion, 1)
    np.testing.assert_allclose(runs[0][0], grad_whole, rtol=0, atol=1e-6 * np.abs(grad_whole).max())
    assert runs[0][1] == pytest.approx(kl_whole, rel=1e-12)
    if repulsion == "pairs":  # and the dense reference, every pair (the grid's error: elsewhere)
        exact, kl_exact = exact_kl_gradient(Y, P, 4.0)
        np.testing.assert_allclose(runs[0][0], exact, atol=1e-4 * np.abs(exact).max())
        assert runs[0][1] == pytest.approx(kl_exact, rel=1e-4)


@pytest.mark.parametrize("rows, cols, values, n, match", [
    ([0, 1], [1, 2], [0.1], 3, "values must be 1-D and as long as rows"),
    ([0, 1], [1], [0.1, 0.2], 3, "cols must be 1-D and as long as rows"),
    ([[0, 1]], [[1, 2]], [[0.1, 0.2]], 3, "rows must be 1-D"),
    ([0, 2], [1, 1], [0.1, 0.2], 3, "rows < cols < n_samples"),
    ([0, 1], [1, 3], [0.1, 0.2], 3, "cols < n_samples = 3"),
    ([-1, 0], [1, 1], [0.1, 0.2], 3, "0 <= rows"),
    ([1, 0], [2, 1], [0.1, 0.2], 3, "rows must be sorted"),
    ([0, 1], [1, 2], [0.1, 0.0], 3, "values must be > 0"),
    ([0, 1], [1, 2], [0.1, np.nan], 3, "values must be > 0"),
    ([0, 1], [1, 2], [0.1, 0.2], 0, "n_samples"),
])
def test_the_sparse_gradient_names_its_bad_pairs(rows, cols, values, n, match):
    from scratch_genmod.embed.fast.sparse_gradient import SparseGradient
    with pytest.raises((ValueError, TypeError), match=match):
        SparseGradient(np.array(rows), np.array(cols), np.array(values), n)


def test_the_map_does_not_depend_on_the_number_of_threads():
    X, _ = blobs(n_per_blob=25, d=6, seed=4)
    maps = [TSNE(perplexity=8.0, max_iter=300, progress=False, n_threads=k).fit_transform(X)
            for k in (1, 2)]
    np.testing.assert_array_equal(maps[0], maps[1])


# -- errors ---------------------------------------------------------------------------

@pytest.mark.parametrize("params, name", [
    ({"perplexity": 30.0}, "perplexity"),
    ({"perplexity": 0.0}, "perplexity"),
    ({"perplexity": 0.5}, "perplexity must be > 1.0"),  # exp(entropy) is never below 1
    ({"progress": "yes"}, "progress must be True, False or 'always'"),
    ({"n_components": 0}, "n_components"),
    ({"n_components": 5}, "n_components"),
    ({"early_exaggeration": 0.5}, "early_exaggeration"),
    ({"learning_rate": -1.0}, "learning_rate"),
    ({"learning_rate": "fast"}, "learning_rate"),
    ({"max_iter": 100}, "max_iter"),
    ({"init": "spectral"}, "init"),
    ({"method": "barnes_hut"}, "method"),
    ({"n_threads": 0}, "n_threads"),
])
def test_bad_parameters_are_named(params, name):
    X = np.random.default_rng(0).normal(size=(20, 4))
    with pytest.raises((ValueError, TypeError), match=name):
        TSNE(**{"perplexity": 5.0, "progress": False, **params}).fit(X)


def test_a_bad_progress_fails_before_the_long_work(monkeypatch):
    from scratch_genmod.embed import tsne
    monkeypatch.setattr(tsne, "knn_joint_probabilities", lambda *a: pytest.fail("P computed"))
    with pytest.raises(ValueError, match="progress must be"):
        TSNE(perplexity=5.0, progress="yes").fit(np.random.default_rng(0).normal(size=(20, 4)))


def test_perplexity_of_at_least_n_samples_is_a_clear_error():
    with pytest.raises(ValueError, match=r"perplexity must be < 9 \(it is an effective number of neighbours"):
        TSNE(perplexity=12.0, progress=False).fit(np.random.default_rng(0).normal(size=(10, 3)))


def test_bad_data_is_named():
    X = np.random.default_rng(0).normal(size=(20, 4))
    X[2, 3] = np.nan
    with pytest.raises(ValueError, match="X contains 1 NaN"):
        TSNE(perplexity=5.0, progress=False).fit(X)
    with pytest.raises(ValueError, match="X"):
        TSNE(perplexity=5.0, progress=False).fit(np.ones(20))


def test_fast_repulsion_keeps_a_tiny_normaliser_of_far_apart_points():
    # Z = sum_{i != j} 1 / (1 + d_ij^2) ~ 1e-6 here: far below n, so it must not come from sum - n
    Y = np.array([[0.0, 0.0], [1500.0, 0.0], [0.0, 2000.0]])
    rows, cols, values = np.array([0, 0]), np.array([1, 2]), np.array([0.3, 0.2])
    P = np.zeros((3, 3))
    P[rows, cols] = P[cols, rows] = values
    grad, kl = knn_kl_gradient(Y, rows, cols, values)
    assert kl == pytest.approx(kl_by_definition(P, Y), rel=1e-5)
    np.testing.assert_allclose(grad, exact_kl_gradient(Y, P)[0], rtol=1e-3)


@pytest.mark.parametrize("scale", [1e160, 1e-160])
def test_any_units_give_a_map(scale):
    # squared distances of such data overflow or underflow float64; P does not depend on units
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (20, 5)), rng.normal(10, 1, (20, 5))]) * scale
    Y = TSNE(perplexity=5.0, learning_rate=10.0, random_state=0, progress=False).fit_transform(X)
    assert np.isfinite(Y).all()
    assert trustworthiness(X, Y, n_neighbors=5) > 0.9


# -- a step so large that the map leaves float range (issue 27) ----------------------

@pytest.mark.parametrize("params", [
    {"learning_rate": 1e300}, {"early_exaggeration": 1e300}, {"learning_rate": 1e10},
    {"learning_rate": 1e300, "method": "exact"}, {"learning_rate": 1e300, "algorithm": "textbook"},
])
def test_a_map_leaving_float_range_stops_at_once_with_the_remedy(params):
    # it looped in the grid's size search (1e300) or took 17 s (1e10)
    import time
    X = np.random.default_rng(0).normal(size=(60, 5))
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"the t-SNE map grew to .* wide at iteration \d+ .*"
                                         r"use learning_rate='auto' or a smaller learning_rate"):
        TSNE(perplexity=5.0, progress=False, **params).fit(X)
    assert time.perf_counter() - start < 5.0
    fitted = TSNE(perplexity=5.0, progress=False, max_iter=250)
    with pytest.raises(ValueError):
        fitted.set_params(**params).fit(X)
    assert not hasattr(fitted, "embedding_")  # a failed fit leaves no fitted state
