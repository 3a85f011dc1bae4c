"""Input checks shared by the neural-network family (the textbook may use them).

One helper per concept, each naming the argument in its message: arrays that
must share a shape, data that must lie in [0, 1], the layer sizes of a
network, the dtype it computes in, the implementation chosen by
``algorithm``.

>>> check_layer_sizes((None, 16, 2), n_features=8)
[8, 16, 2]
>>> check_algorithm("textbok")
Traceback (most recent call last):
...
ValueError: algorithm must be one of 'fast', 'textbook'; got 'textbok' (did you mean 'textbook'?)
"""

import numpy as np

from scratch_genmod.core import check_array, check_choice, check_scalar
from scratch_genmod.core.sizes import check_size_budget

__all__ = ["ALGORITHMS", "DTYPES", "check_algorithm", "check_dtype", "check_layer_sizes",
           "check_network_size", "check_point", "check_probabilities", "check_rows",
           "check_same_shape", "outside_unit_interval"]

ALGORITHMS = ("fast", "textbook")
DTYPES = ("float32", "float64")


def check_algorithm(algorithm):
    """``algorithm`` as "fast" (the default speed-ups) or "textbook" (the course's functions)."""
    return check_choice(algorithm, "algorithm", ALGORITHMS)


def check_same_shape(**arrays):
    """Each named array checked (finite, floating kept) and of the first one's shape.

    >>> check_same_shape(a=np.zeros(2), b=np.zeros(3))
    Traceback (most recent call last):
    ...
    ValueError: b must have the shape of a, (2,); got (3,)
    """
    checked = [check_array(a, name, ndim=(1, 2), dtype=None, min_samples=0)
               for name, a in arrays.items()]
    names = list(arrays)
    for name, a in zip(names[1:], checked[1:]):
        if a.shape != checked[0].shape:
            raise ValueError(f"{name} must have the shape of {names[0]}, "
                             f"{checked[0].shape}; got {a.shape}")
    return checked


def check_probabilities(Y, name, setting, alternative):
    """``Y`` if its values lie in [0, 1], the targets of a cross-entropy; else a ``ValueError``.

    The error names the ``setting`` that needs them and the two remedies:
    rescaling, or the ``alternative`` setting.

    >>> check_probabilities(np.array([[2.0]]), "X", "loss='bce'", "loss='mse'")
    Traceback (most recent call last):
    ...
    ValueError: X must hold values in [0, 1] for loss='bce' (pixel probabilities), got values in [2, 2]; rescale it (e.g. X / 255 for 8-bit images) or use loss='mse'
    """
    outside = outside_unit_interval(Y)
    if outside:
        raise ValueError(f"{name} must hold values in [0, 1] for {setting} (pixel probabilities), "
                         f"got values in [{outside[0]:.4g}, {outside[1]:.4g}]; rescale it (e.g. "
                         f"X / 255 for 8-bit images) or use {alternative}")
    return Y


def outside_unit_interval(Y):
    """``(min, max)`` of ``Y`` when some value lies outside [0, 1], else None.

    >>> outside_unit_interval(np.array([0.0, 1.0])), outside_unit_interval(np.array([0.5, 255.0]))
    (None, (0.5, 255.0))
    """
    lo, hi = float(Y.min()), float(Y.max())
    return (lo, hi) if lo < 0 or hi > 1 else None


def check_layer_sizes(layer_sizes, n_features, last="code size", last_name=None):
    """The layer sizes as ints >= 1; a first size of None is ``n_features``.

    ``last`` says in the error what the last size is (the code size d of an
    autoencoder, the latent dimension of a VAE), and ``last_name`` how the
    error names that entry (None: by its index, as the others).
    """
    if not isinstance(layer_sizes, (tuple, list)) or len(layer_sizes) < 2:
        raise ValueError("layer_sizes must be a tuple of at least 2 ints (n_features, ..., "
                         f"{last}), got {layer_sizes!r}")
    sizes = [n_features if layer_sizes[0] is None else layer_sizes[0], *layer_sizes[1:]]
    names = [f"layer_sizes[{k}]" for k in range(len(sizes))]
    names[-1] = names[-1] if last_name is None else last_name
    return [check_scalar(s, name, int, min_val=1) for s, name in zip(sizes, names)]


def check_rows(X, name="X", **kwargs):
    """``X`` as rows of features: images of shape (n, h, w) become rows of ``h w`` pixels.

    The autoencoders read a picture as the vector of its pixels, row after
    row (``X.reshape(len(X), -1)``), so ``make_digits`` images go in as they
    are. Everything else is :func:`~scratch_genmod.core.check_array`'s, with
    ``kwargs`` passed on.

    >>> check_rows(np.zeros((5, 28, 28))).shape
    (5, 784)
    """
    if not isinstance(X, (str, bytes)) and X is not None and np.ndim(X) >= 3:
        X = np.asarray(X)
        X = X.reshape(X.shape[0], -1)
    return check_array(X, name, **kwargs)


def check_point(x, name, n_features, dtype=None):
    """One sample ``x`` of shape (n_features,), or an image of ``n_features`` pixels, as a row.

    >>> check_point(np.zeros((2, 2)), "x1", 4).shape
    (1, 4)
    >>> check_point(np.zeros(3), "x1", 4)
    Traceback (most recent call last):
    ...
    ValueError: x1 must be a 1-D array of shape (n_features,) = (4,), or an image of 4 pixels; got shape (3,)
    """
    x = check_array(x, name, ndim=(1, 2, 3), dtype=dtype)
    if x.size != n_features:
        raise ValueError(f"{name} must be a 1-D array of shape (n_features,) = ({n_features},), "
                         f"or an image of {n_features} pixels; got shape {x.shape}")
    return x.reshape(1, -1)


def check_network_size(widths, dtype, what="layer_sizes"):
    """Refuse, before allocating, a network whose weights exceed the memory budget.

    ``widths`` are the sizes of every layer of the whole network, in order
    (an autoencoder's encoder then decoder); each dense layer ``n_in -> n_out``
    holds ``n_in n_out + n_out`` numbers, and training keeps four arrays of
    them (weights, gradients, Adam's ``m`` and ``v``).

    >>> check_network_size([6, 10**9, 6], "float32")
    Traceback (most recent call last):
    ...
    ValueError: layer_sizes [6, 1000000000, 6] would need 5.2e+10 numbers (2.08e+11 bytes), more than the budget of 4.29e+09 bytes; use smaller layers (the course's MNIST network, 784-1024-256-128 mirrored, has 2.2 million weights)
    """
    weights = sum(a * b + b for a, b in zip(widths[:-1], widths[1:]))
    return check_size_budget(4 * weights, np.dtype(dtype).itemsize, f"{what} {list(widths)}",
                             "use smaller layers (the course's MNIST network, 784-1024-256-128 "
                             "mirrored, has 2.2 million weights)")


def check_dtype(dtype):
    """The name "float32" or "float64" of ``dtype``: a name, a NumPy type or a dtype."""
    try:
        name = None if dtype is None else np.dtype(dtype).name
    except TypeError:
        name = None
    if name not in DTYPES:
        raise ValueError(f"dtype must be float32 or float64, as a name (\"float32\"), a NumPy "
                         f"type (np.float32) or a dtype (np.dtype(\"float32\")); got {dtype!r}")
    return name
