"""The optimisers' updates done in place, block by block, on several threads.

A reader may skip this module: it computes exactly the formulas of
:func:`~scratch_genmod.nn.textbook.optim.sgd_step` and
:func:`~scratch_genmod.nn.textbook.optim.adam_step`, written the way memory
and cores like them. Three things differ from the textbook:

* **in place**: ``theta``, ``m``, ``v`` and the velocity are overwritten with
  ``out=`` operations; the only temporary is one scratch block per thread;
* **blocks and threads**: :func:`~scratch_genmod.nn.fast.blocks.for_each_block`
  does all the operations on one cache-sized block before the next, several
  blocks at once on different cores;
* **no subnormal numbers**: an average that only decays (the gradient of a
  weight of a pixel black in every image) falls as ``b^t`` and would reach
  float32's subnormal range below ``~1.2e-38``, where x86 arithmetic is about
  100 times slower. Entries below ``TINY = 1e-30`` are set to 0 often enough
  that none gets there; they would move their weight by far less than
  float32 can represent.

Scalars are Python floats, not NumPy float64 scalars: those would make every
float32 operation run in float64 and be cast back.

>>> theta, g, m, v = np.array([1.0]), np.array([3.0]), np.zeros(1), np.zeros(1)
>>> adam_update_in_place([theta], [g], [m], [v], t=1, lr=0.1, beta1=0.9, beta2=0.999,
...                      eps=1e-12, weight_decay=0.0)
>>> theta, m, np.round(v, 12)            # as textbook adam_step: m = 0.1 g, v = 0.001 g^2
(array([0.9]), array([0.3]), array([0.009]))
"""

import math

import numpy as np

from scratch_genmod.nn.fast.blocks import for_each_block

__all__ = ["adam_update_in_place", "sgd_update_in_place", "TINY"]

TINY = 1e-30  # moving averages below this are set to 0 (see the module docstring)


def adam_update_in_place(params, grads, m, v, t, *, lr, beta1, beta2, eps, weight_decay,
                         n_threads=1):
    """Adam's step ``t`` on every parameter, in place: ``textbook.optim.adam_step`` on each.

    Parameters
    ----------
    params, grads, m, v : lists of C-contiguous ndarrays
        ``theta`` (updated), ``g`` (read only), the paper's ``m`` and ``v``
        (updated), one array of each per parameter.
    t : int
        The step's number, from 1.
    lr, beta1, beta2, eps, weight_decay : float
        Checked by the caller.
    n_threads : int, default=1
    """
    # theta <- theta - eta m_hat / (sqrt(v_hat) + eps) is, with k = sqrt(1 - b2^t),
    # theta <- theta - a m / (sqrt(v) + c):  a = eta k / (1 - b1^t),  c = eps k.
    k = math.sqrt(1.0 - beta2 ** t)
    a = lr * k / (1.0 - beta1 ** t)
    rows = list(zip(params, grads, m, v))
    for_each_block(_adam_block, rows, n_threads, b1=beta1, b2=beta2, a=a, c=eps * k,
                   decay=weight_decay)
    _flush_tiny(m, beta1, t)  # each average at its own rate: with beta1 = 0,
    _flush_tiny(v, beta2, t)  # m does not decay but v still does


def sgd_update_in_place(params, grads, velocity, t, *, lr, momentum, weight_decay,
                        n_threads=1):
    """SGD's step on every parameter, in place: ``textbook.optim.sgd_step`` on each.

    ``velocity`` is a list of arrays like ``params`` when ``momentum > 0``,
    else empty; ``t`` counts the steps taken, this one included.
    """
    rows = list(zip(params, grads, *([velocity] if momentum > 0 else [])))
    for_each_block(_sgd_block, rows, n_threads, lr=lr, mu=momentum, decay=weight_decay)
    _flush_tiny(velocity, momentum, t)  # no velocity when mu = 0


def _adam_block(theta, g, m, v, tmp, b1, b2, a, c, decay):
    """``m <- b1 m + (1 - b1) g``, ``v <- b2 v + (1 - b2) g^2``, ``theta -= a m / (sqrt(v) + c)``."""
    m *= b1
    if decay:  # g + lambda theta lives in tmp, so (1 - b1) g takes a new block
        g = np.add(g, np.multiply(theta, decay, out=tmp), out=tmp)
        m += (1.0 - b1) * g
    else:
        m += np.multiply(g, 1.0 - b1, out=tmp)
    v *= b2
    np.square(g, out=tmp)
    tmp *= 1.0 - b2
    v += tmp
    np.sqrt(v, out=tmp)
    tmp += c
    np.divide(m, tmp, out=tmp)
    tmp *= a
    theta -= tmp


def _sgd_block(theta, g, *velocity_and_tmp, lr, mu, decay):
    """``g <- g + lambda theta``, ``v <- mu v + g``, ``theta -= eta v``."""
    *velocity, tmp = velocity_and_tmp  # no velocity when mu = 0
    if decay:
        g = np.add(g, np.multiply(theta, decay, out=tmp), out=tmp)
    if velocity:
        v = velocity[0]
        v *= mu
        v += g
        g = v
    theta -= np.multiply(g, lr, out=tmp)


def _flush_tiny(arrays, decay, t):
    """Every k steps set the entries below ``TINY`` to 0, before decay makes them subnormal.

    An entry that only decays (``x <- decay x``) goes from ``TINY`` to the
    smallest normal float32 in ``log(TINY / tiny) / log(1 / decay)`` steps
    (173 for ``decay = 0.9``); flushing every half of that keeps all entries
    normal, at the cost of a pass over the state every ~86 steps.
    """
    if decay <= 0.0:  # nothing decays: the averages are the gradients themselves
        return
    steps_to_subnormal = np.log(TINY / np.finfo(np.float32).tiny) / -np.log(decay)
    if t % max(1, int(steps_to_subnormal / 2)) == 0:
        for x in arrays:
            x[np.abs(x) < TINY] = 0
