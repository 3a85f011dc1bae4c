"""Backpropagation as the course writes it: plain NumPy, one formula per function.

Start here. The autoencoder is ``H = D o E``: the encoder ``E`` maps ``x`` to
its code ``z = E(x)``, the decoder ``D`` maps the code back, and training
makes ``D(E(x))`` close to ``x``. Both are stacks of dense layers
``a = x W + b`` followed by an activation ``sigma``.

* :mod:`~scratch_genmod.nn.textbook.layers`: ``a = x W + b`` and the
  activations, forward and backward (the chain rule);
* :mod:`~scratch_genmod.nn.textbook.losses`: MSE, MAE, cross-entropy and
  their gradients;
* :mod:`~scratch_genmod.nn.textbook.optim`: one step of SGD, one of Adam;
* :mod:`~scratch_genmod.nn.textbook.training`: the whole training loop
  written out for one autoencoder;
* :mod:`~scratch_genmod.nn.textbook.vae`: the variational autoencoder's
  ELBO, its sampling step and their gradients.

The library's classes (layers, losses, optimisers, ``train``, the
autoencoders) give the same numbers, and with ``algorithm="textbook"`` they
run on these very functions. Nothing here reuses a buffer or runs on
threads: every function returns new arrays.

>>> x = np.array([[1.0, 2.0]])
>>> W, b = np.array([[1.0], [-1.0]]), np.array([0.5])
>>> relu(dense_forward(x, W, b))         # max(1 - 2 + 0.5, 0)
array([[0.]])
"""

import numpy as np  # noqa: F401  (the doctests use it)

from scratch_genmod.nn.textbook.layers import (
    dense_backward, dense_forward, leaky_relu, leaky_relu_backward, relu, relu_backward,
    sigmoid, sigmoid_backward, tanh, tanh_backward,
)
from scratch_genmod.nn.textbook.losses import (
    bce_with_logits, bce_with_logits_gradient, mae, mae_gradient, mse, mse_gradient,
    squared_error,
)
from scratch_genmod.nn.textbook.optim import adam_step, sgd_step
from scratch_genmod.nn.textbook.training import train_autoencoder
from scratch_genmod.nn.textbook.vae import (
    DECODERS, importance_log_likelihood, kl_divergence, kl_gradient, negative_elbo,
    reconstruction_gradient, reconstruction_log_likelihood, reparameterise,
    reparameterise_backward,
)

__all__ = [
    "dense_forward", "dense_backward", "relu", "relu_backward", "leaky_relu",
    "leaky_relu_backward", "sigmoid", "sigmoid_backward", "tanh", "tanh_backward",
    "mse", "mse_gradient", "mae", "mae_gradient", "bce_with_logits",
    "bce_with_logits_gradient", "squared_error",
    "sgd_step", "adam_step", "train_autoencoder",
    "DECODERS", "reparameterise", "reparameterise_backward", "kl_divergence", "kl_gradient",
    "reconstruction_log_likelihood", "reconstruction_gradient", "negative_elbo",
    "importance_log_likelihood",
]
