"""Generative vs discriminative models as the course writes them, in plain NumPy.

The front door of the family. Each function is one formula, on plain
probabilities (no log-space tricks unless the formula is a log), and the
fast layer (:mod:`.tables`, :mod:`.bayes_rule`, :mod:`.naive_bayes`,
:mod:`.generative`, :mod:`.logistic`) gives the same numbers:

    P(X=x, Y=y) = N(x, y) / n,   P(x) = sum_y P(x, y),   P(y | x) = P(x, y) / P(x),
    Bayes' rule:  P(y | x) = P(x | y) P(y) / sum_y' P(x | y') P(y'),
    generative decision:  argmax_y  log P(x | y) + log P(y),
    discriminative:  P(y_i | x) = softmax(x . w_i + b_i),
        J = -1/n sum_k log P(y_k | x_k) + alpha/2 ||W||^2.

Tables are laid out as in :mod:`.tables`: ``P[x, y]`` one row per value of
``x``; ``P(X | Y)`` one row per ``y``.
"""

import numpy as np

from scratch_genmod.core import check_array, check_same_length, check_scalar
from scratch_genmod.bayes.tables import _check_discrete

__all__ = ["count_pairs", "joint", "marginal_x", "marginal_y", "y_given_x", "x_given_y",
           "bayes_rule", "generative_decision", "fit_gaussians", "gaussian_log_density",
           "gaussian_posterior", "fit_naive_bayes", "naive_bayes_log_likelihood",
           "log_loss", "log_loss_gradient"]


def count_pairs(x, y):
    """``N[a, b] = #{k : x_k = a-th value, y_k = b-th value}``, over the sorted distinct values.

    Parameters
    ----------
    x, y : array-like of shape (n_samples,)
        Paired discrete values (numbers or strings).

    Returns
    -------
    N : ndarray of shape (n_distinct_x, n_distinct_y)

    Examples
    --------
    >>> count_pairs([1, 1, 2, 2], [0, 0, 0, 1]).tolist()
    [[2.0, 0.0], [1.0, 1.0]]
    """
    x = _check_discrete(x, "x", ndim=1)
    y = _check_discrete(y, "y", ndim=1)
    check_same_length(x=x, y=y)
    x_values, y_values = sorted(set(x.tolist())), sorted(set(y.tolist()))
    N = np.zeros((len(x_values), len(y_values)))
    for a, b in zip(x.tolist(), y.tolist()):  # one tally mark per observed pair
        N[x_values.index(a), y_values.index(b)] += 1
    return N


def joint(N):
    """``P(x, y) = N(x, y) / n`` from a table of counts of shape (n_x, n_y).

    >>> joint([[2, 0], [1, 1]]).tolist()
    [[0.5, 0.0], [0.25, 0.25]]
    """
    N = _check_table(N, "N")
    return N / N.sum()


def marginal_x(P):
    """``P(x) = sum_y P(x, y)``, shape (n_x,), from a joint table of shape (n_x, n_y).

    >>> marginal_x([[0.5, 0.0], [0.25, 0.25]]).tolist()
    [0.5, 0.5]
    """
    return _check_table(P, "P").sum(axis=1)


def marginal_y(P):
    """``P(y) = sum_x P(x, y)``, shape (n_y,), from a joint table of shape (n_x, n_y).

    >>> marginal_y([[0.5, 0.0], [0.25, 0.25]]).tolist()
    [0.75, 0.25]
    """
    return _check_table(P, "P").sum(axis=0)


def y_given_x(P):
    """``P(y | x) = P(x, y) / P(x)``: shape (n_x, n_y), each row sums to 1.

    >>> y_given_x([[0.5, 0.0], [0.25, 0.25]]).tolist()
    [[1.0, 0.0], [0.5, 0.5]]
    """
    P = _check_table(P, "P")
    return P / marginal_x(P)[:, None]


def x_given_y(P):
    """``P(x | y) = P(x, y) / P(y)``: one row per ``y``, shape (n_y, n_x), each row sums to 1.

    >>> (x_given_y([[0.5, 0.0], [0.25, 0.25]]) * 3).tolist()
    [[2.0, 1.0], [0.0, 3.0]]
    """
    P = _check_table(P, "P")
    return (P / marginal_y(P)[None, :]).T


def bayes_rule(likelihood, prior):
    """``P(y | x) = P(x | y) P(y) / sum_y' P(x | y') P(y')``.

    Parameters
    ----------
    likelihood : array-like of shape (n_y, n_x)
        ``P(x | y)``, one row per ``y`` (as :func:`x_given_y`).
    prior : array-like of shape (n_y,)
        ``P(y)``.

    Returns
    -------
    posterior : ndarray of shape (n_x, n_y)
        ``P(y | x)``, one row per ``x``.

    Examples
    --------
    The counts of :func:`count_pairs`: ``P(x | y=0) = (2/3, 1/3)``,
    ``P(x | y=1) = (0, 1)``, ``P(y) = (3/4, 1/4)``. For ``x = 2``:
    ``(1/3 * 3/4) / (1/3 * 3/4 + 1 * 1/4) = 1/2``:

    >>> bayes_rule([[2 / 3, 1 / 3], [0.0, 1.0]], [0.75, 0.25]).round(12).tolist()
    [[1.0, 0.0], [0.5, 0.5]]
    """
    likelihood = _check_table(likelihood, "likelihood")
    prior = check_array(prior, "prior", ndim=1)
    if prior.shape != (likelihood.shape[0],):
        raise ValueError(f"prior must have one entry per row of likelihood "
                         f"({likelihood.shape[0]}), got {prior.shape[0]}")
    numerator = likelihood.T * prior  # P(x | y) P(y), one row per x
    return numerator / numerator.sum(axis=1, keepdims=True)


def generative_decision(log_likelihood, log_prior):
    """The most probable class, ``argmax_y log P(x | y) + log P(y)`` (no normalising needed).

    Parameters
    ----------
    log_likelihood : array-like of shape (n_samples, n_classes)
        ``log P(x | y)`` of each sample under each class density.
    log_prior : array-like of shape (n_classes,)

    Returns
    -------
    index : ndarray of shape (n_samples,)
        The position of the chosen class.

    Examples
    --------
    ``0.2 * 0.3 = 0.06 < 0.1 * 0.7 = 0.07``: the prior tips it to class 1.

    >>> generative_decision(np.log([[0.2, 0.1]]), np.log([0.3, 0.7])).tolist()
    [1]
    """
    log_likelihood = check_array(log_likelihood, "log_likelihood", allow_nonfinite=True)
    log_prior = check_array(log_prior, "log_prior", ndim=1, allow_nonfinite=True)
    if log_prior.shape != (log_likelihood.shape[1],):
        raise ValueError(f"log_prior must have one entry per class "
                         f"({log_likelihood.shape[1]}), got {log_prior.shape[0]}")
    return np.argmax(log_likelihood + log_prior, axis=1)


def fit_gaussians(X, y):
    """Maximum-likelihood Gaussian per class: ``P(y)``, ``mu_y`` and ``Sigma_y``.

    ``P(y) = n_y / n``, ``mu_y = 1/n_y sum_{k: y_k = y} x_k``,
    ``Sigma_y = 1/n_y sum_{k: y_k = y} (x_k - mu_y)(x_k - mu_y)^T`` (divided
    by ``n_y``, not ``n_y - 1``: the maximum of the likelihood).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)

    Returns
    -------
    classes : list of length n_classes
        The sorted labels.
    priors : ndarray of shape (n_classes,)
    means : ndarray of shape (n_classes, n_features)
    covariances : ndarray of shape (n_classes, n_features, n_features)

    Examples
    --------
    >>> classes, priors, means, covs = fit_gaussians([[0.0], [2.0], [4.0], [6.0]], "aabb")
    >>> classes, priors.tolist(), means.ravel().tolist(), covs.ravel().tolist()
    (['a', 'b'], [0.5, 0.5], [1.0, 5.0], [1.0, 1.0])
    """
    X = check_array(X, "X")
    y = _check_discrete(list(y) if isinstance(y, str) else y, "y", ndim=1)
    check_same_length(X=X, y=y)
    classes = sorted(set(y.tolist()))
    priors, means, covariances = [], [], []
    for label in classes:
        X_y = X[y == label]
        mu = X_y.mean(axis=0)
        priors.append(len(X_y) / len(X))
        means.append(mu)
        covariances.append((X_y - mu).T @ (X_y - mu) / len(X_y))
    return classes, np.array(priors), np.array(means), np.array(covariances)


def gaussian_log_density(X, mean, covariance):
    """``log N(x | mu, Sigma) = -1/2 [d log 2 pi + log det Sigma + (x - mu)^T Sigma^-1 (x - mu)]``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    mean : array-like of shape (n_features,)
    covariance : array-like of shape (n_features, n_features)

    Returns
    -------
    log_density : ndarray of shape (n_samples,)

    Examples
    --------
    At the mean of ``N(0, diag(1, 4))``: ``-1/2 (2 log 2 pi + log 4) = -log 2 pi - log 2``:

    >>> value = gaussian_log_density([[0.0, 0.0]], [0.0, 0.0], [[1.0, 0.0], [0.0, 4.0]])[0]
    >>> bool(np.isclose(value, -np.log(2 * np.pi) - np.log(2)))
    True
    """
    X = check_array(X, "X")
    mean = check_array(mean, "mean", ndim=1)
    covariance = check_array(covariance, "covariance")
    d = X.shape[1]
    if mean.shape != (d,) or covariance.shape != (d, d):
        raise ValueError(f"mean and covariance must have shapes ({d},) and ({d}, {d}) to "
                         f"match X, got {mean.shape} and {covariance.shape}")
    sign, log_det = np.linalg.slogdet(covariance)
    if sign <= 0:
        raise ValueError("covariance must be positive definite")
    diff = X - mean
    maha = np.sum(diff * np.linalg.solve(covariance, diff.T).T, axis=1)  # (x-mu)^T Sigma^-1 (x-mu)
    return -0.5 * (d * np.log(2 * np.pi) + log_det + maha)


def gaussian_posterior(X, priors, means, covariances):
    """``P(y | x)`` by Bayes' rule with Gaussian class densities, shape (n_samples, n_classes).

    The densities are multiplied by the priors after subtracting, per sample,
    the largest log-density: a common factor that Bayes' rule cancels, and
    that keeps ``exp`` from underflowing to 0/0.

    Examples
    --------
    With the classes of :func:`fit_gaussians`, ``x = 1`` sits at ``mu_a`` and
    4 away from ``mu_b`` (unit variances): the density ratio is
    ``e^{-(4^2 - 0)/2} = e^{-8}``; ``x = 3`` is halfway:

    >>> post = gaussian_posterior([[1.0], [3.0]], [0.5, 0.5], [[1.0], [5.0]], [[[1.0]], [[1.0]]])
    >>> bool(np.isclose(post[0, 0], 1 / (1 + np.exp(-8)))), post[1].tolist()
    (True, [0.5, 0.5])
    """
    priors = check_array(priors, "priors", ndim=1)
    means = check_array(means, "means")
    covariances = check_array(covariances, "covariances", ndim=3)
    if not len(priors) == len(means) == len(covariances):
        raise ValueError(f"priors, means and covariances must have one entry per class, "
                         f"got {len(priors)}, {len(means)} and {len(covariances)}")
    log_likelihood = np.column_stack([gaussian_log_density(X, mu, sigma)
                                      for mu, sigma in zip(means, covariances)])
    likelihood = np.exp(log_likelihood - log_likelihood.max(axis=1, keepdims=True))
    return bayes_rule(likelihood.T, priors)


def fit_naive_bayes(X, y):
    """Per class and feature, ``theta_yj`` and ``sigma2_yj``: mean and (biased) variance.

    Returns
    -------
    classes : list of length n_classes
    priors : ndarray of shape (n_classes,)
    theta, sigma2 : ndarray of shape (n_classes, n_features)

    Examples
    --------
    >>> classes, priors, theta, sigma2 = fit_naive_bayes([[0.0, 1.0], [2.0, 1.0], [5.0, 3.0]], [0, 0, 1])
    >>> theta.tolist(), sigma2.tolist()
    ([[1.0, 1.0], [5.0, 3.0]], [[1.0, 0.0], [0.0, 0.0]])
    """
    classes, priors, theta, covariances = fit_gaussians(X, y)
    return classes, priors, theta, np.array([np.diag(c) for c in covariances])


def naive_bayes_log_likelihood(X, theta, sigma2):
    """``log P(x | y) = sum_j log N(x_j | theta_yj, sigma2_yj)``, shape (n_samples, n_classes).

    Features independent given the class: a product of 1-D Gaussians.

    Examples
    --------
    At the class mean: ``-1/2 (log 2 pi + log 2 pi 4) = -log 2 pi - log 2``:

    >>> value = naive_bayes_log_likelihood([[0.0, 0.0]], [[0.0, 0.0]], [[1.0, 4.0]])[0, 0]
    >>> bool(np.isclose(value, -np.log(2 * np.pi) - np.log(2)))
    True
    """
    X = check_array(X, "X")
    theta = check_array(theta, "theta", n_features=X.shape[1])
    sigma2 = check_array(sigma2, "sigma2", n_features=X.shape[1])
    if sigma2.shape != theta.shape or (sigma2 <= 0).any():
        raise ValueError(f"sigma2 must be positive and of the shape of theta {theta.shape}")
    columns = []
    for mean, var in zip(theta, sigma2):
        log_n = -0.5 * (np.log(2 * np.pi * var) + (X - mean) ** 2 / var)  # log N(x_j | ...)
        columns.append(log_n.sum(axis=1))
    return np.column_stack(columns)


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


def _check_table(T, name):
    """A 2-D table of non-negative numbers."""
    T = check_array(T, name)
    if (T < 0).any():
        raise ValueError(f"{name} must hold non-negative counts or probabilities")
    return T
