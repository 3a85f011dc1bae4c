"""Kernel density estimation: the sum of kernels centred on each observation.

The course's non-parametric estimator of a density f from x_1, ..., x_n in R^d
puts a small bump on every observation and averages them:

    f^(x) = (1/n) sum_i Phi(x, x_i),        Phi(x, x_i) = K_H(x - x_i),

with K_H(u) = |H|^(-1/2) K(H^(-1/2) u) a kernel K (see
:mod:`scratch_genmod.density.kernels`) stretched by the bandwidth matrix H.
With weights, 1/n becomes p_i = w_i / sum_j w_j. A KDE is a mixture with one
component per observation, so it is sampled like one: pick x_i with
probability p_i, then add a draw from K_H.

Everything is computed in log space,

    log f^(y) = -log C_d - 1/2 log|H| + log sum_i p_i k(||H^(-1/2)(y - x_i)||),

the last sum by a per-query log-sum-exp over blocks of the data (see
:mod:`scratch_genmod.density.kde_sums`): memory stays within
``working_memory`` whatever n and m, and a query far in the tails gets its
true (very negative) log-density, not log 0. The same numbers, as a plain
loop over the queries, are ``textbook.kde`` and ``textbook.log_kde``, on which
``algorithm="textbook"`` scores.
"""


import numpy as np

from scratch_genmod.core import (
    BaseEstimator,
    check_array,
    check_bool,
    check_choice,
    check_is_fitted,
    check_sample_weight,
    check_scalar,
    precision_cholesky,
)
from scratch_genmod.core.blas import blas_threads
from scratch_genmod.core.mixins import DensityMixin
from scratch_genmod.core.warning import warn_user
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import (check_state_array, check_state_int,
                                              check_state_positive_definite,
                                              check_state_probabilities, fitted_attributes)
from scratch_genmod.core.sizes import check_n_samples
from scratch_genmod.density.checks import check_algorithm
from scratch_genmod.density.fast.kde_sums import log_density
from scratch_genmod.density.textbook import KERNELS, bandwidth_matrix, log_kde, sample_kde

__all__ = ["KernelDensity"]

LOG_FLOAT_MAX = float(np.log(np.finfo(np.float64).max))  # exp of anything larger overflows


@register_estimator
class KernelDensity(DensityMixin, BaseEstimator):
    """Kernel density estimate f^(x) = sum_i p_i K_H(x - x_i).

    Parameters
    ----------
    bandwidth : float, array-like of shape (d, d), "scott" or "silverman", default=1.0
        A float h > 0 gives H = h^2 I (scikit-learn's meaning: h is in the
        data's units). A symmetric positive-definite (d, d) matrix is H
        itself. "scott" and "silverman" scale the data's (weighted)
        covariance Sigma, as SciPy does: H = c^2 Sigma with
        c = n_eff^(-1/(d+4)) (Scott) or c = (n_eff (d+2)/4)^(-1/(d+4))
        (Silverman), n_eff = (sum w)^2 / sum w^2. So rescaling the data
        rescales the bandwidth with it.
    kernel : {"gaussian", "tophat", "epanechnikov", "exponential", "linear", "cosine"}, default="gaussian"
    working_memory : float, default=256
        Budget in MiB for the pairwise work arrays of ``score_samples``.
    random_state : None, int or numpy.random.Generator, default=None
        Seeds the model's own generator, used by ``sample``.
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" scores by ``textbook.log_kde`` (a plain loop over the
        queries); "fast" gives the same numbers by blocks within
        ``working_memory`` (:mod:`~scratch_genmod.density.fast.kde_sums`).
        Both fit by ``textbook.bandwidth_matrix`` and sample by
        ``textbook.sample_kde``.

    Attributes
    ----------
    data_ : ndarray of shape (n_samples, n_features)
        The kernel centres x_i (observations with weight 0 are left out:
        they contribute nothing).
    weights_ : ndarray of shape (n_samples,)
        p_i, summing to 1.
    bandwidth_matrix_ : ndarray of shape (n_features, n_features)
        H, the covariance scale of every kernel.
    n_features_in_ : int

    Notes
    -----
    Input must be 2-D, (n_samples, n_features): a 1-D array is refused (with
    a hint to reshape it) because it is ambiguous - n points on a line, or
    one point in R^n?

    Examples
    --------
    >>> X = np.array([[0.0], [1.0]])
    >>> kde = KernelDensity(bandwidth=0.5, kernel="tophat").fit(X)
    >>> kde.pdf([[0.2], [0.7], [2.0]])  # each box has height 1/(2 * 0.5), weight 1/2
    array([0.5, 0.5, 0. ])
    >>> round(KernelDensity(bandwidth=1.0).fit([[0.0]]).score([[0.0], [1.0]]), 6)
    -1.168939

    (f^ is N(0, 1): the mean of -log(2 pi)/2 - 0/2 and -log(2 pi)/2 - 1/2.) ``score``
    is the mean log-likelihood, where scikit-learn's KernelDensity returns the sum.

    >>> H = KernelDensity(bandwidth="scott").fit(X).bandwidth_matrix_
    >>> bool(np.isclose(H[0, 0], 0.5 * 2 ** (-2 / 5)))  # variance 1/2 times (n^(-1/5))^2
    True
    """

    def __init__(self, bandwidth=1.0, kernel="gaussian", working_memory=256,
                 random_state=None, algorithm="fast"):
        self.bandwidth = bandwidth
        self.kernel = kernel
        self.working_memory = working_memory
        self.random_state = random_state
        self.algorithm = algorithm

    def fit(self, X, y=None, sample_weight=None):
        """Store the observations and their weights, and fix the bandwidth matrix H.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : None
            Ignored, as in scikit-learn (whose tools pass labels as the second
            argument); weights go by name: ``fit(X, sample_weight=w)``. A ``y``
            given without ``sample_weight`` is ignored with a warning saying so.
        sample_weight : array-like of shape (n_samples,) or None, default=None
            Non-negative weights with a positive sum; None means equal weights.

        Returns
        -------
        self : KernelDensity
        """
        check_choice(self.kernel, "kernel", list(KERNELS))
        check_scalar(self.working_memory, "working_memory", min_val=0, include_min=False)
        check_algorithm(self.algorithm)
        X = check_array(X, "X")
        if y is not None and sample_weight is None:
            warn_user("KernelDensity.fit ignores y, its second argument (scikit-learn's "
                      "convention); if these are weights, pass them by name: "
                      "fit(X, sample_weight=w)", UserWarning)
        w = check_sample_weight(sample_weight, X.shape[0])
        # the products on one BLAS thread: left to BLAS's own threads, one of them then
        # spins, waiting for more, on the core the library's threads need for the
        # kernel sums that follow (core.blas)
        with blas_threads(1):
            H = bandwidth_matrix(self.bandwidth, X, w)
            _check_reach(X, H)
        keep = w > 0
        self.data_ = X[keep]  # (a copy: boolean indexing copies)
        self.weights_ = w[keep] / w[keep].sum()
        self.bandwidth_matrix_ = H
        self.n_features_in_ = X.shape[1]
        return self

    def score_samples(self, X):
        """log f^(y) for each query row of X.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)

        Returns
        -------
        log_density : ndarray of shape (n_queries,)
            Finite for the Gaussian and exponential kernels at any distance
            whose square float64 holds (up to ~1e154 bandwidths); -inf only
            where a compact kernel is exactly 0.
        """
        check_is_fitted(self, "score_samples")
        X = check_array(X, "X", n_features=self.n_features_in_, estimator="KernelDensity")
        if check_algorithm(self.algorithm) == "textbook":
            return log_kde(X, self.data_, self.bandwidth_matrix_, self.kernel, self.weights_)
        return log_density(X, self.data_, self.weights_, self.bandwidth_matrix_,
                           KERNELS[self.kernel], self.working_memory)

    def pdf(self, X):
        """The density f^(y) itself for each query row of X: ``exp(score_samples(X))``.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)

        Returns
        -------
        density : ndarray of shape (n_queries,)
            Underflows to 0 far in the tails, where ``score_samples`` stays
            finite: prefer the log-density for likelihoods.

        Examples
        --------
        >>> kde = KernelDensity(bandwidth=0.5, kernel="tophat").fit([[0.0], [10.0]])
        >>> kde.pdf([[0.2], [5.0]])  # half the mass on [-0.5, 0.5], height 0.5 / 1
        array([0.5, 0. ])
        """
        check_is_fitted(self, "pdf")
        log_f = self.score_samples(X)
        if log_f.size and log_f.max() > LOG_FLOAT_MAX:
            raise ValueError(
                f"the density at some rows of X is beyond float64's range (log f = "
                f"{log_f.max():.4g} > {LOG_FLOAT_MAX:.4g}: the data are spread over less than "
                f"about 1e-300 per unit); use score_samples, the log-density, which is finite, "
                f"or rescale X")
        return np.exp(log_f)

    def sample(self, n_samples=1, random_state=None, return_centers=False):
        """Draw from f^: a centre x_i with probability p_i, plus a draw from K_H.

        The offset is L z with H = L L^T and z from the standard kernel,
        drawn exactly for every kernel (no rejection loop): ``textbook.sample_kde``.

        Parameters
        ----------
        n_samples : int, default=1
        random_state : None, int or numpy.random.Generator, default=None
            None uses (and advances) the model's own generator.
        return_centers : bool, default=False
            Also return the index of the kernel each row was drawn from.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            As scikit-learn's ``KernelDensity.sample``.
        centers : ndarray of shape (n_samples,), dtype int64
            Only with ``return_centers``: index into ``data_`` of each row's
            kernel (the KDE's "component", as for a mixture).

        Examples
        --------
        >>> kde = KernelDensity(bandwidth=0.1, kernel="tophat").fit([[0.0], [5.0]])
        >>> X, centers = kde.sample(4, random_state=0, return_centers=True)
        >>> bool(np.all(np.abs(X[:, 0] - 5.0 * centers) < 0.1))
        True
        """
        check_is_fitted(self, "sample")
        n_samples = check_n_samples(n_samples, self.n_features_in_)
        return_centers = check_bool(return_centers, "return_centers")
        X, centers = sample_kde(n_samples, self.data_, self.weights_, self.bandwidth_matrix_,
                                self.kernel, self._random_generator(random_state))
        return (X, centers) if return_centers else X

    def _check_fitted_state(self):
        """Called by ``load``: hyper-parameters, then weights p_i > 0 summing to 1, H positive definite."""
        check_choice(self.kernel, "kernel", list(KERNELS))
        check_scalar(self.working_memory, "working_memory", min_val=0, include_min=False)
        if not fitted_attributes(self, ["data_", "weights_", "bandwidth_matrix_",
                                        "n_features_in_"]):
            return
        d = check_state_int(self.n_features_in_, "n_features_in_", min_val=1)
        X = check_state_array(self.data_, "data_", shape=(None, d))
        w = check_state_array(self.weights_, "weights_", shape=(len(X),), min_val=np.finfo(float).tiny)
        check_state_probabilities(w, "weights_")
        with blas_threads(1):  # as in fit
            bandwidth_matrix(self.bandwidth, X, w)  # the parameter, through fit's checks
            check_state_positive_definite(self.bandwidth_matrix_, "bandwidth_matrix_")
            _check_reach(X, self.bandwidth_matrix_)


def _check_reach(X, H):
    """The data in bandwidth units, ``||(x - mean) U||^2`` with ``U U^T = H^-1``, must be finite.

    Every kernel term is computed from such squares; beyond float64's range
    they would turn the densities into NaN.
    """
    U = precision_cholesky(H, "bandwidth")
    with np.errstate(over="ignore", invalid="ignore"):
        Z = (X - X.mean(axis=0)) @ U
        reach = float(np.max(np.einsum("ij,ij->i", Z, Z)))
    if not np.isfinite(reach):
        raise ValueError("bandwidth is too small for the spread of X: in bandwidth units the "
                         "squared distances overflow float64; use a larger bandwidth or "
                         "rescale X")
