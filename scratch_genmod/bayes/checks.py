"""Input checks shared by the Bayes family: discrete samples, class labels, training sets.

The textbook (:mod:`.textbook`), the estimators and the probability tables
call these, so one bad input gets one message wherever it enters.

>>> check_labels(["cat", "dog", "cat"]).tolist()
['cat', 'dog', 'cat']
>>> check_labels([0.5, 1.0])
Traceback (most recent call last):
...
ValueError: y holds non-integer numbers such as 0.5 (Unknown label type: continuous): a classifier needs class labels; use integers or strings, or a regression model
"""

import numpy as np

from scratch_genmod.core.validation import DataConversionWarning, check_array, check_same_length
from scratch_genmod.core.state_checks import check_state_array, check_state_int
from scratch_genmod.core.warning import warn_user

__all__ = ["check_discrete", "check_labels", "check_classification_data", "check_fitted_classes",
           "ALGORITHMS"]

#: The values of every estimator's ``algorithm``: the fast path, or the textbook functions.
ALGORITHMS = ("fast", "textbook")


def check_discrete(values, name, ndim=(1, 2)):
    """Discrete samples: numbers (finite) or strings, 1-D (or 2-D rows of values).

    >>> check_discrete(["a", "b"], "x").tolist()
    ['a', 'b']
    """
    arr = np.asarray(values)
    # Numbers are checked as such (rank, emptiness, NaN/inf); strings only by shape.
    check_array(np.zeros(arr.shape) if arr.dtype.kind in "US" else arr, name, ndim=ndim)
    return arr


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
    y = check_discrete(y, "y", ndim=1)
    if y.dtype.kind == "f" and np.any(y != np.round(y)):
        raise ValueError(f"y holds non-integer numbers such as {float(y[y != np.round(y)][0])!r} "
                         "(Unknown label type: continuous): a classifier needs class labels; "
                         "use integers or strings, or a regression model")
    return y


def check_fitted_classes(classes, n_features):
    """Check ``classes_`` and ``n_features_in_`` of a classifier read from a file; returns (c, d).

    ``classes_`` is a 1-D array of at least 2 distinct labels (numbers or strings).
    """
    classes = check_state_array(classes, "classes_", kind="fiUb", ndim=1)
    if len(np.unique(classes)) != len(classes) or len(classes) < 2:
        raise ValueError(f"classes_ must hold at least 2 distinct labels, got {classes.tolist()}")
    return len(classes), check_state_int(n_features, "n_features_in_", min_val=1)
