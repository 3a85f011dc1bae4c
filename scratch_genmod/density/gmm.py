"""Gaussian mixtures fitted by EM: density, sampler and classifier in one model.

The course's parametric generative model is

    f(x) = sum_{i=1..m} alpha_i Phi_i(x | theta_i),    Phi_i = N(mu_i, Sigma_i),

a hidden label ``Y = i`` drawn with probability ``alpha_i``, then ``X`` drawn
from ``P(X | Y = i) = Phi_i``. EM alternates two steps that never lower the
likelihood:

* **E-step**: the responsibilities ``gamma_{t,i} = alpha_i Phi_i(x_t) /
  sum_j alpha_j Phi_j(x_t)`` (a softmax of ``log Phi_i + log alpha_i``,
  computed in log space);
* **M-step**: weighted counts ``N_i = sum_t gamma_{t,i}``, then
  ``alpha_i = N_i / n``, ``mu_i = sum_t gamma_{t,i} x_t / N_i`` and
  ``Sigma_i = sum_t gamma_{t,i} (x_t - mu_i)(x_t - mu_i)^T / N_i`` (plus
  ``reg_covar`` on the diagonal, which keeps it invertible).

The fitted model classifies by the course's equation (1),
``argmax_i [log Phi_i(x | theta_i) + log alpha_i]``. The steps as plain
formulas are :mod:`scratch_genmod.density.textbook`'s ``e_step``, ``m_step``
and ``em``, on which ``algorithm="textbook"`` runs;
:mod:`scratch_genmod.density.fast.gmm_em` (the default) computes the same
numbers in one blockwise pass per iteration.
"""

import numpy as np

from scratch_genmod.core import (
    BaseEstimator,
    check_array,
    check_choice,
    check_is_fitted,
    check_scalar,
    log_softmax,
    logsumexp,
)
from scratch_genmod.core.blas import blas_threads
from scratch_genmod.core.mixins import DensityMixin
from scratch_genmod.core.warning import ConvergenceWarning, warn_not_converged
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import (check_state_array, check_state_int,
                                              check_state_positive_definite,
                                              check_state_probabilities, fitted_attributes)
from scratch_genmod.density import textbook
from scratch_genmod.density.checks import COVARIANCE_TYPES, check_algorithm
from scratch_genmod.density.fast import gmm_em, precisions
from scratch_genmod.density.gmm_init import covariances_from_precisions, initial_parameters
from scratch_genmod.core.progress import ProgressBar, check_progress
from scratch_genmod.core.sizes import check_n_samples, check_spread

__all__ = ["GaussianMixture", "ConvergenceWarning", "select_n_components"]


@register_estimator
class GaussianMixture(DensityMixin, BaseEstimator):
    """Mixture of Gaussians ``f(x) = sum_i alpha_i N(x | mu_i, Sigma_i)`` fitted by EM.

    Parameters
    ----------
    n_components : int, default=1
        Number of components ``m``.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        Each component has its own full covariance; all share one; each has
        a diagonal one; each has ``sigma_i^2 I``.
    tol : float, default=1e-3
        Stop when the mean log-likelihood per sample changes by less than this.
    reg_covar : float, default=1e-6
        Added to the diagonal of every covariance.
    max_iter : int, default=100
        EM iterations per start; reaching it without convergence warns.
    n_init : int, default=1
        Starts; the one with the highest final log-likelihood is kept.
    init_params : {"kmeans", "k-means++", "random"}, default="kmeans"
        Starting responsibilities: the labels of a k-means fit; each point
        given to its nearest k-means++ seed; or random rows summing to 1.
    weights_init : array-like of shape (n_components,) or None, default=None
    means_init : array-like of shape (n_components, n_features) or None, default=None
    precisions_init : array-like or None, default=None
        Inverse covariances, shaped as ``covariances_``.
    random_state : None, int or numpy.random.Generator, default=None
    progress : bool or "always", default=False
        Show a :class:`~scratch_genmod.core.progress.ProgressBar` of EM iterations with
        the current log-likelihood (this is scikit-learn's ``verbose``).
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" fits, scores and samples through the functions of
        :mod:`scratch_genmod.density.textbook` (``em``, ``log_joint``,
        ``sample_mixture``), to step through in a debugger; "fast" gives the
        same numbers (to rounding) by one blockwise pass per EM iteration.

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
        ``alpha_i``.
    means_ : ndarray of shape (n_components, n_features)
        ``mu_i``.
    covariances_ : ndarray
        ``Sigma_i``: (n_components, n_features, n_features) for "full",
        (n_features, n_features) for "tied", (n_components, n_features) for
        "diag", (n_components,) for "spherical".
    precisions_ : ndarray
        ``Sigma_i^{-1}``, shaped as ``covariances_``.
    precisions_cholesky_ : ndarray
        ``U_i`` with ``U_i U_i^T = Sigma_i^{-1}``, shaped as ``covariances_``.
    converged_ : bool
    n_iter_ : int
        EM iterations of the kept start.
    lower_bound_ : float
        Mean log-likelihood at the last E-step of the kept start.
    log_likelihood_history_ : list of float
        Mean log-likelihood at every E-step of the kept start (never decreasing).
    n_features_in_ : int

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(-5, 1, (200, 1)), rng.normal(5, 1, (200, 1))])
    >>> gm = GaussianMixture(n_components=2, random_state=0).fit(X)
    >>> sorted(np.round(gm.means_[:, 0]).tolist())
    [-5.0, 5.0]
    >>> gm.predict([[-4.0], [6.0]]).tolist() == np.argsort(gm.means_[:, 0]).tolist()
    True
    >>> X_new, labels = gm.sample(3, component=0, random_state=1)
    >>> labels.tolist()
    [0, 0, 0]
    """

    def __init__(self, n_components=1, covariance_type="full", tol=1e-3, reg_covar=1e-6,
                 max_iter=100, n_init=1, init_params="kmeans", weights_init=None,
                 means_init=None, precisions_init=None, random_state=None, progress=False,
                 algorithm="fast"):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.progress = progress
        self.algorithm = algorithm

    def fit(self, X, y=None):
        """Fit by EM from ``n_init`` starts and keep the most likely; returns self.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        """
        X = check_spread(check_array(X, "X"))
        k, kind, tol, reg, max_iter, n_init, algorithm = self._check_params()
        if k > X.shape[0]:
            raise ValueError(f"n_components={k} must be <= n_samples={X.shape[0]}")
        rng = self._random_generator()
        run_em = _run_textbook_em if algorithm == "textbook" else _FastEM(X, kind)
        best = None
        # every product on one BLAS thread, the E-step's parts on the library's
        # threads: the same bits whatever the load (core.blas)
        with blas_threads(1), ProgressBar(max_iter * n_init, desc="EM", unit="iter",
                                          enabled=self.progress) as bar:
            for _ in range(n_init):
                start = initial_parameters(X, k, kind, self.init_params, reg, rng,
                                           self.weights_init, self.means_init,
                                           self.precisions_init, algorithm)
                run = run_em(X, start, kind, reg, tol, max_iter, bar)
                if best is None or run["lower_bound_"] > best["lower_bound_"]:
                    best = run
        if not best["converged_"]:
            warn_not_converged("EM", max_iter, tol)
        for name, value in best.items():
            setattr(self, name, value)
        self.precisions_ = textbook.precisions_from_cholesky(self.precisions_cholesky_, kind)
        self.n_features_in_ = X.shape[1]
        return self

    def predict_joint_log_proba(self, X):
        """``log Phi_i(x_t | theta_i) + log alpha_i`` = log P(x_t, Y = i), shape (n_samples, k)."""
        check_is_fitted(self, "predict_joint_log_proba")
        X = check_array(X, "X", n_features=self.n_features_in_, estimator="GaussianMixture")
        if check_algorithm(self.algorithm) == "textbook":
            return textbook.log_joint(X, self.weights_, self.means_, self.covariances_,
                                      self.covariance_type)
        log_phi = precisions.log_gaussian_prob(X, self.means_, self.precisions_cholesky_,
                                               self.covariance_type)
        with np.errstate(divide="ignore"):
            return log_phi + np.log(self.weights_)

    def score_samples(self, X):
        """``log f(x_t)`` for each row of ``X``, shape (n_samples,)."""
        check_is_fitted(self, "score_samples")
        return logsumexp(self.predict_joint_log_proba(X), axis=1)

    def predict_proba(self, X):
        """Responsibilities ``gamma_{t,i} = P(Y = i | x_t)``, shape (n_samples, k).

        Each row sums to 1.
        """
        check_is_fitted(self, "predict_proba")
        return np.exp(log_softmax(self.predict_joint_log_proba(X), axis=1))

    def predict(self, X):
        """Most probable component, ``argmax_i [log Phi_i(x) + log alpha_i]`` (equation (1))."""
        check_is_fitted(self, "predict")
        return np.argmax(self.predict_joint_log_proba(X), axis=1)

    def fit_predict(self, X, y=None):
        """Fit, then return the components of the training points."""
        return self.fit(X).predict(X)

    def bic(self, X):
        """Bayesian information criterion ``-2 log L + p log n`` (lower is better)."""
        check_is_fitted(self, "bic")
        n = check_array(X, "X").shape[0]
        return -2.0 * self.score(X) * n + self._n_parameters() * np.log(n)

    def aic(self, X):
        """Akaike information criterion ``-2 log L + 2 p`` (lower is better)."""
        check_is_fitted(self, "aic")
        n = check_array(X, "X").shape[0]
        return -2.0 * self.score(X) * n + 2.0 * self._n_parameters()

    def sample(self, n_samples=1, component=None, random_state=None):
        """Draw from the mixture, or from one component ``Phi_i``.

        Parameters
        ----------
        n_samples : int, default=1
        component : int or None, default=None
            None: ``Y ~ alpha`` then ``X | Y=i ~ Phi_i``; an int ``i``: only ``Phi_i``.
        random_state : None, int or numpy.random.Generator, default=None
            None uses (and advances) the model's own generator.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            In random order, never grouped by component.
        labels : ndarray of shape (n_samples,), dtype int64
            The component each row was drawn from.
        """
        check_is_fitted(self, "sample")
        n_samples = check_n_samples(n_samples, self.n_features_in_)
        k = self.means_.shape[0]
        if component is not None:
            component = check_scalar(component, "component", int, min_val=0, max_val=k - 1)
        # Both algorithms draw the same way: labels, then z, then x = mu_i + L_i z.
        return textbook.sample_mixture(n_samples, self.weights_, self.means_,
                                       self.covariances_, self.covariance_type,
                                       self._random_generator(random_state), component)

    def _n_parameters(self):
        check_is_fitted(self, "bic")
        k, d = self.means_.shape
        return textbook.n_parameters(self.covariance_type, k, d)

    def _check_params(self):
        """The hyper-parameters, checked (by fit, and by load for a model read from a file)."""
        checked = (check_scalar(self.n_components, "n_components", int, min_val=1),
                   check_choice(self.covariance_type, "covariance_type", COVARIANCE_TYPES),
                   check_scalar(self.tol, "tol", min_val=0.0),
                   check_scalar(self.reg_covar, "reg_covar", min_val=0.0),
                   check_scalar(self.max_iter, "max_iter", int, min_val=1),
                   check_scalar(self.n_init, "n_init", int, min_val=1),
                   check_algorithm(self.algorithm))
        check_choice(self.init_params, "init_params", ["kmeans", "k-means++", "random"])
        check_progress(self.progress)
        return checked

    def _check_fitted_state(self):
        """Called by ``load``: hyper-parameters, then alpha summing to 1, each Sigma_i positive definite."""
        k, kind = self._check_params()[:2]
        if not fitted_attributes(self, ["weights_", "means_", "covariances_", "precisions_",
                                        "precisions_cholesky_", "n_features_in_"]):
            return
        d = check_state_int(self.n_features_in_, "n_features_in_", min_val=1)
        check_state_probabilities(check_state_array(self.weights_, "weights_", shape=(k,)),
                                  "weights_")
        check_state_array(self.means_, "means_", shape=(k, d))
        shape = {"full": (k, d, d), "tied": (d, d), "diag": (k, d), "spherical": (k,)}[kind]
        for name in ("covariances_", "precisions_", "precisions_cholesky_"):
            value = check_state_array(getattr(self, name), name, shape=shape)
            if kind in ("diag", "spherical"):
                check_state_array(value, name, min_val=np.finfo(float).tiny)
            elif name != "precisions_cholesky_":
                check_state_positive_definite(value, name)
            elif not (np.diagonal(value, axis1=-2, axis2=-1) > 0).all():
                raise ValueError("precisions_cholesky_ must have a positive diagonal")


class _FastEM:
    """EM iterations of :mod:`~scratch_genmod.density.fast.gmm_em` on the data centred once for all starts."""

    def __init__(self, X, kind):
        self.data, self.shift = gmm_em.prepare_data(X, kind)

    def __call__(self, X, start, kind, reg, tol, max_iter, bar):
        """EM from one start ``(alpha, means, Sigma, precisions)``; the fitted attributes as a dict."""
        alpha, means, Sigma, given = start
        U, U_inv = precisions.precision_factors(Sigma, kind, reg) if given is None else \
            precisions.factors_from_precisions(given, kind)
        means = means - self.shift
        history, converged = [], False
        for _ in range(max_iter):
            ll, alpha, means, Sigma = gmm_em.em_iteration(self.data, alpha, means, U, U_inv,
                                                          kind, reg)
            U, U_inv = precisions.precision_factors(Sigma, kind, reg)
            history.append(ll)
            bar.update(ll=ll)
            if len(history) > 1 and abs(history[-1] - history[-2]) < tol:
                converged = True
                break
        return _attributes(alpha, means + self.shift, Sigma, U, converged, history)


def _run_textbook_em(X, start, kind, reg, tol, max_iter, bar):
    """EM from one start by ``textbook.em``; the fitted attributes as a dict."""
    alpha, means, Sigma, given = start
    if given is not None:
        Sigma = covariances_from_precisions(given, kind)
    alpha, means, Sigma, history = textbook.em(X, alpha, means, Sigma, kind, reg, max_iter, tol)
    for ll in history:
        bar.update(ll=ll)
    converged = len(history) > 1 and abs(history[-1] - history[-2]) < tol
    return _attributes(alpha, means, Sigma, textbook.precisions_cholesky(Sigma, kind),
                       converged, history)


def _attributes(alpha, means, Sigma, U, converged, history):
    return {"weights_": alpha, "means_": means, "covariances_": Sigma,
            "precisions_cholesky_": U, "converged_": converged, "n_iter_": len(history),
            "lower_bound_": history[-1], "log_likelihood_history_": history}


def select_n_components(X, candidates, criterion="bic", **params):
    """Fit a mixture for each candidate ``n_components``; keep the lowest criterion.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    candidates : iterable of int
    criterion : {"bic", "aic"}, default="bic"
    **params
        Other :class:`GaussianMixture` parameters (e.g. ``random_state``).

    Returns
    -------
    best : GaussianMixture
        The fitted model with the lowest criterion.
    table : list of dict
        One row per candidate: ``n_components``, ``bic``, ``aic`` and
        ``log_likelihood`` (mean per sample), in the order given.
    """
    X = check_array(X, "X")
    criterion = check_choice(criterion, "criterion", ["bic", "aic"])
    candidates = [check_scalar(c, "candidates", int, min_val=1) for c in candidates]
    if not candidates:
        raise ValueError("candidates must hold at least one number of components")
    best, table = None, []
    for m in candidates:
        model = GaussianMixture(n_components=m, **params).fit(X)
        row = {"n_components": m, "bic": float(model.bic(X)), "aic": float(model.aic(X)),
               "log_likelihood": model.score(X)}
        table.append(row)
        if best is None or row[criterion] < best[1]:
            best = (model, row[criterion])
    return best[0], table
