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
norm) or the MAE (the 1-norm).

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
from scratch_genmod.nn.activations import logistic

__all__ = ["MSELoss", "MAELoss", "BCEWithLogitsLoss", "make_loss", "check_probabilities",
           "outside_unit_interval"]


class Loss(BaseEstimator):
    """Base class: ``value_and_grad(y_hat, y, grad=None)``; ``value(y_hat, y)``."""

    def value(self, y_hat, y):
        """The loss alone (float), without writing a gradient."""
        return self.value_and_grad(y_hat, y, np.empty_like(y_hat))

    def value_and_grad(self, y_hat, y, grad=None):
        """Return the loss (float); write ``dl/dy_hat`` into ``grad`` when given."""
        raise NotImplementedError

    def _check_fitted_state(self):
        """Called by ``load``: a loss without parameters has nothing to check."""


@register_estimator
class MSELoss(Loss):
    """Mean squared error ``1/N sum (y_hat - y)^2``; gradient ``2 (y_hat - y) / N``.

    Same numbers as ``textbook.mse`` and ``textbook.mse_gradient``.
    """

    def __init__(self):
        pass

    def value_and_grad(self, y_hat, y, grad=None):
        diff = y_hat - y
        if grad is not None:
            np.divide(2 * diff, diff.size, out=grad)
        return float(np.mean(diff ** 2))


@register_estimator
class MAELoss(Loss):
    """Mean absolute error ``1/N sum |y_hat - y|`` (the sub-gradient at 0 is 0)."""

    def __init__(self):
        pass

    def value_and_grad(self, y_hat, y, grad=None):
        diff = y_hat - y
        if grad is not None:
            np.divide(np.sign(diff), diff.size, out=grad)
        return float(np.abs(diff).sum(dtype=np.float64)) / diff.size


@register_estimator
class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy of targets ``y`` in [0, 1] given logits ``z``."""

    def __init__(self):
        pass

    def value_and_grad(self, y_hat, y, grad=None):
        z = np.asarray(y_hat)
        e = np.exp(-np.abs(z))  # <= 1: no overflow
        value = float((np.maximum(z, 0) - y * z + np.log1p(e)).sum(dtype=np.float64)) / z.size
        if grad is not None:
            np.divide(logistic(z) - y, z.size, out=grad)
        return value


LOSSES = {"mse": MSELoss, "mae": MAELoss, "bce": BCEWithLogitsLoss}


def make_loss(name):
    """A loss from its name: "mse", "mae" or "bce" (binary cross-entropy on logits)."""
    return LOSSES[check_choice(name, "loss", list(LOSSES))]()


def check_probabilities(Y, name, setting, alternative):
    """``Y`` if its values lie in [0, 1], the targets of a cross-entropy; else a ``ValueError``.

    The error names the ``setting`` that needs them and the two remedies:
    rescaling, or the ``alternative`` setting.

    >>> check_probabilities(np.array([[2.0]]), "X", "loss='bce'", "loss='mse'")
    Traceback (most recent call last):
    ...
    ValueError: X must hold values in [0, 1] for loss='bce' (pixel probabilities), got values in [2, 2]; rescale it (e.g. X / 255 for 8-bit images) or use loss='mse'
    """
    outside = outside_unit_interval(Y)
    if outside:
        raise ValueError(f"{name} must hold values in [0, 1] for {setting} (pixel probabilities), "
                         f"got values in [{outside[0]:.4g}, {outside[1]:.4g}]; rescale it (e.g. "
                         f"X / 255 for 8-bit images) or use {alternative}")
    return Y


def outside_unit_interval(Y):
    """``(min, max)`` of ``Y`` when some value lies outside [0, 1], else None.

    >>> outside_unit_interval(np.array([0.0, 1.0])), outside_unit_interval(np.array([0.5, 255.0]))
    (None, (0.5, 255.0))
    """
    lo, hi = float(Y.min()), float(Y.max())
    return (lo, hi) if lo < 0 or hi > 1 else None
