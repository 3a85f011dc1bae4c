"""Optimisers: how a gradient ``g = dl/dtheta`` becomes a step on ``theta``.

* SGD with momentum and weight decay (``lambda``):
      g <- g + lambda theta,  v <- mu v + g,  theta <- theta - eta v
  (``mu = 0`` is the plain gradient step ``theta <- theta - eta g``).
* Adam (Kingma & Ba, 2015), with bias-corrected moving averages:
      m <- b1 m + (1 - b1) g,          v <- b2 v + (1 - b2) g^2,
      theta <- theta - eta (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).

Both update the parameter arrays *in place* (the layers own them) with
``out=`` operations, block by block and on several threads (see
:mod:`~scratch_genmod.nn.blockwise`: the same numbers, several times
faster), and leave the gradients untouched. The state (``velocity_`` or
``m_``, ``v_``, ``t_``) is created at the first step and is saved with the
model, so training can resume.

Subnormal numbers: the moving average of a gradient that stays 0 (the
weights of a pixel that is black in almost every image) decays as ``b^t``
and, below ``~1e-38`` in float32, becomes *subnormal*; arithmetic on those
is ~100 times slower on x86 (an MNIST epoch went from 11 s to 32 s). So
entries below ``TINY = 1e-30`` are set to 0 often enough that none gets
there; they would move their weight by far less than float32 can represent.

>>> theta, g = np.array([1.0, -2.0]), np.array([0.5, 0.5])
>>> _ = SGD(lr=0.1).step([theta], [g])
>>> theta
array([ 0.95, -2.05])
>>> theta = np.array([1.0])
>>> _ = Adam(lr=0.1).step([theta], [np.array([3.0])])  # first step moves by lr
>>> np.round(theta, 6)
array([0.9])
"""

import math

import numpy as np

from scratch_genmod.core import BaseEstimator, check_choice, check_scalar
from scratch_genmod.nn.blockwise import check_n_threads, for_each_block

__all__ = ["SGD", "Adam", "make_optimizer"]

TINY = 1e-30  # moving averages below this are set to 0 (see the module docstring)


class SGD(BaseEstimator):
    """Stochastic gradient descent with optional momentum and weight decay.

    Parameters
    ----------
    lr : float, default=0.01
        Learning rate ``eta`` (> 0).
    momentum : float, default=0.0
        ``mu`` in [0, 1).
    weight_decay : float, default=0.0
        L2 penalty ``lambda >= 0`` added to the gradient.
    n_threads : int or None, default=None
        Threads sharing the update of large parameters; None: every CPU
        this process may use, at most ``OMP_NUM_THREADS`` when that is set.

    Attributes
    ----------
    velocity_ : list of ndarray
        ``v``, one array per parameter (only when ``momentum > 0``).
    t_ : int
        Steps taken.
    """

    def __init__(self, lr=0.01, momentum=0.0, weight_decay=0.0, n_threads=None):
        self.lr = lr
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.n_threads = n_threads

    def step(self, params, grads):
        """Update every array of ``params`` in place from ``grads``; returns self."""
        lr = check_scalar(self.lr, "lr", min_val=0.0, include_min=False)
        mu = check_scalar(self.momentum, "momentum", min_val=0.0, max_val=1.0, include_max=False)
        decay = check_scalar(self.weight_decay, "weight_decay", min_val=0.0)
        n_threads = check_n_threads(self.n_threads)
        _check_params(params, grads)
        if "t_" not in self.__dict__:
            self.t_, self.velocity_ = 0, []
        if mu > 0 and not self.velocity_:  # also when momentum was 0 until now
            self.velocity_ = [np.zeros(p.shape, p.dtype) for p in params]
        _check_state(self.velocity_, params, "velocity_")
        rows = list(zip(params, _contiguous(grads), *([self.velocity_] if mu > 0 else [])))
        for_each_block(_sgd_update, rows, n_threads, lr=lr, mu=mu, decay=decay)
        self.t_ += 1
        _flush_tiny(self.velocity_, mu, self.t_)  # no velocity when mu = 0
        return self


class Adam(BaseEstimator):
    """Adam: steps scaled by running estimates of the gradient's mean and square.

    Parameters
    ----------
    lr : float, default=1e-3
        Learning rate ``eta`` (> 0).
    beta1, beta2 : float, default=0.9, 0.999
        Decay rates of the first and second moment averages, in [0, 1).
    eps : float, default=1e-8
        Added to the denominator (> 0).
    weight_decay : float, default=0.0
        L2 penalty ``lambda >= 0`` added to the gradient (as PyTorch's Adam).
    n_threads : int or None, default=None
        Threads sharing the update of large parameters; None: every CPU
        this process may use, at most ``OMP_NUM_THREADS`` when that is set.

    Attributes
    ----------
    m_, v_ : list of ndarray
        First and second moment averages, one array per parameter, stored
        divided by ``1 - beta1`` and ``1 - beta2`` (see ``step``).
    t_ : int
        Steps taken (for the bias correction).
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
                 n_threads=None):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weight_decay = weight_decay
        self.n_threads = n_threads

    def step(self, params, grads):
        """Update every array of ``params`` in place from ``grads``; returns self."""
        lr = check_scalar(self.lr, "lr", min_val=0.0, include_min=False)
        b1 = check_scalar(self.beta1, "beta1", min_val=0.0, max_val=1.0, include_max=False)
        b2 = check_scalar(self.beta2, "beta2", min_val=0.0, max_val=1.0, include_max=False)
        eps = check_scalar(self.eps, "eps", min_val=0.0, include_min=False)
        decay = check_scalar(self.weight_decay, "weight_decay", min_val=0.0)
        n_threads = check_n_threads(self.n_threads)
        _check_params(params, grads)
        if "t_" not in self.__dict__:
            self.t_ = 0
            self.m_ = [np.zeros(p.shape, p.dtype) for p in params]
            self.v_ = [np.zeros(p.shape, p.dtype) for p in params]
        _check_state(self.m_, params, "m_")
        _check_state(self.v_, params, "v_")
        self.t_ += 1
        # The moving averages are kept *unnormalised*: m_ = m / (1 - b1) and
        # v_ = v / (1 - b2), which saves two passes over every parameter
        # (m_ <- b1 m_ + g needs no multiplication of g). All the constant
        # factors, with the bias corrections, fold into two scalars:
        #     step = a m_ / (sqrt(v_) + c).
        # (Python floats, not NumPy float64 scalars: those would make every
        # float32 operation run in float64 and be cast back, at half speed)
        k = math.sqrt((1.0 - b2) / (1.0 - b2 ** self.t_))
        a = lr * (1.0 - b1) / (1.0 - b1 ** self.t_) / k
        c = eps / k
        rows = list(zip(params, _contiguous(grads), self.m_, self.v_))
        for_each_block(_adam_update, rows, n_threads, b1=b1, b2=b2, a=a, c=c, decay=decay)
        _flush_tiny(self.m_, b1, self.t_)  # each average at its own rate: with beta1 = 0,
        _flush_tiny(self.v_, b2, self.t_)  # m_ does not decay but v_ still does
        return self


def _sgd_update(theta, g, *velocity_and_tmp, lr, mu, decay):
    """One block of SGD: ``v <- mu v + g + lambda theta``, ``theta <- theta - eta v``."""
    *velocity, tmp = velocity_and_tmp  # no velocity when mu = 0
    if decay:
        g = np.add(g, np.multiply(theta, decay, out=tmp), out=tmp)
    if velocity:
        v = velocity[0]
        v *= mu
        v += g
        g = v
    theta -= np.multiply(g, lr, out=tmp)


def _adam_update(theta, g, m, v, tmp, b1, b2, a, c, decay):
    """One block of Adam: ``m_ <- b1 m_ + g``, ``v_ <- b2 v_ + g^2``, then the step.

    ``theta <- theta - a m_ / (sqrt(v_) + c)`` (``g`` includes ``lambda theta``).
    """
    if decay:
        g = np.add(g, np.multiply(theta, decay, out=tmp), out=tmp)
    m *= b1
    m += g
    v *= b2
    v += np.square(g, out=tmp)
    np.sqrt(v, out=tmp)
    tmp += c
    np.divide(m, tmp, out=tmp)
    tmp *= a
    theta -= tmp


OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def make_optimizer(name, lr, weight_decay=0.0):
    """An optimiser from its name ("sgd" or "adam")."""
    return OPTIMIZERS[check_choice(name, "optimizer", list(OPTIMIZERS))](
        lr=lr, weight_decay=weight_decay)


def _check_params(params, grads):
    """Parameters: C-contiguous float arrays (updated in place), each with a same-shape gradient."""
    if len(params) != len(grads):
        raise ValueError(f"params and grads must have the same length, got {len(params)} "
                         f"and {len(grads)}")
    for k, (p, g) in enumerate(zip(params, grads)):
        if not (isinstance(p, np.ndarray) and p.dtype.kind == "f" and p.flags.c_contiguous
                and p.flags.writeable):
            raise ValueError(f"params[{k}] must be a writeable, C-contiguous float ndarray "
                             "(it is updated in place)")
        if np.shape(g) != p.shape:
            raise ValueError(f"grads[{k}] has shape {np.shape(g)}, params[{k}] has {p.shape}")
        if np.asarray(g).dtype.kind not in "biuf":
            raise TypeError(f"grads[{k}] must hold real numbers, got dtype {np.asarray(g).dtype}")


def _contiguous(grads):
    """The gradients as C-contiguous arrays (only read: a copy where one is needed)."""
    return [np.ascontiguousarray(g) for g in grads]


def _check_state(state, params, name):
    """The optimiser's state must match the parameters it was made for."""
    if state and [a.shape for a in state] != [p.shape for p in params]:
        raise ValueError(f"this optimiser's {name} was made for parameters of shapes "
                         f"{[a.shape for a in state]}, got {[p.shape for p in params]}; "
                         "use a new optimiser for another network")


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
        for a in arrays:
            a[np.abs(a) < TINY] = 0
