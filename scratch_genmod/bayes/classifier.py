"""What every probabilistic classifier of this package shares, generative or not.

A classifier here computes log P(y_i | x) for every class (``_log_posterior``);
the probabilities and the decision follow from it in one way only:

    P(y_i | x) = exp(log P(y_i | x)),    prediction = argmax_i log P(y_i | x).
"""

import numpy as np

from scratch_genmod.core.base import BaseEstimator, check_is_fitted
from scratch_genmod.core.mixins import ClassifierMixin

__all__ = ["ProbabilisticClassifier"]


class ProbabilisticClassifier(ClassifierMixin, BaseEstimator):
    """Base giving ``predict_log_proba``, ``predict_proba``, ``predict`` and ``score``.

    ``score(X, y)`` is the accuracy (from :class:`ClassifierMixin`), as every
    scikit-learn tool expects of a classifier.

    A subclass sets ``classes_`` in ``fit`` and defines
    ``_log_posterior(X, method)``, which checks the model is fitted (naming
    ``method`` in the error) and returns log P(y_i | x) of shape
    (n_samples, n_classes).

    Examples
    --------
    >>> class Coin(ProbabilisticClassifier):
    ...     def fit(self, X, y):
    ...         self.classes_ = np.array(["heads", "tails"])
    ...         return self
    ...     def _log_posterior(self, X, method):
    ...         return np.log(np.tile([0.7, 0.3], (len(X), 1)))
    >>> Coin().fit([[0.0]], ["heads"]).predict([[1.0], [2.0]]).tolist()
    ['heads', 'heads']
    """

    def predict_log_proba(self, X):
        """log P(y_i | x) for each sample and class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "predict_log_proba")
        return self._log_posterior(X, "predict_log_proba")

    def predict_proba(self, X):
        """P(y_i | x) for each sample and class; rows sum to 1.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "predict_proba")
        return np.exp(self._log_posterior(X, "predict_proba"))

    def predict(self, X):
        """The most probable class, argmax_i P(y_i | x).

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "predict")
        return self.classes_[np.argmax(self._log_posterior(X, "predict"), axis=1)]
