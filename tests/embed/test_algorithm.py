"""algorithm="textbook" and the default fast path give the same numbers (PCA, t-SNE).

PCA: every fitted attribute, codes, reconstructions and densities, on hypothesis data
with far offsets, extreme scales and a constant feature.

t-SNE: the same P (the fast exact search is run to the textbook's 1e-10 nats) and the
same map and cost after 5 iterations of descent. Not after a whole fit: the descent
from a map 1e-4 wide, with momentum and gains, amplifies round-off (measured on 60
small clouds with learning rate 10, largest relative difference of the maps: 5e-10
after 3 iterations, 3e-9 after 5, 2e-4 after 10, O(1) by the thirtieth), so two routes
that differ only in summation order end in different, equally good maps; their per-step
gradients are held to 1e-7 in tests/embed/fast/test_equals_textbook.py.
"""

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.embed import PCA, TSNE, tsne


@st.composite
def pca_data(draw):
    seed = draw(st.integers(0, 2 ** 32 - 1))
    d = draw(st.integers(1, 6))
    n = draw(st.integers(d + 2, 30))
    rng = np.random.default_rng(seed)
    spreads = 2.0 ** -np.arange(d, dtype=float)  # distinct variances: the axes are defined
    X = rng.normal(size=(n, d)) * spreads
    X = X - X.mean(axis=0)
    X = np.linalg.qr(X)[0] * spreads if n > d else X  # exactly the spreads (no near-ties)
    X = X @ np.linalg.qr(rng.normal(size=(d, d)))[0]
    offset = draw(st.sampled_from([0.0, 1e4]))
    scale = draw(st.sampled_from([1.0, 1e-80, 1e80]))
    return (X + offset) * scale, draw(st.integers(1, d))


@settings(max_examples=60, deadline=None)
@given(pca_data(), st.booleans())
def test_pca_textbook_and_fast_give_the_same_model(data, whiten):
    X, k = data
    fast = PCA(n_components=k, whiten=whiten, svd_solver="full").fit(X)
    book = PCA(n_components=k, whiten=whiten, algorithm="textbook").fit(X)
    assert book.solver_ == "textbook"
    top = fast.explained_variance_[0]
    np.testing.assert_allclose(book.explained_variance_, fast.explained_variance_,
                               rtol=1e-7, atol=1e-12 * top)
    np.testing.assert_allclose(book.explained_variance_ratio_, fast.explained_variance_ratio_,
                               atol=1e-9)
    np.testing.assert_allclose(book.singular_values_, fast.singular_values_,
                               rtol=1e-7, atol=1e-6 * np.sqrt(top))
    np.testing.assert_allclose(book.components_, fast.components_, atol=1e-6)
    assert book.noise_variance_ == pytest.approx(fast.noise_variance_, rel=1e-6, abs=1e-12 * top)
    np.testing.assert_allclose(book.mean_, fast.mean_, rtol=1e-15)
    Z = fast.transform(X)
    np.testing.assert_allclose(book.transform(X), Z, atol=1e-6 * np.abs(Z).max())
    np.testing.assert_allclose(book.inverse_transform(Z), fast.inverse_transform(Z),
                               rtol=1e-9, atol=1e-6 * np.sqrt(top))
    if k < X.shape[1] and np.max(np.abs(X)) < 1e10:  # a density of nondegenerate data
        np.testing.assert_allclose(book.score_samples(X), fast.score_samples(X), rtol=1e-7)


def test_pca_textbook_refuses_the_same_bad_input_as_the_fast_path():
    with pytest.raises(ValueError, match="algorithm must be one of 'fast', 'textbook'; got 'book'"):
        PCA(algorithm="book").fit(np.eye(3))
    with pytest.raises(ValueError, match=r"n_components=4 must be <= min\(n_samples, n_features\)"):
        PCA(n_components=4, algorithm="textbook").fit(np.eye(3))


@st.composite
def clouds(draw):
    """Small clouds with duplicated points and far offsets; a perplexity up to near n - 1."""
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    n = draw(st.integers(6, 20))
    X = rng.normal(size=(n, draw(st.integers(2, 4))))
    n_dup = draw(st.integers(0, n // 3))
    X[:n_dup] = X[n - n_dup:]
    perplexity = 1.0 + draw(st.floats(0.05, 0.9)) * (n - 2.0)
    return X + draw(st.sampled_from([0.0, 1e6])), perplexity


@settings(max_examples=40, deadline=None)
@given(clouds(), st.sampled_from(["pca", "random"]))
def test_tsne_textbook_and_exact_give_the_same_map_after_five_iterations(cloud, init):
    X, perplexity = cloud
    maps = []
    with mock.patch.object(tsne, "EXPLORATION_ITER", 5):  # max_iter may then be 5
        for params in ({"method": "exact"}, {"algorithm": "textbook"}):
            model = TSNE(perplexity=perplexity, max_iter=5, init=init, learning_rate=10.0,
                         random_state=0, progress=False, **params).fit(X)
            maps.append(model)
    fast, book = maps
    assert fast.n_iter_ == book.n_iter_ == 5
    scale = np.abs(book.embedding_).max()
    np.testing.assert_allclose(fast.embedding_, book.embedding_, rtol=0, atol=1e-7 * scale)
    assert fast.kl_divergence_ == pytest.approx(book.kl_divergence_, rel=1e-7, abs=1e-12)


def test_tsne_textbook_names_a_bad_algorithm():
    X = np.random.default_rng(0).normal(size=(12, 3))
    with pytest.raises(ValueError, match="algorithm must be one of 'fast', 'textbook'; got 'exact'"):
        TSNE(perplexity=3.0, algorithm="exact", progress=False).fit(X)
