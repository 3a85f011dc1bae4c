"""The dense layer's matrix products equal the textbook's dense_forward and dense_backward."""

import numpy as np
import pytest

from scratch_genmod.nn.fast.dense import dense_backward_into, dense_forward_fused
from scratch_genmod.nn.textbook.layers import dense_backward, dense_forward


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_forward_and_backward_equal_the_textbook(dtype, rtol):
    rng = np.random.default_rng(0)
    x, W, b = (rng.normal(size=s).astype(dtype) for s in [(6, 4), (4, 3), (3,)])
    G1, G2 = (rng.normal(size=(6, 3)).astype(dtype) for _ in range(2))
    np.testing.assert_allclose(dense_forward_fused(x, W, b), dense_forward(x, W, b), rtol=rtol)
    grad_W, grad_b = np.full((4, 3), np.nan, dtype), np.full(3, np.nan, dtype)
    grad_x = dense_backward_into(x, W, G1, grad_W, grad_b)       # writes over what was there
    expected_x, expected_W, expected_b = dense_backward(x, W, G1)
    np.testing.assert_allclose(grad_x, expected_x, rtol=rtol)
    np.testing.assert_allclose(grad_W, expected_W, rtol=rtol)
    np.testing.assert_allclose(grad_b, expected_b, rtol=rtol)
    # a second backward adds: the gradient of a layer used twice is the sum of both
    assert dense_backward_into(x, W, G2, grad_W, grad_b, accumulate=True,
                               input_grad=False) is None
    _, second_W, second_b = dense_backward(x, W, G2)
    np.testing.assert_allclose(grad_W, expected_W + second_W, rtol=rtol, atol=rtol)
    np.testing.assert_allclose(grad_b, expected_b + second_b, rtol=rtol, atol=rtol)
