"""Squared distances by the matrix-product expansion against differences taken pair by pair."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.core import squared_distances


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2 ** 31 - 1), st.integers(1, 12), st.integers(1, 12), st.integers(1, 6))
def test_matches_pairwise_differences(seed, n_a, n_b, d):
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(n_a, d)), rng.normal(size=(n_b, d))
    expected = np.array([[np.sum((a - b) ** 2) for b in B] for a in A])
    np.testing.assert_allclose(squared_distances(A, B), expected, rtol=1e-12, atol=1e-12)
    given_norms = squared_distances(A, B, np.sum(A * A, axis=1), np.sum(B * B, axis=1))
    np.testing.assert_allclose(given_norms, expected, rtol=1e-12, atol=1e-12)


def test_rounding_never_makes_a_distance_negative():
    A = np.random.default_rng(1).normal(size=(50, 3)) * 1e3
    D = squared_distances(A, A)
    assert np.all(D >= 0.0)
