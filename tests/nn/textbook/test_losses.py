"""The textbook's losses: values and gradients worked by hand or by finite differences."""

import numpy as np
import pytest

from scratch_genmod.nn.textbook import losses as tb


def finite_difference(f, y_hat, y, h=1e-6):
    grad = np.zeros_like(y_hat)
    for idx in np.ndindex(*y_hat.shape):
        up, down = y_hat.copy(), y_hat.copy()
        up[idx] += h
        down[idx] -= h
        grad[idx] = (f(up, y) - f(down, y)) / (2 * h)
    return grad


def test_values_by_hand():
    y_hat, y = np.array([[1.0, -3.0]]), np.array([[0.0, 1.0]])
    assert tb.mse(y_hat, y) == pytest.approx((1 + 16) / 2)
    assert tb.mae(y_hat, y) == pytest.approx((1 + 4) / 2)
    # targets 1 and 0 with logits 0: -log(1/2) each
    assert tb.bce_with_logits(np.zeros((1, 2)), np.array([[1.0, 0.0]])) == pytest.approx(
        np.log(2))
    np.testing.assert_array_equal(tb.squared_error(y_hat, y), [17.0])


@pytest.mark.parametrize("value, gradient", [
    (tb.mse, tb.mse_gradient), (tb.mae, tb.mae_gradient),
    (tb.bce_with_logits, tb.bce_with_logits_gradient),
])
def test_gradients_match_finite_differences(value, gradient):
    rng = np.random.default_rng(0)
    y_hat, y = rng.normal(size=(3, 4)), rng.random((3, 4))
    np.testing.assert_allclose(gradient(y_hat, y), finite_difference(value, y_hat, y),
                               rtol=1e-6, atol=1e-9)


def test_cross_entropy_of_huge_logits_is_finite():
    a, y = np.array([[1000.0, -1000.0]]), np.array([[0.0, 1.0]])
    assert tb.bce_with_logits(a, y) == pytest.approx(1000.0)   # (1000 + 1000) / 2
    np.testing.assert_allclose(tb.bce_with_logits_gradient(a, y), [[0.5, -0.5]])


def test_shapes_must_agree():
    with pytest.raises(ValueError, match="y must have the shape of y_hat"):
        tb.mse(np.ones((2, 2)), np.ones((1, 2)))
    with pytest.raises(ValueError, match="x_hat must have the shape of x"):
        tb.squared_error(np.ones((2, 2)), np.ones((2, 3)))
