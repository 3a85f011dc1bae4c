"""Element-wise activations ``a = sigma(x)`` and their derivatives.

Backward is the chain rule for a function applied to each entry on its own:
``dl/dx = dl/da * sigma'(x)`` (a product entry by entry). Each derivative is
written with what forward already computed, e.g. ``sigmoid' = s (1 - s)``.

Without a non-linear ``sigma`` a stack of ``Dense`` layers is one linear map:
the course's point that an autoencoder with ``sigma = Id`` does what PCA does.

>>> x = np.array([[-2.0, 0.5]])
>>> ReLU().forward(x)
array([[0. , 0.5]])
>>> np.round(Sigmoid().forward(np.array([[0.0, 1000.0, -1000.0]])), 3)
array([[0.5, 1. , 0. ]])
"""

import numpy as np

from scratch_genmod.core import check_choice, check_scalar
from scratch_genmod.nn.layers import Layer

__all__ = ["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Identity", "make_activation"]


class ReLU(Layer):
    """``relu(x) = max(x, 0)``; derivative 1 where ``x > 0``, else 0."""

    def __init__(self):
        pass

    def forward(self, x):
        out = self._buffer("_out", x.shape, x.dtype)
        return np.maximum(x, 0, out=out)

    def backward(self, grad_out, input_grad=True):
        if not input_grad:
            return None
        positive = self._buffer("_mask", grad_out.shape, bool)
        np.greater(self._out[: grad_out.shape[0]], 0, out=positive)
        grad_in = self._buffer("_grad_in", grad_out.shape, grad_out.dtype)
        return np.multiply(grad_out, positive, out=grad_in)


class LeakyReLU(Layer):
    """``x`` where ``x > 0``, else ``alpha x``: a small slope keeps dead units learning.

    Parameters
    ----------
    alpha : float, default=0.01
        Slope for negative inputs, in [0, 1).
    """

    def __init__(self, alpha=0.01):
        self.alpha = alpha

    def forward(self, x):
        alpha = check_scalar(self.alpha, "alpha", min_val=0.0, max_val=1.0, include_max=False)
        self._x = x
        out = self._buffer("_out", x.shape, x.dtype)
        np.multiply(x, alpha, out=out)
        return np.maximum(x, out, out=out)  # max(x, alpha x) since alpha < 1

    def backward(self, grad_out, input_grad=True):
        if not input_grad:
            return None
        positive = self._buffer("_mask", grad_out.shape, bool)
        np.greater(self._x, 0, out=positive)
        grad_in = self._buffer("_grad_in", grad_out.shape, grad_out.dtype)
        np.multiply(grad_out, self.alpha, out=grad_in)
        np.copyto(grad_in, grad_out, where=positive)
        return grad_in


class Sigmoid(Layer):
    """``s(x) = 1 / (1 + exp(-x))``, in (0, 1); derivative ``s (1 - s)``.

    Computed from ``e = exp(-|x|) <= 1`` so that no exponential overflows:
    ``s(x) = e / (1 + e)`` for ``x < 0`` (accurate even when tiny) and
    ``s(x) = 1 / (1 + e)`` for ``x >= 0``. The numerator, ``e`` or 1, is
    ``max(e, [x >= 0])`` since ``e <= 1``: no masked (slow) operation.
    """

    def __init__(self):
        pass

    def forward(self, x):
        out = self._buffer("_out", x.shape, x.dtype)
        denominator = self._buffer("_denominator", x.shape, x.dtype)
        nonnegative = self._buffer("_mask", x.shape, bool)
        np.greater_equal(x, 0, out=nonnegative)
        np.abs(x, out=out)
        np.negative(out, out=out)
        np.exp(out, out=out)                      # e = exp(-|x|)
        return sigmoid_from_exp(out, nonnegative, out, denominator)

    def backward(self, grad_out, input_grad=True):
        if not input_grad:
            return None
        s = self._out[: grad_out.shape[0]]
        grad_in = self._buffer("_grad_in", grad_out.shape, grad_out.dtype)
        np.subtract(1, s, out=grad_in)
        grad_in *= s
        grad_in *= grad_out
        return grad_in


def sigmoid_from_exp(e, nonnegative, out, denominator=None):
    """``s(x)`` from ``e = exp(-|x|)`` and the mask ``x >= 0``, with no overflow.

    ``s(x) = max(e, [x >= 0]) / (1 + e)``; ``out`` may be ``e`` itself (the
    denominator is formed first), ``denominator`` a buffer for ``1 + e``.

    >>> x = np.array([-800.0, 0.0, 3.0])
    >>> bool(np.allclose(sigmoid_from_exp(np.exp(-np.abs(x)), x >= 0, np.empty(3)),
    ...                  [0.0, 0.5, 1 / (1 + np.exp(-3.0))]))
    True
    """
    denominator = np.add(e, 1.0, out=denominator)
    np.maximum(e, nonnegative, out=out)     # 1 where x >= 0, else e
    return np.divide(out, denominator, out=out)


class Tanh(Layer):
    """``tanh(x)``, in (-1, 1); derivative ``1 - tanh(x)^2``."""

    def __init__(self):
        pass

    def forward(self, x):
        return np.tanh(x, out=self._buffer("_out", x.shape, x.dtype))

    def backward(self, grad_out, input_grad=True):
        if not input_grad:
            return None
        t = self._out[: grad_out.shape[0]]
        grad_in = self._buffer("_grad_in", grad_out.shape, grad_out.dtype)
        np.multiply(t, t, out=grad_in)
        np.subtract(1, grad_in, out=grad_in)
        grad_in *= grad_out
        return grad_in


class Identity(Layer):
    """``a = x``, derivative 1: the linear network of the PCA comparison."""

    def __init__(self):
        pass

    def forward(self, x):
        return x

    def backward(self, grad_out, input_grad=True):
        return grad_out if input_grad else None


ACTIVATIONS = {"relu": ReLU, "leaky_relu": LeakyReLU, "sigmoid": Sigmoid,
               "tanh": Tanh, "identity": Identity}


def make_activation(name, argument="activation"):
    """A new activation layer from its name ("relu", "leaky_relu", "sigmoid", "tanh", "identity")."""
    return ACTIVATIONS[check_choice(name, argument, list(ACTIVATIONS))]()
