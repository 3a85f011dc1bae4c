"""The discriminative baseline as the course writes it: multinomial logistic regression.

    P(y_i | x) = softmax(x . w_i + b_i),
    J = -1/n sum_k log P(y_k | x_k) + alpha/2 ||W||^2,
    dJ/dW = 1/n X^T (P - Y) + alpha W,   dJ/db = 1/n sum_k (p_k - y_k).

:class:`~scratch_genmod.bayes.LogisticRegression` minimises the same J.
"""

import numpy as np

from scratch_genmod.core import check_array, check_scalar

__all__ = ['class_probabilities', 'log_loss', 'log_loss_gradient']


def class_probabilities(W, b, X):
    """``P(y_i | x_k) = exp(z_ki) / sum_j exp(z_kj)`` with ``z_k = x_k W + b``, shape (n_samples, n_classes).

    The softmax is computed after subtracting each row's largest score (the
    ratios are unchanged, and ``exp`` cannot overflow).

    Examples
    --------
    Scores 0 and log 3: probabilities 1/4 and 3/4.

    >>> class_probabilities(np.array([[0.0, np.log(3)]]), np.zeros(2), [[1.0]]).round(12).tolist()
    [[0.25, 0.75]]
    """
    X = check_array(X, "X")
    W = check_array(W, "W")
    b = check_array(b, "b", ndim=1)
    if W.shape[0] != X.shape[1] or b.shape != (W.shape[1],):
        raise ValueError(f"W and b must have shapes ({X.shape[1]}, n_classes) and (n_classes,), "
                         f"got {W.shape} and {b.shape}")
    return _softmax(X @ W + b)


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
    Z = X @ W + b
    # log P(y_i | x) = z_i - log sum_j exp(z_j), the largest z_j taken out of the sum
    # first: log of the softmax itself would give log 0 = -inf for a large score gap.
    z_max = Z.max(axis=1, keepdims=True)
    log_P = Z - z_max - np.log(np.sum(np.exp(Z - z_max), axis=1, keepdims=True))
    return float(-np.sum(Y * log_P) / len(X) + 0.5 * alpha * np.sum(W ** 2))


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
