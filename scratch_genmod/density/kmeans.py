"""k-means: Lloyd's algorithm, the hard-assignment limit of EM.

Take a Gaussian mixture whose components all share the covariance
``sigma^2 I`` and equal weights, and let ``sigma -> 0``. The responsibilities

    gamma_{t,i} = exp(-||x_t - mu_i||^2 / 2 sigma^2) / sum_j exp(-||x_t - mu_j||^2 / 2 sigma^2)

become 1 for the nearest mean and 0 elsewhere: the E-step turns into
"assign each point to its nearest centre", and the M-step into "move each
centre to the mean of its points". That is Lloyd's algorithm; each step
lowers (never raises) the inertia ``sum_t ||x_t - c_{label(t)}||^2``, so it
converges, to a local minimum that depends on the start. ``k-means++``
(D^2 sampling) gives a start within O(log k) of the optimum on average,
and ``n_init`` restarts keep the best.

k-means is also how :class:`GaussianMixture` starts by default.
"""

import numpy as np

from scratch_genmod.core import (
    BaseEstimator,
    check_array,
    check_choice,
    check_is_fitted,
    check_random_state,
    check_scalar,
    squared_distances,
)
from scratch_genmod.core.mixins import ClusterMixin

__all__ = ["KMeans", "kmeans_plusplus"]

# Rows per block of the point-to-centre distance table, so its memory stays
# bounded (about 8 MB of float64 for 64 centres) whatever n is.
_CHUNK_ELEMENTS = 1 << 20


class KMeans(ClusterMixin, BaseEstimator):
    """k-means clustering by Lloyd iterations.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of centres ``k``.
    init : {"k-means++", "random"} or array of shape (n_clusters, n_features), default="k-means++"
        "k-means++": D^2 sampling (greedy, with ``2 + log k`` candidates per
        centre); "random": ``k`` distinct data points; an array: those centres.
    n_init : int, default=1
        Number of starts; the one with the lowest inertia is kept. An array
        ``init`` is used once whatever ``n_init`` says.
    max_iter : int, default=300
        Maximum Lloyd iterations per start.
    tol : float, default=1e-4
        Stop when the squared centre movement ``sum_i ||c_i^new - c_i||^2``
        is at most ``tol`` times the mean per-feature variance of ``X``
        (so the test does not depend on the data's units).
    random_state : None, int or numpy.random.Generator, default=None

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
    labels_ : ndarray of shape (n_samples,), dtype int64
        Index of the nearest centre of each training point.
    inertia_ : float
        Sum of squared distances of the training points to their centre.
    n_iter_ : int
        Lloyd iterations of the kept start.
    n_features_in_ : int

    Notes
    -----
    An empty cluster (no point is nearest to its centre) would give a centre
    of 0/0 = NaN. It is re-seeded instead at the point that is currently
    farthest from its own centre, which also lowers the inertia.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    >>> km = KMeans(n_clusters=2, random_state=0).fit(X)
    >>> sorted(km.cluster_centers_.round(2).tolist())
    [[0.0, 0.5], [10.0, 0.5]]
    >>> float(km.inertia_)
    1.0
    """

    def __init__(self, n_clusters=8, init="k-means++", n_init=1, max_iter=300, tol=1e-4,
                 random_state=None):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def fit(self, X, y=None):
        """Run ``n_init`` starts of Lloyd's algorithm and keep the best; returns self.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        """
        X = check_array(X, "X")
        k = check_scalar(self.n_clusters, "n_clusters", int, min_val=1)
        if k > X.shape[0]:
            raise ValueError(f"n_clusters={k} must be <= n_samples={X.shape[0]}")
        n_init = check_scalar(self.n_init, "n_init", int, min_val=1)
        max_iter = check_scalar(self.max_iter, "max_iter", int, min_val=1)
        tol = check_scalar(self.tol, "tol", min_val=0.0) * float(np.mean(np.var(X, axis=0)))
        given = None
        if isinstance(self.init, str):
            check_choice(self.init, "init", ["k-means++", "random"])
        else:
            given = check_array(self.init, "init", n_features=X.shape[1])
            if given.shape[0] != k:
                raise ValueError(f"init has {given.shape[0]} centres, expected n_clusters={k}")
            n_init = 1
        # Lloyd's algorithm does not change when the data move by a vector; on
        # data far from the origin the distances' ||x||^2 expansion would lose
        # its digits, so it runs on centred data and the centres move back.
        mean = X.mean(axis=0)
        X = X - mean
        rng = self._random_generator()
        best = None
        for _ in range(n_init):
            if given is not None:
                centers = given - mean
            elif self.init == "random":
                centers = X[rng.choice(X.shape[0], size=k, replace=False)]
            else:
                centers = kmeans_plusplus(X, k, random_state=rng)
            result = _lloyd(X, centers, max_iter, tol)
            if best is None or result[2] < best[2]:
                best = result
        centers, self.labels_, self.inertia_, self.n_iter_ = best
        self.cluster_centers_ = centers + mean
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        """Index of the nearest centre of each row of ``X``, shape (n_samples,)."""
        check_is_fitted(self, "predict")
        X = check_array(X, "X", n_features=self.n_features_in_, estimator="KMeans")
        return nearest_center(X, self.cluster_centers_)[0]

    def fit_predict(self, X, y=None):
        """Fit, then return ``labels_``."""
        return self.fit(X).labels_


def kmeans_plusplus(X, n_clusters, random_state=None, n_local_trials=None):
    """Choose ``n_clusters`` rows of ``X`` as starting centres by D^2 sampling.

    The first centre is uniform; each next one is drawn with probability
    proportional to ``D(x)^2``, the squared distance to the nearest centre
    chosen so far. Greedily, ``n_local_trials`` candidates are drawn and the
    one lowering ``sum_x D(x)^2`` most is kept.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int
    random_state : None, int or numpy.random.Generator, default=None
    n_local_trials : int or None, default=None
        None means ``2 + int(log(n_clusters))``.

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
    """
    rng = check_random_state(random_state)
    X = check_array(X, "X")
    n = X.shape[0]
    trials = 2 + int(np.log(n_clusters)) if n_local_trials is None else n_local_trials
    Xc = X - X.mean(axis=0)  # distances on centred data: no digits lost to a far offset
    x_sq = np.einsum("ij,ij->i", Xc, Xc)
    chosen = np.empty(n_clusters, dtype=np.intp)
    chosen[0] = rng.integers(n)
    d2 = squared_distances(Xc, Xc[chosen[:1]], x_sq)[:, 0]
    for i in range(1, n_clusters):
        total = d2.sum()
        if total <= 0:  # every point sits on a centre: any point will do
            candidates = rng.integers(n, size=trials)
        else:
            candidates = np.searchsorted(np.cumsum(d2), rng.random(trials) * total)
            candidates = np.minimum(candidates, n - 1)
        d2_new = np.minimum(d2[:, None], squared_distances(Xc, Xc[candidates], x_sq))
        best = int(np.argmin(d2_new.sum(axis=0)))
        chosen[i] = candidates[best]
        d2 = d2_new[:, best]
    return X[chosen]


def nearest_center(X, centers):
    """Label and squared distance of the nearest centre of each row, chunked.

    The labels are the assignment of ``textbook.lloyd_step``.

    ``||x - c_j||^2 = ||x||^2 + (||c_j||^2 - 2 x.c_j)``: the first term is the
    same for every centre, so the nearest one is found from the second alone
    (one matrix product per chunk) and ``||x||^2`` is added to the winner only.
    Both sides are first moved by the centres' mean, so that data far from the
    origin lose no digits in the expansion.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    centers : ndarray of shape (n_clusters, n_features)

    Returns
    -------
    labels : ndarray of shape (n_samples,), dtype int64
    d2 : ndarray of shape (n_samples,)
    """
    shift = centers.mean(axis=0)
    Xc = X - shift
    return _nearest(Xc, np.einsum("ij,ij->i", Xc, Xc), centers - shift)


def _nearest(X, x_sq, centers):
    """:func:`nearest_center` for data already near the origin, with ``x_sq = ||x||^2`` given."""
    n, k = X.shape[0], centers.shape[0]
    minus_2c = -2.0 * centers
    c_sq = np.einsum("ij,ij->i", centers, centers)
    labels = np.empty(n, dtype=np.int64)
    d2 = np.empty(n)
    step = max(1, _CHUNK_ELEMENTS // max(k, 1))
    for start in range(0, n, step):
        block = slice(start, start + step)
        partial = X[block] @ minus_2c.T  # ||c_j||^2 - 2 x.c_j, shape (rows, k)
        partial += c_sq
        labels[block] = np.argmin(partial, axis=1)
        d2[block] = np.take_along_axis(partial, labels[block, None], axis=1)[:, 0]
    d2 += x_sq
    return labels, np.maximum(d2, 0.0, out=d2)  # rounding can make a true 0 slightly negative


def lloyd_step(X, centers, x_sq=None, features=None):
    """One Lloyd iteration: same numbers as ``textbook.lloyd_step``, empty clusters included.

    Distances by :func:`nearest_center`'s expansion, so ``X`` should be near
    the origin (KMeans passes it centred); the sums per cluster by
    ``bincount``, one pass per feature, without a one-hot (n, k) matrix.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    centers : ndarray of shape (n_clusters, n_features)
    x_sq : ndarray of shape (n_samples,) or None, default=None
        ``||x_t||^2``, computed when None.
    features : ndarray of shape (n_features, n_samples) or None, default=None
        ``X.T`` contiguous, made when None.

    Returns
    -------
    new_centers : ndarray of shape (n_clusters, n_features)
    labels : ndarray of shape (n_samples,), dtype int64
        Nearest of the given centres.
    d2 : ndarray of shape (n_samples,)
        Squared distance of each point to that centre.
    n_empty : int
        Clusters that won no point and were re-seeded.
    """
    k = centers.shape[0]
    x_sq = np.einsum("ij,ij->i", X, X) if x_sq is None else x_sq
    features = np.ascontiguousarray(X.T) if features is None else features
    labels, d2 = _nearest(X, x_sq, centers)
    counts = np.bincount(labels, minlength=k)
    sums = np.stack([np.bincount(labels, weights=feature, minlength=k)
                     for feature in features], axis=1)
    new = sums / np.maximum(counts, 1)[:, None]
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        # An empty cluster has no mean: re-seed it at a point far from its centre,
        # which lowers the inertia (the rule of textbook.lloyd_step).
        far = np.argsort(d2)[::-1][:empty.size]
        new[empty] = X[far]
    return new, labels, d2, int(empty.size)


def _lloyd(X, centers, max_iter, tol):
    """Lloyd iterations from ``centers`` on centred ``X``; returns (centers, labels, inertia, n_iter)."""
    x_sq = np.einsum("ij,ij->i", X, X)
    features = np.ascontiguousarray(X.T)  # each feature's column, contiguous for bincount
    for n_iter in range(1, max_iter + 1):
        new, _, _, n_empty = lloyd_step(X, centers, x_sq, features)
        shift = float(np.sum((new - centers) ** 2))
        centers = new
        if shift <= tol and not n_empty:
            break
    labels, d2 = _nearest(X, x_sq, centers)
    return centers, labels, float(d2.sum()), n_iter
