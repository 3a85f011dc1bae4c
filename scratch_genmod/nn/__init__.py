"""Neural networks by hand: layers, backpropagation, training, the autoencoder.

Start with :mod:`scratch_genmod.nn.textbook`: the formulas as plain functions.
Everything is NumPy: each layer has an explicit ``forward`` and ``backward``
(see :mod:`scratch_genmod.nn.layers`), losses give their gradient, optimisers
update parameters in place, and :func:`train` runs mini-batch training.
:class:`Autoencoder` builds the course's ``H = D o E`` on top of them;
:class:`VariationalAutoencoder` (formulas in :mod:`~scratch_genmod.nn.textbook.vae`)
gives the code a known law, so it samples from the prior. Both take
``algorithm="textbook"`` to run on the textbook's functions end to end; the
default, "fast", runs the speed-ups of :mod:`scratch_genmod.nn.fast`.
"""

from scratch_genmod.nn.activations import Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from scratch_genmod.nn.autoencoder import Autoencoder
from scratch_genmod.nn.gradcheck import gradient_check, relative_error
from scratch_genmod.nn.layers import Dense, Layer, Sequential
from scratch_genmod.nn.linear_pca import compare_linear_autoencoder_pca, principal_angles
from scratch_genmod.nn.losses import BCEWithLogitsLoss, MAELoss, MSELoss
from scratch_genmod.nn.optimizers import SGD, Adam
from scratch_genmod.nn.divergence import DivergenceError
from scratch_genmod.nn.training import evaluate, train
from scratch_genmod.nn.vae import VariationalAutoencoder
from scratch_genmod.nn.conditional_vae import ConditionalVAE

__all__ = [
    "Layer", "Dense", "Sequential",
    "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Identity",
    "MSELoss", "MAELoss", "BCEWithLogitsLoss",
    "SGD", "Adam",
    "train", "evaluate", "DivergenceError", "gradient_check", "relative_error",
    "Autoencoder", "compare_linear_autoencoder_pca", "principal_angles",
    "VariationalAutoencoder", "ConditionalVAE",
]
