"""Optimisers: how a gradient ``g = dl/dtheta`` becomes a step on ``theta``.

* SGD with momentum and weight decay (``lambda``):
      g <- g + lambda theta,  v <- mu v + g,  theta <- theta - eta v
  (``mu = 0`` is the plain gradient step ``theta <- theta - eta g``).
* Adam (Kingma & Ba, 2015), with bias-corrected moving averages:
      m <- b1 m + (1 - b1) g,          v <- b2 v + (1 - b2) g^2,
      theta <- theta - eta (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).

These are ``textbook.optim.sgd_step`` and ``adam_step`` with a memory: the
state (``velocity_`` or the paper's ``m_``, ``v_``, and ``t_``) is created at
the first step and saved with the model, so training can resume. Both update
the parameter arrays *in place* (the layers own them) and leave the gradients
untouched. With ``algorithm="textbook"`` each parameter goes through the
textbook function; with "fast" (the default) all of them through
:mod:`~scratch_genmod.nn.fast.optimizer_updates`, block by block on several
threads, which a reader may skip.

>>> theta, g = np.array([1.0, -2.0]), np.array([0.5, 0.5])
>>> _ = SGD(lr=0.1).step([theta], [g])
>>> theta
array([ 0.95, -2.05])
>>> theta = np.array([1.0])
>>> _ = Adam(lr=0.1).step([theta], [np.array([3.0])])  # first step moves by lr
>>> np.round(theta, 6)
array([0.9])
"""

import numpy as np

from scratch_genmod.core import BaseEstimator, check_choice, check_n_threads, check_scalar
from scratch_genmod.nn.checks import check_algorithm
from scratch_genmod.nn.fast.optimizer_updates import adam_update_in_place, sgd_update_in_place
from scratch_genmod.nn.textbook.optim import adam_step, sgd_step
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import check_state_array, check_state_int, fitted_attributes

__all__ = ["SGD", "Adam", "make_optimizer"]

STATE_VERSION = 2  # Adam's m_, v_ are the paper's m, v


@register_estimator
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
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" updates each parameter with ``textbook.optim.sgd_step``.

    Attributes
    ----------
    velocity_ : list of ndarray
        ``v``, one array per parameter (only when ``momentum > 0``).
    t_ : int
        Steps taken.

    Notes
    -----
    Same numbers as ``textbook.optim.sgd_step``, applied to every parameter.

    >>> theta = np.array([1.0])
    >>> _ = SGD(lr=0.1, momentum=0.5, algorithm="textbook").step([theta], [np.array([2.0])])
    >>> theta                                # 1 - 0.1 * 2
    array([0.8])
    """

    def __init__(self, lr=0.01, momentum=0.0, weight_decay=0.0, n_threads=None,
                 algorithm="fast"):
        self.lr = lr
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.n_threads = n_threads
        self.algorithm = algorithm

    def step(self, params, grads):
        """Update every array of ``params`` in place from ``grads``; returns self."""
        _check_params(params, grads)
        lr, mu, decay, n_threads, algorithm = self._hyperparameters(_dtype_of(params))
        if "t_" not in self.__dict__:
            self.t_, self.velocity_ = 0, []
        if mu > 0 and not self.velocity_:  # also when momentum was 0 until now
            self.velocity_ = [np.zeros(p.shape, p.dtype) for p in params]
        _check_state(self.velocity_, params, "velocity_")
        self.t_ += 1
        if algorithm == "textbook":  # g <- g + lambda theta,  v <- mu v + g,  theta <- theta - eta v
            for k, (theta, g) in enumerate(zip(params, grads)):
                v = self.velocity_[k] if mu > 0 else np.zeros_like(theta)
                theta[...], v[...] = sgd_step(theta, g, v, lr, mu, decay)
            return self
        sgd_update_in_place(params, _contiguous(grads), self.velocity_ if mu > 0 else [],
                            self.t_, lr=lr, momentum=mu, weight_decay=decay, n_threads=n_threads)
        return self

    def _hyperparameters(self, dtype=None):
        """lr, momentum, weight_decay, n_threads, algorithm, checked (by step, and by load).

        ``dtype`` is the parameters' (the step computes in it): a value it cannot hold
        is refused, as 1e300 in float32 (it would be inf) or 1e-300 (it would be 0)."""
        return (check_scalar(self.lr, "lr", min_val=0.0, include_min=False, dtype=dtype),
                check_scalar(self.momentum, "momentum", min_val=0.0, max_val=1.0,
                             include_max=False, dtype=dtype),
                check_scalar(self.weight_decay, "weight_decay", min_val=0.0, dtype=dtype),
                check_n_threads(self.n_threads), check_algorithm(self.algorithm))

    def _check_fitted_state(self):
        """Called by ``load``: hyper-parameters, then a finite velocity v per parameter."""
        self._hyperparameters()
        if fitted_attributes(self, ["t_", "velocity_"]):
            check_state_int(self.t_, "t_")
            _check_moments(self.velocity_, "velocity_")


@register_estimator
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
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" updates each parameter with ``textbook.optim.adam_step``.

    Attributes
    ----------
    m_, v_ : list of ndarray
        The paper's first and second moment averages ``m`` and ``v``, one
        array per parameter (before bias correction).
    t_ : int
        Steps taken (for the bias correction).

    Notes
    -----
    Same numbers as ``textbook.optim.adam_step``, applied to every parameter.

    >>> theta = np.array([1.0])
    >>> _ = Adam(lr=0.1, algorithm="textbook").step([theta], [np.array([3.0])])
    >>> np.round(theta, 6)                   # the first step moves by lr
    array([0.9])
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
                 n_threads=None, algorithm="fast"):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weight_decay = weight_decay
        self.n_threads = n_threads
        self.algorithm = algorithm

    def step(self, params, grads):
        """Update every array of ``params`` in place from ``grads``; returns self."""
        _check_params(params, grads)
        lr, b1, b2, eps, decay, n_threads, algorithm = self._hyperparameters(_dtype_of(params))
        if "t_" not in self.__dict__:
            self.t_ = 0
            self.m_ = [np.zeros(p.shape, p.dtype) for p in params]
            self.v_ = [np.zeros(p.shape, p.dtype) for p in params]
        _check_state(self.m_, params, "m_")
        _check_state(self.v_, params, "v_")
        self.t_ += 1
        if algorithm == "textbook":
            # m <- b1 m + (1 - b1) g,  v <- b2 v + (1 - b2) g^2,
            # theta <- theta - eta (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
            for theta, g, m, v in zip(params, grads, self.m_, self.v_):
                theta[...], m[...], v[...] = adam_step(theta, g, m, v, self.t_, lr, b1, b2, eps,
                                                       decay)
            return self
        adam_update_in_place(params, _contiguous(grads), self.m_, self.v_, self.t_, lr=lr,
                             beta1=b1, beta2=b2, eps=eps, weight_decay=decay,
                             n_threads=n_threads)
        return self

    def _hyperparameters(self, dtype=None):
        """lr, beta1, beta2, eps, weight_decay, n_threads, algorithm: checked (by step, and load).

        ``dtype`` is the parameters': a value it cannot hold is refused (eps=1e-300 is 0
        in float32, and a zero gradient would then step by 0 / 0)."""
        return (check_scalar(self.lr, "lr", min_val=0.0, include_min=False, dtype=dtype),
                check_scalar(self.beta1, "beta1", min_val=0.0, max_val=1.0, include_max=False,
                             dtype=dtype),
                check_scalar(self.beta2, "beta2", min_val=0.0, max_val=1.0, include_max=False,
                             dtype=dtype),
                check_scalar(self.eps, "eps", min_val=0.0, include_min=False, dtype=dtype),
                check_scalar(self.weight_decay, "weight_decay", min_val=0.0, dtype=dtype),
                check_n_threads(self.n_threads), check_algorithm(self.algorithm))

    def _check_fitted_state(self):
        """Called by ``load``: hyper-parameters, then finite moments m, v >= 0 of equal shapes."""
        self._hyperparameters()
        if fitted_attributes(self, ["t_", "m_", "v_"]):
            check_state_int(self.t_, "t_")
            m, v = _check_moments(self.m_, "m_"), _check_moments(self.v_, "v_", min_val=0.0)
            if [a.shape for a in m] != [a.shape for a in v]:
                raise ValueError("m_ and v_ must hold arrays of the same shapes")

    def _get_state(self):
        state = {k: v for k, v in vars(self).items() if k.endswith("_") and not k.startswith("_")}
        return {**state, "state_version": STATE_VERSION} if state else state

    def _set_state(self, state):
        """Load a saved state of this version (a file without one is version 1)."""
        state = dict(state)
        version = state.pop("state_version", 1)
        if state and version != STATE_VERSION:
            raise ValueError(f"this file holds an Adam state of version {version!r}, and this "
                             f"library reads version {STATE_VERSION} only (version 1 stored "
                             "other moment averages): refit the model, or resume its training "
                             "with a new optimiser")
        for name, value in state.items():
            setattr(self, name, value)


OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def make_optimizer(name, lr, weight_decay=0.0, algorithm="fast"):
    """An optimiser from its name ("sgd" or "adam")."""
    return OPTIMIZERS[check_choice(name, "optimizer", list(OPTIMIZERS))](
        lr=lr, weight_decay=weight_decay, algorithm=algorithm)


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


def _dtype_of(params):
    """The dtype the step computes in: the parameters' (the narrowest, should they differ)."""
    return min((p.dtype for p in params), key=lambda d: d.itemsize, default=None)


def _check_moments(arrays, name, min_val=None):
    """An optimiser's per-parameter state read from a file: a list of finite float arrays."""
    if not isinstance(arrays, list):
        raise ValueError(f"{name} must be a list of arrays, got {type(arrays).__name__}")
    return [check_state_array(a, f"{name}[{k}]", min_val=min_val) for k, a in enumerate(arrays)]


def _contiguous(grads):
    """The gradients as C-contiguous arrays (only read: a copy where one is needed)."""
    return [np.ascontiguousarray(g) for g in grads]


def _check_state(state, params, name):
    """The optimiser's state must match the parameters it was made for."""
    if state and [a.shape for a in state] != [p.shape for p in params]:
        raise ValueError(f"this optimiser's {name} was made for parameters of shapes "
                         f"{[a.shape for a in state]}, got {[p.shape for p in params]}; "
                         "use a new optimiser for another network")
