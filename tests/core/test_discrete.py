"""core/discrete.py's draws: the inverse of the distribution function, cell by cell.

The reference reads the same uniforms from a generator seeded alike and walks
each cumulative sum with a loop; a second test checks the frequencies of many
draws against the laws themselves.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.core.discrete import draw_bernoulli, draw_categorical


def inverse_cdf(probabilities, u):
    """The first k with p_0 + .. + p_k > u, walked one value at a time (the last if none)."""
    total = 0.0
    for k, p_k in enumerate(probabilities):
        total += p_k
        if u < total:
            return k
    return len(probabilities) - 1


def random_tables(rng, n_laws, sizes):
    return [rng.dirichlet(np.ones(K), size=n_laws) for K in sizes]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31), n_laws=st.integers(1, 4), n_draws=st.integers(1, 30),
       sizes=st.lists(st.integers(1, 5), min_size=1, max_size=4))
def test_categorical_draws_walk_the_cumulative_sums(seed, n_laws, n_draws, sizes):
    rng = np.random.default_rng(seed)
    theta = random_tables(rng, n_laws, sizes)
    theta[0][0] = np.eye(sizes[0])[-1]  # a law with zeros: those values are never drawn
    laws = rng.integers(n_laws, size=n_draws)
    X = draw_categorical(theta, laws, np.random.default_rng(seed + 1))
    u = np.random.default_rng(seed + 1).random((n_draws, len(theta)))
    expected = [[inverse_cdf(theta[j][laws[t]], u[t, j]) for j in range(len(theta))]
                for t in range(n_draws)]
    assert X.dtype == np.int64
    np.testing.assert_array_equal(X, expected)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31), n_laws=st.integers(1, 4), n_draws=st.integers(1, 30),
       d=st.integers(1, 6))
def test_bernoulli_draws_are_one_below_p(seed, n_laws, n_draws, d):
    rng = np.random.default_rng(seed)
    p = rng.random((n_laws, d))
    p[0, 0], p[-1, -1] = 0.0, 1.0  # never 1, always 1
    laws = rng.integers(n_laws, size=n_draws)
    X = draw_bernoulli(p, laws, np.random.default_rng(seed + 1))
    u = np.random.default_rng(seed + 1).random((n_draws, d))
    expected = [[1.0 if u[t, j] < p[laws[t], j] else 0.0 for j in range(d)]
                for t in range(n_draws)]
    assert X.dtype == np.float64
    np.testing.assert_array_equal(X, expected)


def test_a_cumulative_sum_short_of_one_still_gives_a_value_of_the_law():
    # rows summing to 1 - 1e-9: a uniform above the end takes the last value, not K_j
    theta = [np.array([[0.5, 0.5 - 1e-9]])]

    class High:
        def random(self, shape):
            return np.full(shape, 1.0 - 1e-12)

    assert draw_categorical(theta, np.array([0, 0]), High()).tolist() == [[1], [1]]


@pytest.mark.parametrize("law", [0, 1])
def test_frequencies_follow_the_laws(law):
    theta = [np.array([[0.1, 0.6, 0.3], [0.5, 0.0, 0.5]])]
    p = np.array([[0.2, 0.9], [0.7, 0.05]])
    n = 40000
    rng = np.random.default_rng(7)
    X = draw_categorical(theta, np.full(n, law), rng)
    np.testing.assert_allclose(np.bincount(X[:, 0], minlength=3) / n, theta[0][law], atol=0.01)
    B = draw_bernoulli(p, np.full(n, law), rng)
    np.testing.assert_allclose(B.mean(axis=0), p[law], atol=0.01)
