"""Check hand-written backpropagation against finite differences.

For a scalar ``l(theta)`` the central difference

    (l(theta + h e_i) - l(theta - h e_i)) / (2 h) = dl/dtheta_i + O(h^2)

needs no calculus at all, so it is an independent check of ``backward``:
every entry of every parameter is nudged in turn (and every entry of the
input, which checks activations too). It costs two forward passes per entry,
so it is for small networks, in float64, where ``h = 1e-6`` leaves an error
near 1e-9.

How small a gradient can it check? Each ``l`` is computed with a rounding
error of about ``eps |l|`` (``eps = 2.2e-16``, float64's machine epsilon),
which the difference divides by ``2 h``; the formula itself is off by
``h^2 l^(3) / 6``. So each entry of the central difference carries a noise
of about ``eps |l| / h + h^2`` (taking ``l^(3)`` of order 1), and an array
of ``N`` entries ``noise = sqrt(N) (eps |l| / h + h^2)`` in norm. A gradient
of norm ``G`` can only be checked to ``noise / G``. So the relative error is
measured against at least ``noise / sqrt(eps)``, the norm that is checked
to half the digits (``1.5e-8``): a saturated sigmoid whose gradients are
``1e-5`` then reports the differences' noise as the tiny error it is, while
a wrong ``backward``, off by more than ~70 times the noise, still shows.

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

__all__ = ["gradient_check", "relative_error", "checkable_norm"]


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
        Step of the central differences, in (0, 1]: beyond 1 the formula's
        error ``h^2`` swamps any gradient (the check would pass anything, see
        :func:`checkable_norm`), and ``theta + h`` may overflow.

    Returns
    -------
    errors : dict
        ``"param k"`` -> relative error of the gradient of the k-th array of
        ``model.params()``, and ``"input"`` -> that of ``dl/dX``. The
        relative error of ``a`` against ``b`` is
        ``||a - b|| / max(||a|| + ||b||, floor)``, ``floor`` from
        :func:`checkable_norm` (see the module docstring).
    """
    X = check_array(X, "X")
    Y = check_array(Y, "Y")
    check_same_length(X=X, Y=Y)
    h = check_scalar(h, "h", min_val=0.0, include_min=False, max_val=1.0, dtype=np.float64)
    params = model.params()
    for k, p in enumerate(params):
        if p.dtype != np.float64:
            raise TypeError(f"gradient_check needs float64 parameters; param {k} is {p.dtype}: "
                            "build the model with dtype='float64'")

    model.zero_grad()
    y_hat = model.forward(X.copy())
    grad_y = np.empty(y_hat.shape)   # dl/dy_hat has the prediction's shape (not always Y's)
    value = loss.value_and_grad(y_hat, Y, grad_y)
    grad_x = np.array(model.backward(grad_y, input_grad=True), copy=True)
    analytic = {f"param {k}": g.copy() for k, g in enumerate(model.grads())}

    def l_of_x(x):
        return loss.value(model.forward(x), Y)

    errors = {}
    for k, p in enumerate(params):
        errors[f"param {k}"] = relative_error(
            analytic[f"param {k}"], _central_differences(p, lambda: l_of_x(X.copy()), h),
            floor=checkable_norm(p.size, value, h))
    x = X.copy()
    errors["input"] = relative_error(grad_x, _central_differences(x, lambda: l_of_x(x), h),
                                     floor=checkable_norm(x.size, value, h))
    return errors


def relative_error(a, b, floor=1e-12):
    """``||a - b|| / max(||a|| + ||b||, floor)``: 0 for equal arrays, at most 1 above the floor.

    >>> relative_error([1.0, 2.0], [1.0, 2.0]), relative_error([1.0], [3.0])   # 2 / 4
    (0.0, 0.5)
    >>> relative_error([1e-9], [3e-9], floor=1e-3)   # 2e-9 / 1e-3
    2e-06
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    floor = check_scalar(floor, "floor", min_val=0.0, include_min=False)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), floor))


def checkable_norm(n_entries, value, h):
    """``sqrt(N) (eps |l| / h + h^2) / sqrt(eps)``: the least gradient norm checked to sqrt(eps).

    >>> eps = np.finfo(np.float64).eps
    >>> bool(np.isclose(checkable_norm(4, 1.0, 1e-6), 2 * (eps / 1e-6 + 1e-12) / np.sqrt(eps)))
    True
    """
    eps = float(np.finfo(np.float64).eps)
    noise = np.sqrt(n_entries) * (eps * abs(value) / h + h ** 2)
    return max(float(noise / np.sqrt(eps)), 1e-12)


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
