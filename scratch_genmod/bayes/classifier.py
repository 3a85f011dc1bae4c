"""What every probabilistic classifier of this package shares, generative or not.

A classifier here computes log P(y_i | x) for every class (``_log_posterior``);
the probabilities and the decision follow from it in one way only:

    P(y_i | x) = exp(log P(y_i | x)),    prediction = argmax_i log P(y_i | x).
"""

import numpy as np

from scratch_genmod.core.base import BaseEstimator, check_is_fitted
from scratch_genmod.core.mixins import ClassifierMixin
from scratch_genmod.core.validation import DataConversionWarning, check_array, check_same_length
from scratch_genmod.core.warning import warn_user
from scratch_genmod.bayes.tables import _check_discrete

__all__ = ["ProbabilisticClassifier", "check_classification_data", "check_labels"]


class ProbabilisticClassifier(ClassifierMixin, BaseEstimator):
    """Base giving ``predict_log_proba``, ``predict_proba``, ``predict`` and ``score``.

    ``score(X, y)`` is the accuracy (from :class:`ClassifierMixin`), as every
    scikit-learn tool expects of a classifier.

    A subclass sets ``classes_`` in ``fit`` and defines
    ``_log_posterior(X, method)``, which checks the model is fitted (naming
    ``method`` in the error) and returns log P(y_i | x) of shape
    (n_samples, n_classes).
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


def check_classification_data(X, y):
    """Check a training set for a classifier.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Labels, integers or strings, with at least 2 distinct values. A
        column (n_samples, 1) is read as ``y.ravel()``, with a warning.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
    classes : ndarray of shape (n_classes,)
        The sorted distinct labels.
    y_index : ndarray of shape (n_samples,)
        Position of each sample's label in ``classes``.
    """
    X = check_array(X, "X")
    y = check_labels(y)
    check_same_length(X=X, y=y)
    classes, y_index = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(f"y must hold at least 2 classes to classify, got only one class, "
                         f"{classes.tolist()}")
    return X, classes, y_index.ravel()


def check_labels(y):
    """Class labels as a 1-D array of integers, whole numbers or strings.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, 1)

    Returns
    -------
    y : ndarray of shape (n_samples,)
    """
    if y is None:
        raise ValueError("y is None: a classifier requires y to be passed, but the target y "
                         "is None; give one class label per sample")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        warn_user("A column-vector y was passed when a 1d array was expected; it is read "
                  "as y.ravel()", DataConversionWarning)
        y = y.ravel()
    if y.dtype.kind == "O":  # labels stored as objects: all strings, or numbers
        y = y.astype(str) if all(isinstance(v, str) for v in y.ravel()) \
            else check_array(y, "y", ndim=y.ndim)
    y = _check_discrete(y, "y", ndim=1)
    if y.dtype.kind == "f" and np.any(y != np.round(y)):
        raise ValueError(f"y holds non-integer numbers such as {float(y[y != np.round(y)][0])!r} "
                         "(Unknown label type: continuous): a classifier needs class labels; "
                         "use integers or strings, or a regression model")
    return y
