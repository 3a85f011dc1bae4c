"""The two solvers of logistic regression: Newton's method and accelerated gradient descent.

Both minimise the convex J(W, b) given by an :class:`Objective`: the fast
one (:mod:`scratch_genmod.bayes.fast.logistic_loss`) or the textbook's
(:func:`scratch_genmod.bayes.textbook.log_loss` and ``log_loss_gradient``),
so ``LogisticRegression(algorithm="textbook")`` takes the same steps on the
course's formulas. theta = [W; b] stacks the weights and the intercepts.

>>> X, Y = np.array([[-1.0], [1.0]]), np.eye(2)
>>> W, b, n_iter, converged = newton(np.zeros((1, 1)), np.zeros(1), X, fast_objective(X, Y, 1.0),
...                                  True, 50, 1e-12)
>>> converged, round(float(W[0, 0]), 6)          # J'(w) = w - 1/(1 + e^w) = 0 by symmetry
(True, 0.401058)
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from scratch_genmod.bayes import textbook
from scratch_genmod.bayes.fast.logistic_loss import class_scores, loss_and_gradient
from scratch_genmod.core.blas import blas_threads
from scratch_genmod.core.logmath import log_softmax

__all__ = ["Objective", "fast_objective", "textbook_objective", "newton", "accelerated_gradient"]


@dataclass(frozen=True)
class Objective:
    """What a solver needs of J: its value and gradient, and the class probabilities P.

    Attributes
    ----------
    loss : callable (W, b, gradient) -> (J, grad_W, grad_b)
        W of shape (n_features, n_free); the gradients None when not ``gradient``.
    probabilities : callable (W, b) -> ndarray of shape (n_samples, n_classes)
    alpha : float
        The L2 penalty, for the Hessian's diagonal.

    Examples
    --------
    At W = 0, b = 0 both classes have P = 1/2 and J = log 2:

    >>> objective = textbook_objective(np.array([[1.0]]), np.eye(2)[[1]], alpha=0.0)
    >>> round(objective.loss(np.zeros((1, 1)), np.zeros(1), gradient=False)[0], 6)
    0.693147
    """

    loss: Callable
    probabilities: Callable
    alpha: float


def fast_objective(X, Y, alpha):
    """J through :func:`~scratch_genmod.bayes.fast.logistic_loss.loss_and_gradient`."""
    return Objective(lambda W, b, gradient=True: loss_and_gradient(W, b, X, Y, alpha, gradient),
                     lambda W, b: np.exp(log_softmax(class_scores(W, b, X), axis=1)), alpha)


def textbook_objective(X, Y, alpha):
    """J through the textbook's ``log_loss``, ``log_loss_gradient`` and ``class_probabilities``.

    For two classes the textbook takes both columns, W = [0, w], b = [0, b];
    the gradient of the fixed column 0 is dropped.
    """
    def full(W, b):
        if W.shape[1] == 1:
            return np.column_stack([np.zeros(len(W)), W]), np.r_[0.0, b]
        return W, b

    def loss(W, b, gradient=True):
        J = textbook.log_loss(*full(W, b), X, Y, alpha)
        if not gradient:
            return J, None, None
        grad_W, grad_b = textbook.log_loss_gradient(*full(W, b), X, Y, alpha)
        F = W.shape[1]
        return J, grad_W[:, -F:], grad_b[-F:]

    return Objective(loss, lambda W, b: textbook.class_probabilities(*full(W, b), X), alpha)


def newton(W, b, X, objective, fit_intercept, max_iter, tol):
    """Newton's method on theta = [W; b], with a backtracking (Armijo) line search.

    Parameters
    ----------
    W, b : ndarray of shapes (n_features, n_free), (n_free,)
        The starting point.
    X : ndarray of shape (n_samples, n_features)
    objective : Objective
        J, its gradient and the probabilities P (for the Hessian).
    fit_intercept : bool
    max_iter : int
    tol : float
        Stop when the largest absolute entry of the gradient is <= tol.

    Returns
    -------
    W, b, n_iter, converged
    """
    (n, d), F = X.shape, W.shape[1]
    alpha = objective.alpha
    Xa = np.column_stack([X, np.ones(n)]) if fit_intercept else X
    penalty = np.tile(np.r_[np.full(d, alpha), np.zeros(Xa.shape[1] - d)], F)
    theta = _stack(W, b, fit_intercept)
    J, grad = _value(objective, theta, d)
    for iteration in range(1, max_iter + 1):
        if np.max(np.abs(grad)) <= tol:
            return *_split(theta, d), iteration - 1, True
        P = objective.probabilities(*_split(theta, d))[:, -F:]
        # Hessian block (k, l) = 1/n Xa^T diag(p_k (delta_kl - p_l)) Xa, + alpha on weights.
        H = np.block([[Xa.T @ (Xa * (P[:, [k]] * ((k == l) - P[:, [l]]))) / n
                       for l in range(F)] for k in range(F)])
        H[np.diag_indices_from(H)] += penalty
        g = grad.T.ravel()
        # A multinomial softmax is unchanged by adding one constant to every
        # score, so H is singular along that direction: a tiny ridge fixes it.
        ridge = 1e-12 * max(1.0, np.max(np.diag(H)))
        with blas_threads(1):  # a small system: see core.blas
            step = np.linalg.solve(H + ridge * np.eye(len(g)), g).reshape(F, -1).T
        found = _line_search(objective, theta, J, grad, step, d)
        if found is None:  # no step lowers J: the minimum, up to rounding
            break
        J, grad, theta = found
    return *_split(theta, d), iteration, bool(np.max(np.abs(grad)) <= tol)


def accelerated_gradient(W, b, X, objective, fit_intercept, max_iter, tol):
    """Nesterov's accelerated gradient with a backtracking estimate L of the curvature.

    Each step goes from the look-ahead point v by -grad/L, where L is doubled
    until J decreases by at least ||grad||^2 / (2L); momentum is reset
    whenever J goes up (adaptive restart). Parameters and returns as :func:`newton`.
    """
    d = X.shape[1]
    theta = _stack(W, b, fit_intercept)
    previous, v, t, L = theta, theta, 1.0, 1.0
    J_prev = _value(objective, theta, d, gradient=False)[0]
    for iteration in range(1, max_iter + 1):
        J_v, grad = _value(objective, v, d)
        if np.max(np.abs(grad)) <= tol:
            return *_split(v, d), iteration - 1, True
        while True:
            theta = v - grad / L
            J = _value(objective, theta, d, gradient=False)[0]
            if J <= J_v - 0.5 / L * np.sum(grad * grad) or L > 1e12:
                break
            L *= 2.0
        t_next = (1.0 + np.sqrt(1.0 + 4.0 * t * t)) / 2.0
        if J > J_prev:  # momentum overshot: restart from the plain gradient step
            t_next, previous = 1.0, theta
        v = theta + (t - 1.0) / t_next * (theta - previous)
        previous, t, J_prev = theta, t_next, J
    grad = _value(objective, theta, d)[1]
    return *_split(theta, d), max_iter, bool(np.max(np.abs(grad)) <= tol)


def _value(objective, theta, d, gradient=True):
    """J and its gradient (None unless ``gradient``) for theta = [W; b] of shape (d [+1], n_free)."""
    J, grad_W, grad_b = objective.loss(*_split(theta, d), gradient)
    if not gradient:
        return J, None
    return J, (np.vstack([grad_W, grad_b]) if theta.shape[0] > d else grad_W)


def _line_search(objective, theta, J, grad, step, d):
    """Halve the Newton step until J decreases enough (Armijo's condition); None if never."""
    slope = np.sum(grad * step)
    # Near the minimum J changes by less than its rounding: a step that leaves J
    # equal up to a few units in the last place is no rise (and the full Newton
    # step is taken), whichever way the last bit of J rounded.
    rounding = 8 * np.finfo(np.float64).eps * abs(J)
    t = 1.0
    for _ in range(60):
        candidate = theta - t * step
        J_new = _value(objective, candidate, d, gradient=False)[0]
        if J_new <= J - 1e-4 * t * slope + rounding:  # accepted: only now its gradient
            return J_new, _value(objective, candidate, d)[1], candidate
        t *= 0.5
    return None


def _stack(W, b, fit_intercept):
    """theta = [W; b] (shape (d + 1, n_free)), or W alone without an intercept."""
    return np.vstack([W, b]) if fit_intercept else W.copy()


def _split(theta, d):
    """(W, b) from theta; b = 0 when theta has no intercept row."""
    b = theta[d].copy() if theta.shape[0] > d else np.zeros(theta.shape[1])
    return theta[:d].copy(), b
