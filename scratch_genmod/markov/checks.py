"""Input checks shared by the Markov family: laws, transition matrices, sequences.

The textbook functions and the estimators call these at the door, so a bad
input fails with a message naming the argument, the expected form and what
came, instead of as a NaN deep inside a recursion.

>>> check_transition_matrix([[0.5, 0.5], [0.0, 0.0]], "transmat")
Traceback (most recent call last):
...
ValueError: transmat must have rows summing to 1 (each p_{i,j} >= 0); state 1 has no transitions (a row of zeros)
>>> check_lengths([2, 3], 5).tolist()
[2, 3]
"""

import numbers

import numpy as np

from scratch_genmod.core import check_array

__all__ = ["check_distribution", "check_transition_matrix", "check_emission_matrix",
           "check_log_emissions",
           "check_lengths", "check_symbols"]

ROW_SUM_ATOL = 1e-8


def check_distribution(pi, name, n_states=None):
    """``pi`` as a float64 vector of probabilities >= 0 summing to 1, or ValueError naming ``name``."""
    pi = check_array(pi, name, ndim=1)
    if n_states is not None and pi.shape != (n_states,):
        raise ValueError(f"{name} must have shape ({n_states},), one entry per state, "
                         f"got shape {pi.shape}")
    if (pi < 0).any() or abs(pi.sum() - 1.0) > ROW_SUM_ATOL:
        raise ValueError(f"{name} must be a probability vector (entries >= 0 summing to 1), "
                         f"got entries summing to {pi.sum():.6g} with minimum {pi.min():.3g}")
    return pi


def check_transition_matrix(P, name, n_states=None):
    """``P`` as a square float64 matrix of p_{i,j} >= 0 whose rows sum to 1.

    A row of zeros (a state with no transitions) is named in the message.
    """
    P = check_array(P, name)
    if P.shape[0] != P.shape[1] or (n_states is not None and P.shape[0] != n_states):
        want = f"({n_states}, {n_states})" if n_states is not None else "square"
        raise ValueError(f"{name} must have shape {want}, got shape {P.shape}")
    return _check_rows(P, name)


def check_emission_matrix(B, name, n_states, n_symbols):
    """``B`` as an (n_states, n_symbols) float64 matrix of b_{i,k} >= 0 whose rows sum to 1."""
    B = check_array(B, name)
    if B.shape != (n_states, n_symbols):
        raise ValueError(f"{name} must have shape ({n_states}, {n_symbols}), one row per state "
                         f"and one column per symbol, got shape {B.shape}")
    return _check_rows(B, name)


def _check_rows(P, name):
    """Each row a probability law; a row of zeros is named as a state with no transitions."""
    if (P < 0).any():
        raise ValueError(f"{name} must have entries p_{{i,j}} >= 0, got {P.min():.3g}")
    sums = P.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > ROW_SUM_ATOL)
    if bad.size:
        i = int(bad[0])
        what = ("has no transitions (a row of zeros)" if sums[i] == 0
                else f"has a row summing to {sums[i]:.6g}")
        raise ValueError(f"{name} must have rows summing to 1 (each p_{{i,j}} >= 0); "
                         f"state {i} {what}")
    return P


def check_log_emissions(log_Phi, n_states, name="log_Phi"):
    """``log Phi_i(x_t)`` as a float64 array of shape (T, n_states), T >= 1, never NaN or +inf.

    -inf is allowed: an observation that state i cannot emit.
    """
    log_Phi = check_array(log_Phi, name, allow_nonfinite=True)
    if log_Phi.shape[1] != n_states:
        raise ValueError(f"{name} must have shape (T, {n_states}), one column per state, "
                         f"got shape {log_Phi.shape}")
    if np.isnan(log_Phi).any() or np.isposinf(log_Phi).any():
        raise ValueError(f"{name} must hold log-densities (finite or -inf), got NaN or +inf")
    return log_Phi


def check_lengths(lengths, n_samples, name="lengths"):
    """Lengths of the sequences stacked in X as an int64 array, each >= 1, summing to n_samples.

    None means one sequence of length ``n_samples``.
    """
    if lengths is None:
        return np.array([n_samples], dtype=np.int64)
    values = np.asarray(lengths)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of ints, got shape "
                         f"{values.shape}")
    if not all(isinstance(v, numbers.Integral) and not isinstance(v, bool)
               for v in values.tolist()):
        raise TypeError(f"{name} must hold ints, got dtype {values.dtype}")
    values = values.astype(np.int64)
    if (values < 1).any():
        i = int(np.flatnonzero(values < 1)[0])
        raise ValueError(f"{name} must hold sequence lengths >= 1; sequence {i} has length "
                         f"{values[i]}")
    if values.sum() != n_samples:
        raise ValueError(f"{name} must sum to the number of rows of X ({n_samples}), "
                         f"got a sum of {int(values.sum())}")
    return values


def check_symbols(X, n_symbols=None, name="X"):
    """Categorical observations as an int64 vector of symbols 0..n_symbols-1.

    ``X`` is of shape (n_samples,) or (n_samples, 1) (hmmlearn's shape). A
    symbol >= ``n_symbols`` (one never seen in training) is named.
    """
    X = check_array(X, name, ndim=(1, 2), dtype=None)
    if X.ndim == 2 and X.shape[1] != 1:
        raise ValueError(f"{name} must hold one symbol per row, shape (n_samples, 1), got "
                         f"shape {X.shape}")
    x = X.ravel()
    if (x != np.round(x)).any() or (x < 0).any():
        raise ValueError(f"{name} must hold symbols as integers 0, 1, 2, ..., got "
                         f"{x[(x != np.round(x)) | (x < 0)][0]!r}")
    x = x.astype(np.int64)
    if n_symbols is not None and x.size and x.max() >= n_symbols:
        raise ValueError(f"{name} holds symbol {int(x.max())}, but the model knows only the "
                         f"symbols 0..{n_symbols - 1} (n_symbols={n_symbols})")
    return x
