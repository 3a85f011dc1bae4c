"""Choosing the bandwidth by cross-validation: the held-out log-likelihood.

A bandwidth too small puts a spike on every observation (the fit is perfect on
the data and poor on new points); too large, it smooths the modes away. The
data choose between candidates if each point is scored by a KDE that has not
seen it:

    CV(H) = (1/n) sum_i log f^_{-i}(x_i),

with f^_{-i} fitted without x_i (leave-one-out) or without x_i's fold
(k-fold); the best H maximises CV(H). Leave-one-out needs no refit: f^_{-i}(x_i)
is the full sum without its i-th term, renormalised.
"""

import numpy as np

from scratch_genmod.core import check_array, check_choice, check_random_state, check_scalar
from scratch_genmod.density.kde import KernelDensity
from scratch_genmod.density.fast.kde_sums import log_density
from scratch_genmod.density.textbook import KERNELS

__all__ = ["select_bandwidth"]


def select_bandwidth(X, candidates, cv=5, kernel="gaussian", random_state=None):
    """Choose the bandwidth with the highest held-out log-likelihood.

    For each candidate, every point is scored by a KDE fitted without it:
    k-fold (the data shuffled into ``cv`` folds, each scored by a fit on the
    others) or leave-one-out (``cv="loo"``: every point by the other n - 1,
    computed for all points at once). The score of a candidate is the mean
    held-out log-density.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    candidates : sequence
        Bandwidth values as accepted by :class:`KernelDensity` (floats,
        (d, d) matrices, "scott", "silverman"). For "loo" a rule-of-thumb
        bandwidth is computed once from all n points.
    cv : int >= 2 or "loo", default=5
    kernel : str, default="gaussian"
    random_state : None, int or numpy.random.Generator, default=None
        Shuffles the folds (not used by "loo").

    Returns
    -------
    best : the candidate with the highest score
    scores : ndarray of shape (n_candidates,)
        Mean held-out log-likelihood of each candidate, in the given order
        (-inf when a compact kernel leaves a held-out point with density 0).

    Examples
    --------
    >>> X = np.random.default_rng(0).normal(size=(200, 1))
    >>> best, scores = select_bandwidth(X, [0.01, 0.3, 10.0], cv="loo")
    >>> best, scores.shape  # too narrow overfits, too wide oversmooths
    (0.3, (3,))
    """
    X = check_array(X, "X", min_samples=2)
    n = X.shape[0]
    if isinstance(candidates, (str, bytes)) or len(candidates) == 0:
        raise ValueError("candidates must be a non-empty sequence of bandwidths")
    if isinstance(cv, str):
        check_choice(cv, "cv", ["loo"])
    else:
        cv = check_scalar(cv, "cv", int, min_val=2, max_val=n)
    splits = None
    if cv != "loo":  # (training rows, held-out rows) of each fold, the same for every candidate
        folds = np.array_split(check_random_state(random_state).permutation(n), cv)
        splits = [(np.setdiff1d(np.arange(n), fold), fold) for fold in folds]
    scores = np.empty(len(candidates))
    for c, h in enumerate(candidates):
        model = KernelDensity(bandwidth=h, kernel=kernel)
        if splits is None:
            model.fit(X)
            held_out = log_density(X, model.data_, model.weights_, model.bandwidth_matrix_,
                                   KERNELS[kernel], model.working_memory, exclude_self=True)
        else:
            held_out = np.empty(n)
            for train, fold in splits:
                held_out[fold] = model.fit(X[train]).score_samples(X[fold])
        scores[c] = np.mean(held_out)
    if np.all(scores == -np.inf):
        raise ValueError(
            "every candidate bandwidth leaves some held-out point with density 0 under "
            f"the {kernel!r} kernel; try larger bandwidths or the gaussian kernel")
    return candidates[int(np.argmax(scores))], scores
