"""The fast layers, losses, optimisers and training loop give the textbook's numbers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.nn import SGD, Adam, Dense, MSELoss, ReLU, Sequential, Sigmoid, train
from scratch_genmod.nn import textbook as tb

DTYPES = [np.float32, np.float64]
TOL = {np.float32: dict(rtol=1e-5, atol=0), np.float64: dict(rtol=1e-12, atol=0)}


def awkward(rng, shape, dtype, scale, zeros):
    """Normal entries times ``scale``, a fraction ``zeros`` of them exactly 0 (the ReLU kink)."""
    x = rng.standard_normal(shape) * scale
    x[rng.random(shape) < zeros] = 0.0
    return x.astype(dtype)


cases = dict(seed=st.integers(0, 2**16), n=st.integers(1, 7), n_in=st.integers(1, 6),
             n_out=st.integers(1, 5), dtype=st.sampled_from(DTYPES),
             scale=st.sampled_from([1e-15, 1e-3, 1.0, 1e3, 1e15]),
             zeros=st.sampled_from([0.0, 0.3, 1.0]))


def close(actual, expected, dtype, scale=1.0):
    # float32 sums of n_in products: relative error ~ n_in eps on the largest term
    atol = 0 if dtype == np.float64 else 1e-5 * scale * np.abs(expected).max(initial=0)
    np.testing.assert_allclose(actual, expected, rtol=TOL[dtype]["rtol"], atol=atol)


@settings(max_examples=40, deadline=None)
@given(**cases)
def test_dense_matches_the_textbook(seed, n, n_in, n_out, dtype, scale, zeros):
    rng = np.random.default_rng(seed)
    layer = Dense(n_in, n_out, dtype=np.dtype(dtype).name, random_state=seed).build()
    layer.b_[:] = awkward(rng, n_out, dtype, scale, zeros)
    x, G = awkward(rng, (n, n_in), dtype, scale, zeros), awkward(rng, (n, n_out), dtype, 1, 0)
    layer.zero_grad()
    a = layer.forward(x)
    grad_x = layer.backward(G)
    close(a, tb.dense_forward(x, layer.W_, layer.b_), dtype)
    for fast, slow in zip((grad_x, layer.grad_W, layer.grad_b),
                          tb.dense_backward(x, layer.W_, G)):
        assert fast.dtype == dtype
        close(fast, slow, dtype)


@settings(max_examples=40, deadline=None)
@given(**cases)
def test_activations_and_mse_match_the_textbook(seed, n, n_in, n_out, dtype, scale, zeros):
    rng = np.random.default_rng(seed)
    x, G = awkward(rng, (n, n_in), dtype, scale, zeros), awkward(rng, (n, n_in), dtype, 1, zeros)
    relu = ReLU()
    np.testing.assert_array_equal(relu.forward(x), tb.relu(x))
    np.testing.assert_array_equal(relu.backward(G), tb.relu_backward(x, G))  # 0 at the kink
    sigmoid = Sigmoid()
    np.testing.assert_array_equal(sigmoid.forward(x), tb.sigmoid(x))
    np.testing.assert_array_equal(sigmoid.backward(G), tb.sigmoid_backward(x, G))
    y = awkward(rng, (n, n_in), dtype, scale, zeros)
    grad = np.empty_like(x)
    value = MSELoss().value_and_grad(x, y, grad)
    assert value == tb.mse(x, y) and np.isfinite(value)
    np.testing.assert_array_equal(grad, tb.mse_gradient(x, y))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**16), dtype=st.sampled_from(DTYPES),
       scale=st.sampled_from([1e-12, 1e-3, 1.0, 1e6]), zeros=st.sampled_from([0.0, 0.5]),
       decay=st.sampled_from([0.0, 0.1]), momentum=st.sampled_from([0.0, 0.9]))
def test_optimizers_match_the_textbook_over_several_steps(seed, dtype, scale, zeros, decay,
                                                          momentum):
    rng = np.random.default_rng(seed)
    theta0 = awkward(rng, (3, 4), dtype, 1.0, 0.0)
    grads = [awkward(rng, (3, 4), dtype, scale, zeros) for _ in range(6)]
    adam, sgd = Adam(lr=0.05, beta1=0.8, beta2=0.99, eps=1e-3, weight_decay=decay), \
        SGD(lr=0.1, momentum=momentum, weight_decay=decay)
    theta_adam, theta_sgd = theta0.copy(), theta0.copy()
    m, v, velocity = np.zeros_like(theta0), np.zeros_like(theta0), np.zeros_like(theta0)
    theta_a, theta_s = theta0, theta0
    for t, g in enumerate(grads, start=1):
        adam.step([theta_adam], [g])
        sgd.step([theta_sgd], [g])
        theta_a, m, v = tb.adam_step(theta_a, g, m, v, t, 0.05, 0.8, 0.99, 1e-3, decay)
        theta_s, velocity = tb.sgd_step(theta_s, g, velocity, 0.1, momentum, decay)
    tol = TOL[dtype]["rtol"] * 10
    np.testing.assert_allclose(theta_adam, theta_a, rtol=tol, atol=tol)
    # the paper's m and v; with weight decay they average g + lambda theta, which cancels
    # where g ~ -lambda theta: a rounding of theta then moves them by lambda |theta| tol
    drift = tol * decay * float(np.abs(theta_a).max())
    g_max = max(float(np.abs(g).max()) for g in grads) + decay * float(np.abs(theta_a).max())
    np.testing.assert_allclose(adam.m_[0], m, rtol=tol, atol=1e-30 + drift)
    np.testing.assert_allclose(adam.v_[0], v, rtol=tol, atol=1e-30 + 2 * drift * g_max)
    np.testing.assert_allclose(theta_sgd, theta_s, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", DTYPES)
def test_the_training_loop_matches_train_autoencoder(dtype):
    rng = np.random.default_rng(0)
    X = rng.random((37, 6)).astype(dtype)
    X[:, 0] = 0.0  # a black pixel: its weights get zero gradients
    name = np.dtype(dtype).name
    net = Sequential([Dense(6, 4, dtype=name), ReLU(), Dense(4, 2, dtype=name),
                      Dense(2, 4, dtype=name), ReLU(), Dense(4, 6, dtype=name)]).build(1)
    weights = [(layer.W_.copy(), layer.b_.copy()) for layer in net.layers
               if isinstance(layer, Dense)]
    history = train(net, X, X, MSELoss(), Adam(lr=1e-2), epochs=4, batch_size=8,
                    random_state=3, progress=False)
    expected, expected_history = tb.train_autoencoder(X, (6, 4, 2), weights, epochs=4,
                                                      batch_size=8, lr=1e-2, random_state=3)
    rtol = 1e-4 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(history["loss"], expected_history, rtol=rtol)
    dense = [layer for layer in net.layers if isinstance(layer, Dense)]
    for layer, (W, b) in zip(dense, expected):
        np.testing.assert_allclose(layer.W_, W, rtol=rtol, atol=rtol * 1e-2)
        np.testing.assert_allclose(layer.b_, b, rtol=rtol, atol=rtol * 1e-2)
