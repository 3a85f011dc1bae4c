"""Element-wise activations ``a = sigma(x)`` and their derivatives.

Backward is the chain rule for a function applied to each entry on its own:
``dl/dx = dl/da * sigma'(x)`` (a product entry by entry). The formulas are
those of :mod:`~scratch_genmod.nn.textbook.layers`; with
``algorithm="textbook"`` each layer calls them, with "fast" (the default) it
writes the derivative with what forward already computed, e.g.
``sigmoid' = s (1 - s)``.

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
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.nn.fast.elementwise import logistic
from scratch_genmod.nn.layers import Layer
from scratch_genmod.nn.textbook.layers import (
    leaky_relu, leaky_relu_backward, relu, relu_backward, sigmoid, sigmoid_backward, tanh,
    tanh_backward,
)

__all__ = ["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Identity", "make_activation"]


@register_estimator
class ReLU(Layer):
    """``relu(x) = max(x, 0)``; derivative 1 where ``x > 0``, else 0.

    Parameters
    ----------
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" calls ``textbook.layers.relu`` and ``relu_backward``.

    >>> layer = ReLU(algorithm="textbook")
    >>> layer.forward(np.array([[-1.0, 2.0]])), layer.backward(np.array([[5.0, 5.0]]))
    (array([[0., 2.]]), array([[0., 5.]]))
    """

    def __init__(self, algorithm="fast"):
        self.algorithm = algorithm

    def forward(self, x):
        self._x = x
        return relu(x) if self.algorithm == "textbook" else np.maximum(x, 0)

    def backward(self, grad_out, input_grad=True):
        if not input_grad:
            return None
        if self.algorithm == "textbook":
            return relu_backward(self._x, grad_out)
        return grad_out * (self._x > 0)


@register_estimator
class LeakyReLU(Layer):
    """``x`` where ``x > 0``, else ``alpha x``: a small slope keeps dead units learning.

    Parameters
    ----------
    alpha : float, default=0.01
        Slope for negative inputs, in [0, 1).
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" calls ``textbook.layers.leaky_relu`` and its backward.

    >>> LeakyReLU(alpha=0.5).forward(np.array([[-2.0, 3.0]]))
    array([[-1.,  3.]])
    """

    def __init__(self, alpha=0.01, algorithm="fast"):
        self.alpha = alpha
        self.algorithm = algorithm

    def forward(self, x):
        alpha = self._check_fitted_state()
        self._x = x
        if self.algorithm == "textbook":
            return leaky_relu(x, alpha)
        return np.maximum(x, alpha * x)  # with 0 <= alpha < 1, the larger of the two

    def backward(self, grad_out, input_grad=True):
        if not input_grad:
            return None
        if self.algorithm == "textbook":
            return leaky_relu_backward(self._x, grad_out, self.alpha)
        # slope 1 where x > 0, else alpha (np.where would take ten times as long)
        return grad_out * np.maximum(self._x > 0, grad_out.dtype.type(self.alpha))

    def _check_fitted_state(self):
        """The slope alpha, checked (by forward, and by load for a model read from a file)."""
        super()._check_fitted_state()
        return check_scalar(self.alpha, "alpha", min_val=0.0, max_val=1.0, include_max=False)


@register_estimator
class Sigmoid(Layer):
    """``s(x) = 1 / (1 + exp(-x))``, in (0, 1); derivative ``s (1 - s)``.

    Parameters
    ----------
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" calls ``textbook.layers.sigmoid`` and ``sigmoid_backward``.

    >>> layer = Sigmoid()
    >>> layer.forward(np.array([[0.0]])), layer.backward(np.array([[8.0]]))   # 8 s (1 - s)
    (array([[0.5]]), array([[2.]]))
    """

    def __init__(self, algorithm="fast"):
        self.algorithm = algorithm

    def forward(self, x):
        if self.algorithm == "textbook":
            self._x = x
            return sigmoid(x)
        self._s = logistic(x)
        return self._s

    def backward(self, grad_out, input_grad=True):
        if not input_grad:
            return None
        if self.algorithm == "textbook":
            return sigmoid_backward(self._x, grad_out)
        return grad_out * self._s * (1 - self._s)


@register_estimator
class Tanh(Layer):
    """``tanh(x)``, in (-1, 1); derivative ``1 - tanh(x)^2``.

    Parameters
    ----------
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" calls ``textbook.layers.tanh`` and ``tanh_backward``.

    >>> Tanh().forward(np.array([[0.0]]))
    array([[0.]])
    """

    def __init__(self, algorithm="fast"):
        self.algorithm = algorithm

    def forward(self, x):
        if self.algorithm == "textbook":
            self._x = x
            return tanh(x)
        self._t = np.tanh(x)
        return self._t

    def backward(self, grad_out, input_grad=True):
        if not input_grad:
            return None
        if self.algorithm == "textbook":
            return tanh_backward(self._x, grad_out)
        return grad_out * (1 - self._t * self._t)


@register_estimator
class Identity(Layer):
    """``a = x``, derivative 1: the linear network of the PCA comparison.

    >>> Identity().forward(np.array([[-3.0]]))
    array([[-3.]])
    """

    def __init__(self):
        pass

    def forward(self, x):
        return x

    def backward(self, grad_out, input_grad=True):
        return grad_out if input_grad else None


ACTIVATIONS = {"relu": ReLU, "leaky_relu": LeakyReLU, "sigmoid": Sigmoid,
               "tanh": Tanh, "identity": Identity}


def make_activation(name, argument="activation", algorithm="fast"):
    """A new activation layer from its name ("relu", "leaky_relu", "sigmoid", "tanh", "identity")."""
    layer = ACTIVATIONS[check_choice(name, argument, list(ACTIVATIONS))]()
    if "algorithm" in layer.get_params(deep=False):
        layer.algorithm = algorithm
    return layer
