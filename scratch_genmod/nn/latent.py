"""The latent space: the straight line between two codes, and the law of the codes.

The autoencoder and the VAE both map ``x`` to a code (``z = E(x)``, or the
mean ``mu(x)`` of ``q(z | x)``) and decode codes back. The autoencoder's
``P(z)`` is unknown ("on pourrait l'estimer"): :func:`fit_code_density`
estimates it, or one ``P(z | Y = c)`` per class, and :func:`draw_codes` draws
from it.
"""

import numpy as np

from scratch_genmod.core import check_scalar
from scratch_genmod.core.sampling import draw_from_density
from scratch_genmod.nn.checks import check_point

__all__ = ["interpolate", "fit_code_density", "draw_codes"]


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


def fit_code_density(Z, y=None, estimator=None, seed=None, algorithm="fast"):
    """A density of the codes ``Z`` (n_samples, d), or one per class of ``y``, fitted.

    ``estimator`` has ``fit(Z)`` and ``sample(n)``; None is a
    ``GaussianMixture`` of 10 components (3 per class). With labels ``y``
    (n_samples,) it is cloned per class inside a
    :class:`~scratch_genmod.bayes.GenerativeClassifier`: ``P(z | Y = c)``
    for each class and ``P(Y)`` from their frequencies. ``seed`` seeds what
    is made here, ``algorithm`` chooses how it computes.
    """
    if estimator is None:
        from scratch_genmod.density import GaussianMixture  # a sibling family, used lazily
        estimator = GaussianMixture(n_components=10 if y is None else 3, random_state=seed,
                                    algorithm=algorithm)
    if not (callable(getattr(estimator, "fit", None))
            and callable(getattr(estimator, "sample", None))):
        raise TypeError("estimator must have fit(Z) and sample(n) methods, "
                        f"got {type(estimator).__name__}")
    if y is None:
        return estimator.fit(Z)
    from scratch_genmod.bayes import GenerativeClassifier  # a sibling family, used lazily
    return GenerativeClassifier(estimator, random_state=seed, algorithm=algorithm).fit(Z, y)


def draw_codes(density, n_samples, rng, y=None):
    """``(Z, labels)``: ``n_samples`` codes from ``density``, all of class ``y`` if given.

    See :func:`~scratch_genmod.core.sampling.draw_from_density`.
    """
    if y is None:
        return draw_from_density(density, n_samples, rng, "latent_density_")
    if not hasattr(density, "classes_"):
        raise ValueError("sample(y=...) needs a density per class of the codes: call "
                         "fit_latent_density(X, y=labels) with the labels of X first")
    return draw_from_density(density, n_samples, rng, "latent_density_", y=y)
