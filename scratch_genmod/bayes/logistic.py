"""Logistic regression: the discriminative baseline, which learns only P(Y | X).

The model gives each class i a score z_i = x . w_i + b_i and turns the scores
into probabilities with the softmax,

    P(Y = y_i | x) = exp(z_i) / sum_j exp(z_j).

With two classes only the difference of the scores matters, so class 0 keeps
z_0 = 0 and class 1 gets z = x . w + b: the softmax is then the logistic
sigmoid, P(Y = 1 | x) = 1 / (1 + exp(-z)).

Training minimises the cross-entropy between the observed labels and the
model, plus an L2 penalty on the weights (not on the intercepts):

    J(W, b) = -1/n sum_k log P(Y = y_k | x_k) + alpha/2 ||W||^2.

The first term is also the mean KL divergence between the empirical law
P(Y | X = x_k), all its mass on y_k, and the model's P(Y | X = x_k) (the
entropy of a one-point law being 0). Its gradient is the classic
"prediction minus truth":

    dJ/dW = 1/n X^T (P - Y) + alpha W,    dJ/db = 1/n sum_k (P_k - Y_k),

with Y the one-hot labels and P the predicted probabilities. J is convex, so
a deterministic solver finds its minimum: Newton's method for small problems,
accelerated gradient descent for large ones (see ``solver``).
"""

import numpy as np

from scratch_genmod.core.base import check_is_fitted
from scratch_genmod.core.logmath import log_softmax
from scratch_genmod.core.validation import (
    check_array, check_bool, check_choice, check_same_length, check_scalar,
)
from scratch_genmod.core.warning import warn_user
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import check_state_array, check_state_int, fitted_attributes
from scratch_genmod.bayes import textbook
from scratch_genmod.bayes.checks import (ALGORITHMS, check_classification_data, check_discrete,
                                         check_fitted_classes)
from scratch_genmod.bayes.classifier import ProbabilisticClassifier
from scratch_genmod.bayes.fast.logistic_loss import class_scores, loss_and_gradient
from scratch_genmod.bayes.solvers import (
    accelerated_gradient, fast_objective, newton, textbook_objective,
)

__all__ = ["LogisticRegression", "log_loss_and_gradient"]

# Newton's method stores a Hessian with (n_params)^2 entries: above this many
# parameters "auto" uses accelerated gradient descent instead.
NEWTON_MAX_PARAMS = 200


@register_estimator
class LogisticRegression(ProbabilisticClassifier):
    """Binary (sigmoid) and multinomial (softmax) logistic regression with L2 penalty.

    Parameters
    ----------
    alpha : float, default=1e-4
        Strength of the L2 penalty alpha/2 ||W||^2 (>= 0). With alpha = 0 and
        separable classes the weights grow without end: keep alpha > 0.
    fit_intercept : bool, default=True
        Learn the intercepts b (never penalised).
    solver : {"auto", "newton", "gradient"}, default="auto"
        "newton": Newton's method with a backtracking line search, exact to
        machine precision in a few iterations, but its Hessian has
        n_params^2 entries. "gradient": Nesterov-accelerated gradient descent
        with a backtracking step size, for many features. "auto" uses Newton
        when there are at most 200 parameters.
    max_iter : int, default=1000
        Maximum number of iterations of the solver.
    tol : float, default=1e-4
        Convergence test: stop when the largest absolute entry of the
        gradient of J (a mean over samples, so independent of n) is <= tol.
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" computes J, its gradient and the probabilities with
        :func:`~scratch_genmod.bayes.textbook.log_loss`,
        :func:`~scratch_genmod.bayes.textbook.log_loss_gradient` and
        :func:`~scratch_genmod.bayes.textbook.class_probabilities` (step through
        them in a debugger); "fast" gives the same numbers with
        :mod:`scratch_genmod.bayes.fast.logistic_loss`.

    Attributes
    ----------
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        w for two classes (the weights of class 1), else one row per class.
    intercept_ : ndarray of shape (1,) or (n_classes,)
    classes_ : ndarray of shape (n_classes,)
    n_iter_ : int
    converged_ : bool
        False if ``max_iter`` was reached first (a ``UserWarning`` says so).
    loss_ : float
        J at the solution.
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[-2.0], [-1.0], [-0.5], [0.5], [1.0], [2.0]])
    >>> model = LogisticRegression(alpha=0.1).fit(X, [0, 0, 1, 0, 1, 1])
    >>> model.predict([[-3.0], [3.0]]).tolist()
    [0, 1]
    >>> bool(model.converged_), np.round(model.predict_proba([[0.0]]), 2)
    (True, array([[0.5, 0.5]]))
    """

    def __init__(self, alpha=1e-4, fit_intercept=True, solver="auto", max_iter=1000, tol=1e-4,
                 algorithm="fast"):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.algorithm = algorithm

    def fit(self, X, y):
        """Minimise J(W, b) on (X, y).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Class labels (numbers or strings); at least 2 distinct.

        Returns
        -------
        self
        """
        alpha, max_iter, tol, solver, fit_intercept, algorithm = self._check_params()
        X, self.classes_, y_index = check_classification_data(X, y)
        n_classes = len(self.classes_)
        Y = np.eye(n_classes)[y_index]
        n_free = 1 if n_classes == 2 else n_classes
        W, b = np.zeros((X.shape[1], n_free)), np.zeros(n_free)
        if solver == "auto":
            solver = "newton" if W.size + b.size <= NEWTON_MAX_PARAMS else "gradient"
        objective = (textbook_objective if algorithm == "textbook" else fast_objective)(X, Y, alpha)
        run = newton if solver == "newton" else accelerated_gradient
        W, b, self.n_iter_, self.converged_ = run(W, b, X, objective, fit_intercept, max_iter,
                                                  tol)
        if not self.converged_:
            warn_user(f"LogisticRegression did not converge in max_iter={max_iter} "
                      f"iterations (gradient above tol={tol}); raise max_iter or alpha",
                      UserWarning)
        self.loss_ = objective.loss(W, b, gradient=False)[0]
        self.coef_, self.intercept_ = W.T.copy(), b
        self.n_features_in_ = X.shape[1]
        return self

    def log_likelihood(self, X, y):
        """Mean conditional log-likelihood, 1/n sum_k log P(Y = y_k | x_k) (no penalty).

        (``score(X, y)`` is the accuracy, as for every classifier.)
        """
        check_is_fitted(self, "log_likelihood")
        y = check_discrete(y, "y", ndim=1)
        log_proba = self._log_posterior(X, "log_likelihood")
        check_same_length(X=log_proba, y=y)
        unknown = ~np.isin(y, self.classes_)
        if unknown.any():
            raise ValueError(f"y holds labels never seen in fit, e.g. {y[unknown][0]!r}")
        columns = np.searchsorted(self.classes_, y)
        return float(np.mean(log_proba[np.arange(len(y)), columns]))

    def _log_posterior(self, X, method):
        """log softmax of the class scores x . w_i + b_i (the textbook: log of its softmax)."""
        check_is_fitted(self, method, ["coef_"])
        X = check_array(X, "X", n_features=self.n_features_in_, estimator="LogisticRegression")
        W, b = self.coef_.T, self.intercept_
        if check_choice(self.algorithm, "algorithm", ALGORITHMS) == "textbook":
            if W.shape[1] == 1:  # two classes: class 0's column is fixed at 0
                W, b = np.column_stack([np.zeros(len(W)), W]), np.r_[0.0, b]
            with np.errstate(divide="ignore"):  # a probability that underflows to 0: log 0
                return np.log(textbook.class_probabilities(W, b, X))
        return log_softmax(class_scores(W, b, X), axis=1)

    def _check_params(self):
        """The hyper-parameters, checked (by fit, and by load for a model read from a file)."""
        return (check_scalar(self.alpha, "alpha", min_val=0.0),
                check_scalar(self.max_iter, "max_iter", int, min_val=1),
                check_scalar(self.tol, "tol", min_val=0.0, include_min=False),
                check_choice(self.solver, "solver", ["auto", "newton", "gradient"]),
                check_bool(self.fit_intercept, "fit_intercept"),
                check_choice(self.algorithm, "algorithm", ALGORITHMS))

    def _check_fitted_state(self):
        """Called by ``load``: hyper-parameters, the classes, finite weights W and biases b."""
        self._check_params()
        if not fitted_attributes(self, ["classes_", "coef_", "intercept_", "n_iter_",
                                        "converged_", "loss_", "n_features_in_"]):
            return
        c, d = check_fitted_classes(self.classes_, self.n_features_in_)
        n_free = 1 if c == 2 else c
        check_state_array(self.coef_, "coef_", shape=(n_free, d))
        check_state_array(self.intercept_, "intercept_", shape=(n_free,))
        check_state_int(self.n_iter_, "n_iter_")
        check_bool(self.converged_, "converged_")
        check_scalar(self.loss_, "loss_", min_val=0.0)


def log_loss_and_gradient(W, b, X, Y, alpha):
    """J(W, b) and its gradient: the objective logistic regression minimises.

    Checks its inputs, then :func:`scratch_genmod.bayes.fast.logistic_loss.loss_and_gradient`:
    same numbers as :func:`scratch_genmod.bayes.textbook.log_loss` and
    :func:`~scratch_genmod.bayes.textbook.log_loss_gradient` (for two
    classes, theirs with ``W = [0, w]``, ``b = [0, b]``, second column).

    Parameters
    ----------
    W : ndarray of shape (n_features, n_free)
        n_free = 1 for two classes (class 0's score is fixed at 0), else n_classes.
    b : ndarray of shape (n_free,)
    X : ndarray of shape (n_samples, n_features)
    Y : ndarray of shape (n_samples, n_classes)
        One-hot labels (or any rows of probabilities: soft labels).
    alpha : float
        L2 penalty strength.

    Returns
    -------
    loss : float
        -1/n sum_k sum_i Y_ki log P(y_i | x_k) + alpha/2 ||W||^2.
    grad_W : ndarray of shape (n_features, n_free)
    grad_b : ndarray of shape (n_free,)

    Examples
    --------
    At W = 0 every P = 1/2: J = log 2, dJ/dW = 1/4 (0 + 1 - 2 - 3) / 2, dJ/db = 0.

    >>> X, Y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.eye(2)[[0, 0, 1, 1]]
    >>> J, grad_W, grad_b = log_loss_and_gradient(np.zeros((1, 1)), np.zeros(1), X, Y, 0.0)
    >>> round(J, 4), float(grad_W[0, 0]), float(grad_b[0])
    (0.6931, -0.5, 0.0)
    """
    X = check_array(X, "X")
    W = check_array(W, "W")
    if W.shape[0] != X.shape[1]:
        raise ValueError(f"W must have one row per feature of X ({X.shape[1]}), got {W.shape[0]}")
    b = check_array(b, "b", ndim=1)
    Y = check_array(Y, "Y")
    n_classes = 2 if W.shape[1] == 1 else W.shape[1]
    if b.shape != (W.shape[1],) or Y.shape != (X.shape[0], n_classes):
        raise ValueError(f"b must have shape ({W.shape[1]},) and Y ({X.shape[0]}, {n_classes}) "
                         f"to match W and X, got {b.shape} and {Y.shape}")
    alpha = check_scalar(alpha, "alpha", min_val=0.0)
    return loss_and_gradient(W, b, X, Y, alpha)
