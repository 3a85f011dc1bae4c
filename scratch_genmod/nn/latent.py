"""Walking the latent space: the straight line between two codes, decoded.

Shared by the autoencoder and the VAE: both map ``x`` to a code (``z = E(x)``,
or the mean ``mu(x)`` of ``q(z | x)``) and decode codes back.
"""

import numpy as np

from scratch_genmod.core import check_scalar
from scratch_genmod.nn.checks import check_point

__all__ = ["interpolate"]


def interpolate(model, x1, x2, n_steps=10):
    """``D(alpha z1 + (1 - alpha) z2)`` for ``alpha`` from 1 down to 0, ``z = model.encode(x)``.

    Parameters
    ----------
    model : fitted Autoencoder or VariationalAutoencoder
    x1, x2 : ndarray of shape (n_features,)
        Or images of ``n_features`` pixels, e.g. (28, 28).
    n_steps : int, default=10
        Number of images (>= 2); the first decodes ``z1``, the last ``z2``.

    Returns
    -------
    images : ndarray of shape (n_steps, n_features)

    >>> class Halve:                             # E(x) = x / 2, D(z) = 2 z
    ...     n_features_in_ = 2
    ...     def encode(self, X): return X / 2
    ...     def decode(self, Z): return 2 * Z
    >>> interpolate(Halve(), np.array([0.0, 4.0]), np.array([2.0, 0.0]), n_steps=3)
    array([[0., 4.],
           [1., 2.],
           [2., 0.]])
    """
    n_steps = check_scalar(n_steps, "n_steps", int, min_val=2)
    pair = np.vstack([check_point(x, name, model.n_features_in_)
                      for x, name in ((x1, "x1"), (x2, "x2"))])
    z1, z2 = model.encode(pair).astype(np.float64)
    alpha = np.linspace(1.0, 0.0, n_steps)[:, None]
    return model.decode(alpha * z1 + (1.0 - alpha) * z2)
