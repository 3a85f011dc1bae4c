"""Losses ``l(Y_hat, Y)``: a value and its gradient ``dl/dY_hat`` in one pass.

Every loss is a *mean over all entries* of the batch (``N = n_samples x
n_outputs`` terms), as PyTorch's defaults, so a learning rate means the same
thing whatever the batch size:

* ``MSELoss``:  l = 1/N sum (y_hat - y)^2,  dl/dy_hat = 2 (y_hat - y) / N;
* ``MAELoss``:  l = 1/N sum |y_hat - y|,    dl/dy_hat = sign(y_hat - y) / N;
* ``BCEWithLogitsLoss`` (targets in [0, 1], prediction a logit ``z``):
  l = 1/N sum [log(1 + exp(z)) - y z],  dl/dz = (sigmoid(z) - y) / N,
  with ``log(1 + exp(z)) = max(z, 0) + log(1 + exp(-|z|))`` so nothing
  overflows, whatever ``z``.

The course's autoencoder minimises ``||D(E(x)) - x||``: the MSE (squared
norm) or the MAE (the 1-norm). The formulas are those of
:mod:`~scratch_genmod.nn.textbook.losses`; with ``algorithm="textbook"`` a
loss calls them, with "fast" (the default) it writes the gradient into the
array it is given.

>>> y_hat, y = np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]])
>>> grad = np.empty_like(y_hat)
>>> MSELoss().value_and_grad(y_hat, y, grad), grad
(2.5, array([[1., 2.]]))
>>> round(BCEWithLogitsLoss().value_and_grad(np.array([[0.0]]), np.array([[1.0]])), 4)
0.6931
"""

import numpy as np

from scratch_genmod.core import BaseEstimator, check_choice
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.nn.fast.elementwise import logistic
from scratch_genmod.nn.checks import check_algorithm
from scratch_genmod.nn.textbook.losses import (
    bce_with_logits, bce_with_logits_gradient, mae, mae_gradient, mse, mse_gradient,
)

__all__ = ["Loss", "MSELoss", "MAELoss", "BCEWithLogitsLoss", "make_loss"]


class Loss(BaseEstimator):
    """Base class: ``value_and_grad(y_hat, y, grad=None)``; ``value(y_hat, y)``.

    Parameters
    ----------
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" computes with the functions of ``textbook.losses``.

    >>> grad = np.empty((1, 2))
    >>> MSELoss().value_and_grad(np.array([[1.0, 2.0]]), np.zeros((1, 2)), grad), grad
    (2.5, array([[1., 2.]]))
    """

    def __init__(self, algorithm="fast"):
        self.algorithm = algorithm

    def value(self, y_hat, y):
        """The loss alone (float), without writing a gradient."""
        return self.value_and_grad(y_hat, y, np.empty_like(y_hat))

    def value_and_grad(self, y_hat, y, grad=None):
        """Return the loss (float); write ``dl/dy_hat`` into ``grad`` when given."""
        raise NotImplementedError

    def _check_fitted_state(self):
        """Called by ``load``: a loss has no state, only its ``algorithm``."""
        if "algorithm" in self.get_params(deep=False):
            check_algorithm(self.algorithm)


@register_estimator
class MSELoss(Loss):
    """Mean squared error ``1/N sum (y_hat - y)^2``; gradient ``2 (y_hat - y) / N``.

    Same numbers as ``textbook.losses.mse`` and ``mse_gradient``.

    Parameters
    ----------
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" computes with ``textbook.losses.mse`` and ``mse_gradient``.

    >>> MSELoss(algorithm="textbook").value(np.array([[1.0, 2.0]]), np.zeros((1, 2)))
    2.5
    """

    def value_and_grad(self, y_hat, y, grad=None):
        if self.algorithm == "textbook":
            return _textbook(mse, mse_gradient, y_hat, y, grad)
        diff = y_hat - y
        if grad is not None:
            np.divide(2 * diff, diff.size, out=grad)
        return float(np.mean(diff ** 2))


@register_estimator
class MAELoss(Loss):
    """Mean absolute error ``1/N sum |y_hat - y|`` (the sub-gradient at 0 is 0).

    Same numbers as ``textbook.losses.mae`` and ``mae_gradient``.

    Parameters
    ----------
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" computes with ``textbook.losses.mae`` and ``mae_gradient``.

    >>> MAELoss().value(np.array([[1.0, -2.0]]), np.zeros((1, 2)))
    1.5
    """

    def value_and_grad(self, y_hat, y, grad=None):
        if self.algorithm == "textbook":
            return _textbook(mae, mae_gradient, y_hat, y, grad)
        diff = y_hat - y
        if grad is not None:
            np.divide(np.sign(diff), diff.size, out=grad)
        return float(np.abs(diff).sum(dtype=np.float64)) / diff.size


@register_estimator
class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy of targets ``y`` in [0, 1] given logits ``z``.

    Same numbers as ``textbook.losses.bce_with_logits`` and its gradient.

    Parameters
    ----------
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" computes with ``textbook.losses.bce_with_logits`` and its
        gradient.

    >>> round(BCEWithLogitsLoss().value(np.array([[0.0]]), np.array([[1.0]])), 4)   # log 2
    0.6931
    """

    def value_and_grad(self, y_hat, y, grad=None):
        if self.algorithm == "textbook":
            return _textbook(bce_with_logits, bce_with_logits_gradient, y_hat, y, grad)
        z = np.asarray(y_hat)
        e = np.exp(-np.abs(z))  # <= 1: no overflow
        value = float((np.maximum(z, 0) - y * z + np.log1p(e)).sum(dtype=np.float64)) / z.size
        if grad is not None:
            np.divide(logistic(z) - y, z.size, out=grad)
        return value


LOSSES = {"mse": MSELoss, "mae": MAELoss, "bce": BCEWithLogitsLoss}


def make_loss(name, algorithm="fast"):
    """A loss from its name: "mse", "mae" or "bce" (binary cross-entropy on logits)."""
    return LOSSES[check_choice(name, "loss", list(LOSSES))](algorithm=algorithm)


def _textbook(value, gradient, y_hat, y, grad):
    """A textbook loss ``value(y_hat, y)``, its ``gradient`` written into ``grad`` if given."""
    if grad is not None:
        grad[...] = gradient(y_hat, y)
    return value(y_hat, y)
