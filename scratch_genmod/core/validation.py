"""Input checks at the door: one helper per concept, each naming the argument.

Every public function of the library calls these before doing any maths, so a
bad input fails here with a message a learner can act on, instead of as a NaN
or a crash deep inside NumPy.

>>> check_array([[1, 2], [3, 4]]).dtype
dtype('float64')
>>> check_array([1.0, 2.0], name="X")
Traceback (most recent call last):
...
ValueError: X must be a 2-D array of shape (n_samples, n_features), got a 1-D array of shape (2,). Reshape your data: X.reshape(-1, 1) for a single feature, X.reshape(1, -1) for a single sample
>>> check_scalar(0.0, "tol", min_val=0.0, include_min=False)
Traceback (most recent call last):
...
ValueError: tol must be > 0.0, got 0.0
>>> check_choice("ful", "covariance_type", ["full", "tied", "diag", "spherical"])
Traceback (most recent call last):
...
ValueError: covariance_type must be one of 'full', 'tied', 'diag', 'spherical'; got 'ful' (did you mean 'full'?)
"""

import difflib
import numbers

import numpy as np

__all__ = [
    "check_array",
    "check_random_state",
    "check_scalar",
    "check_interval",
    "check_bool",
    "check_choice",
    "check_same_length",
    "check_sample_weight",
    "DataConversionWarning",
]


class DataConversionWarning(UserWarning):
    """An input was accepted in another form than the one expected (e.g. y as a column).

    >>> issubclass(DataConversionWarning, UserWarning)   # filtered like any user warning
    True
    """

_SHAPE_NAMES = {1: "(n_samples,)", 2: "(n_samples, n_features)"}


def check_array(X, name="X", *, ndim=2, dtype=np.float64, min_samples=1,
                min_features=1, n_features=None, estimator=None, allow_nonfinite=False):
    """Convert ``X`` to an ndarray and check it, or raise naming ``name``.

    Parameters
    ----------
    X : array-like
    name : str, default="X"
        The argument's name, used in every message.
    ndim : int or tuple of int, default=2
        Allowed number of dimensions.
    dtype : numpy dtype or None, default=numpy.float64
        Target dtype. None keeps a floating dtype (float32 stays float32) and
        converts anything else to float64.
    min_samples : int, default=1
        Minimum length of the first axis.
    min_features : int, default=1
        Minimum length of the second axis (for 2-D input).
    n_features : int or None, default=None
        Required length of the second axis (the count seen by ``fit``).
    estimator : str or None, default=None
        Name of the fitted estimator, for the ``n_features`` message.
    allow_nonfinite : bool, default=False
        Accept NaN and infinities.

    Returns
    -------
    X : ndarray
        Never the caller's array modified; possibly the same object when it
        already has the right dtype, so callers must not write into it.
    """
    if X is None or isinstance(X, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got {type(X).__name__}")
    if hasattr(X, "toarray") and hasattr(X, "nnz"):  # a SciPy sparse matrix or array
        raise TypeError(f"{name} is a sparse {type(X).__name__}: sparse input is not "
                        f"supported; pass a dense array, {name}.toarray()")
    try:
        arr = np.asarray(X)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} could not be read as an array: {exc}") from None
    if arr.dtype.kind == "c":
        raise ValueError(f"{name} holds complex numbers (Complex data not supported); "
                         f"pass its real part, {name}.real, or its modulus, abs({name})")
    if arr.dtype.kind == "O":  # numbers stored as objects (a pandas column): read as floats
        try:
            arr = arr.astype(np.float64)
        except OverflowError:  # a Python int beyond 1.8e308
            raise ValueError(f"{name} holds an integer beyond the range of float64 (about "
                             f"1.8e+308); rescale {name}, e.g. divide it by its largest "
                             f"value") from None
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"{name} must hold real numbers, got an object array with an "
                            f"entry that is not one ({exc})") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if dtype is None:
        dtype = arr.dtype if arr.dtype.kind == "f" else np.float64
    source = arr
    with np.errstate(over="ignore"):  # a value beyond float32's range: reported below
        arr = arr.astype(dtype, copy=False)

    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    if arr.ndim not in allowed:
        want = " or ".join(f"{d}-D" for d in allowed)
        shape = _SHAPE_NAMES.get(allowed[0], "") if len(allowed) == 1 else ""
        hint = ""
        if arr.ndim == 1 and 2 in allowed:
            hint = (f". Reshape your data: {name}.reshape(-1, 1) for a single feature, "
                    f"{name}.reshape(1, -1) for a single sample")
        raise ValueError(
            f"{name} must be a {want} array{' of shape ' + shape if shape else ''}, "
            f"got a {arr.ndim}-D array of shape {arr.shape}{hint}"
        )
    if arr.ndim >= 1 and arr.shape[0] < min_samples:
        raise ValueError(
            f"{name} needs at least {min_samples} sample{'s' if min_samples > 1 else ''}, "
            f"got n_samples={arr.shape[0]}"
        )
    if arr.ndim >= 2 and arr.shape[1] < min_features:
        raise ValueError(f"{name} has {arr.shape[1]} feature(s) (shape={arr.shape}) while a "
                         f"minimum of {min_features} is required.")
    if n_features is not None and arr.ndim >= 2 and arr.shape[1] != n_features:
        raise ValueError(
            f"{name} has {arr.shape[1]} features, but {estimator or 'the model'} is expecting "
            f"{n_features} features as input (the number it was fitted with)"
        )
    if not allow_nonfinite and arr.dtype.kind == "f":
        bad = ~np.isfinite(arr)
        if bad.any():
            if source.dtype != arr.dtype and np.isfinite(source[bad]).any():
                first = tuple(int(i) for i in np.argwhere(bad & np.isfinite(source))[0])
                value = np.format_float_scientific(source[first], precision=3, trim="-")
                raise ValueError(
                    f"{name} has values beyond the range of {arr.dtype.name}, e.g. {value} at "
                    f"index {first} (the largest is {np.finfo(arr.dtype).max:.3g}); rescale "
                    f"{name}, e.g. divide it by its standard deviation")
            n_nan = int(np.isnan(arr).sum())
            first = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"{name} contains {n_nan} NaN and {int(bad.sum()) - n_nan} infinite "
                f"values (first at index {first}); remove or impute them"
            )
    return arr


def check_random_state(random_state, name="random_state"):
    """Turn None, a non-negative int or a Generator into a ``numpy.random.Generator``.

    None gives a fresh generator seeded by the operating system; an int gives
    a reproducible one; a Generator is returned as is (it is shared and
    advances). 0 is a seed like any other.

    >>> int(check_random_state(0).integers(10)) == int(check_random_state(0).integers(10))
    True
    """
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(f"{name} must be a non-negative int, got {random_state}")
        return np.random.default_rng(int(random_state))
    raise TypeError(
        f"{name} must be None, a non-negative int or a numpy.random.Generator, "
        f"got {type(random_state).__name__}"
    )


def check_scalar(value, name, kind=float, *, min_val=None, max_val=None,
                 include_min=True, include_max=True, dtype=None):
    """Check one number: its type (``int`` or ``float``) and its range.

    An int is accepted where a float is asked for; a bool never counts as a
    number; NaN and infinities are rejected. Returns the value as a Python
    ``int``/``float``.

    With ``dtype`` (a NumPy floating dtype the value is computed in, e.g. a
    network's float32), a value that this dtype cannot hold is refused too:
    beyond its largest number it becomes inf, and a non-zero value below its
    smallest normal one loses its digits, then becomes 0 (a step of size 0, a
    division by 0). Both turn into NaN far from the cause; the message here
    names it.

    >>> check_scalar(1e300, "lr", dtype="float32")
    Traceback (most recent call last):
    ...
    ValueError: lr=1e+300 cannot be held by float32, the dtype it is computed in: its size must lie in [1.18e-38, 3.4e+38]; choose a value in that range
    """
    is_int = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    is_real = is_int or (isinstance(value, numbers.Real) and not isinstance(value, bool))
    if (kind is int and not is_int) or (kind is float and not is_real):
        raise TypeError(f"{name} must be {'an int' if kind is int else 'a number'}, "
                        f"got {type(value).__name__} {value!r}")
    if kind is int:  # exact, whatever its size: a size that matters goes through a budget
        value = int(value)
    else:
        try:
            value = float(value)
        except OverflowError:  # a Python int beyond 1.8e308
            raise ValueError(f"{name} must be a finite number within float64's range (about "
                             f"1.8e+308), got {_short_int(value)}") from None
    if value != value:
        raise ValueError(f"{name} must be a number, got NaN")
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be finite, got {value}")
    if min_val is not None and (value < min_val or (value == min_val and not include_min)):
        raise ValueError(f"{name} must be {'>=' if include_min else '>'} {min_val}, got {value}")
    if max_val is not None and (value > max_val or (value == max_val and not include_max)):
        raise ValueError(f"{name} must be {'<=' if include_max else '<'} {max_val}, got {value}")
    if dtype is not None and kind is float:
        _check_representable(value, name, np.dtype(dtype))
    return value


def _check_representable(value, name, dtype):
    """``value`` must be 0 or of a size between ``dtype``'s smallest normal and largest number."""
    info = np.finfo(dtype)
    if value != 0 and not float(info.tiny) <= abs(value) <= float(info.max):
        raise ValueError(f"{name}={value:.3g} cannot be held by {dtype.name}, the dtype it is "
                         f"computed in: its size must lie in [{float(info.tiny):.3g}, "
                         f"{float(info.max):.3g}]; choose a value in that range")


def check_interval(value, name):
    """Check a range ``(low, high)`` of two finite numbers with ``low < high``; returns it as floats.

    Its width ``high - low`` must be finite too: every use scales by it.

    >>> check_interval((0, 1.5), "xlim")
    (0.0, 1.5)
    """
    if np.ndim(value) != 1 or len(value) != 2 or not (
            check_scalar(value[0], name) < check_scalar(value[1], name)):
        raise ValueError(f"{name} must be (low, high) with low < high, got {value!r}")
    low, high = float(value[0]), float(value[1])
    if not np.isfinite(high - low):
        raise ValueError(f"{name} is too wide: high - low overflows float64, got {value!r}")
    return low, high


def check_bool(value, name):
    """Check a flag: ``True`` or ``False`` (NumPy's bools too), never a number or a string.

    >>> check_bool(np.True_, "shuffle")
    True
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_choice(value, name, choices):
    """Check that ``value`` is one of ``choices``; suggest the closest on a typo."""
    if isinstance(value, str) and value in choices:
        return value
    options = ", ".join(repr(c) for c in choices)
    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ValueError(f"{name} must be one of {options}; got {value!r}{hint}")


def check_same_length(**arrays):
    """Check that the named arrays have the same number of samples.

    >>> check_same_length(X=[[0], [1]], y=[0])
    Traceback (most recent call last):
    ...
    ValueError: X and y must have the same number of samples, got 2 and 1
    """
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        names = " and ".join(lengths)
        counts = " and ".join(str(n) for n in lengths.values())
        raise ValueError(f"{names} must have the same number of samples, got {counts}")


def check_sample_weight(sample_weight, n_samples, name="sample_weight"):
    """Weights as a float64 array of shape (n_samples,): finite, >= 0, positive finite sum.

    None means equal weights (all ones).
    """
    if sample_weight is None:
        return np.ones(n_samples)
    w = check_array(sample_weight, name, ndim=1, min_samples=0)
    if w.shape[0] != n_samples:
        raise ValueError(f"{name} has {w.shape[0]} entries, expected one per sample ({n_samples})")
    if (w < 0).any():
        raise ValueError(f"{name} must be non-negative, got a minimum of {w.min()}")
    with np.errstate(over="ignore"):
        total = w.sum()
    if not total > 0:
        raise ValueError(f"{name} must have a positive sum, got weights that are all zero")
    if not np.isfinite(total):
        raise ValueError(f"{name} sums beyond float64's range; divide the weights by their "
                         "largest (only their ratios matter)")
    return w


def _short_int(n):
    """``n`` as ``1.23e+45``, whatever its size (a float would overflow past 1e308)."""
    n = int(n)
    if n < 0:
        return "-" + _short_int(-n)
    if n.bit_length() > 3000:  # str() of an int past 4,300 digits raises
        return f"about 1e+{int((n.bit_length() - 1) * 0.30103)}"
    digits = str(n)
    if len(digits) < 300:
        return f"{float(digits):.3g}"
    return f"{digits[0]}.{digits[1:3]}e+{len(digits) - 1}"
