"""Backpropagation as the course writes it: plain NumPy, one formula per function.

Start here. The autoencoder is ``H = D o E``: the encoder ``E`` maps ``x`` to
its code ``z = E(x)``, the decoder ``D`` maps the code back, and training
makes ``D(E(x))`` close to ``x``. Both are stacks of dense layers
``a = x W + b`` followed by an activation ``sigma``. A batch is a matrix whose
rows are samples, so for a layer with input ``x`` (n, n_in), weights ``W``
(n_in, n_out) and ``G = dl/da`` (n, n_out) the chain rule gives

    dl/dx = G W^T,   dl/dW = x^T G,   dl/db = sum of the rows of G.

The library's classes (:mod:`~scratch_genmod.nn.layers`,
:mod:`~scratch_genmod.nn.activations`, :mod:`~scratch_genmod.nn.losses`,
:mod:`~scratch_genmod.nn.optimizers`, :func:`~scratch_genmod.nn.train`) give
the same numbers; the tests check them against these functions. Nothing here
reuses a buffer or runs on threads: every function returns new arrays.

>>> x = np.array([[1.0, 2.0]])
>>> W, b = np.array([[1.0], [-1.0]]), np.array([0.5])
>>> dense_forward(x, W, b)               # 1 - 2 + 0.5
array([[-0.5]])
>>> relu(dense_forward(x, W, b))
array([[0.]])
"""

import numpy as np

from scratch_genmod.core import (
    check_array, check_choice, check_random_state, check_scalar, check_same_length,
)

__all__ = ["dense_forward", "dense_backward", "relu", "relu_backward", "sigmoid",
           "sigmoid_backward", "mse", "mse_gradient", "sgd_step", "adam_step",
           "train_autoencoder"]


def dense_forward(x, W, b):
    """A dense layer ``a = x W + b``.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_in)
    W : ndarray of shape (n_in, n_out)
    b : ndarray of shape (n_out,)

    Returns
    -------
    a : ndarray of shape (n_samples, n_out)

    >>> dense_forward(np.array([[1.0, 1.0]]), np.eye(2), np.array([0.0, 3.0]))
    array([[1., 4.]])
    """
    x, W, b = _check_dense(x, W, b)
    return x @ W + b


def dense_backward(x, W, grad_out):
    """Gradients of a dense layer from ``G = dl/da``: ``(G W^T, x^T G, sum_rows G)``.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_in)
        The layer's input in the forward pass.
    W : ndarray of shape (n_in, n_out)
    grad_out : ndarray of shape (n_samples, n_out)
        ``G = dl/da``.

    Returns
    -------
    grad_x : ndarray of shape (n_samples, n_in)
    grad_W : ndarray of shape (n_in, n_out)
    grad_b : ndarray of shape (n_out,)

    >>> gx, gW, gb = dense_backward(np.array([[1.0, 2.0]]), np.array([[3.0], [4.0]]),
    ...                             np.array([[10.0]]))
    >>> gx, gW.ravel(), gb                   # G W^T = [30, 40], x^T G = [10, 20]
    (array([[30., 40.]]), array([10., 20.]), array([10.]))
    """
    x, W, _ = _check_dense(x, W, np.zeros(np.shape(W)[-1]))
    G = check_array(grad_out, "grad_out", dtype=None, n_features=W.shape[1],
                    estimator="W (its number of columns)")
    check_same_length(x=x, grad_out=G)
    return G @ W.T, x.T @ G, G.sum(axis=0)


def relu(x):
    """``relu(x) = max(x, 0)``, entry by entry; ``x`` of shape (n_samples, n_features).

    >>> relu(np.array([[-1.0, 0.0, 2.0]]))
    array([[0., 0., 2.]])
    """
    x = check_array(x, "x", dtype=None)
    return np.maximum(x, 0)


def relu_backward(x, grad):
    """``dl/dx = dl/da * [x > 0]``: the gradient passes where the input was positive.

    ``x`` (the input of the forward pass) and ``grad = dl/da`` have the same
    shape (n_samples, n_features); so has ``dl/dx``. At the kink ``x = 0``
    the derivative is taken to be 0.

    >>> relu_backward(np.array([[-1.0, 0.0, 2.0]]), np.array([[5.0, 5.0, 5.0]]))
    array([[0., 0., 5.]])
    """
    x, grad = _check_same_shape(x=x, grad=grad)
    return grad * (x > 0)


def sigmoid(x):
    """``s(x) = 1 / (1 + exp(-x))``, computed without overflow.

    With ``e = exp(-|x|) <= 1``: ``s(x) = 1 / (1 + e)`` for ``x >= 0`` and
    ``s(x) = e / (1 + e)`` for ``x < 0``. ``x`` and ``s`` have shape
    (n_samples, n_features).

    >>> sigmoid(np.array([[0.0, -1000.0, 1000.0]]))
    array([[0.5, 0. , 1. ]])
    """
    x = check_array(x, "x", dtype=None)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


def sigmoid_backward(x, grad):
    """``dl/dx = dl/ds * s (1 - s)`` with ``s = sigmoid(x)``.

    ``x`` (the input of the forward pass), ``grad = dl/ds`` and ``dl/dx``
    have shape (n_samples, n_features).

    >>> sigmoid_backward(np.array([[0.0]]), np.array([[8.0]]))   # 8 * 0.5 * 0.5
    array([[2.]])
    """
    x, grad = _check_same_shape(x=x, grad=grad)
    s = sigmoid(x)
    return grad * s * (1 - s)


def mse(y_hat, y):
    """Mean squared error ``l = 1/N sum (y_hat - y)^2`` over all ``N`` entries (a float).

    ``y_hat`` and ``y`` have shape (n_samples, n_outputs).

    >>> mse(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]))   # (1 + 4) / 2
    2.5
    """
    y_hat, y = _check_same_shape(y_hat=y_hat, y=y)
    return float(np.mean((y_hat - y) ** 2))


def mse_gradient(y_hat, y):
    """``dl/dy_hat = 2 (y_hat - y) / N`` for the mean squared error.

    ``y_hat``, ``y`` and the gradient have shape (n_samples, n_outputs).

    >>> mse_gradient(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]))   # 2 [1, 2] / 2
    array([[1., 2.]])
    """
    y_hat, y = _check_same_shape(y_hat=y_hat, y=y)
    return 2 * (y_hat - y) / y_hat.size


def sgd_step(theta, g, velocity, lr, momentum=0.0, weight_decay=0.0):
    """One step of gradient descent with momentum ``mu`` and weight decay ``lambda``.

        g <- g + lambda theta,   v <- mu v + g,   theta <- theta - eta v

    (``mu = 0`` is the plain step ``theta <- theta - eta g``).

    Parameters
    ----------
    theta, g, velocity : ndarrays of the same shape
        Parameter, gradient ``dl/dtheta`` and velocity ``v`` (zeros at first).
    lr : float
        Learning rate ``eta`` (> 0).
    momentum : float, default=0.0
        ``mu`` in [0, 1).
    weight_decay : float, default=0.0
        ``lambda >= 0``.

    Returns
    -------
    theta, velocity : new ndarrays

    >>> sgd_step(np.array([1.0]), np.array([2.0]), np.array([1.0]), lr=0.1, momentum=0.5)
    (array([0.75]), array([2.5]))
    """
    theta, g, velocity = _check_same_shape(theta=theta, g=g, velocity=velocity)
    lr = check_scalar(lr, "lr", min_val=0.0, include_min=False)
    mu = check_scalar(momentum, "momentum", min_val=0.0, max_val=1.0, include_max=False)
    decay = check_scalar(weight_decay, "weight_decay", min_val=0.0)
    g = g + decay * theta
    velocity = mu * velocity + g
    return theta - lr * velocity, velocity


def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
              weight_decay=0.0):
    """Step ``t`` of Adam (Kingma & Ba, 2015): moving averages ``m``, ``v``, bias-corrected.

        g <- g + lambda theta,
        m <- b1 m + (1 - b1) g,            v <- b2 v + (1 - b2) g^2,
        m_hat = m / (1 - b1^t),            v_hat = v / (1 - b2^t),
        theta <- theta - eta m_hat / (sqrt(v_hat) + eps).

    Parameters
    ----------
    theta, g, m, v : ndarrays of the same shape
        Parameter, gradient, first and second moment averages (zeros at t = 1).
    t : int
        The step's number, from 1.
    lr : float, default=1e-3
        ``eta`` (> 0).
    beta1, beta2 : float, default=0.9, 0.999
        In [0, 1).
    eps : float, default=1e-8
        (> 0).
    weight_decay : float, default=0.0
        ``lambda >= 0``, added to the gradient (as PyTorch's Adam).

    Returns
    -------
    theta, m, v : new ndarrays

    At ``t = 1``, ``m_hat = g`` and ``v_hat = g^2``: the first step is ``-eta``
    times the sign of ``g`` (up to ``eps``).

    >>> theta, m, v = adam_step(np.array([1.0]), np.array([3.0]), np.zeros(1), np.zeros(1),
    ...                         t=1, lr=0.1, eps=1e-12)
    >>> theta, m, np.round(v, 12)            # m = 0.1 * 3, v = 0.001 * 9
    (array([0.9]), array([0.3]), array([0.009]))
    """
    theta, g, m, v = _check_same_shape(theta=theta, g=g, m=m, v=v)
    t = check_scalar(t, "t", int, min_val=1)
    lr = check_scalar(lr, "lr", min_val=0.0, include_min=False)
    b1 = check_scalar(beta1, "beta1", min_val=0.0, max_val=1.0, include_max=False)
    b2 = check_scalar(beta2, "beta2", min_val=0.0, max_val=1.0, include_max=False)
    eps = check_scalar(eps, "eps", min_val=0.0, include_min=False)
    g = g + check_scalar(weight_decay, "weight_decay", min_val=0.0) * theta
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g ** 2
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


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
    if not isinstance(layer_sizes, (tuple, list)) or len(layer_sizes) < 2:
        raise ValueError(f"layer_sizes must be a tuple of at least 2 ints, got {layer_sizes!r}")
    sizes = [check_scalar(s, f"layer_sizes[{k}]", int, min_val=1)
             for k, s in enumerate(layer_sizes)]
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


def _check_dense(x, W, b):
    x = check_array(x, "x", dtype=None)
    W = check_array(W, "W", dtype=None)
    b = check_array(b, "b", ndim=1, dtype=None)
    if W.shape[0] != x.shape[1]:
        raise ValueError(f"W must have one row per feature of x ({x.shape[1]}), "
                         f"got shape {W.shape}")
    if b.shape[0] != W.shape[1]:
        raise ValueError(f"b must have one entry per column of W ({W.shape[1]}), "
                         f"got shape {b.shape}")
    return x, W, b


def _check_same_shape(**arrays):
    """Each named array checked (finite, floating kept) and of the first one's shape."""
    checked = [check_array(a, name, ndim=(1, 2), dtype=None, min_samples=0)
               for name, a in arrays.items()]
    names = list(arrays)
    for name, a in zip(names[1:], checked[1:]):
        if a.shape != checked[0].shape:
            raise ValueError(f"{name} must have the shape of {names[0]}, "
                             f"{checked[0].shape}; got {a.shape}")
    return checked
