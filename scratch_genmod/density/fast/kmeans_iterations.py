"""Lloyd's algorithm to convergence, fast: the iterations of ``textbook.lloyd``.

Each iteration is :func:`~.lloyd.lloyd_step` (one matrix product per chunk,
sums updated from the points that moved), with the labels found through
:class:`~.hamerly.Bounds`, which skips the points that provably keep their
centre.
"""

import numpy as np

from scratch_genmod.density.fast.hamerly import Bounds
from scratch_genmod.density.fast.lloyd import lloyd_step, own_distances

__all__ = ["lloyd_iterations"]


def lloyd_iterations(Xa, x_sq, centers, max_iter, tol, n_threads=1):
    """Lloyd iterations from ``centers`` until they settle: the numbers of ``textbook.lloyd``.

    Parameters
    ----------
    Xa : ndarray of shape (n_samples, n_features + 1)
        ``with_ones(X)`` of centred data X.
    x_sq : ndarray of shape (n_samples,)
        ``||x_t||^2``.
    centers : ndarray of shape (n_clusters, n_features)
    max_iter : int
    tol : float
        Squared movement of the centres at which to stop (as ``textbook.lloyd``).
    n_threads : int, default=1

    Returns
    -------
    centers, labels, inertia, n_iter
        As ``textbook.lloyd``.
    """
    step, bounds = None, Bounds(Xa, x_sq, n_threads)
    for n_iter in range(1, max_iter + 1):
        step = lloyd_step(Xa, centers, x_sq, n_threads, last=step, bounds=bounds)
        shift = float(np.sum((step.centers - centers) ** 2))
        centers = step.centers
        if shift <= tol and not step.n_empty:
            break
    labels = bounds.nearest(centers)[0]
    return centers, labels, float(own_distances(Xa, x_sq, centers, labels).sum()), n_iter
