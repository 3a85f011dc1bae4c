"""Gaussian naive Bayes: the simplest generative classifier, in closed form.

"Naive" assumes the features independent given the class, so the class
density is a product of one-dimensional Gaussians (a Gaussian with a diagonal
covariance):

    P(x | y_i) = prod_j N(x_j | theta_ij, sigma2_ij)
    log P(x | y_i) = -1/2 sum_j [ log(2 pi sigma2_ij) + (x_j - theta_ij)^2 / sigma2_ij ]

Fitting is counting: theta_ij and sigma2_ij are the mean and (biased)
variance of feature j over the samples of class i, with no iteration.
"""

import numpy as np

from scratch_genmod.core.validation import check_scalar
from scratch_genmod.core.sizes import check_spread
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import check_state_array, fitted_attributes
from scratch_genmod.bayes import textbook
from scratch_genmod.bayes.bayes_rule import BayesRuleClassifier
from scratch_genmod.bayes.fast.naive_bayes import diagonal_gaussian_log_likelihood

__all__ = ["GaussianNB"]


@register_estimator
class GaussianNB(BayesRuleClassifier):
    """Gaussian naive Bayes classifier (diagonal Gaussian per class).

    Same numbers as :func:`scratch_genmod.bayes.textbook.fit_naive_bayes`
    (``theta_``, and ``var_`` less ``epsilon_``) and
    :func:`~scratch_genmod.bayes.textbook.naive_bayes_log_likelihood`.

    Parameters
    ----------
    priors : array-like of shape (n_classes,) or None, default=None
        P(Y = y_i) in the order of the sorted classes; None uses the class
        frequencies.
    var_smoothing : float, default=1e-9
        ``var_smoothing * max_j Var(x_j)`` is added to every variance, so a
        feature constant within a class (or a class of one sample) does not
        give a zero variance and an infinite density.
    random_state : None, int or numpy.random.Generator, default=None
        Seed of the generator :meth:`sample` uses.
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" fits with :func:`~scratch_genmod.bayes.textbook.fit_naive_bayes`,
        scores with :func:`~scratch_genmod.bayes.textbook.naive_bayes_log_likelihood`
        and :func:`~scratch_genmod.bayes.textbook.bayes_rule` (step through them
        in a debugger); "fast" gives the same numbers with
        :mod:`scratch_genmod.bayes.fast.naive_bayes`. Both sample with
        :func:`~scratch_genmod.bayes.textbook.sample_naive_bayes_class`.

    Attributes
    ----------
    theta_ : ndarray of shape (n_classes, n_features)
        Mean of each feature in each class.
    var_ : ndarray of shape (n_classes, n_features)
        Variance of each feature in each class, plus ``epsilon_``.
    epsilon_ : float
        The variance added: ``var_smoothing`` times the largest feature variance.
    classes_, class_count_, class_prior_ : ndarray of shape (n_classes,)
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[0.0, 1.0], [1.0, 1.0], [5.0, 3.0], [6.0, 5.0]])
    >>> model = GaussianNB().fit(X, [0, 0, 1, 1])
    >>> model.theta_
    array([[0.5, 1. ],
           [5.5, 4. ]])
    >>> model.predict([[0.2, 1.0], [5.0, 4.0]]).tolist()
    [0, 1]
    """

    def __init__(self, priors=None, var_smoothing=1e-9, random_state=None, algorithm="fast"):
        self.priors = priors
        self.var_smoothing = var_smoothing
        self.random_state = random_state
        self.algorithm = algorithm

    def fit(self, X, y):
        """Estimate each class's prior, means and variances.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Class labels (numbers or strings); at least 2 distinct.

        Returns
        -------
        self
        """
        smoothing = check_scalar(self.var_smoothing, "var_smoothing", min_val=0.0)
        textbook_path = self._textbook()
        X, y_index = self._fit_classes(X, y)
        check_spread(X)
        largest_variance = float(np.max(np.var(X, axis=0)))
        if largest_variance == 0.0:
            raise ValueError("X has the same value in every sample: every feature has zero "
                             "variance, so no class density can be estimated")
        self.epsilon_ = smoothing * largest_variance
        if textbook_path:
            _, _, self.theta_, sigma2 = textbook.fit_naive_bayes(X, y_index)
            self.var_ = sigma2 + self.epsilon_
        else:
            n_classes = len(self.classes_)
            self.theta_ = np.empty((n_classes, self.n_features_in_))
            self.var_ = np.empty((n_classes, self.n_features_in_))
            for i in range(n_classes):  # theta_yj, sigma2_yj: mean and variance per class
                X_i = X[y_index == i]
                self.theta_[i] = X_i.mean(axis=0)
                self.var_[i] = np.mean((X_i - self.theta_[i]) ** 2, axis=0) + self.epsilon_
        if not (self.var_ > 0).all():
            raise ValueError("a feature is constant within a class, giving it a zero variance; "
                             "use var_smoothing > 0")
        return self

    def _class_log_likelihood(self, X):
        if self._textbook():
            return textbook.naive_bayes_log_likelihood(X, self.theta_, self.var_)
        return diagonal_gaussian_log_likelihood(X, self.theta_, self.var_)

    def _sample_class(self, i, n, rng):
        return textbook.sample_naive_bayes_class(self.theta_[i], self.var_[i], n, rng)

    def _check_fitted_state(self):
        """Called by ``load``: var_smoothing, the classes, then finite means and variances > 0."""
        check_scalar(self.var_smoothing, "var_smoothing", min_val=0.0)
        self._textbook()  # checks algorithm
        if not fitted_attributes(self, ["classes_", "class_count_", "class_prior_", "theta_",
                                        "var_", "epsilon_", "n_features_in_"]):
            return
        c, d = self._check_class_state()
        check_state_array(self.theta_, "theta_", shape=(c, d))
        check_state_array(self.var_, "var_", shape=(c, d), min_val=np.finfo(float).tiny)
        check_scalar(self.epsilon_, "epsilon_", min_val=0.0)
