"""The latent space's helpers, on stand-in models whose codes are known."""

import numpy as np
import pytest

from scratch_genmod.nn.latent import draw_codes, fit_code_density, interpolate


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
