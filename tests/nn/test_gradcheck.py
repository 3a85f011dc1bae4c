"""Backpropagation against central finite differences, and forward passes against formulas."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.nn import (BCEWithLogitsLoss, Dense, Identity, LeakyReLU, MAELoss, MSELoss,
                               ReLU, Sequential, Sigmoid, Tanh, gradient_check)
from scratch_genmod.nn import textbook as tb
from scratch_genmod.nn.gradcheck import checkable_norm

ACTIVATIONS = [ReLU, LeakyReLU, Sigmoid, Tanh, Identity]
LOSSES = [MSELoss, MAELoss, BCEWithLogitsLoss]


@settings(max_examples=25)
@given(n=st.integers(1, 6), n_in=st.integers(1, 5), n_hidden=st.integers(1, 6),
       n_out=st.integers(1, 4), activation=st.sampled_from(ACTIVATIONS),
       loss=st.sampled_from(LOSSES), seed=st.integers(0, 2**16))
def test_backprop_matches_finite_differences(n, n_in, n_hidden, n_out, activation, loss, seed):
    rng = np.random.default_rng(seed)
    net = Sequential([Dense(n_in, n_hidden, dtype="float64", random_state=seed), activation(),
                      Dense(n_hidden, n_out, init="xavier", dtype="float64"), Sigmoid()])
    net.build(seed)
    X = rng.normal(size=(n, n_in))
    Y = rng.random((n, n_out)) if loss is BCEWithLogitsLoss else rng.normal(size=(n, n_out))
    errors = gradient_check(net, loss(), X, Y)
    assert set(errors) == {"input"} | {f"param {k}" for k in range(4)}
    assert max(errors.values()) < 1e-6, errors


def test_tiny_gradients_are_checked_within_the_differences_noise():
    # This example's input gradient is tiny: against its norm alone, the central
    # differences' rounding noise read as a relative error of 1.2e-6.
    n, n_in, n_hidden, n_out, seed = 3, 1, 1, 2, 568
    rng = np.random.default_rng(seed)
    net = Sequential([Dense(n_in, n_hidden, dtype="float64", random_state=seed), Sigmoid(),
                      Dense(n_hidden, n_out, init="xavier", dtype="float64"), Sigmoid()])
    net.build(seed)
    X, Y = rng.normal(size=(n, n_in)), rng.normal(size=(n, n_out))
    errors = gradient_check(net, MSELoss(), X, Y)
    assert max(errors.values()) < 1e-6, errors


def test_a_wrong_backward_is_caught_even_where_gradients_are_small():
    class SlightlyWrongSigmoid(Sigmoid):
        def backward(self, grad_out, input_grad=True):
            return 1.01 * super().backward(grad_out, input_grad)  # off by 1 %

    rng = np.random.default_rng(0)
    net = Sequential([Dense(3, 4, dtype="float64"), SlightlyWrongSigmoid(),
                      Dense(4, 2, dtype="float64")]).build(0)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    net.layers[2].W_ *= 1e-3  # the first layer's gradients pass through it: ~1e-3 smaller
    errors = gradient_check(net, MSELoss(), X, Y)
    # gradients ~2e-4 off by 1 %: reported near 1e-4 (5e-3 without the floor), far above 1e-6
    assert errors["param 0"] > 1e-5 and errors["param 2"] < 1e-6, errors


def test_checkable_norm_is_the_noise_over_sqrt_eps():
    eps = np.finfo(np.float64).eps
    # 9 entries, |l| = 2, h = 1e-5: noise = 3 (eps 2 / 1e-5 + 1e-10)
    assert checkable_norm(9, -2.0, 1e-5) == pytest.approx(
        3 * (2 * eps / 1e-5 + 1e-10) / np.sqrt(eps), rel=1e-12)


def test_gradient_check_catches_a_wrong_backward():
    class WrongTanh(Tanh):
        def backward(self, grad_out, input_grad=True):
            return 1.1 * super().backward(grad_out, input_grad)  # off by 10 %

    rng = np.random.default_rng(0)
    net = Sequential([Dense(3, 4, dtype="float64", random_state=0), WrongTanh(),
                      Dense(4, 2, dtype="float64", random_state=1)])
    errors = gradient_check(net, MSELoss(), rng.normal(size=(5, 3)), rng.normal(size=(5, 2)))
    assert errors["param 0"] > 1e-3 and errors["param 2"] < 1e-6


def test_gradients_accumulate_until_zero_grad():
    rng = np.random.default_rng(1)
    layer = Dense(3, 2, dtype="float64", random_state=0)
    x1, x2, g = rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    layer.zero_grad()
    layer.forward(x1)
    layer.backward(g)
    layer.forward(x2)
    layer.backward(g)
    np.testing.assert_allclose(layer.grad_W, x1.T @ g + x2.T @ g)
    np.testing.assert_allclose(layer.grad_b, 2 * g.sum(axis=0))
    layer.zero_grad()
    layer.forward(x1)
    layer.backward(g)
    np.testing.assert_allclose(layer.grad_W, x1.T @ g)


@pytest.mark.parametrize("h, message", [
    (1e300, r"h must be <= 1.0, got 1e\+300"),   # the loss overflowed at theta + h
    (5e-324, r"h=4.94e-324 cannot be held by float64"),   # a subnormal step
    (0.0, "h must be > 0"),
])
def test_gradient_check_refuses_a_step_that_cannot_check(h, message):
    net = Sequential([Dense(2, 2, dtype="float64")]).build(0)
    with pytest.raises(ValueError, match=message):
        gradient_check(net, MSELoss(), np.ones((2, 2)), np.ones((2, 2)), h=h)


def test_gradient_check_refuses_float32():
    net = Sequential([Dense(2, 2, random_state=0)])
    with pytest.raises(TypeError, match="float64"):
        gradient_check(net, MSELoss(), np.ones((2, 2)), np.ones((2, 2)))


def test_activations_match_their_formulas():
    x = np.linspace(-30, 30, 60).reshape(3, 20)
    np.testing.assert_allclose(ReLU().forward(x), np.where(x > 0, x, 0.0))
    np.testing.assert_allclose(LeakyReLU(alpha=0.1).forward(x), np.where(x > 0, x, 0.1 * x))
    np.testing.assert_allclose(Sigmoid().forward(x), 1 / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(Tanh().forward(x), np.tanh(x))
    np.testing.assert_array_equal(Identity().forward(x), x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.3])
def test_leaky_relu_is_its_definition_to_the_bit_kink_included(dtype, alpha):
    x = np.concatenate([np.linspace(-3, 3, 41), [0.0, -0.0, 1e-30, -1e-30]]).astype(dtype)[None]
    G = np.random.default_rng(0).normal(size=x.shape).astype(dtype)
    layer = LeakyReLU(alpha=alpha)
    y = layer.forward(x)
    grad = layer.backward(G)
    assert y.dtype == dtype and grad.dtype == dtype
    np.testing.assert_array_equal(y, np.where(x > 0, x, dtype(alpha) * x))
    np.testing.assert_array_equal(grad, np.where(x > 0, G, dtype(alpha) * G))  # slope alpha at 0


def test_sigmoid_and_bce_are_stable_for_huge_inputs():
    z = np.array([[-1e4, -100.0, 0.0, 100.0, 1e4]], dtype=np.float32)
    s = Sigmoid().forward(z)  # RuntimeWarnings are errors in the test suite
    np.testing.assert_allclose(s, [[0.0, 0.0, 0.5, 1.0, 1.0]], atol=1e-30)
    y = np.array([[0.0, 0.0, 1.0, 1.0, 0.0]])
    grad = np.empty_like(y)
    value = BCEWithLogitsLoss().value_and_grad(z.astype(np.float64), y, grad)
    # log(1 + e^z) - y z by hand: 0, 0, log 2, 0, and 1e4 for the last entry
    assert value == pytest.approx((np.log(2.0) + 1e4) / 5, rel=1e-12)
    np.testing.assert_allclose(grad, [[0.0, 0.0, -0.1, 0.0, 0.2]], atol=1e-30)


def test_losses_values_by_hand():
    y_hat = np.array([[0.5, -1.0], [2.0, 0.0]])
    y = np.array([[0.0, 1.0], [2.0, 1.0]])
    assert MSELoss().value(y_hat, y) == pytest.approx((0.25 + 4 + 0 + 1) / 4)
    assert MAELoss().value(y_hat, y) == pytest.approx((0.5 + 2 + 0 + 1) / 4)


def _moments(a):
    """Mean, variance and standardised fourth moment E[a^4] / E[a^2]^2 (zero-mean law)."""
    a = a.astype(np.float64).ravel()
    return a.mean(), a.var(), np.mean(a ** 4) / np.mean(a ** 2) ** 2


def _check_uniform(a, bound):
    """``a`` drawn from U(-c, c): |a| <= c, mean 0, variance c^2 / 3, E[a^4] / E[a^2]^2 = 9 / 5."""
    mean, var, kurtosis = _moments(a)
    assert np.abs(a).max() <= bound and np.abs(a).max() > 0.99 * bound
    assert abs(mean) < 5 * bound / np.sqrt(3 * a.size)
    assert var == pytest.approx(bound ** 2 / 3, rel=0.03)
    assert kurtosis == pytest.approx(9 / 5, abs=0.05)  # a normal law has 3


def test_dense_default_init_is_uniform_with_bound_one_over_sqrt_fan_in():
    layer = Dense(400, 300, random_state=0).build()
    assert layer.W_.dtype == np.float32 and layer.b_.dtype == np.float32
    _check_uniform(layer.W_, 1 / np.sqrt(400))
    wide = Dense(100, 20000, random_state=1).build()  # enough biases for their moments
    _check_uniform(wide.b_, 1 / np.sqrt(100))


def test_textbook_train_autoencoder_draws_the_same_law():
    X = np.zeros((4, 400))
    # lr = 1e-12: the returned weights are the initial ones to ~1e-12 (Adam moves by ~lr)
    weights, _ = tb.train_autoencoder(X, (400, 300), epochs=1, batch_size=4, lr=1e-12,
                                      random_state=0)
    (W1, b1), (W2, b2) = weights
    _check_uniform(W1, 1 / np.sqrt(400) + 1e-9)
    _check_uniform(W2, 1 / np.sqrt(300) + 1e-9)
    assert np.abs(b1).max() <= 1 / np.sqrt(400) + 1e-9 and np.abs(b2).max() <= 1 / np.sqrt(300) + 1e-9


@pytest.mark.parametrize("init, variance", [("he", 2 / 400), ("xavier", 2 / 700)])
def test_dense_normal_inits(init, variance):
    layer = Dense(400, 300, init=init, random_state=0).build()
    mean, var, kurtosis = _moments(layer.W_)
    assert abs(mean) < 5 * np.sqrt(variance / layer.W_.size)
    assert var == pytest.approx(variance, rel=0.03)
    assert kurtosis == pytest.approx(3, abs=0.1)
    assert not layer.b_.any()


@pytest.mark.parametrize("kwargs, name", [
    ({"n_inputs": 0, "n_outputs": 2}, "n_inputs"),
    ({"n_inputs": 2, "n_outputs": 2, "init": "glorot"}, "init"),
    ({"n_inputs": 2, "n_outputs": 2, "dtype": "float16"}, "dtype"),
])
def test_dense_bad_parameters(kwargs, name):
    with pytest.raises(ValueError, match=name):
        Dense(**kwargs).build()


def test_sequential_rejects_non_layers():
    with pytest.raises(TypeError, match=r"layers\[1\]"):
        Sequential([ReLU(), "relu"]).forward(np.ones((1, 1)))
