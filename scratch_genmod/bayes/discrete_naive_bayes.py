r"""Naive Bayes on discrete features: categorical and Bernoulli, classifiers that also draw.

The class densities are products of one smoothed table per feature
(:mod:`scratch_genmod.bayes.textbook.discrete_nb`):

    P(x | y_i) = prod_j P(x_j | y_i),
    categorical: P(x_j = k | y_i) = theta_{i,j,k} = (N_{i,j,k} + alpha) / (N_i + alpha K_j),
    Bernoulli:   P(x_j = 1 | y_i) = p_{i,j} = (N_{i,j} + alpha) / (N_i + 2 alpha).

Being generative, they also answer "what does class y look like?":
``sample(n, y=...)`` draws each feature from its table. scikit-learn's
CategoricalNB and BernoulliNB give the same log-probabilities for the same
alpha (the tests check it when scikit-learn is installed).
"""

import numpy as np

from scratch_genmod.core import check_scalar
from scratch_genmod.core.discrete import (
    check_binary, check_codes, draw_bernoulli, draw_categorical,
)
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import check_state_array, check_state_tables, fitted_attributes
from scratch_genmod.bayes.bayes_rule import BayesRuleClassifier
from scratch_genmod.bayes.fast import discrete_nb as fast
from scratch_genmod.bayes import textbook

__all__ = ["CategoricalNB", "BernoulliNB"]


@register_estimator
class CategoricalNB(BayesRuleClassifier):
    """Naive Bayes over categorical features coded 0..K_j - 1, with smoothing alpha.

    Parameters
    ----------
    alpha : float, default=1.0
        Added to every count (1: Laplace). 0 gives the raw frequencies, with
        which a value never seen in a class makes it impossible.
    min_categories : int, array-like of shape (n_features,) or None, default=None
        At least this many values per feature (values that may occur later
        without occurring in training); None: max value seen + 1.
    priors : array-like of shape (n_classes,) or None, default=None
        P(Y = y_i); None: the class frequencies.
    algorithm : {"fast", "textbook"}, default="fast"
    random_state : None, int or numpy.random.Generator, default=None
        Seed of the generator :meth:`sample` uses.

    Attributes
    ----------
    theta_ : list of ndarray, one of shape (n_classes, K_j) per feature
        theta_{i,j,k} = P(x_j = k | y_i).
    n_categories_ : ndarray of shape (n_features,), int
        K_j.
    classes_, class_count_, class_prior_ : ndarray of shape (n_classes,)
    n_features_in_ : int

    Examples
    --------
    Sky (0 clear, 1 cloudy) and wind (0 calm, 1 windy) of sunny and rainy days:

    >>> X = [[0, 0], [0, 1], [1, 1], [1, 1], [1, 0]]
    >>> model = CategoricalNB().fit(X, ["sun", "sun", "rain", "rain", "rain"])
    >>> model.theta_[0].tolist()      # sky | rain: (0+1)/(3+2), (3+1)/(3+2)
    [[0.2, 0.8], [0.75, 0.25]]
    >>> model.predict([[1, 1], [0, 0]]).tolist()
    ['rain', 'sun']
    >>> X_new, labels = model.sample(3, y="rain", random_state=0)
    >>> labels.tolist()
    ['rain', 'rain', 'rain']
    """

    def __init__(self, alpha=1.0, min_categories=None, priors=None, algorithm="fast",
                 random_state=None):
        self.alpha = alpha
        self.min_categories = min_categories
        self.priors = priors
        self.algorithm = algorithm
        self.random_state = random_state

    def fit(self, X, y):
        """Count the tables theta_{i,j,k} (smoothed by alpha) and the priors; returns self.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), whole numbers >= 0
        y : array-like of shape (n_samples,)
        """
        alpha = check_scalar(self.alpha, "alpha", min_val=0.0)
        use_book = self._textbook()
        X = check_codes(X, "X")
        _, y_index = self._fit_classes(X, y)
        K = X.max(axis=0) + 1
        if self.min_categories is not None:
            wanted = np.broadcast_to(np.asarray(self.min_categories), K.shape)
            if wanted.dtype.kind not in "iu" or (wanted < 1).any():
                raise ValueError(f"min_categories must be an int >= 1 or one per feature, got "
                                 f"{self.min_categories!r}")
            K = np.maximum(K, wanted)
        self.n_categories_ = K.astype(np.int64)
        fit = textbook.fit_categorical_nb if use_book else fast.categorical_tables
        self.theta_ = fit(X, y_index, len(self.classes_), self.n_categories_.tolist(), alpha)
        return self

    def _class_log_likelihood(self, X):
        X = check_codes(X, "X", self.n_categories_)
        if self._textbook():
            return textbook.categorical_nb_log_likelihood(X, self.theta_)
        return fast.categorical_log_likelihood_gathered(X, self.theta_)

    def _check_fitted_state(self):
        """Called by ``load``: alpha, the classes, then K_j and one table theta_j per feature."""
        check_scalar(self.alpha, "alpha", min_val=0.0)
        if not fitted_attributes(self, ["classes_", "class_count_", "class_prior_", "theta_",
                                        "n_categories_", "n_features_in_"]):
            return
        c, d = self._check_class_state()
        K = check_state_array(self.n_categories_, "n_categories_", kind="i", shape=(d,),
                              min_val=1)
        check_state_tables(self.theta_, "theta_", c, K)

    def _sample_class(self, i, n, rng):
        return draw_categorical(self.theta_, np.full(n, i), rng)


@register_estimator
class BernoulliNB(BayesRuleClassifier):
    """Naive Bayes over binary features, P(x_j = 1 | y_i) = p_{i,j}, with smoothing alpha.

    Parameters
    ----------
    alpha : float, default=1.0
        Added to every count (1: Laplace).
    binarize : float or None, default=0.0
        Features above this threshold count as 1, others as 0 (so pixel
        intensities can be given directly); None: X must hold 0 and 1 only.
    priors : array-like of shape (n_classes,) or None, default=None
    algorithm : {"fast", "textbook"}, default="fast"
    random_state : None, int or numpy.random.Generator, default=None

    Attributes
    ----------
    feature_prob_ : ndarray of shape (n_classes, n_features)
        p_{i,j}: for binarised digits, each row is the class's mean image.
    classes_, class_count_, class_prior_ : ndarray of shape (n_classes,)
    n_features_in_ : int

    Examples
    --------
    >>> X = [[1, 0, 1], [1, 1, 1], [0, 0, 1], [0, 1, 0]]
    >>> model = BernoulliNB(alpha=1.0).fit(X, [0, 0, 1, 1])
    >>> model.feature_prob_[0].tolist()     # (2+1)/(2+2), (1+1)/(2+2), (2+1)/(2+2)
    [0.75, 0.5, 0.75]
    >>> model.predict([[1, 0, 1]]).tolist()
    [0]
    """

    def __init__(self, alpha=1.0, binarize=0.0, priors=None, algorithm="fast",
                 random_state=None):
        self.alpha = alpha
        self.binarize = binarize
        self.priors = priors
        self.algorithm = algorithm
        self.random_state = random_state

    def fit(self, X, y):
        """Count p_{i,j} (smoothed by alpha) and the priors; returns self.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        """
        alpha = check_scalar(self.alpha, "alpha", min_val=0.0)
        use_book = self._textbook()
        X, y_index = self._fit_classes(X, y)
        X = self._binary(X)
        fit = textbook.fit_bernoulli_nb if use_book else fast.bernoulli_rates
        self.feature_prob_ = fit(X, y_index, len(self.classes_), alpha)
        return self

    def _binary(self, X):
        if self.binarize is None:
            try:
                return check_binary(X, "X")
            except ValueError as exc:
                raise ValueError(f"{exc}; or give binarize=threshold (binarize=None takes X "
                                 "as 0 and 1 already)") from None
        threshold = check_scalar(self.binarize, "binarize")
        return (X > threshold).astype(np.float64)

    def _class_log_likelihood(self, X):
        X = self._binary(X)
        if self._textbook():
            return textbook.bernoulli_nb_log_likelihood(X, self.feature_prob_)
        return fast.bernoulli_log_likelihood_matmul(X, self.feature_prob_)

    def _check_fitted_state(self):
        """Called by ``load``: alpha, binarize, the classes, then p_{i,j} in [0, 1]."""
        check_scalar(self.alpha, "alpha", min_val=0.0)
        if self.binarize is not None:
            check_scalar(self.binarize, "binarize")
        if not fitted_attributes(self, ["classes_", "class_count_", "class_prior_",
                                        "feature_prob_", "n_features_in_"]):
            return
        c, d = self._check_class_state()
        p = check_state_array(self.feature_prob_, "feature_prob_", shape=(c, d), min_val=0.0)
        if (p > 1).any():
            raise ValueError("feature_prob_ must hold probabilities <= 1")

    def _sample_class(self, i, n, rng):
        return draw_bernoulli(self.feature_prob_, np.full(n, i), rng)
