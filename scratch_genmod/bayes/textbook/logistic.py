"""The discriminative baseline as the course writes it: multinomial logistic regression.

    P(y_i | x) = softmax(x . w_i + b_i),
    J = -1/n sum_k log P(y_k | x_k) + alpha/2 ||W||^2,
    dJ/dW = 1/n X^T (P - Y) + alpha W,   dJ/db = 1/n sum_k (p_k - y_k).

:class:`~scratch_genmod.bayes.LogisticRegression` minimises the same J.
"""

import numpy as np

from scratch_genmod.core import check_array, check_scalar

__all__ = ['log_loss', 'log_loss_gradient']


def log_loss(W, b, X, Y, alpha=0.0):
    """``J = -1/n sum_k sum_i Y_ki log P(y_i | x_k) + alpha/2 ||W||^2``, softmax of ``X W + b``.

    Parameters
    ----------
    W : array-like of shape (n_features, n_classes)
        One column ``w_i`` per class (for two classes, the library fixes
        ``w_0 = 0``: pass ``[0, w]``).
    b : array-like of shape (n_classes,)
    X : array-like of shape (n_samples, n_features)
    Y : array-like of shape (n_samples, n_classes)
        One-hot labels.
    alpha : float, default=0.0

    Examples
    --------
    At ``W = 0`` every class has ``P = 1/2``: ``J = log 2``.

    >>> bool(np.isclose(log_loss(np.zeros((1, 2)), np.zeros(2), [[1.0]], [[1.0, 0.0]]), np.log(2)))
    True
    """
    W, b, X, Y, alpha = _check_logistic(W, b, X, Y, alpha)
    P = _softmax(X @ W + b)
    return float(-np.sum(Y * np.log(P)) / len(X) + 0.5 * alpha * np.sum(W ** 2))


def log_loss_gradient(W, b, X, Y, alpha=0.0):
    """``dJ/dW = 1/n X^T (P - Y) + alpha W`` and ``dJ/db = 1/n sum_k (P_k - Y_k)``.

    Parameters are those of :func:`log_loss`; returns ``(grad_W, grad_b)`` of
    the shapes of ``W`` and ``b``.

    Examples
    --------
    One sample ``x = 2`` of class 0 at ``W = 0``: ``P - Y = (1/2 - 1, 1/2)``:

    >>> grad_W, grad_b = log_loss_gradient(np.zeros((1, 2)), np.zeros(2), [[2.0]], [[1.0, 0.0]])
    >>> grad_W.tolist(), grad_b.tolist()
    ([[-1.0, 1.0]], [-0.5, 0.5])
    """
    W, b, X, Y, alpha = _check_logistic(W, b, X, Y, alpha)
    residual = _softmax(X @ W + b) - Y  # "prediction minus truth"
    return X.T @ residual / len(X) + alpha * W, residual.sum(axis=0) / len(X)


def _softmax(Z):
    """``exp(z_i) / sum_j exp(z_j)`` per row, after subtracting the row's largest score."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _check_logistic(W, b, X, Y, alpha):
    X = check_array(X, "X")
    W = check_array(W, "W")
    b = check_array(b, "b", ndim=1)
    Y = check_array(Y, "Y")
    if W.shape[0] != X.shape[1] or b.shape != (W.shape[1],) or Y.shape != (len(X), W.shape[1]):
        raise ValueError(f"W, b and Y must have shapes ({X.shape[1]}, n_classes), (n_classes,) "
                         f"and ({len(X)}, n_classes); got {W.shape}, {b.shape} and {Y.shape}")
    return W, b, X, Y, check_scalar(alpha, "alpha", min_val=0.0)
