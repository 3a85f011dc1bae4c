"""Checks of a fitted state read back from a file: shapes, dtypes, finiteness, invariants.

``fit`` checks what comes in; a model file is input too, and a changed byte
in it must not become NaN centres or a classifier that predicts one class.
:func:`scratch_genmod.core.load` calls each rebuilt estimator's
``_check_fitted_state()`` method; the estimators write theirs with these
helpers, each raising ``ValueError`` that names the attribute:

* :func:`fitted_attributes` - is the model fitted, and is its state whole?
* :func:`check_state_array` - kind, rank, shape, finiteness, lower bound;
* :func:`check_state_int` - a count or an index;
* :func:`check_state_probabilities` - entries >= 0 summing to 1 (weights
  ``alpha_i``, a prior, the rows ``p_{i,.}`` of a stochastic matrix);
* :func:`check_state_tables` - one table theta_{.,j,.} per discrete feature;
* :func:`check_state_positive_definite` - symmetric positive definite
  matrices (covariances ``Sigma_i``).

>>> check_state_probabilities([0.25, 0.75], "weights_").tolist()
[0.25, 0.75]
>>> check_state_probabilities([[0.5, 0.6]], "transition_matrix_")
Traceback (most recent call last):
...
ValueError: transition_matrix_ must hold probabilities summing to 1 along its last axis, got a sum of 1.1 at index (0,)
"""

import numbers

import numpy as np

__all__ = ["fitted_attributes", "check_state_array", "check_state_int",
           "check_state_probabilities", "check_state_tables", "check_state_positive_definite"]

_KINDS = {"f": "floating-point", "i": "integer", "U": "string", "b": "boolean"}


def fitted_attributes(model, names):
    """Whether ``model`` holds a fit: all of ``names``, or none of them (an unfitted model).

    Returns
    -------
    fitted : bool

    Raises
    ------
    ValueError
        If some of ``names`` are present and others missing (a state cut short).
    """
    present = [n for n in names if n in vars(model)]
    if present and len(present) < len(names):
        missing = [n for n in names if n not in present]
        raise ValueError(f"{type(model).__name__} has {', '.join(present)} but lacks "
                         f"{', '.join(missing)}: its fitted state is incomplete")
    return bool(present)


def check_state_array(value, name, *, kind="f", ndim=None, shape=None, finite=True,
                      min_val=None):
    """Check one fitted array; returns it unchanged.

    Parameters
    ----------
    value : ndarray
        An array as read from the file (never converted: a wrong dtype is an error).
    name : str
        The attribute's name, for the message.
    kind : str, default="f"
        Allowed dtype kinds: "f" floating, "i" integer (signed or not), "U"
        strings, "b" booleans; several letters allow several kinds.
    ndim : int or None, default=None
    shape : tuple or None, default=None
        Required shape; an entry None leaves that axis free.
    finite : bool, default=True
        Refuse NaN and infinities (floating arrays).
    min_val : float or None, default=None
        Smallest value allowed.
    """
    if not isinstance(value, np.ndarray):
        raise ValueError(f"{name} must be an array, got {type(value).__name__}")
    kinds = kind.replace("i", "iu")
    if value.dtype.kind not in kinds:
        wanted = " or ".join(_KINDS[k] for k in kind)
        raise ValueError(f"{name} must be a {wanted} array, got dtype {value.dtype}")
    if ndim is not None and value.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {value.shape}")
    if shape is not None and (len(shape) != value.ndim or any(
            want is not None and want != got for want, got in zip(shape, value.shape))):
        wanted = tuple("any" if s is None else s for s in shape)
        raise ValueError(f"{name} must have shape {wanted}, got {value.shape}")
    if finite and value.dtype.kind == "f" and not np.isfinite(value).all():
        raise ValueError(f"{name} holds NaN or infinite values")
    if min_val is not None and value.size and value.dtype.kind in "fiu" and value.min() < min_val:
        raise ValueError(f"{name} must be >= {min_val}, got a minimum of {value.min()}")
    return value


def check_state_int(value, name, min_val=0, max_val=None):
    """Check a fitted count or index (a Python or NumPy int, never a bool); returns it."""
    if not isinstance(value, numbers.Integral) or isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < min_val or (max_val is not None and value > max_val):
        upper = f" and <= {max_val}" if max_val is not None else ""
        raise ValueError(f"{name} must be >= {min_val}{upper}, got {value}")
    return value


def check_state_probabilities(value, name, *, atol=1e-6):
    """Check entries in [0, 1] summing to 1 along the last axis; returns the array.

    A vector is one distribution (``alpha``, a prior); a matrix is one per row
    (a stochastic matrix ``p_{i,j}``).
    """
    value = np.asarray(value) if isinstance(value, list) else value
    check_state_array(value, name, min_val=0.0)
    if value.ndim == 0 or value.shape[-1] == 0:
        raise ValueError(f"{name} must hold at least one probability, got shape {value.shape}")
    sums = value.sum(axis=-1)
    bad = np.abs(sums - 1.0) > atol
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(np.atleast_1d(bad))[0])
        raise ValueError(f"{name} must hold probabilities summing to 1 along its last axis, "
                         f"got a sum of {np.atleast_1d(sums)[where]:.3g} at index {where}")
    return value


def check_state_tables(tables, name, n_rows, n_categories, *, probabilities=True):
    """Check a list of one table per feature j, of shape (n_rows, K_j); returns it.

    The laws theta_{i,j,k} = P(x_j = k | i) of categorical features, one row
    per class or component i. Entries are >= 0; with ``probabilities`` each
    row also sums to 1 (a mixture's component that lost every sample keeps a
    row of zeros, so the mixtures pass False).

    >>> check_state_tables([np.array([[0.5, 0.5]])], "theta_", 1, [3])
    Traceback (most recent call last):
    ...
    ValueError: theta_[0] must have shape (1, 3), got (1, 2)
    """
    if not isinstance(tables, list) or len(tables) != len(n_categories):
        raise ValueError(f"{name} must be a list of {len(n_categories)} tables, one per feature")
    for j, (table, K_j) in enumerate(zip(tables, n_categories)):
        check_state_array(table, f"{name}[{j}]", shape=(n_rows, int(K_j)), min_val=0.0)
        if probabilities:
            check_state_probabilities(table, f"{name}[{j}]")
    return tables


def check_state_positive_definite(value, name):
    """Check a stack of symmetric positive definite matrices, shape (..., d, d); returns it."""
    check_state_array(value, name)
    if value.ndim < 2 or value.shape[-1] != value.shape[-2]:
        raise ValueError(f"{name} must hold square matrices, got shape {value.shape}")
    scale = np.abs(value).max(initial=0.0)
    if not np.allclose(value, np.swapaxes(value, -1, -2), rtol=1e-8, atol=1e-12 * scale):
        raise ValueError(f"{name} must hold symmetric matrices")
    try:
        np.linalg.cholesky(value)
    except np.linalg.LinAlgError:
        raise ValueError(f"{name} must hold positive definite matrices") from None
    return value
