"""When training diverges: how it is seen, the error that says so, and what to try.

Training diverges when a step is too large for the surface it descends: a
learning rate too large, or a hyper-parameter that scales the loss or its
gradient far beyond its usual range (a KL weight ``beta``, a weight decay
``lambda``, a decoder variance ``s^2`` that divides the gradient). Its marks:

* a loss that becomes NaN or infinite;
* a weight that does (the last step of an epoch, the only one on a small
  data set, leaves no later loss to show it);
* a weight beyond ``sqrt(max float)`` of its dtype: its product with an input
  of its size overflows, and the network no longer computes in that dtype,
  though a saturated output (a sigmoid) may keep the loss finite.

:func:`~scratch_genmod.nn.training.train` looks for them (the loss at every
batch, the weights at the end of every epoch), puts back the weights of the
epoch's start and raises :class:`DivergenceError`, whose message ends with
:func:`divergence_remedy`'s advice.
"""

import numpy as np

__all__ = ["DivergenceError", "divergence_remedy", "weight_overflow"]


class DivergenceError(ArithmeticError):
    """The training loss or a weight became NaN, infinite or too large; the weights were restored.

    Its ``history`` attribute holds the history of the epochs completed,
    ``epoch`` the epoch (1-based), ``quantity`` what diverged ("the loss" or
    "the largest weight") and ``value`` its value. The message ends with
    what to try (see :func:`divergence_remedy`, unless a model that knows
    better says otherwise with :meth:`suggest`).

    >>> error = DivergenceError(3, float("nan"), "try a smaller lr than 10")
    >>> error.epoch, str(error)
    (3, 'training diverged at epoch 3: the loss became nan (the weights of the start of epoch 3 were put back); try a smaller lr than 10')
    """

    def __init__(self, epoch, value, remedy, history=None, quantity="the loss", detail=""):
        self.epoch, self.value, self.history, self.quantity = epoch, value, history, quantity
        self.detail = detail   # why that value counts as divergence, when it is finite
        super().__init__(self._message(remedy))

    def suggest(self, remedy):
        """Put ``remedy`` in place of the message's advice; returns self."""
        self.args = (self._message(remedy),)
        return self

    def _message(self, remedy):
        return (f"training diverged at epoch {self.epoch}: {self.quantity} became "
                f"{self.value:.4g}{self.detail} (the weights of the start of epoch {self.epoch} "
                f"were put back); {remedy}")


def weight_overflow(params):
    """``(largest, why)`` when a weight diverged, else None: ``largest`` is ``max |theta|``.

    A weight diverged when it is not finite or beyond ``sqrt(max float)`` of
    the parameters' narrowest dtype (1.84e19 in float32); ``why`` says so, for
    :class:`DivergenceError`'s ``detail``.

    >>> weight_overflow([np.ones(3, np.float32)]) is None
    True
    >>> weight_overflow([np.array([1e20], np.float32)])[1]
    ', beyond 1.845e+19 where its product with an input as large overflows float32'
    """
    # np.max, not Python's max, which passes over a NaN that is not first
    largest = float(np.max([np.max(np.abs(p)) for p in params if p.size] or [0.0]))
    dtype = min((p.dtype for p in params if p.dtype.kind == "f"), key=lambda d: d.itemsize,
                default=np.dtype(np.float64))
    limit = float(np.sqrt(np.finfo(dtype).max))
    if largest <= limit:   # NaN is not
        return None
    return largest, (f", beyond {limit:.4g} where its product with an input as large "
                     f"overflows {dtype.name}")


def divergence_remedy(lr, suspects=()):
    """What to try after a divergence: each suspect beyond its usual range, then a smaller lr.

    Parameters
    ----------
    lr : float
        The learning rate ``eta``: a smaller one always damps the steps.
    suspects : iterable of (name, value, usual, direction)
        Other hyper-parameters that scale the loss or its gradient;
        ``direction`` is "smaller" when large values diverge (a KL weight
        ``beta``, a weight decay ``lambda``) and "larger" when small ones do
        (a decoder variance ``s^2``, which divides the gradient). A suspect
        is named when it lies beyond ``usual`` in that direction.

    Returns
    -------
    remedy : str

    >>> divergence_remedy(1e-3, [("beta", 1e300, 100.0, "smaller"),
    ...                          ("weight_decay", 0.0, 1.0, "smaller")])
    'try a smaller beta than 1e+300 (usually <= 100), or a smaller lr than 0.001'
    """
    named = []
    for name, value, usual, direction in suspects:
        if (value > usual) if direction == "smaller" else (value < usual):
            bound = "<=" if direction == "smaller" else ">="
            named.append(f"a {direction} {name} than {value:.4g} (usually {bound} {usual:.4g})")
    lr = f"{lr:.4g}" if isinstance(lr, (int, float)) else lr
    return "try " + ", or ".join(named + [f"a smaller lr than {lr}"])
