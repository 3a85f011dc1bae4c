"""The fast layer gives the textbook's numbers: PCA (every solver), t-SNE's P and its
KL gradient, on hypothesis data with far offsets, extreme scales, duplicates and a
perplexity near its largest value."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.embed import PCA
from scratch_genmod.embed.fast.dense_gradient import exact_kl_gradient
from scratch_genmod.embed.fast.joint_probabilities import (conditional_probabilities,
                                                           exact_joint_probabilities,
                                                           knn_joint_probabilities)
from scratch_genmod.embed.fast.sparse_gradient import knn_kl_gradient
from scratch_genmod.embed.rescaling import unit_spread
from scratch_genmod.embed.textbook import (conditional_p, gaussian_row, joint_p, kl_divergence,
                                           kl_gradient, pca, student_t_q)
from tests.embed.fast.blocks import small_blocks

SOLVERS = ["full", "covariance_eigh", "randomized"]


def search_tolerance(d, p, tol):
    """How far two rows may differ when each search stopped within ``tol`` nats of the target.

    ``p_j = exp(-beta d_j) / Z``, so ``dH/dbeta = -beta Var_p(d)``: two entropies within
    ``2 tol`` put the betas within ``2 tol / (beta Var_p(d))`` (with a factor 2 for the
    curvature), and a change ``db`` of beta multiplies ``p_j`` by about
    ``exp(-db (d_j - E_p d))``. Where ties make ``Var_p(d)`` tiny the entropy is flat in
    beta and the far entries are barely pinned down; elsewhere the bound is ~1e-9 p_j.
    """
    d = np.asarray(d, dtype=float) - np.min(d)
    seen = p > 0
    near, far = np.argmin(np.where(seen, d, np.inf)), np.argmax(np.where(seen, d, -np.inf))
    beta = (np.log(p[near]) - np.log(p[far])) / max(d[far] - d[near], 1e-300)
    mean = np.sum(p * d)
    variance = np.sum(p * (d - mean) ** 2)
    db = 4.0 * tol / max(beta * variance, 1e-300)
    return 1e-14 + 1e-7 * p + p * np.expm1(np.minimum(db * np.abs(d - mean), 700.0))


@st.composite
def spread_data(draw, max_n=25, max_d=6):
    """Points with well-separated variances along random axes, far from the origin.

    Returns (X, k, scale): ``X`` at ``scale`` times unit size plus an offset of up to
    1e8 units, and ``k`` components whose eigengaps make the axes well defined.
    """
    seed = draw(st.integers(0, 2 ** 32 - 1))
    d = draw(st.integers(1, max_d))
    n = draw(st.integers(d + 2, max_n))
    k = draw(st.integers(1, d))
    rng = np.random.default_rng(seed)
    rotation = np.linalg.qr(rng.normal(size=(d, d)))[0]
    spreads = 3.0 ** -np.arange(d, dtype=float)  # each axis 3 times narrower than the last
    Z = rng.normal(size=(n, d))
    Z = (Z - Z.mean(axis=0)) / Z.std(axis=0)  # exact unit spread along each axis, so the
    Z = np.linalg.qr(Z)[0] * np.sqrt(n - 1)  # eigenvalues are exactly spreads ** 2
    offset = draw(st.sampled_from([0.0, 1e3, 1e8]))
    scale = draw(st.sampled_from([1.0, 1e-100, 1e100]))
    X = (Z * spreads) @ rotation + offset * rng.normal(size=d)
    return X * scale, k, scale


@settings(max_examples=100, deadline=None)
@given(spread_data(), st.sampled_from(SOLVERS), st.booleans())
def test_every_pca_solver_gives_the_textbook_axes_variances_and_codes(data, solver, small):
    X, k, scale = data
    V, lam, Z = pca(X, k)
    with small_blocks(small):  # A^T A and the total variance by chunks of 3 rows
        model = PCA(n_components=k, svd_solver=solver, random_state=0).fit(X)
    # the randomized solver centres implicitly (X M - mu M): at an offset 1e10 times
    # the spread it keeps about 6 digits
    rtol = 1e-5 if solver == "randomized" else 1e-7
    np.testing.assert_allclose(model.explained_variance_, lam, rtol=rtol)
    np.testing.assert_allclose(model.components_, V, atol=1e-6)
    np.testing.assert_allclose(model.transform(X), Z, atol=1e-6 * scale)


def test_pca_ties_in_the_sign_rule_pick_the_same_axes():
    # a constant feature and duplicated rows: zero eigenvalues, repeated points
    X = np.array([[1.0, 5.0, 0.0], [1.0, 5.0, 0.0], [3.0, 5.0, 1.0], [-1.0, 5.0, 2.0]])
    V, lam, _ = pca(X, 2)
    for solver in SOLVERS:
        model = PCA(n_components=2, svd_solver=solver, random_state=0).fit(X)
        np.testing.assert_allclose(model.components_, V, atol=1e-10)
        np.testing.assert_allclose(model.explained_variance_, lam, rtol=1e-10)


@st.composite
def point_clouds(draw):
    """Small clouds with duplicated points, far offsets and a perplexity up to near n - 1."""
    seed = draw(st.integers(0, 2 ** 32 - 1))
    n = draw(st.integers(6, 24))
    d = draw(st.integers(1, 4))
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * rng.uniform(0.1, 3.0, size=d)
    n_dup = draw(st.integers(0, n // 3))
    X[:n_dup] = X[n - n_dup:]  # pairs of identical points
    perplexity = 1.0 + draw(st.floats(0.05, 0.98)) * (n - 2.0)  # in (1, n - 1)
    offset = draw(st.sampled_from([0.0, 1e8]))
    return X + offset, perplexity


@settings(max_examples=40, deadline=None)
@given(point_clouds(), st.booleans())
def test_dense_P_is_the_textbook_joint_p(cloud, small):
    X, perplexity = cloud
    with small_blocks(small):  # distances one row at a time
        fast = exact_joint_probabilities(X, perplexity, tol=1e-10)
    assert np.all(np.abs(fast - joint_p(X, perplexity)) <= joint_tolerance(X, perplexity, 1e-10))


def joint_tolerance(X, perplexity, tol):
    """How far two joint P may differ, entry by entry, when each row's search stopped within
    ``tol`` nats of ``log perplexity``: :func:`search_tolerance` of each row of the textbook's
    conditional p_{j|i}, symmetrised as p_ij = (p_{j|i} + p_{i|j}) / 2n is."""
    n = len(X)
    conditional = conditional_p(X, perplexity)
    D = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    others = ~np.eye(n, dtype=bool)
    bound = np.zeros((n, n))
    for i in range(n):
        bound[i, others[i]] = search_tolerance(D[i, others[i]], conditional[i, others[i]], tol)
    return (bound + bound.T) / (2.0 * n)


@settings(max_examples=20, deadline=None)
@given(point_clouds(), st.sampled_from([1e-150, 1e150]))
def test_P_of_data_at_extreme_scales_is_the_textbook_P_at_unit_scale(cloud, scale):
    # what TSNE does: P depends on the distances only up to one factor
    X, perplexity = cloud
    X = X - X.mean(axis=0)
    fast = exact_joint_probabilities(unit_spread(X * scale), perplexity, tol=1e-10)
    np.testing.assert_allclose(fast, joint_p(X, perplexity), rtol=1e-7, atol=1e-14)


@settings(max_examples=30, deadline=None)
@given(point_clouds(), st.booleans())
def test_knn_P_is_the_textbook_P_when_every_point_is_a_neighbour(cloud, small):
    X, perplexity = cloud
    n = len(X)
    perplexity = max(perplexity, (n - 2) / 3.0)  # k = min(n - 1, 3 perplexity + 1) = n - 1
    with small_blocks(small):  # the neighbour search one row at a time
        rows, cols, values = knn_joint_probabilities(X, perplexity, tol=1e-10)
    sparse = np.zeros((n, n))
    sparse[rows, cols] = values
    # Both searches stop within tol of the entropy, not at one beta: a far neighbour's
    # p_{j|i} (small, out in the tail) then moves by (d_j - E_p d) times the gap of the
    # betas, relatively far more than 1e-7 (2.4e-6 found, on a p of 6.6e-8). The same
    # bound as the dense P's, derived from the search's tolerance.
    assert np.all(np.abs(sparse - joint_p(X, perplexity)) <= joint_tolerance(X, perplexity, 1e-10))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.integers(3, 40), st.data())
def test_every_row_of_the_joint_search_is_the_textbook_bisection(seed, m, data):
    perplexity = data.draw(st.floats(1.05, 0.97 * m))
    rng = np.random.default_rng(seed)
    D = rng.exponential(10.0 ** rng.uniform(-3, 3), size=(8, m))
    D[:, :m // 3] = D[:, [0]]  # ties: several neighbours at the same distance
    P = conditional_probabilities(D, perplexity, tol=1e-10)
    for row, d in zip(P, D):
        expected = gaussian_row(d, perplexity)
        assert np.all(np.abs(row - expected) <= search_tolerance(d, expected, 1e-10))


@st.composite
def maps_and_P(draw):
    """A map (with duplicated points and maybe a far offset) and a symmetric P with zeros."""
    seed = draw(st.integers(0, 2 ** 32 - 1))
    n = draw(st.integers(3, 30))
    dim = draw(st.integers(1, 3))
    rng = np.random.default_rng(seed)
    Y = rng.normal(scale=10.0 ** rng.uniform(-3, 1), size=(n, dim))  # up to ~50 wide
    Y[0] = Y[-1]  # two points at the same place
    Y = Y + draw(st.sampled_from([0.0, 1e4]))
    A = rng.uniform(size=(n, n)) * (rng.uniform(size=(n, n)) < 0.6)
    P = A + A.T
    np.fill_diagonal(P, 0.0)
    P[0, 1] = P[1, 0] = 0.3  # at least one pair
    return Y, P / P.sum(), draw(st.sampled_from([1.0, 12.0]))


@settings(max_examples=40, deadline=None)
@given(maps_and_P(), st.booleans())
def test_exact_gradient_and_cost_are_the_textbook_ones(case, small):
    Y, P, exaggeration = case
    with small_blocks(small):  # blocks of 3 rows: most maps here take several
        grad, kl = exact_kl_gradient(Y, P, exaggeration)
    expected = kl_gradient(Y, P, exaggeration)
    np.testing.assert_allclose(grad, expected, rtol=1e-7, atol=1e-9 * np.abs(expected).max())
    assert kl == pytest.approx(kl_divergence(P, student_t_q(Y)), rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(maps_and_P(), st.booleans())
def test_knn_gradient_and_cost_are_the_textbook_ones(case, small):
    Y, P, exaggeration = case
    upper = np.triu(P, k=1) > 0
    rows, cols = np.nonzero(upper)  # sorted by row, as the fast gradient wants them
    with small_blocks(small):  # the pair repulsion by blocks of 3 rows, P in parts of 5 pairs
        grad, kl = knn_kl_gradient(Y, rows, cols, P[rows, cols], exaggeration)
    expected = kl_gradient(Y, P, exaggeration)
    # the repulsion is summed in float32: to about 1e-4 of the pair forces (the net
    # force can be far smaller, when attraction and repulsion cancel)
    diff = Y[:, None] - Y[None]
    W = 1.0 / (1.0 + np.sum(diff ** 2, axis=-1))
    pair_forces = 4 * np.sum((exaggeration * P + student_t_q(Y)) * W
                             * np.linalg.norm(diff, axis=-1), axis=1)
    np.testing.assert_allclose(grad, expected, rtol=0, atol=2e-4 * pair_forces.max())
    assert kl == pytest.approx(kl_divergence(P, student_t_q(Y)), rel=1e-4, abs=1e-6)


def test_the_search_does_not_bounce_across_the_answer_when_distances_tie():
    # ten neighbours tied beyond the nearest ones: plain Newton steps jumped back and
    # forth between perplexities about 18 and 1.3 and never reached 6.5
    rng = np.random.default_rng(31)
    d = rng.exponential(10.0 ** rng.uniform(-3, 3), size=(8, 31))[1]
    d[:10] = d[0]
    p = conditional_probabilities(d[None], 6.5)[0]
    assert np.exp(-np.sum(p * np.log(p))) == pytest.approx(6.5, rel=1e-5)
    np.testing.assert_allclose(p, gaussian_row(d, 6.5), rtol=1e-4, atol=1e-12)
