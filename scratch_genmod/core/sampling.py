"""Drawing from a density another library may have written: one way, for every model.

A model that generates through a density it was given (the autoencoder
decodes codes drawn from the density of its codes; a generative classifier
draws each class from its class density) cannot assume that density's
``sample`` takes a NumPy ``Generator``: scikit-learn's ``KernelDensity``
refuses one, its ``GaussianMixture.sample`` takes no ``random_state`` at all,
and a plain class may return the points alone where this library returns
``(X, labels)``. :func:`draw_from_density` hides the differences: an int seed
drawn from the caller's generator where ``sample`` takes a ``random_state``
(every library takes an int), none where it takes none (the density then
draws from its own generator), and either kind of result.

>>> class Uniform:
...     def sample(self, n):                       # no random_state, points alone
...         return np.linspace(0.0, 1.0, n)[:, None]
>>> X, labels = draw_from_density(Uniform(), 3, np.random.default_rng(0))
>>> X.ravel(), labels
(array([0. , 0.5, 1. ]), array([0, 0, 0]))
"""

import inspect

import numpy as np

__all__ = ["draw_from_density"]


def draw_from_density(density, n_samples, rng, name="density", **keywords):
    """``n_samples`` points from ``density.sample``, seeded from ``rng`` where it can be.

    Parameters
    ----------
    density : object with ``sample(n)`` or ``sample(n, random_state=...)``
        Returning an array of shape (n, d), or a pair ``(X, labels)``.
    n_samples : int
    rng : numpy.random.Generator
        The caller's generator: one int seed is drawn from it and given as
        ``random_state`` when ``sample`` takes one.
    name : str, default="density"
        How messages name the density.
    **keywords
        Passed on to ``sample`` (e.g. ``y=3`` for a density per class).

    Returns
    -------
    X : ndarray of shape (n_samples, d)
    labels : ndarray of shape (n_samples,)
        The labels the density returned with the points (a mixture's
        component of each draw), or zeros when it returned the points alone.
    """
    sample = getattr(density, "sample", None)
    if not callable(sample):
        raise TypeError(f"{name} must have a sample(n) method to draw from, "
                        f"got {type(density).__name__}")
    if _takes_random_state(sample):
        drawn = sample(n_samples, random_state=int(rng.integers(2**31)), **keywords)
    else:
        drawn = sample(n_samples, **keywords)
    X, labels = drawn if isinstance(drawn, tuple) and len(drawn) == 2 else (drawn, None)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1 and n_samples == X.shape[0]:
        X = X[:, None]   # a one-dimensional density may return one value per draw
    if X.ndim != 2 or X.shape[0] != n_samples:
        raise ValueError(f"{name}.sample({n_samples}) must return an array of shape "
                         f"({n_samples}, n_features) or a pair (X, labels), got "
                         f"{type(drawn).__name__} with X of shape {X.shape}")
    if labels is None:
        return X, np.zeros(n_samples, dtype=int)
    labels = np.asarray(labels)
    if labels.shape != (n_samples,):
        raise ValueError(f"{name}.sample({n_samples}) returned labels of shape {labels.shape}, "
                         f"expected ({n_samples},)")
    return X, labels


def _takes_random_state(sample):
    """Whether ``sample`` accepts a ``random_state`` keyword (by name or through ``**kwargs``)."""
    try:
        parameters = inspect.signature(sample).parameters.values()
    except (TypeError, ValueError):   # a builtin without a signature: try the keyword
        return True
    return any(p.name == "random_state" or p.kind is p.VAR_KEYWORD for p in parameters)
