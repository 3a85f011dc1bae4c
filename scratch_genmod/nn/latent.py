"""The latent space: the straight line between two codes, and the law of the codes.

The autoencoder and the VAE both map ``x`` to a code (``z = E(x)``, or the
mean ``mu(x)`` of ``q(z | x)``) and decode codes back. The autoencoder's
``P(z)`` is unknown ("on pourrait l'estimer"): :func:`fit_code_density`
estimates it, or one ``P(z | Y = c)`` per class, and :func:`draw_codes` draws
from it; :class:`LatentDensityMixin` gives a model the two methods that use
them, ``fit_latent_density`` and ``sample``.
"""

import numpy as np

from scratch_genmod.core import check_is_fitted, check_scalar
from scratch_genmod.core.sampling import draw_from_density
from scratch_genmod.core.sizes import check_n_samples
from scratch_genmod.nn.checks import check_point

__all__ = ["interpolate", "fit_code_density", "draw_codes", "LatentDensityMixin"]


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


class LatentDensityMixin:
    """Generation for a model whose codes have no law of their own (the autoencoder).

    The model provides ``encode``, ``decode``, ``n_features_in_``,
    ``algorithm`` and ``_random_generator``, and is fitted when it has
    ``encoder_``; this adds :meth:`fit_latent_density`, which estimates the law
    of its codes, and :meth:`sample`, which decodes draws from it.

    >>> class Doubling(LatentDensityMixin):          # E(x) = x, D(z) = 2 z
    ...     n_features_in_, algorithm, encoder_ = 1, "fast", "E"
    ...     def encode(self, X): return np.asarray(X, dtype=float)
    ...     def decode(self, Z): return 2 * Z
    ...     def _random_generator(self, random_state=None):
    ...         return np.random.default_rng(random_state)
    >>> model = Doubling().fit_latent_density(np.linspace(0, 1, 50)[:, None])
    >>> X, labels = model.sample(4, random_state=0)
    >>> X.shape, bool(np.all((X > -1) & (X < 3)))   # 2 z for z near [0, 1]
    ((4, 1), True)
    """

    def fit_latent_density(self, X, estimator=None, *, y=None):
        """Estimate the law ``P(z)`` of the codes ``z = E(x)`` of ``X``; returns self.

        With the labels ``y`` of ``X`` (shape (n_samples,), a keyword), one density per
        class instead, ``P(z | Y = c)``, and ``P(Y)`` from the class
        frequencies (a :class:`~scratch_genmod.bayes.GenerativeClassifier`
        on the codes): ``sample(n, y=3)`` then draws a 3 ("draw me a 3").

        ``estimator`` is any density estimator with ``fit(Z)`` and
        ``sample(n)`` (this library's, scikit-learn's ``GaussianMixture`` or
        ``KernelDensity``, or your own: see :meth:`sample`); None means a
        ``GaussianMixture`` seeded from this model, of 10 components (3 per
        class with ``y``), computing with this model's ``algorithm``.
        """
        check_is_fitted(self, "fit_latent_density", ["encoder_"])
        Z = self.encode(X).astype(np.float64)
        seed = int(self._random_generator().integers(2**31))
        self.latent_density_ = fit_code_density(Z, y, estimator, seed, self.algorithm)
        return self

    def sample(self, n_samples=1, y=None, random_state=None):
        """Generate: decode ``n_samples`` codes drawn from :attr:`latent_density_`.

        With ``y``, every code is drawn from the density of class ``y``
        (after ``fit_latent_density(X, y=labels)``): "draw me a 3" is ``sample(n, y=3)``.

        The density's ``sample`` gets an int seed drawn from
        ``random_state`` (or this model's generator) when it takes a
        ``random_state``, and none when it does not (scikit-learn's
        ``GaussianMixture`` then draws from its own); it may return the codes
        alone or a pair (codes, labels).

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
        labels : ndarray of shape (n_samples,)
            The labels the density returns with the codes (a mixture's
            component of each draw, the class with densities per class), or
            zeros when it returns codes alone.
        """
        check_is_fitted(self, "sample", ["encoder_"])
        check_is_fitted(self, "sample", ["latent_density_"], fit_call="fit_latent_density")
        n_samples = check_n_samples(n_samples, self.n_features_in_)
        Z, labels = draw_codes(self.latent_density_, n_samples,
                               self._random_generator(random_state), y)
        return self.decode(Z), labels
