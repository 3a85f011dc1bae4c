"""Gaussian class densities as the course writes them: maximum likelihood per class,
the class posterior by Bayes' rule, and naive Bayes (a product of 1-D Gaussians).

    P(y) = n_y / n,  mu_y = mean of the x of class y,  Sigma_y = their covariance,
    P(y | x) = P(y) N(x; mu_y, Sigma_y) / sum_y' P(y') N(x; mu_y', Sigma_y').

:class:`~scratch_genmod.bayes.GaussianNB` and
:class:`~scratch_genmod.bayes.GenerativeClassifier` give the same numbers.
"""

import numpy as np

from scratch_genmod.core import check_array, check_same_length
from scratch_genmod.bayes.checks import check_discrete
from scratch_genmod.bayes.textbook.tables import bayes_rule

__all__ = ['fit_gaussians', 'gaussian_log_density', 'gaussian_posterior', 'fit_naive_bayes',
           'naive_bayes_log_likelihood', 'sample_naive_bayes_class']


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
    y = check_discrete(list(y) if isinstance(y, str) else y, "y", ndim=1)
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


def sample_naive_bayes_class(theta_y, sigma2_y, n, rng):
    """n draws from class y: ``x_j = theta_yj + sqrt(sigma2_yj) z_j``, z_j ~ N(0, 1) independent.

    Parameters
    ----------
    theta_y, sigma2_y : array-like of shape (n_features,)
        The class's means and variances.
    n : int
    rng : numpy.random.Generator

    Returns
    -------
    X : ndarray of shape (n, n_features)

    Examples
    --------
    A variance of 0 leaves only the mean:

    >>> sample_naive_bayes_class([1.0, 2.0], [0.0, 0.0], 2, np.random.default_rng(0)).tolist()
    [[1.0, 2.0], [1.0, 2.0]]
    """
    theta_y = check_array(theta_y, "theta_y", ndim=1)
    sigma2_y = check_array(sigma2_y, "sigma2_y", ndim=1)
    if sigma2_y.shape != theta_y.shape or (sigma2_y < 0).any():
        raise ValueError(f"sigma2_y must be >= 0 and of the shape of theta_y {theta_y.shape}")
    z = rng.standard_normal((n, len(theta_y)))
    return theta_y + np.sqrt(sigma2_y) * z
