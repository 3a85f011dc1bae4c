"""Synthetic data sets with a known truth: Gaussian mixtures, moons, rings.

Every generator takes a ``random_state`` (None, an int or a
``numpy.random.Generator``) and returns ``(X, labels)`` in random order -
the rows are i.i.d. draws, never grouped by component - so that the first
``m`` rows are themselves a fair sample.

A mixture is ``f(x) = sum_i alpha_i Phi_i(x | mu_i, Sigma_i)``: to draw from
it, pick the component ``i`` with probability ``alpha_i`` and then
``x = mu_i + L_i z`` with ``z ~ N(0, I)`` and ``L_i L_i^T = Sigma_i``.

>>> X, labels = make_mixture(500, [0.3, 0.7], [[0, 0], [5, 5]],
...                          [np.eye(2), np.eye(2)], random_state=0)
>>> X.shape, labels.shape
((500, 2), (500,))
>>> bool(abs((labels == 1).mean() - 0.7) < 0.1)
True
"""

import numpy as np

from scratch_genmod.core import check_array, check_interval, check_random_state, check_scalar, cholesky
from scratch_genmod.core.sizes import check_n_samples

__all__ = ["make_mixture", "make_blobs", "make_moons", "make_rings"]


def make_mixture(n_samples, weights, means, covariances, random_state=None):
    """Draw ``n_samples`` points from a Gaussian mixture with given parameters.

    Parameters
    ----------
    n_samples : int
        Number of points, >= 1.
    weights : array-like of shape (n_components,)
        Mixing weights ``alpha_i``: non-negative, summing to 1 (within 1e-8).
    means : array-like of shape (n_components, n_features)
        Component means ``mu_i``.
    covariances : array-like of shape (n_components, n_features, n_features)
        Component covariances ``Sigma_i``, each symmetric positive definite.
    random_state : None, int or numpy.random.Generator, default=None

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,), dtype int64
        The component each point was drawn from.
    """
    weights = check_array(weights, "weights", ndim=1)
    means = check_array(means, "means", ndim=2)
    covariances = check_array(covariances, "covariances", ndim=3)
    k, d = means.shape
    n_samples = check_n_samples(n_samples, d)
    if weights.shape[0] != k:
        raise ValueError(f"weights has {weights.shape[0]} entries but means has {k} rows")
    if (weights < 0).any() or abs(weights.sum() - 1.0) > 1e-8:
        raise ValueError(f"weights must be non-negative and sum to 1, got sum {weights.sum():.10g}"
                         f" and minimum {weights.min():.4g}")
    if covariances.shape != (k, d, d):
        raise ValueError(f"covariances must have shape ({k}, {d}, {d}) to match means, "
                         f"got {covariances.shape}")
    factors = [cholesky(covariances[i], f"covariances[{i}]") for i in range(k)]
    rng = check_random_state(random_state)
    labels = rng.choice(k, size=n_samples, p=weights / weights.sum())
    Z = rng.standard_normal((n_samples, d))
    # x = mu_i + L_i z for the points of component i. Sorting the points by
    # component makes each one's block contiguous (a plain matrix product);
    # one scatter puts them back in the drawn order (boolean masks per
    # component would gather and scatter k times, 5x slower). The block takes
    # Z's rows in turn, not Z[order]: the rows of Z are i.i.d. N(0, I), so any
    # row can serve any point and the gather is not needed.
    order = np.argsort(labels, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(labels, minlength=k))])
    grouped = np.empty((n_samples, d))
    for i in range(k):  # a loop over components, vectorised over their points
        block = slice(bounds[i], bounds[i + 1])
        np.matmul(Z[block], factors[i].T, out=grouped[block])
        grouped[block] += means[i]
    X = np.empty((n_samples, d))
    X[order] = grouped
    return X, labels.astype(np.int64)


def make_blobs(n_samples=300, centers=3, cluster_std=1.0, covariances=None, weights=None,
               n_features=2, center_box=(-8.0, 8.0), random_state=None):
    """Gaussian blobs: a mixture with convenient defaults.

    Parameters
    ----------
    n_samples : int, default=300
    centers : int or array-like of shape (n_components, n_features), default=3
        The means, or how many to draw uniformly in ``center_box``.
    cluster_std : float, default=1.0
        Standard deviation of every (spherical) blob, used when
        ``covariances`` is None.
    covariances : array-like of shape (n_components, n_features, n_features) or None
        Full covariances; overrides ``cluster_std``.
    weights : array-like of shape (n_components,) or None, default=None
        Mixing weights; None means equal weights.
    n_features : int, default=2
        Dimension, used when ``centers`` is an int.
    center_box : (float, float), default=(-8.0, 8.0)
    random_state : None, int or numpy.random.Generator, default=None

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,)

    >>> X, y = make_blobs(100, centers=[[0, 0], [10, 0]], cluster_std=0.5, random_state=1)
    >>> bool(((X[:, 0] > 5) == (y == 1)).all())
    True
    """
    rng = check_random_state(random_state)
    if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
        k = check_scalar(centers, "centers", int, min_val=1)
        d = check_scalar(n_features, "n_features", int, min_val=1)
        low, high = check_interval(center_box, "center_box")
        means = rng.uniform(low, high, size=(k, d))
    else:
        means = check_array(centers, "centers", ndim=2)
    k, d = means.shape
    if covariances is None:
        std = check_scalar(cluster_std, "cluster_std", min_val=0.0, include_min=False)
        variance = std * std   # a float product: inf or 0 where std ** 2 raised OverflowError
        if not 0.0 < variance < np.inf:
            raise ValueError(f"cluster_std={std:.3g} cannot be squared in float64 (the variance "
                             f"cluster_std^2 would be {variance:g}): its size must lie in "
                             f"[1.5e-154, 1.3e+154]; rescale the centers with it")
        covariances = np.broadcast_to(variance * np.eye(d), (k, d, d))
    weights = np.full(k, 1.0 / k) if weights is None else weights
    return make_mixture(n_samples, weights, means, covariances, random_state=rng)


def make_moons(n_samples=200, noise=0.1, random_state=None):
    """Two interleaving half circles (label 0 on top, label 1 below).

    Moon 0 is ``(cos t, sin t)`` and moon 1 is ``(1 - cos t, 0.5 - sin t)``
    with ``t`` uniform on ``[0, pi]``, plus isotropic Gaussian noise.

    Parameters
    ----------
    n_samples : int, default=200
    noise : float, default=0.1
        Standard deviation of the added noise, >= 0.
    random_state : None, int or numpy.random.Generator, default=None

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    labels : ndarray of shape (n_samples,)
    """
    def half_circle(labels, position):
        t = np.pi * position
        upper = np.column_stack([np.cos(t), np.sin(t)])
        lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
        return np.where(labels[:, None] == 0, upper, lower)

    return _noisy_curves(n_samples, 2, noise, random_state, half_circle)


def make_rings(n_samples=300, radii=(1.0, 2.0), noise=0.1, random_state=None):
    """Concentric circles, one per radius, equally likely; label = ring index.

    Parameters
    ----------
    n_samples : int, default=300
    radii : sequence of float, default=(1.0, 2.0)
        Positive radii of the rings.
    noise : float, default=0.1
        Standard deviation of the Gaussian noise added to each coordinate.
    random_state : None, int or numpy.random.Generator, default=None

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    labels : ndarray of shape (n_samples,)
    """
    radii = check_array(radii, "radii", ndim=1)
    if (radii <= 0).any():
        raise ValueError(f"radii must be positive, got {radii.tolist()}")

    def circle(labels, position):
        angle = 2.0 * np.pi * position
        return radii[labels, None] * np.column_stack([np.cos(angle), np.sin(angle)])

    return _noisy_curves(n_samples, len(radii), noise, random_state, circle)


def _noisy_curves(n_samples, n_curves, noise, random_state, point_on_curve):
    """Label uniform among the curves, position uniform along it, plus Gaussian noise.

    ``point_on_curve(labels, position)`` maps labels (m,) and positions in
    [0, 1) (m,) to points (m, 2).
    """
    n_samples = check_n_samples(n_samples, 2)
    noise = check_scalar(noise, "noise", min_val=0.0)
    rng = check_random_state(random_state)
    labels = rng.integers(0, n_curves, size=n_samples)
    X = point_on_curve(labels, rng.random(n_samples))
    return X + noise * rng.standard_normal(X.shape), labels.astype(np.int64)
