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

__all__ = ["ALGORITHMS", "DTYPES", "check_algorithm", "check_dtype", "check_layer_sizes",
           "check_probabilities", "check_same_shape", "outside_unit_interval"]

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
