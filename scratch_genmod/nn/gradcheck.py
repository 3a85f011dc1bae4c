"""Check hand-written backpropagation against finite differences.

For a scalar ``l(theta)`` the central difference

    (l(theta + h e_i) - l(theta - h e_i)) / (2 h) = dl/dtheta_i + O(h^2)

needs no calculus at all, so it is an independent check of ``backward``:
every entry of every parameter is nudged in turn (and every entry of the
input, which checks activations too). It costs two forward passes per entry,
so it is for small networks, in float64, where ``h = 1e-6`` leaves an error
near 1e-9.

>>> from scratch_genmod.nn.layers import Dense, Sequential
>>> from scratch_genmod.nn.activations import Tanh
>>> from scratch_genmod.nn.losses import MSELoss
>>> rng = np.random.default_rng(0)
>>> net = Sequential([Dense(3, 4, dtype="float64", random_state=0), Tanh(),
...                   Dense(4, 2, dtype="float64", random_state=1)])
>>> errors = gradient_check(net, MSELoss(), rng.normal(size=(5, 3)), rng.normal(size=(5, 2)))
>>> sorted(errors), bool(max(errors.values()) < 1e-6)
(['input', 'param 0', 'param 1', 'param 2', 'param 3'], True)
"""

import numpy as np

from scratch_genmod.core import check_array, check_same_length, check_scalar

__all__ = ["gradient_check", "relative_error"]


def gradient_check(model, loss, X, Y, h=1e-6):
    """Relative error between backprop gradients and central differences.

    Parameters
    ----------
    model : Layer
        Its parameters must be float64 (build it with ``dtype="float64"``):
        in float32 rounding swamps any finite difference.
    loss : Loss
    X : ndarray of shape (n_samples, n_inputs)
    Y : ndarray of shape (n_samples, n_outputs)
    h : float, default=1e-6
        Step of the central differences.

    Returns
    -------
    errors : dict
        ``"param k"`` -> relative error of the gradient of the k-th array of
        ``model.params()``, and ``"input"`` -> that of ``dl/dX``. The
        relative error of ``a`` against ``b`` is
        ``||a - b|| / max(||a|| + ||b||, 1e-12)``.
    """
    X = check_array(X, "X")
    Y = check_array(Y, "Y")
    check_same_length(X=X, Y=Y)
    h = check_scalar(h, "h", min_val=0.0, include_min=False)
    params = model.params()
    for k, p in enumerate(params):
        if p.dtype != np.float64:
            raise TypeError(f"gradient_check needs float64 parameters; param {k} is {p.dtype}: "
                            "build the model with dtype='float64'")

    model.zero_grad()
    grad_y = np.empty(Y.shape)
    loss.value_and_grad(model.forward(X.copy()), Y, grad_y)
    grad_x = np.array(model.backward(grad_y, input_grad=True), copy=True)
    analytic = {f"param {k}": g.copy() for k, g in enumerate(model.grads())}

    def l_of_x(x):
        return loss.value(model.forward(x), Y)

    errors = {}
    for k, p in enumerate(params):
        errors[f"param {k}"] = relative_error(
            analytic[f"param {k}"], _central_differences(p, lambda: l_of_x(X.copy()), h))
    x = X.copy()
    errors["input"] = relative_error(grad_x, _central_differences(x, lambda: l_of_x(x), h))
    return errors


def relative_error(a, b):
    """``||a - b|| / max(||a|| + ||b||, 1e-12)``: 0 for equal arrays, at most 1."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12))


def _central_differences(array, f, h):
    """d f / d array, nudging ``array`` in place one entry at a time (restored after)."""
    numeric = np.empty(array.shape)
    flat, out = array.reshape(-1), numeric.reshape(-1)
    for i in range(flat.size):  # one entry at a time: the point of the check
        original = flat[i]
        flat[i] = original + h
        up = f()
        flat[i] = original - h
        down = f()
        flat[i] = original
        out[i] = (up - down) / (2 * h)
    return numeric
