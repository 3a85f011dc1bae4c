r"""Mixtures of discrete data fitted by EM: BernoulliMixture and CategoricalMixture.

f(x) = sum_i alpha_i Phi_i(x | theta_i) with Phi_i a product of independent
Bernoulli laws (binary data: binarised digits, where each mu_i is a
prototype image) or categorical laws (survey answers, the course's tables).
The formulas are :mod:`scratch_genmod.density.textbook.discrete_mixture`;
``algorithm="fast"`` (default) computes them with matrix products
(:mod:`scratch_genmod.density.fast.discrete_mixture`), "textbook" with the
textbook's loops. Scores are natural logs; ``score`` is the mean per sample.
"""

import numpy as np

from scratch_genmod.core import (
    BaseEstimator,
    check_is_fitted,
    check_scalar,
    log_softmax,
    logsumexp,
)
from scratch_genmod.core.sizes import check_n_samples
from scratch_genmod.core.discrete import (
    check_binary, check_codes, draw_bernoulli, draw_categorical,
)
from scratch_genmod.core.mixins import DensityMixin
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import (
    check_state_array,
    check_state_int,
    check_state_probabilities,
    check_state_tables,
    fitted_attributes,
)
from scratch_genmod.core.warning import warn_not_converged
from scratch_genmod.density.checks import check_algorithm
from scratch_genmod.density.fast import discrete_mixture as fast
from scratch_genmod.density.textbook import discrete_mixture as book

__all__ = ["BernoulliMixture", "CategoricalMixture"]


class _DiscreteMixture(DensityMixin, BaseEstimator):
    """EM, scores, decisions and sampling shared by the two discrete mixtures."""

    def __init__(self, n_components=1, tol=1e-4, max_iter=100, n_init=1, algorithm="fast",
                 random_state=None):
        self.n_components = n_components
        self.tol = tol
        self.max_iter = max_iter
        self.n_init = n_init
        self.algorithm = algorithm
        self.random_state = random_state

    def fit(self, X, y=None):
        """EM from ``n_init`` random starts (random responsibilities), keeping the most likely.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        """
        m = check_scalar(self.n_components, "n_components", int, min_val=1)
        tol = check_scalar(self.tol, "tol", min_val=0.0)
        max_iter = check_scalar(self.max_iter, "max_iter", int, min_val=1)
        n_init = check_scalar(self.n_init, "n_init", int, min_val=1)
        use_book = check_algorithm(self.algorithm) == "textbook"
        X = self._check_fit_data(X)
        if m > X.shape[0]:
            raise ValueError(f"n_components={m} must be <= n_samples={X.shape[0]}")
        rng = self._random_generator()
        best = None
        for _ in range(n_init):
            gamma = rng.dirichlet(np.ones(m), size=X.shape[0])
            params = self._m_step(X, gamma, use_book)
            history, converged = [], False
            for _ in range(max_iter):
                gamma, mean_log_f = book.mixture_e_step(self._log_phi(X, params, use_book),
                                                        params[0])
                history.append(mean_log_f)
                params = self._m_step(X, gamma, use_book)
                if len(history) > 1 and abs(history[-1] - history[-2]) < tol:
                    converged = True
                    break
            if best is None or history[-1] > best[1][-1]:
                best = (params, history, converged)
        params, history, converged = best
        if not converged:
            warn_not_converged("EM", max_iter, tol)
        self.weights_ = params[0]
        self._set_components(params[1])
        self.log_likelihood_history_, self.lower_bound_ = history, history[-1]
        self.converged_, self.n_iter_ = converged, len(history)
        self.n_features_in_ = X.shape[1]
        return self

    def predict_joint_log_proba(self, X):
        """log alpha_i + log Phi_i(x_t), shape (n_samples, n_components)."""
        check_is_fitted(self, "predict_joint_log_proba", ["weights_"])
        X = self._check_data(X)
        with np.errstate(divide="ignore"):
            return (self._log_phi(X, (self.weights_, self._components()),
                                  self.algorithm == "textbook") + np.log(self.weights_))

    def score_samples(self, X):
        """log f(x_t) for each row of X, shape (n_samples,)."""
        check_is_fitted(self, "score_samples", ["weights_"])
        return logsumexp(self.predict_joint_log_proba(X), axis=1)

    def predict_proba(self, X):
        """gamma_{t,i} = P(component i | x_t), rows summing to 1."""
        check_is_fitted(self, "predict_proba", ["weights_"])
        return np.exp(log_softmax(self.predict_joint_log_proba(X), axis=1))

    def predict(self, X):
        """The most probable component of each row, argmax_i [log alpha_i + log Phi_i(x)]."""
        check_is_fitted(self, "predict", ["weights_"])
        return np.argmax(self.predict_joint_log_proba(X), axis=1)

    def bic(self, X):
        """Bayesian information criterion -2 log L + p log n (lower is better)."""
        check_is_fitted(self, "bic", ["weights_"])
        n = len(self._check_data(X))
        p = len(self.weights_) - 1 + self._n_component_parameters()
        return -2.0 * self.score(X) * n + p * np.log(n)

    def _check_fitted_state(self):
        """Called by ``load``: the hyper-parameters, the weights, then the components."""
        m = check_scalar(self.n_components, "n_components", int, min_val=1)
        check_algorithm(self.algorithm)
        if not fitted_attributes(self, ["weights_", "n_features_in_"] + self._state_names):
            return
        check_state_probabilities(check_state_array(self.weights_, "weights_", shape=(m,)),
                                  "weights_")
        self._check_component_state(m, check_state_int(self.n_features_in_, "n_features_in_",
                                                       min_val=1))

    def sample(self, n_samples=1, component=None, random_state=None):
        """Draw from the mixture, or from one component Phi_i.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features), in random order
        labels : ndarray of shape (n_samples,), int64, the component of each row
        """
        check_is_fitted(self, "sample", ["weights_"])
        n = check_n_samples(n_samples, self.n_features_in_)
        m = len(self.weights_)
        rng = self._random_generator(random_state)
        if component is None:
            labels = rng.choice(m, size=n, p=self.weights_ / self.weights_.sum())
        else:
            component = check_scalar(component, "component", int, min_val=0, max_val=m - 1)
            labels = np.full(n, component)
        return self._draw(labels.astype(np.int64), rng), labels.astype(np.int64)


@register_estimator
class BernoulliMixture(_DiscreteMixture):
    """Mixture of products of Bernoulli laws, Phi_i(x) = prod_j mu_{i,j}^{x_j} (1 - mu_{i,j})^{1-x_j}.

    Parameters
    ----------
    n_components : int, default=1
    tol : float, default=1e-4
        Stop when the mean log-likelihood per sample changes by less.
    max_iter : int, default=100
    n_init : int, default=1
    algorithm : {"fast", "textbook"}, default="fast"
    random_state : None, int or numpy.random.Generator, default=None

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
        alpha_i.
    means_ : ndarray of shape (n_components, n_features)
        mu_{i,j} = P(x_j = 1 | component i): on binarised digits, a prototype image each.
    log_likelihood_history_ : list of float
        Mean log-likelihood at each E-step (never decreasing).
    lower_bound_ : float
    converged_ : bool
    n_iter_ : int
    n_features_in_ : int

    Examples
    --------
    Bars of a 2 x 2 image: the top row lit, or the bottom row lit.

    >>> X = np.array([[1, 1, 0, 0]] * 20 + [[0, 0, 1, 1]] * 20)
    >>> model = BernoulliMixture(n_components=2, random_state=0).fit(X)
    >>> sorted(model.means_.round(2).tolist())
    [[0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0]]
    >>> X_new, labels = model.sample(3, component=0, random_state=0)
    >>> bool((X_new == model.means_[0].round()).all())
    True
    """

    _state_names = ["means_"]

    def _check_fit_data(self, X):
        return check_binary(X, "X")

    def _check_component_state(self, m, d):
        mu = check_state_array(self.means_, "means_", shape=(m, d), min_val=0.0)
        if (mu > 1).any():
            raise ValueError("means_ must hold probabilities <= 1")

    def _check_data(self, X):
        X = check_binary(X, "X")
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but BernoulliMixture is expecting "
                             f"{self.n_features_in_} features as input")
        return X

    def _log_phi(self, X, params, use_book):
        return (book.bernoulli_log_phi if use_book else fast.bernoulli_log_phi_matmul)(X,
                                                                                       params[1])

    def _m_step(self, X, gamma, use_book):
        return (book.bernoulli_m_step if use_book else fast.bernoulli_m_step_matmul)(X, gamma)

    def _set_components(self, mu):
        self.means_ = mu

    def _components(self):
        return self.means_

    def _n_component_parameters(self):
        return self.means_.size

    def _draw(self, labels, rng):
        return draw_bernoulli(self.means_, labels, rng)


@register_estimator
class CategoricalMixture(_DiscreteMixture):
    """Mixture of products of categorical laws, Phi_i(x) = prod_j theta_{i,j,x_j}.

    Features are coded 0..K_j - 1 (K_j = the largest value seen + 1).

    Parameters
    ----------
    n_components : int, default=1
    tol : float, default=1e-4
    max_iter : int, default=100
    n_init : int, default=1
    algorithm : {"fast", "textbook"}, default="fast"
    random_state : None, int or numpy.random.Generator, default=None

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
    theta_ : list of ndarray, one of shape (n_components, K_j) per feature
    n_categories_ : ndarray of shape (n_features,), int
    log_likelihood_history_ : list of float
    lower_bound_ : float
    converged_ : bool
    n_iter_ : int
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[0, 2]] * 30 + [[1, 0]] * 10)
    >>> model = CategoricalMixture(n_components=2, random_state=0).fit(X)
    >>> sorted(model.weights_.round(2).tolist())
    [0.25, 0.75]
    >>> X_new, _ = model.sample(4, component=int(np.argmax(model.weights_)), random_state=0)
    >>> X_new.tolist()
    [[0, 2], [0, 2], [0, 2], [0, 2]]
    """

    _state_names = ["theta_", "n_categories_"]

    def _check_component_state(self, m, d):
        K = check_state_array(self.n_categories_, "n_categories_", kind="i", shape=(d,),
                              min_val=1)
        check_state_tables(self.theta_, "theta_", m, K, probabilities=False)

    def _check_fit_data(self, X):
        X = check_codes(X, "X")
        self.n_categories_ = (X.max(axis=0) + 1).astype(np.int64)
        return X

    def _check_data(self, X):
        return check_codes(X, "X", self.n_categories_.tolist())

    def _log_phi(self, X, params, use_book):
        return (book.categorical_log_phi if use_book
                else fast.categorical_log_phi_gathered)(X, params[1])

    def _m_step(self, X, gamma, use_book):
        step = book.categorical_m_step if use_book else fast.categorical_m_step_onehot
        return step(X, gamma, self.n_categories_.tolist())

    def _set_components(self, theta):
        self.theta_ = theta

    def _components(self):
        return self.theta_

    def _n_component_parameters(self):
        return int(len(self.weights_) * np.sum(self.n_categories_ - 1))

    def _draw(self, labels, rng):
        return draw_categorical(self.theta_, labels, rng)
