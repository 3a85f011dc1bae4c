"""Putting data on one scale before its distances are squared.

Neighbours, ranks and t-SNE's P depend on the distances only up to one
common factor, so t-SNE and trustworthiness may work on any rescaled copy of
the data. They use the one on which the squares stay inside float64's range,
whatever the units of ``X`` (squared distances of data at 1e160 or 1e-160
overflow to inf or underflow to 0).
"""

import numpy as np

__all__ = ["unit_spread"]


def unit_spread(X):
    """``X`` centred and divided by its largest absolute entry (unchanged when all equal).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)

    Returns
    -------
    X_unit : ndarray of shape (n_samples, n_features)
        Centred, every entry in [-1, 1].

    Examples
    --------
    >>> unit_spread(np.array([[1e160], [3e160]])).ravel().tolist()
    [-1.0, 1.0]
    """
    X = X - X.mean(axis=0)
    largest = np.max(np.abs(X), initial=0.0)
    return X / largest if largest > 0 else X
