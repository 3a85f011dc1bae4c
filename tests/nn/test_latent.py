"""The latent space's helpers, on stand-in models whose codes are known, and generation from
the law of an autoencoder's codes (LatentDensityMixin, on the Autoencoder)."""

import numpy as np
import pytest

from scratch_genmod.core import load, save
from scratch_genmod.nn.latent import draw_codes, fit_code_density, interpolate
from tests.nn.test_autoencoder import OneGaussian, blobs, small_ae


class Linear:
    """E(x) = x A, D(z) = z B: codes and decodings computed by hand below."""

    n_features_in_ = 3
    A = np.array([[1.0], [2.0], [0.0]])
    B = np.array([[1.0, -1.0, 2.0]])

    def encode(self, X):
        return X @ self.A

    def decode(self, Z):
        return Z @ self.B


def test_interpolate_decodes_the_straight_line_between_codes():
    x1, x2 = np.array([1.0, 1.0, 5.0]), np.array([0.0, 0.0, 7.0])   # z1 = 3, z2 = 0
    path = interpolate(Linear(), x1, x2, n_steps=4)
    expected = np.array([[3.0], [2.0], [1.0], [0.0]]) * Linear.B      # alpha = 1, 2/3, 1/3, 0
    np.testing.assert_allclose(path, expected)
    images = interpolate(Linear(), x1.reshape(1, 3), x2, n_steps=2)    # a (1, 3) "image" too
    np.testing.assert_allclose(images, expected[[0, -1]])


def test_fit_code_density_refuses_what_cannot_sample():
    with pytest.raises(TypeError, match="estimator must have fit\\(Z\\) and sample\\(n\\) methods"):
        fit_code_density(np.zeros((5, 2)), estimator=object())


def test_draw_codes_of_one_class():
    rng = np.random.default_rng(0)
    Z = np.vstack([rng.normal(-5, 0.1, (20, 2)), rng.normal(5, 0.1, (20, 2))])
    y = np.repeat(["a", "b"], 20)
    density = fit_code_density(Z, y, seed=0)
    codes, labels = draw_codes(density, 10, np.random.default_rng(1), y="b")
    assert set(labels) == {"b"} and np.all(np.abs(codes - 5) < 1)


class CodesAlone:
    """A density of your own whose sample takes no random_state and returns the codes alone."""

    def fit(self, Z):
        self.mean_ = Z.mean(axis=0)
        return self

    def sample(self, n):
        return np.tile(self.mean_, (n, 1))


def test_latent_density_and_sampling():
    X, _ = blobs()
    ae = small_ae().fit(X).fit_latent_density(X, OneGaussian(random_state=0))
    Z = ae.encode(X).astype(np.float64)
    np.testing.assert_allclose(ae.latent_density_.mean_, Z.mean(axis=0), rtol=1e-6)
    samples, labels = ae.sample(7, random_state=1)
    assert samples.shape == (7, 12) and labels.shape == (7,)
    again, _ = ae.sample(7, random_state=1)
    np.testing.assert_array_equal(samples, again)


def test_default_latent_density_is_a_ten_component_mixture(tmp_path):
    X, _ = blobs()
    ae = small_ae(epochs=5).fit(X).fit_latent_density(X)
    assert type(ae.latent_density_).__name__ == "GaussianMixture"
    assert ae.latent_density_.n_components == 10
    samples, labels = ae.sample(20, random_state=0)
    assert samples.shape == (20, 12) and set(labels) <= set(range(10))
    again = load(save(ae, tmp_path / "ae"))
    np.testing.assert_array_equal(again.sample(20, random_state=0)[0], samples)


def test_sample_through_other_libraries_densities():
    X, _ = blobs()
    ae = small_ae(epochs=2).fit(X)
    for n in (1, 2, 5):                          # n = 2 is not read as (codes, labels)
        samples, labels = ae.fit_latent_density(X, CodesAlone()).sample(n)
        assert samples.shape == (n, 12) and labels.tolist() == [0] * n
        np.testing.assert_allclose(samples, ae.decode(np.tile(ae.encode(X).mean(axis=0),
                                                              (n, 1))), rtol=1e-6)
    neighbors = pytest.importorskip("sklearn.neighbors")
    mixture = pytest.importorskip("sklearn.mixture")
    ae.fit_latent_density(X, neighbors.KernelDensity(bandwidth=0.1))
    first, _ = ae.sample(4, random_state=3)
    np.testing.assert_array_equal(ae.sample(4, random_state=3)[0], first)
    samples, labels = ae.fit_latent_density(X, mixture.GaussianMixture(3, random_state=0)).sample(6)
    assert samples.shape == (6, 12) and set(labels) <= {0, 1, 2}


def test_draw_me_a_class_from_a_density_per_class_of_the_codes(tmp_path):
    X, labels = blobs(n=300)
    ae = small_ae(epochs=30).fit(X).fit_latent_density(X, y=labels)
    means = np.array([X[labels == c].mean(axis=0) for c in range(3)])
    for c in range(3):
        samples, drawn = ae.sample(40, y=c, random_state=c)
        assert drawn.tolist() == [c] * 40
        nearest = np.argmin(((samples[:, None, :] - means[None]) ** 2).sum(axis=2), axis=1)
        assert np.mean(nearest == c) >= 0.9        # a drawn "c" looks like the c's
    _, drawn = ae.sample(300, random_state=0)      # without y: classes by their frequencies
    np.testing.assert_allclose(np.bincount(drawn, minlength=3) / 300,
                               np.bincount(labels) / 300, atol=0.1)
    again = load(save(ae, tmp_path / "ae"))
    np.testing.assert_array_equal(again.sample(5, y=2, random_state=1)[0],
                                  ae.sample(5, y=2, random_state=1)[0])


def test_draw_me_a_class_needs_the_labels():
    X, labels = blobs(n=60)
    ae = small_ae(epochs=1).fit(X).fit_latent_density(X, estimator=OneGaussian())
    with pytest.raises(ValueError, match=r"sample\(y=\.\.\.\) needs a density per class of the "
                                         r"codes: call fit_latent_density\(X, y=labels\)"):
        ae.sample(3, y=1)
    with pytest.raises(ValueError, match="y"):
        ae.fit_latent_density(X, y=labels[:10])


def test_textbook_generation_gives_the_fast_numbers():
    X, labels = blobs(n=120)
    drawn = {}
    for algorithm in ("fast", "textbook"):     # the same network, trained fast, then generating
        ae = small_ae(epochs=3, dtype="float64").fit(X).set_params(algorithm=algorithm)
        unconditional = ae.fit_latent_density(X).sample(5, random_state=1)[0]
        per_class = ae.fit_latent_density(X, y=labels).sample(5, y=2, random_state=1)[0]
        assert ae.latent_density_.algorithm == algorithm
        drawn[algorithm] = unconditional, per_class
    for fast, textbook in zip(drawn["fast"], drawn["textbook"]):
        np.testing.assert_allclose(textbook, fast, rtol=1e-7, atol=1e-9)
