"""Principal component analysis, and its probabilistic reading (a generative model).

PCA finds the orthonormal directions ``v_1, ..., v_k`` along which centred
data ``A = X - 1 mu^T`` varies most: the top right singular vectors of
``A = U S V^T``. The variance along ``v_j`` is ``lambda_j = s_j^2 / (n - 1)``,
an eigenvalue of the sample covariance ``C = A^T A / (n - 1)``. A point is
coded by ``z = V_k^T (x - mu)`` and decoded by ``x_hat = mu + V_k z``; no
other rank-``k`` linear code reconstructs the data with less squared error,
which is why a linear autoencoder trained on squared error ends up spanning
the same subspace.

Probabilistic PCA (Tipping & Bishop, 1999) makes it a density model:

    z ~ N(0, I_k),   x = W z + mu + eps,   eps ~ N(0, sigma^2 I_d),
    so  x ~ N(mu, W W^T + sigma^2 I_d).

Its maximum-likelihood fit is ``sigma^2 = mean of the d - k discarded
eigenvalues`` and ``W = V_k diag(lambda_j - sigma^2)^{1/2}``; the covariance
``W W^T + sigma^2 I`` then has eigenvalues ``lambda_1..lambda_k`` along
``V_k`` and ``sigma^2`` everywhere else, which gives its log-determinant and
inverse without any ``d x d`` matrix (:meth:`PCA.score_samples`).
"""

import numpy as np

from scratch_genmod.core import (BaseEstimator, check_array, check_bool, check_choice, check_is_fitted,
                                 check_scalar)
from scratch_genmod.core.logmath import LOG_2PI
from scratch_genmod.core.mixins import TransformerMixin
from scratch_genmod.core.products import matmul_in_parts
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import check_state_array, check_state_int, fitted_attributes
from scratch_genmod.embed import textbook
from scratch_genmod.embed.checks import check_algorithm, check_n_components
from scratch_genmod.embed.fast.principal_axes import (covariance_eigh, full_svd,
                                                      randomized_svd_unchecked)
from scratch_genmod.embed.fast.principal_axes import total_variance as total_variance_of

__all__ = ["PCA"]

SOLVERS = ("auto", "full", "covariance_eigh", "randomized")


@register_estimator
class PCA(TransformerMixin, BaseEstimator):
    """Principal component analysis by SVD, covariance eigh or randomized SVD.

    Same numbers as :func:`scratch_genmod.embed.textbook.pca` (axes,
    variances and codes), whatever the solver; with ``algorithm="textbook"``
    it runs on that function itself (and on ``pca_encode``, ``pca_decode``,
    ``ppca_log_density``).

    Parameters
    ----------
    n_components : None, int or float in (0, 1), default=None
        None keeps ``min(n_samples, n_features)`` components; an int keeps
        that many; a float keeps the fewest components whose explained
        variance ratios add up to more than it (not with "randomized").
    whiten : bool, default=False
        Divide each code by its standard deviation ``sqrt(lambda_j)`` so the
        codes have unit variance. A component with no variance (below
        ``1e-12 lambda_1``) is coded as 0 rather than divided by 0.
    svd_solver : {"auto", "full", "covariance_eigh", "randomized"}, default="auto"
        How the axes are found (see :mod:`scratch_genmod.embed.fast.principal_axes`):
        "auto" takes "covariance_eigh" when ``n_samples >= 10 n_features``
        and ``n_features <= 1000`` (far faster, with the squared-condition
        accuracy trade-off explained there), otherwise "full".
    random_state : None, int or numpy.random.Generator, default=None
        Used by the "randomized" solver only.
    algorithm : {"fast", "textbook"}, default="fast"
        "fast": the solver above. "textbook": the eigenvectors of the sample
        covariance by :func:`scratch_genmod.embed.textbook.pca`, codes and
        densities by the other textbook functions (``svd_solver`` is then
        not used: ``solver_`` is "textbook").

    Attributes
    ----------
    components_ : ndarray of shape (n_components_, n_features)
        The principal axes ``v_j`` as orthonormal rows, by decreasing
        variance; each flipped so its largest-magnitude entry is positive.
    explained_variance_ : ndarray of shape (n_components_,)
        ``lambda_j = s_j^2 / (n_samples - 1)``.
    explained_variance_ratio_ : ndarray of shape (n_components_,)
        ``lambda_j`` over the total variance ``trace(C)``.
    singular_values_ : ndarray of shape (n_components_,)
        ``s_j``, the singular values of the centred data.
    mean_ : ndarray of shape (n_features,)
    noise_variance_ : float
        ``sigma^2`` of probabilistic PCA: mean of the discarded eigenvalues
        ``lambda_{k+1} .. lambda_{min(n, d)}`` (0 when none are discarded).
        With ``n > d`` these are all ``d - k`` of them, the maximum-likelihood
        value; with ``n <= d`` the zero eigenvalues beyond the data's rank
        are left out, as in scikit-learn.
    n_components_, n_samples_, n_features_in_ : int
    solver_ : str
        The solver actually used.

    Examples
    --------
    >>> X = np.array([[2.0, 0.0], [0.0, 1.0], [-2.0, 0.0], [0.0, -1.0]])
    >>> pca = PCA(n_components=1).fit(X)
    >>> pca.components_.round(6).tolist(), pca.explained_variance_.round(6).tolist()
    ([[1.0, 0.0]], [2.666667])
    >>> pca.transform([[1.0, 5.0]]).round(6).tolist()
    [[1.0]]
    >>> textbook_pca = PCA(n_components=1, algorithm="textbook").fit(X)
    >>> bool(np.allclose(textbook_pca.components_, pca.components_))
    True
    """

    def __init__(self, n_components=None, whiten=False, svd_solver="auto", random_state=None,
                 algorithm="fast"):
        self.n_components = n_components
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.random_state = random_state
        self.algorithm = algorithm

    def fit(self, X, y=None):
        """Find the principal axes of ``X`` of shape (n_samples, n_features); returns self.

        ``y`` is ignored (there so that PCA can stand in a scikit-learn Pipeline).
        """
        X = check_array(X, "X", min_samples=2)
        n, d = X.shape
        solver = check_choice(self.svd_solver, "svd_solver", SOLVERS)
        if solver == "auto":
            solver = "covariance_eigh" if n >= 10 * d and d <= 1000 else "full"
        if check_algorithm(self.algorithm) == "textbook":
            solver = "textbook"
        check_bool(self.whiten, "whiten")
        k_wanted = self._check_n_components(n, d, solver)

        self.mean_ = X.mean(axis=0)
        if solver == "textbook":  # every eigenvalue, for the ratios and sigma^2
            with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
                Vt, all_lambda, _ = textbook.pca(X, min(n, d))
            all_lambda = np.maximum(all_lambda, 0.0)  # -1e-17 of round-off is a zero variance
            S = np.sqrt(all_lambda * (n - 1))
            total_variance = float(np.sum(all_lambda))
        elif solver == "randomized":
            _, S, Vt = randomized_svd_unchecked(X, k_wanted, self.mean_, 10, None,
                                                self._random_generator())
            total_variance = total_variance_of(X, self.mean_)
        else:
            with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
                S, Vt = (full_svd if solver == "full" else covariance_eigh)(X, self.mean_)
        with np.errstate(over="ignore"):
            if solver not in ("randomized", "textbook"):
                total_variance = float(np.sum(S ** 2)) / (n - 1)
            all_variance = all_lambda if solver == "textbook" else S ** 2 / (n - 1)
        if not (np.isfinite(total_variance) and np.isfinite(all_variance).all()):
            raise ValueError("X is spread too widely: its variances overflow float64 (a "
                             "spread beyond about 1e154); rescale X, e.g. divide it by its "
                             "largest absolute value")
        if isinstance(self.n_components, float):
            # fewest components whose cumulative ratio exceeds the fraction asked for
            cumulative = np.cumsum(all_variance) / total_variance if total_variance > 0 \
                else np.ones(len(S))  # constant data: one component already holds it all
            k_wanted = min(int(np.searchsorted(cumulative, self.n_components, side="right")) + 1,
                           len(S))

        self.solver_ = solver
        self.n_samples_, self.n_features_in_, self.n_components_ = n, d, k_wanted
        self.components_ = Vt[:k_wanted]
        self.singular_values_ = S[:k_wanted]
        self.explained_variance_ = all_variance[:k_wanted]
        self.explained_variance_ratio_ = (self.explained_variance_ / total_variance
                                          if total_variance > 0 else np.zeros(k_wanted))
        n_discarded = min(n, d) - k_wanted
        if n_discarded == 0:
            self.noise_variance_ = 0.0
        elif solver == "randomized":  # only the top k are known: the rest by subtraction
            discarded = max(total_variance - float(np.sum(self.explained_variance_)), 0.0)
            self.noise_variance_ = discarded / n_discarded
        else:  # the mean of the discarded eigenvalues themselves: no cancellation
            self.noise_variance_ = float(np.mean(all_variance[k_wanted:]))
        return self

    def transform(self, X):
        """Codes ``z = V_k^T (x - mu)`` (divided by ``sqrt(lambda)`` when whitening).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        Z : ndarray of shape (n_samples, n_components_)
        """
        check_is_fitted(self, "transform", ["components_"])
        X = self._check_X(X)
        if self.solver_ == "textbook":
            Z = textbook.pca_encode(X, self.mean_, self.components_)
        else:
            Z = matmul_in_parts(X - self.mean_, self.components_.T)  # core.products
        return Z / self._whitening_scale() if self.whiten else Z

    def fit_transform(self, X, y=None):
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, Z):
        """Reconstructions ``x_hat = mu + V_k z`` from codes of shape (n_samples, n_components_).

        With every component kept, ``inverse_transform(transform(X)) == X`` up to round-off.
        """
        check_is_fitted(self, "inverse_transform", ["components_"])
        Z = check_array(Z, "Z", n_features=self.n_components_, estimator="PCA")
        if self.whiten:
            Z = Z * np.sqrt(self.explained_variance_)
        if self.solver_ == "textbook":
            return textbook.pca_decode(Z, self.mean_, self.components_)
        return matmul_in_parts(Z, self.components_) + self.mean_

    def score_samples(self, X):
        """log N(x | mu, W W^T + sigma^2 I) of each row under probabilistic PCA.

        With ``z = V_k^T (x - mu)`` and the residual ``r = x - mu - V_k z``:

            log p(x) = -1/2 [ d log(2 pi) + sum_j log lambda_j + (d - k) log sigma^2
                              + sum_j z_j^2 / lambda_j + ||r||^2 / sigma^2 ].

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_density : ndarray of shape (n_samples,)

        Raises
        ------
        ValueError
            If the model is degenerate: a kept variance is 0, or
            ``sigma^2`` is 0 up to rounding with components discarded (the
            data lie in a subspace; keep fewer components).
        """
        check_is_fitted(self, "score_samples", ["components_"])
        X = self._check_X(X)
        d, k = self.n_features_in_, self.n_components_
        variances, sigma2 = self.explained_variance_, self.noise_variance_
        # Eigenvalues are known to about eps * lambda_1 (eps^2 * lambda_1 from the
        # SVD of the data itself): a sigma^2 below that is a rounded 0.
        eps = np.finfo(float).eps * (np.finfo(float).eps if self.solver_ == "full" else 1.0)
        floor = eps * variances[0] * min(self.n_samples_, d)
        if np.any(variances <= 0) or (k < d and sigma2 <= floor):
            raise ValueError(
                "the probabilistic PCA model is degenerate (a variance is 0): the data "
                "lie in a lower-dimensional subspace; fit with fewer n_components"
            )
        if self.solver_ == "textbook":
            return textbook.ppca_log_density(X, self.mean_, self.components_, variances,
                                             sigma2 if k < d else 0.0)
        centred = X - self.mean_
        Z = matmul_in_parts(centred, self.components_.T)
        log_det = np.sum(np.log(variances)) + (d - k) * (np.log(sigma2) if k < d else 0.0)
        maha = np.sum(Z ** 2 / variances, axis=1)
        if k < d:
            residual = centred - matmul_in_parts(Z, self.components_)
            maha += np.einsum("ij,ij->i", residual, residual) / sigma2
        return -0.5 * (d * LOG_2PI + log_det + maha)

    def score(self, X, y=None):
        """Mean log-likelihood of the rows of ``X`` under probabilistic PCA."""
        check_is_fitted(self, "score", ["components_"])
        return float(np.mean(self.score_samples(X)))

    def get_covariance(self):
        """The model covariance ``W W^T + sigma^2 I``, of shape (n_features, n_features)."""
        check_is_fitted(self, "get_covariance", ["components_"])
        V = self.components_
        scaled = V.T * (self.explained_variance_ - self.noise_variance_)
        return scaled @ V + self.noise_variance_ * np.eye(self.n_features_in_)

    # -- helpers -----------------------------------------------------------

    def _check_n_components(self, n, d, solver):
        """The number of components asked for (an int), or a clear error."""
        limit = min(n, d)
        k = self.n_components
        if k is None:
            return limit
        if isinstance(k, float):
            check_scalar(k, "n_components", float, min_val=0.0, max_val=1.0,
                         include_min=False, include_max=False)
            if solver == "randomized":
                raise ValueError("n_components as a fraction of variance needs the full "
                                 "spectrum; use svd_solver='full' or an int n_components")
            return limit
        return check_n_components(k, n, d)

    def _check_fitted_state(self):
        """Called by ``load``: hyper-parameters, then orthonormal axes V_k and variances >= 0."""
        check_choice(self.svd_solver, "svd_solver", SOLVERS)
        check_bool(self.whiten, "whiten")
        check_algorithm(self.algorithm)
        names = ["mean_", "components_", "singular_values_", "explained_variance_",
                 "explained_variance_ratio_", "noise_variance_", "n_components_",
                 "n_samples_", "n_features_in_", "solver_"]
        if not fitted_attributes(self, names):
            return
        d = check_state_int(self.n_features_in_, "n_features_in_", min_val=1)
        n = check_state_int(self.n_samples_, "n_samples_", min_val=2)
        solver = check_choice(self.solver_, "solver_",
                              [s for s in SOLVERS if s != "auto"] + ["textbook"])
        k = check_state_int(self.n_components_, "n_components_", min_val=1, max_val=min(n, d))
        if not isinstance(self.n_components, float):
            self._check_n_components(n, d, solver)
        check_state_array(self.mean_, "mean_", shape=(d,))
        V = check_state_array(self.components_, "components_", shape=(k, d))
        if not np.allclose(V @ V.T, np.eye(k), atol=1e-6):
            raise ValueError("components_ must have orthonormal rows")
        for name in names[2:5]:
            check_state_array(getattr(self, name), name, shape=(k,), min_val=0.0)
        if self.explained_variance_ratio_.sum() > 1.0 + 1e-6:
            raise ValueError("explained_variance_ratio_ must sum to at most 1")
        check_scalar(self.noise_variance_, "noise_variance_", min_val=0.0)

    def _check_X(self, X):
        return check_array(X, "X", n_features=self.n_features_in_, estimator="PCA")

    def _whitening_scale(self):
        """``sqrt(lambda_j)``, with +inf for a variance-free component so it codes to 0."""
        variances = self.explained_variance_
        negligible = variances <= 1e-12 * (variances[0] if len(variances) else 0.0)
        return np.where(negligible, np.inf, np.sqrt(np.where(negligible, 1.0, variances)))
