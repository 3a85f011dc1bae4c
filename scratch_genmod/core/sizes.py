"""Sizes and spreads: what a request or an input would take, checked before it is taken.

A mistyped size (``sample(10**12)``, a grid of 10**9 cells) fails at once
with what it would take, not after swapping the machine or inside NumPy;
data whose squared distances would overflow float64 fail with the remedy.

>>> check_n_samples(3, 2)
3
"""

import numpy as np

from scratch_genmod.core.validation import _short_int, check_scalar

__all__ = ["check_size_budget", "check_n_samples", "check_spread", "MEMORY_BUDGET"]

#: Bytes one array (or one model's set of arrays) may take before the library refuses to
#: allocate it: a mistyped size fails at once with what it would take, not after
#: swapping the machine or inside NumPy.
MEMORY_BUDGET = 2 ** 32


def check_size_budget(n_entries, itemsize, what, remedy, budget=None):
    """Raise before allocating ``n_entries`` numbers of ``itemsize`` bytes beyond the budget.

    Parameters
    ----------
    n_entries : int
        How many numbers would be allocated (an exact Python int: no overflow).
    itemsize : int
        Bytes per number (8 for float64, 4 for float32).
    what : str
        What would be allocated, with the argument that asks for it, e.g.
        ``"layer_sizes (6, 10**9)"``.
    remedy : str
        How to get it another way.
    budget : int or None, default=None
        Bytes allowed; None is :data:`MEMORY_BUDGET` (4 GiB).

    Returns
    -------
    n_bytes : int

    >>> check_size_budget(10**9, 8, "X of shape (10**9, 1)", "use fewer rows", budget=2**30)
    Traceback (most recent call last):
    ...
    ValueError: X of shape (10**9, 1) would need 1e+09 numbers (8e+09 bytes), more than the budget of 1.07e+09 bytes; use fewer rows
    """
    budget = MEMORY_BUDGET if budget is None else budget
    n_bytes = int(n_entries) * int(itemsize)
    if n_bytes > budget:
        raise ValueError(f"{what} would need {_short_int(n_entries)} numbers "
                         f"({_short_int(n_bytes)} bytes), more than the budget of "
                         f"{_short_int(budget)} bytes; {remedy}")
    return n_bytes


def check_spread(X, name="X"):
    """Check that the squared distances within ``X`` stay in float64's range; returns ``X``.

    Means, variances, covariances and distances all sum squares of
    differences; beyond about 1e150 they overflow to inf and then NaN. The
    bound ``n sum_j (max_j - min_j)^2`` is checked (no copy of X). Called by
    the fits of models built on squared distances (mixtures, k-means, Gaussian
    classes and HMMs).

    >>> check_spread(np.array([[0.0], [1e200]]))
    Traceback (most recent call last):
    ...
    ValueError: X is spread too widely for float64: its squared distances overflow (a spread beyond about 1e150); rescale X, e.g. divide it by its largest absolute value
    """
    with np.errstate(over="ignore", invalid="ignore"):
        bound = X.shape[0] * np.sum(_column_ranges(X).astype(np.float64) ** 2)
    if not np.isfinite(bound):
        raise ValueError(f"{name} is spread too widely for float64: its squared distances "
                         f"overflow (a spread beyond about 1e150); rescale {name}, e.g. divide "
                         f"it by its largest absolute value")
    return X


def _column_ranges(X, rows_per_pass=512):
    """``max_t x_tj - min_t x_tj`` of each column j of a 2-D ``X``: ``np.ptp(X, axis=0)``, faster.

    NumPy reduces a tall, narrow array along its rows one short row at a
    time; here ``rows_per_pass`` rows side by side form one long row, so each
    pass is long (ten times faster on 200,000 rows of 8 columns), and the
    rows left over are reduced apart.

    >>> _column_ranges(np.array([[1.0, 5.0], [4.0, -1.0], [2.0, 0.0]]), rows_per_pass=2)
    array([3., 6.])
    """
    n, d = X.shape
    whole = n // rows_per_pass * rows_per_pass
    if whole == 0:
        return np.ptp(X, axis=0)
    wide = X[:whole].reshape(-1, rows_per_pass * d)  # a view when X is C-contiguous
    high = wide.max(axis=0).reshape(rows_per_pass, d).max(axis=0)
    low = wide.min(axis=0).reshape(rows_per_pass, d).min(axis=0)
    if whole < n:
        high = np.maximum(high, X[whole:].max(axis=0))
        low = np.minimum(low, X[whole:].min(axis=0))
    return high - low


def check_n_samples(n_samples, n_features, name="n_samples", itemsize=8, remedy=None):
    """Check a number of draws ``n_samples`` >= 1 whose (n_samples, n_features) output fits the budget.

    Every ``sample``, ``generate`` and dataset maker calls it before drawing,
    so ``sample(10**12)`` says how much it would take instead of asking NumPy
    for terabytes. Returns ``n_samples`` as an int.

    >>> check_n_samples(10**12, 3)
    Traceback (most recent call last):
    ...
    ValueError: n_samples=1000000000000 samples of 3 features would need 3e+12 numbers (2.4e+13 bytes), more than the budget of 4.29e+09 bytes; draw them in batches, e.g. in a loop of calls with n_samples=10**6
    """
    n_samples = check_scalar(n_samples, name, int, min_val=1)
    n_features = check_scalar(n_features, "n_features", int, min_val=1)
    shown = n_samples if n_samples < 10**15 else _short_int(n_samples)
    check_size_budget(n_samples * n_features, itemsize,
                      f"{name}={shown} samples of {n_features} features",
                      remedy or f"draw them in batches, e.g. in a loop of calls with {name}=10**6")
    return n_samples
