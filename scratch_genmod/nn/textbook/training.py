"""Training written out for one network: ``H = D o E`` fitted by mini-batch Adam on the MSE.

The loop of :func:`~scratch_genmod.nn.train`, with every step a textbook
function: forward through the layers, the loss and its gradient, backward
through the layers last to first, one Adam step per parameter.
"""

import numpy as np

from scratch_genmod.core import check_array, check_random_state, check_scalar
from scratch_genmod.nn.checks import check_layer_sizes
from scratch_genmod.nn.textbook.layers import dense_backward, dense_forward, relu, relu_backward
from scratch_genmod.nn.textbook.losses import mse, mse_gradient
from scratch_genmod.nn.textbook.optim import adam_step

__all__ = ["train_autoencoder"]

def train_autoencoder(X, layer_sizes, weights=None, epochs=10, batch_size=128, lr=1e-3,
                      random_state=None):
    """Train ``H = D o E`` to reconstruct ``X`` by mini-batch Adam on the MSE.

    ``E`` is dense layers of sizes ``layer_sizes = (n, h_1, ..., d)`` with a
    ReLU after each but the last (the code ``z = E(x)`` is linear); ``D``
    mirrors it, with a linear output. Each epoch visits the rows in the order
    ``rng.permutation(n_samples)``, by batches of ``batch_size``, as
    :func:`~scratch_genmod.nn.train` does.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n)
    layer_sizes : tuple of int
        ``(n, h_1, ..., d)``, at least two entries.
    weights : list of (W, b) or None, default=None
        Initial weights of the ``2 (len(layer_sizes) - 1)`` layers, encoder
        then decoder; None draws every entry of ``W`` and ``b`` from
        ``U(-1/sqrt(n_in), 1/sqrt(n_in))``, as ``Dense(init="uniform")``.
    epochs, batch_size : int, default=10, 128
    lr : float, default=1e-3
        Adam's learning rate (other settings at their defaults).
    random_state : None, int or numpy.random.Generator, default=None

    Returns
    -------
    weights : list of (W, b)
    history : list of float
        Per epoch, the mean over the rows of the batch losses.

    >>> X = np.zeros((4, 2))
    >>> _, history = train_autoencoder(X, (2, 1), weights=[(np.ones((2, 1)), np.zeros(1)),
    ...                                (np.ones((1, 2)), np.zeros(2))], epochs=2)
    >>> history                              # D(E(0)) = 0: nothing to learn
    [0.0, 0.0]
    """
    X = check_array(X, "X", dtype=None)
    epochs = check_scalar(epochs, "epochs", int, min_val=1)
    batch_size = check_scalar(batch_size, "batch_size", int, min_val=1)
    rng = check_random_state(random_state)
    params = _initial_weights(X, layer_sizes, weights, rng)
    m = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    v = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    history, t = [], 0
    for _ in range(epochs):
        order, total = rng.permutation(X.shape[0]), 0.0
        for start in range(0, X.shape[0], batch_size):
            x = X[order[start:start + batch_size]]
            saved, y_hat = _forward(params, x)                        # 1. forward
            total += mse(y_hat, x) * len(x)                           # 2. loss
            grads = _backward(params, saved, mse_gradient(y_hat, x))   # 3. backward
            t += 1                                                    # 4. update
            for k, ((W, b), (gW, gb)) in enumerate(zip(params, grads)):
                W, m_W, v_W = adam_step(W, gW, m[k][0], v[k][0], t, lr)
                b, m_b, v_b = adam_step(b, gb, m[k][1], v[k][1], t, lr)
                params[k], m[k], v[k] = (W, b), (m_W, m_b), (v_W, v_b)
        history.append(total / X.shape[0])
    return params, history


def _forward(params, x):
    """Each layer's input and pre-activation ``a`` (for backward), and ``D(E(x))``."""
    n_layers, saved = len(params), []
    for k, (W, b) in enumerate(params):
        a = dense_forward(x, W, b)
        saved.append((x, a))
        x = a if k in (n_layers // 2 - 1, n_layers - 1) else relu(a)  # linear code, output
    return saved, x


def _backward(params, saved, grad):
    """``(dl/dW, dl/db)`` of every layer from ``dl/dy_hat``: the chain rule, last layer first."""
    n_layers, grads = len(params), [None] * len(params)
    for k in range(n_layers - 1, -1, -1):
        x, a = saved[k]
        if k not in (n_layers // 2 - 1, n_layers - 1):
            grad = relu_backward(a, grad)
        grad, grad_W, grad_b = dense_backward(x, params[k][0], grad)
        grads[k] = (grad_W, grad_b)
    return grads


def _initial_weights(X, layer_sizes, weights, rng):
    sizes = check_layer_sizes(layer_sizes, X.shape[1])
    if X.shape[1] != sizes[0]:
        raise ValueError(f"X has {X.shape[1]} features, layer_sizes[0] is {sizes[0]}")
    widths = sizes + sizes[-2::-1]
    shapes = list(zip(widths[:-1], widths[1:]))
    if weights is None:
        return [((rng.uniform(-1, 1, s) / np.sqrt(s[0])).astype(X.dtype),
                 (rng.uniform(-1, 1, s[1]) / np.sqrt(s[0])).astype(X.dtype)) for s in shapes]
    if len(weights) != len(shapes):
        raise ValueError(f"weights must hold {len(shapes)} (W, b) pairs, got {len(weights)}")
    checked = []
    for k, ((W, b), shape) in enumerate(zip(weights, shapes)):
        W = check_array(W, f"weights[{k}][0]", dtype=None)
        b = check_array(b, f"weights[{k}][1]", ndim=1, dtype=None)
        if W.shape != shape or b.shape != shape[1:]:
            raise ValueError(f"weights[{k}] must be (W, b) of shapes {shape} and {shape[1:]}, "
                             f"got {W.shape} and {b.shape}")
        checked.append((W, b))
    return checked
