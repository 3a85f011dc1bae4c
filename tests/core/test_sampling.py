"""draw_from_density: one way to draw from this library's densities, scikit-learn's, or yours."""

import numpy as np
import pytest

from scratch_genmod.core.sampling import draw_from_density


class Recorder:
    """A density that records the keywords its sample gets and returns what it is told."""

    def __init__(self, result):
        self.result, self.calls = result, []

    def sample(self, n, random_state=None):
        self.calls.append(random_state)
        return self.result(n)


class NoSeed:
    def sample(self, n):
        return np.arange(2.0 * n).reshape(n, 2)


def test_an_int_seed_drawn_from_the_callers_generator():
    density = Recorder(lambda n: np.zeros((n, 3)))
    X, labels = draw_from_density(density, 4, np.random.default_rng(5))
    expected_seed = int(np.random.default_rng(5).integers(2**31))
    assert density.calls == [expected_seed] and type(density.calls[0]) is int
    assert X.shape == (4, 3) and labels.tolist() == [0, 0, 0, 0]


def test_no_seed_where_sample_takes_none_and_points_alone_with_n_2():
    X, labels = draw_from_density(NoSeed(), 2, np.random.default_rng(0))
    np.testing.assert_array_equal(X, [[0.0, 1.0], [2.0, 3.0]])   # not read as (X, labels)
    np.testing.assert_array_equal(labels, [0, 0])


def test_a_pair_gives_its_labels():
    density = Recorder(lambda n: (np.ones((n, 1)), np.arange(n)))
    X, labels = draw_from_density(density, 3, np.random.default_rng(0))
    np.testing.assert_array_equal(labels, [0, 1, 2])


@pytest.mark.parametrize("result, message", [
    (lambda n: np.zeros((n + 1, 2)), r"density.sample\(3\) must return an array of shape \(3, "),
    (lambda n: (np.zeros((n, 2)), np.zeros(n + 1)), r"returned labels of shape \(4,\)"),
])
def test_a_wrong_result_is_a_clear_error(result, message):
    with pytest.raises(ValueError, match=message):
        draw_from_density(Recorder(result), 3, np.random.default_rng(0))


def test_a_density_without_sample_is_a_type_error():
    with pytest.raises(TypeError, match="latent_density_ must have a sample"):
        draw_from_density(object(), 3, np.random.default_rng(0), "latent_density_")


def test_scikit_learns_densities():
    neighbors = pytest.importorskip("sklearn.neighbors")
    mixture = pytest.importorskip("sklearn.mixture")
    X = np.random.default_rng(0).normal(size=(50, 2))
    kde = neighbors.KernelDensity(bandwidth=0.5).fit(X)        # refuses a Generator
    first, labels = draw_from_density(kde, 7, np.random.default_rng(1))
    again, _ = draw_from_density(kde, 7, np.random.default_rng(1))
    assert first.shape == (7, 2) and labels.tolist() == [0] * 7
    np.testing.assert_array_equal(first, again)                 # reproducible from our seed
    gmm = mixture.GaussianMixture(2, random_state=0).fit(X)      # sample takes no random_state
    Z, components = draw_from_density(gmm, 6, np.random.default_rng(1))
    assert Z.shape == (6, 2) and set(components) <= {0, 1}
