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

k-means is also how :class:`GaussianMixture` starts by default. The
formulas are ``textbook.lloyd_step`` and ``textbook.lloyd``
(``algorithm="textbook"``); the default runs the same iterations in
:mod:`~scratch_genmod.density.fast` (chunks of rows on several threads, and
a bound per point that skips the points which provably keep their centre).
"""

import numpy as np

from scratch_genmod.core import (
    BaseEstimator,
    check_array,
    check_choice,
    check_is_fitted,
    check_n_threads,
    check_scalar,
)
from scratch_genmod.core.blas import blas_threads
from scratch_genmod.core.mixins import ClusterMixin
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import check_state_array, check_state_int, fitted_attributes
from scratch_genmod.core.sizes import check_spread
from scratch_genmod.density import textbook
from scratch_genmod.density.checks import check_algorithm
from scratch_genmod.density.fast.kmeans_iterations import data_layouts, lloyd_iterations
from scratch_genmod.density.fast.lloyd import nearest_center
from scratch_genmod.density.textbook import kmeans_plusplus

__all__ = ["KMeans", "kmeans_plusplus"]


@register_estimator
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
    n_threads : int or None, default=None
        Threads sharing each Lloyd iteration's chunks of rows (see
        :mod:`~scratch_genmod.density.fast.nearest_centers`); None: the cores free now,
        read again at every step, at most ``OMP_NUM_THREADS``
        (:mod:`scratch_genmod.core.threads`). One where the data are too small
        for a second thread to pay (``fast.kmeans_iterations.step_threads``).
        The results do not depend on it.
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" runs ``textbook.lloyd`` (plain NumPy, every distance
        computed) and predicts by ``textbook.nearest_centers``; "fast" gives
        the same centres and labels by :mod:`~scratch_genmod.density.fast`.

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
                 random_state=None, n_threads=None, algorithm="fast"):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.n_threads = n_threads
        self.algorithm = algorithm

    def fit(self, X, y=None):
        """Run ``n_init`` starts of Lloyd's algorithm and keep the best; returns self.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        """
        X = check_spread(check_array(X, "X"))
        k, n_init, _, max_iter, tol, algorithm = self._check_params()
        if k > X.shape[0]:
            raise ValueError(f"n_clusters={k} must be <= n_samples={X.shape[0]}")
        given = None
        if not isinstance(self.init, str):
            given = check_array(self.init, "init", n_features=X.shape[1])
            if given.shape[0] != k:
                raise ValueError(f"init has {given.shape[0]} centres, expected n_clusters={k}")
            n_init = 1
        # every product on one BLAS thread (the Lloyd steps' chunks share the library's
        # threads): the same bits whatever the load, and no BLAS thread left spinning
        # on a core that those threads need (core.blas)
        with blas_threads(1):
            centers, self.labels_, self.inertia_, self.n_iter_ = self._best_start(
                X, k, n_init, max_iter, tol, given, algorithm)
        self.cluster_centers_ = centers
        self.n_features_in_ = X.shape[1]
        return self

    def _best_start(self, X, k, n_init, max_iter, tol, given, algorithm):
        """``(centers, labels, inertia, n_iter)`` of the start with the lowest inertia."""
        # Lloyd's algorithm does not change when the data move by a vector; on
        # data far from the origin the distances' ||x||^2 expansion would lose
        # its digits, so it runs on centred data and the centres move back.
        # (the mean as a matrix-vector product: X.mean(axis=0) is four times
        # slower on tall, narrow data, where it adds one short row at a time)
        mean = np.ones(len(X)) @ X / len(X)
        if algorithm == "textbook":
            X = X - mean
            x_sq = np.einsum("ij,ij->i", X, X)
        else:  # [x - mean, 1] (and by columns): the forms the fast Lloyd step takes
            Xa, x_sq, by_columns = data_layouts(X, mean, self.n_threads)
            X = Xa[:, :-1]
        tol *= float(x_sq.sum()) / X.size  # the mean per-feature variance
        rng = self._random_generator()
        best = None
        for _ in range(n_init):
            if given is not None:
                centers = given - mean
            elif self.init == "random":
                centers = X[rng.choice(X.shape[0], size=k, replace=False)]
            else:
                centers = kmeans_plusplus(X, k, random_state=rng)
            if algorithm == "textbook":
                result = textbook.lloyd(X, centers, max_iter, tol)
            else:
                # n_threads None: as many as are free, read again at every step
                result = lloyd_iterations(Xa, x_sq, centers, max_iter, tol, self.n_threads,
                                          by_columns)
            if best is None or result[2] < best[2]:
                best = result
        centers, labels, inertia, n_iter = best
        return centers + mean, labels, inertia, n_iter

    def predict(self, X):
        """Index of the nearest centre of each row of ``X``, shape (n_samples,)."""
        check_is_fitted(self, "predict")
        X = check_array(X, "X", n_features=self.n_features_in_, estimator="KMeans")
        if check_algorithm(self.algorithm) == "textbook":
            return textbook.nearest_centers(X, self.cluster_centers_)[0]
        return nearest_center(X, self.cluster_centers_, self.n_threads)[0]

    def fit_predict(self, X, y=None):
        """Fit, then return ``labels_``."""
        return self.fit(X).labels_

    def _check_params(self):
        """The hyper-parameters, checked (by fit, and by load for a model read from a file)."""
        if isinstance(self.init, str):
            check_choice(self.init, "init", ["k-means++", "random"])
        return (check_scalar(self.n_clusters, "n_clusters", int, min_val=1),
                check_scalar(self.n_init, "n_init", int, min_val=1),
                check_n_threads(self.n_threads),
                check_scalar(self.max_iter, "max_iter", int, min_val=1),
                check_scalar(self.tol, "tol", min_val=0.0),
                check_algorithm(self.algorithm))

    def _check_fitted_state(self):
        """Called by ``load``: hyper-parameters, then k finite centres and labels in 0..k-1."""
        k = self._check_params()[0]
        if not fitted_attributes(self, ["cluster_centers_", "labels_", "inertia_", "n_iter_",
                                        "n_features_in_"]):
            return
        d = check_state_int(self.n_features_in_, "n_features_in_", min_val=1)
        check_state_array(self.cluster_centers_, "cluster_centers_", shape=(k, d))
        labels = check_state_array(self.labels_, "labels_", kind="i", ndim=1, min_val=0)
        if labels.size and labels.max() >= k:
            raise ValueError(f"labels_ must be < n_clusters={k}, got {labels.max()}")
        check_scalar(self.inertia_, "inertia_", min_val=0.0)
        check_state_int(self.n_iter_, "n_iter_")

