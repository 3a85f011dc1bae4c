"""The kinds of estimator, as scikit-learn names them: classifier, density, cluster, transformer.

A mixin gives what every estimator of its kind shares - the meaning of
``score`` above all, so that scikit-learn's tools (``GridSearchCV``,
``cross_val_score``) compare models the way they expect - and declares the
kind through ``__sklearn_tags__``. It goes *before* ``BaseEstimator`` in
the bases, as in scikit-learn: ``class GaussianNB(ClassifierMixin, BaseEstimator)``.

=================  ==========================================================
kind               ``score``
=================  ==========================================================
classifier         accuracy, the fraction of labels predicted right
density            mean log-likelihood ``(1/n) sum_t log f(x_t)`` (natural log)
=================  ==========================================================

>>> class Threshold(ClassifierMixin, BaseEstimator):
...     def __init__(self, at=0.0):
...         self.at = at
...     def fit(self, X, y):
...         self.classes_ = np.array([0, 1])
...         return self
...     def predict(self, X):
...         return (np.asarray(X)[:, 0] > self.at).astype(int)
>>> model = Threshold().fit([[0.0]], [0])
>>> model.score([[-1.0], [1.0], [2.0], [-3.0]], [0, 1, 0, 0])  # 3 right out of 4
0.75
"""

import importlib

import numpy as np

from scratch_genmod.core.base import BaseEstimator, check_is_fitted
from scratch_genmod.core.validation import check_sample_weight, check_same_length

__all__ = ["ClassifierMixin", "DensityMixin", "ClusterMixin", "TransformerMixin",
           "TextInputMixin"]


class ClassifierMixin:
    """A classifier: ``predict(X)`` gives labels; ``score`` is the accuracy.

    >>> class Sign(ClassifierMixin, BaseEstimator):
    ...     def fit(self, X, y):
    ...         self.classes_ = np.array([-1, 1])
    ...         return self
    ...     def predict(self, X):
    ...         return np.where(np.asarray(X)[:, 0] >= 0, 1, -1)
    >>> Sign().fit([[0.0]], [1]).score([[-2.0], [3.0]], [-1, -1])   # 1 right out of 2
    0.5
    """

    _estimator_type = "classifier"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.classifier_tags = _tags_module().ClassifierTags()
        tags.target_tags.required = True
        return tags

    def score(self, X, y, sample_weight=None):
        """Accuracy: the (weighted) fraction of samples whose label is predicted right.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            The true labels.
        sample_weight : array-like of shape (n_samples,) or None, default=None

        Returns
        -------
        accuracy : float in [0, 1]
        """
        check_is_fitted(self, "score")
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(f"y must be a 1-D array of labels of shape (n_samples,), got "
                             f"shape {y.shape}; use y.ravel() for a column")
        predicted = self.predict(X)
        check_same_length(X=predicted, y=y)
        w = check_sample_weight(sample_weight, len(y))
        return float(np.sum(w * (predicted == y)) / np.sum(w))


class DensityMixin:
    """A density estimator: ``score_samples(X)`` gives log f(x); ``score`` is their mean.

    >>> class Uniform01(DensityMixin, BaseEstimator):   # f(x) = 1 on [0, 1]
    ...     def fit(self, X, y=None):
    ...         self.n_features_in_ = 1
    ...         return self
    ...     def score_samples(self, X):
    ...         return np.zeros(len(X))                  # log 1
    >>> Uniform01().fit([[0.5]]).score([[0.1], [0.9]])
    0.0
    """

    _estimator_type = "DensityEstimator"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "density_estimator"
        return tags

    def score(self, X, y=None):
        """Mean log-likelihood ``(1/n) sum_t log f(x_t)`` of the rows of X (natural log).

        A mean, where scikit-learn's KernelDensity returns the sum: comparable
        across data sets of any size.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
            Present so that scikit-learn's tools can pass labels along.

        Returns
        -------
        score : float
        """
        check_is_fitted(self, "score")
        return float(np.mean(self.score_samples(X)))


class ClusterMixin:
    """A clustering: ``fit`` sets ``labels_``, each sample's cluster; the kind is "clusterer".

    >>> class Halves(ClusterMixin, BaseEstimator):
    ...     def fit(self, X, y=None):
    ...         self.labels_ = (np.asarray(X)[:, 0] > 0).astype(int)
    ...         return self
    >>> Halves().fit([[-1.0], [2.0]]).labels_.tolist(), Halves._estimator_type
    ([0, 1], 'clusterer')
    """

    _estimator_type = "clusterer"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "clusterer"
        return tags


class TransformerMixin:
    """A transformer: ``transform(X)`` maps samples to new features (declared to scikit-learn).

    >>> class Centre(TransformerMixin, BaseEstimator):
    ...     def fit(self, X, y=None):
    ...         self.mean_ = np.mean(X, axis=0)
    ...         return self
    ...     def transform(self, X):
    ...         return np.asarray(X) - self.mean_
    >>> Centre().fit([[1.0], [3.0]]).transform([[1.0], [3.0]]).ravel().tolist()
    [-1.0, 1.0]
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags = _tags_module().TransformerTags()
        return tags


class TextInputMixin:
    """A model of text or sequences, not of a 2-D array of numbers.

    scikit-learn's checks of arrays do not apply; those of parameters do.

    >>> class Words(TextInputMixin, BaseEstimator):
    ...     pass
    >>> Words().__sklearn_tags__ is not None   # read by scikit-learn only
    True
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array, tags.input_tags.string = False, True
        return tags


def _tags_module():
    # scikit-learn is imported only here, when scikit-learn itself asks for tags.
    return importlib.import_module("sklearn.utils")

