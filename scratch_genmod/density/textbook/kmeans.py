"""k-means as the course writes it: nearest centres, Lloyd's step, k-means++ seeding.

Lloyd's step is the E-step of a mixture with hard responsibilities (each
point wholly to its nearest centre) followed by the M-step's means; each
step lowers (never raises) the inertia ``sum_t ||x_t - c_label(t)||^2``.

>>> labels, d2 = nearest_centers([[0.0], [4.0]], [[1.0], [5.0]])
>>> labels, d2
(array([0, 1]), array([1., 1.]))
"""

import numpy as np

from scratch_genmod.core import check_array, check_random_state, squared_distances

__all__ = ["nearest_centers", "lloyd_step", "lloyd", "kmeans_plusplus"]


def nearest_centers(X, centers):
    """Each point's nearest centre ``argmin_i ||x_t - c_i||^2`` (the first on a tie) and that distance.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    centers : array-like of shape (n_clusters, n_features)

    Returns
    -------
    labels : ndarray of shape (n_samples,), dtype int64
    d2 : ndarray of shape (n_samples,)
        ``||x_t - c_label(t)||^2``; their sum is the inertia.
    """
    X = check_array(X, "X")
    centers = check_array(centers, "centers")
    if centers.shape[1] != X.shape[1]:
        raise ValueError(f"centers has {centers.shape[1]} features, X has {X.shape[1]}")
    d2 = np.stack([np.sum((X - c) ** 2, axis=1) for c in centers], axis=1)
    labels = np.argmin(d2, axis=1).astype(np.int64)
    return labels, d2[np.arange(len(X)), labels]


def lloyd_step(X, centers):
    """One Lloyd iteration of k-means: assign each point to its nearest centre, then average.

        label(t) = argmin_i ||x_t - c_i||^2,    c_i <- mean of the x_t with label(t) = i

    A cluster that wins no point has no mean. As in :class:`KMeans`, each
    such centre is re-seeded at a data point: the points farthest from their
    own (old) centre, the farthest one to the lowest-numbered empty cluster.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    centers : array-like of shape (n_clusters, n_features)

    Returns
    -------
    new_centers : ndarray of shape (n_clusters, n_features)
    labels : ndarray of shape (n_samples,), dtype int64
        The nearest of the *given* centres (the first one on a tie).

    Examples
    --------
    >>> new, labels = lloyd_step([[0.0], [1.0], [9.0], [11.0]], [[0.0], [8.0], [100.0]])
    >>> labels          # nobody is nearest to 100: it moves to 11, the farthest point
    array([0, 0, 1, 1])
    >>> new.ravel()     # (0 + 1) / 2, (9 + 11) / 2, and the re-seeded centre
    array([ 0.5, 10. , 11. ])
    """
    X = check_array(X, "X")
    centers = check_array(centers, "centers")
    if centers.shape[1] != X.shape[1]:
        raise ValueError(f"centers has {centers.shape[1]} features, X has {X.shape[1]}")
    labels, own = nearest_centers(X, centers)
    new = np.empty_like(centers)
    empty = []
    for i in range(len(centers)):
        if np.any(labels == i):
            new[i] = X[labels == i].mean(axis=0)
        else:
            empty.append(i)
    new[empty] = X[np.argsort(own)[::-1][:len(empty)]]
    return new, labels


def lloyd(X, centers, max_iter=300, tol=0.0):
    """Lloyd's algorithm: :func:`lloyd_step` until the centres settle.

    Stops after the first step whose squared movement
    ``sum_i ||c_i^new - c_i||^2`` is at most ``tol`` and that re-seeded no
    empty cluster, or after ``max_iter`` steps.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    centers : array-like of shape (n_clusters, n_features)
        The start.
    max_iter : int, default=300
    tol : float, default=0.0
        In squared units of X (``KMeans`` scales its ``tol`` by the variance).

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
    labels : ndarray of shape (n_samples,), dtype int64
        The nearest of the final centres.
    inertia : float
        ``sum_t ||x_t - c_label(t)||^2``.
    n_iter : int

    Examples
    --------
    >>> centers, labels, inertia, n_iter = lloyd([[0.0], [1.0], [9.0], [11.0]], [[0.0], [1.0]])
    >>> centers.ravel(), labels, inertia, n_iter   # 0 | 1, 9, 11, then 0, 1 | 9, 11
    (array([ 0.5, 10. ]), array([0, 0, 1, 1]), 2.5, 3)
    """
    centers = check_array(centers, "centers")
    for n_iter in range(1, max_iter + 1):
        new, labels = lloyd_step(X, centers)
        shift = float(np.sum((new - centers) ** 2))
        n_empty = int(np.sum(np.bincount(labels, minlength=len(centers)) == 0))
        centers = new
        if shift <= tol and not n_empty:
            break
    labels, d2 = nearest_centers(X, centers)
    return centers, labels, float(d2.sum()), n_iter


def kmeans_plusplus(X, n_clusters, random_state=None, n_local_trials=None):
    """Choose ``n_clusters`` rows of ``X`` as starting centres by D^2 sampling.

    The first centre is uniform; each next one is drawn with probability
    proportional to ``D(x)^2``, the squared distance to the nearest centre
    chosen so far. Greedily, ``n_local_trials`` candidates are drawn and the
    one lowering ``sum_x D(x)^2`` most is kept.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int
    random_state : None, int or numpy.random.Generator, default=None
    n_local_trials : int or None, default=None
        None means ``2 + int(log(n_clusters))``.

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
    """
    rng = check_random_state(random_state)
    X = check_array(X, "X")
    n = X.shape[0]
    trials = 2 + int(np.log(n_clusters)) if n_local_trials is None else n_local_trials
    Xc = X - X.mean(axis=0)  # distances on centred data: no digits lost to a far offset
    x_sq = np.einsum("ij,ij->i", Xc, Xc)
    chosen = np.empty(n_clusters, dtype=np.intp)
    chosen[0] = rng.integers(n)
    d2 = squared_distances(Xc, Xc[chosen[:1]], x_sq)[:, 0]
    for i in range(1, n_clusters):
        total = d2.sum()
        if total <= 0:  # every point sits on a centre: any point will do
            candidates = rng.integers(n, size=trials)
        else:
            candidates = np.searchsorted(np.cumsum(d2), rng.random(trials) * total)
            candidates = np.minimum(candidates, n - 1)
        d2_new = np.minimum(d2[:, None], squared_distances(Xc, Xc[candidates], x_sq))
        best = int(np.argmin(d2_new.sum(axis=0)))
        chosen[i] = candidates[best]
        d2 = d2_new[:, best]
    return X[chosen]
