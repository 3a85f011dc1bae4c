"""The optimisers' updates as the course writes them: one step of SGD, one of Adam.

Each function takes the parameter ``theta``, its gradient ``g`` and the
optimiser's state, and returns new arrays: nothing is updated in place.

>>> sgd_step(np.array([1.0]), np.array([2.0]), np.zeros(1), lr=0.5)   # 1 - 0.5 * 2
(array([0.]), array([2.]))
"""

import numpy as np

from scratch_genmod.core import check_scalar
from scratch_genmod.nn.checks import check_same_shape

__all__ = ["sgd_step", "adam_step"]

def sgd_step(theta, g, velocity, lr, momentum=0.0, weight_decay=0.0):
    """One step of gradient descent with momentum ``mu`` and weight decay ``lambda``.

        g <- g + lambda theta,   v <- mu v + g,   theta <- theta - eta v

    (``mu = 0`` is the plain step ``theta <- theta - eta g``).

    Parameters
    ----------
    theta, g, velocity : ndarrays of the same shape
        Parameter, gradient ``dl/dtheta`` and velocity ``v`` (zeros at first).
    lr : float
        Learning rate ``eta`` (> 0).
    momentum : float, default=0.0
        ``mu`` in [0, 1).
    weight_decay : float, default=0.0
        ``lambda >= 0``.

    Returns
    -------
    theta, velocity : new ndarrays

    >>> sgd_step(np.array([1.0]), np.array([2.0]), np.array([1.0]), lr=0.1, momentum=0.5)
    (array([0.75]), array([2.5]))
    """
    theta, g, velocity = check_same_shape(theta=theta, g=g, velocity=velocity)
    lr = check_scalar(lr, "lr", min_val=0.0, include_min=False)
    mu = check_scalar(momentum, "momentum", min_val=0.0, max_val=1.0, include_max=False)
    decay = check_scalar(weight_decay, "weight_decay", min_val=0.0)
    g = g + decay * theta
    velocity = mu * velocity + g
    return theta - lr * velocity, velocity


def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
              weight_decay=0.0):
    """Step ``t`` of Adam (Kingma & Ba, 2015): moving averages ``m``, ``v``, bias-corrected.

        g <- g + lambda theta,
        m <- b1 m + (1 - b1) g,            v <- b2 v + (1 - b2) g^2,
        m_hat = m / (1 - b1^t),            v_hat = v / (1 - b2^t),
        theta <- theta - eta m_hat / (sqrt(v_hat) + eps).

    Parameters
    ----------
    theta, g, m, v : ndarrays of the same shape
        Parameter, gradient, first and second moment averages (zeros at t = 1).
    t : int
        The step's number, from 1.
    lr : float, default=1e-3
        ``eta`` (> 0).
    beta1, beta2 : float, default=0.9, 0.999
        In [0, 1).
    eps : float, default=1e-8
        (> 0).
    weight_decay : float, default=0.0
        ``lambda >= 0``, added to the gradient (as PyTorch's Adam).

    Returns
    -------
    theta, m, v : new ndarrays

    At ``t = 1``, ``m_hat = g`` and ``v_hat = g^2``: the first step is ``-eta``
    times the sign of ``g`` (up to ``eps``).

    >>> theta, m, v = adam_step(np.array([1.0]), np.array([3.0]), np.zeros(1), np.zeros(1),
    ...                         t=1, lr=0.1, eps=1e-12)
    >>> theta, m, np.round(v, 12)            # m = 0.1 * 3, v = 0.001 * 9
    (array([0.9]), array([0.3]), array([0.009]))
    """
    theta, g, m, v = check_same_shape(theta=theta, g=g, m=m, v=v)
    t = check_scalar(t, "t", int, min_val=1)
    lr = check_scalar(lr, "lr", min_val=0.0, include_min=False)
    b1 = check_scalar(beta1, "beta1", min_val=0.0, max_val=1.0, include_max=False)
    b2 = check_scalar(beta2, "beta2", min_val=0.0, max_val=1.0, include_max=False)
    eps = check_scalar(eps, "eps", min_val=0.0, include_min=False)
    g = g + check_scalar(weight_decay, "weight_decay", min_val=0.0) * theta
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g ** 2
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
