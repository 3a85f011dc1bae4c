"""Logistic regression's J and gradient over the free columns, one softmax for both.

For two classes class 0's score is fixed at 0, so W has one column; the
gradient is taken for the free columns only.

>>> X, Y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.eye(2)[[0, 0, 1, 1]]
>>> J, grad_W, grad_b = loss_and_gradient(np.zeros((1, 1)), np.zeros(1), X, Y, 0.0)
>>> round(J, 4), float(grad_W[0, 0]), float(grad_b[0])         # log 2, (0 + 1 - 2 - 3) / 8, 0
(0.6931, -0.5, 0.0)
"""

import numpy as np

from scratch_genmod.core.logmath import log_softmax
from scratch_genmod.core.products import matmul_in_parts, matmul_transposed_in_parts

__all__ = ["class_scores", "loss_and_gradient"]


def class_scores(W, b, X):
    """Scores z_i = x . w_i + b_i, shape (n_samples, n_classes); class 0 scores 0 with one column."""
    Z = matmul_in_parts(X, W) + b  # in parts (core.products): the same bits at any load
    return np.column_stack([np.zeros(len(X)), Z]) if W.shape[1] == 1 else Z


def loss_and_gradient(W, b, X, Y, alpha, gradient=True):
    """J = -1/n sum_k sum_i Y_ki log P(y_i | x_k) + alpha/2 ||W||^2 and dJ/dW, dJ/db.

    Same numbers as :func:`scratch_genmod.bayes.textbook.log_loss` and
    :func:`~scratch_genmod.bayes.textbook.log_loss_gradient` (for two classes,
    theirs with ``W = [0, w]``, ``b = [0, b]``, second column), from one log-softmax.

    Parameters
    ----------
    W : ndarray of shape (n_features, n_free)
        n_free = 1 for two classes, else n_classes.
    b : ndarray of shape (n_free,)
    X : ndarray of shape (n_samples, n_features)
    Y : ndarray of shape (n_samples, n_classes)
    alpha : float
    gradient : bool, default=True
        False computes J alone (a line search's trial point); the gradients are None.

    Returns
    -------
    J : float
    grad_W : ndarray of shape (n_features, n_free) or None
    grad_b : ndarray of shape (n_free,) or None
    """
    log_P = log_softmax(class_scores(W, b, X), axis=1)
    n = X.shape[0]
    loss = -np.sum(Y * log_P) / n + 0.5 * alpha * np.sum(W * W)
    if not gradient:
        return float(loss), None, None
    residual = (np.exp(log_P) - Y)[:, -W.shape[1]:] / n  # "prediction minus truth", free columns
    return float(loss), matmul_transposed_in_parts(X, residual) + alpha * W, residual.sum(axis=0)
