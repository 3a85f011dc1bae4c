"""The textbook's layers: values worked by hand, and bad input named."""

import numpy as np
import pytest

from scratch_genmod.nn.textbook import layers as tb


def test_leaky_relu_and_its_backward_by_hand():
    x = np.array([[-2.0, 0.0, 3.0]])
    np.testing.assert_array_equal(tb.leaky_relu(x, alpha=0.25), [[-0.5, 0.0, 3.0]])
    # slope alpha up to and at the kink, 1 above it
    np.testing.assert_array_equal(tb.leaky_relu_backward(x, np.full((1, 3), 4.0), alpha=0.25),
                                  [[1.0, 1.0, 4.0]])


def test_tanh_backward_is_one_minus_tanh_squared():
    x = np.array([[np.log(2.0)]])            # tanh(log 2) = (2 - 1/2) / (2 + 1/2) = 3/5
    np.testing.assert_allclose(tb.tanh(x), [[0.6]])
    np.testing.assert_allclose(tb.tanh_backward(x, np.array([[1.0]])), [[1 - 0.36]])


def test_sigmoid_backward_by_hand():
    x = np.array([[np.log(3.0)]])            # s = 3/4, s (1 - s) = 3/16
    np.testing.assert_allclose(tb.sigmoid(x), [[0.75]])
    np.testing.assert_allclose(tb.sigmoid_backward(x, np.array([[16.0]])), [[3.0]])


@pytest.mark.parametrize("call, message", [
    (lambda: tb.dense_forward(np.ones((2, 3)), np.ones((4, 2)), np.ones(2)),
     "W must have one row per feature of x"),
    (lambda: tb.dense_forward(np.ones((2, 3)), np.ones((3, 2)), np.ones(3)),
     "b must have one entry per column of W"),
    (lambda: tb.dense_forward(np.ones(3), np.ones((3, 2)), np.ones(2)), "x must be a 2-D"),
    (lambda: tb.dense_backward(np.ones((2, 3)), np.ones((3, 2)), np.ones((5, 2))), "grad_out"),
    (lambda: tb.relu(np.array([[np.nan]])), "x"),
    (lambda: tb.relu_backward(np.ones((2, 2)), np.ones((2, 3))), "grad must have the shape of x"),
    (lambda: tb.leaky_relu(np.ones((1, 1)), alpha=1.0), "alpha"),
    (lambda: tb.tanh_backward(np.ones((1, 2)), np.ones((1, 3))), "grad must have the shape"),
])
def test_bad_input_names_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()
