"""Lloyd's E-step with a distance bound: the same labels, without recomputing the points that cannot move.

After the first iterations of Lloyd's algorithm the centres move little and
most points keep their centre. Hamerly (2010) proves which ones from bounds
kept from one iteration to the next; here the simplest of them, one number
per point, a lower bound on how much nearer its own centre is than any other:

    slack_t <= min_{j != a} ||x_t - c_j|| - ||x_t - c_a||     (a = label(t)).

While ``slack_t > 0`` no other centre is nearer, and nothing is computed for
``x_t``. When the centres move by ``delta_j = ||c_j^new - c_j||``, the
triangle inequality keeps the bound true at a price: the own distance grows
by at most ``delta_a`` and every other one shrinks by at most
``max_{j != a} delta_j``, so

    slack_t <- slack_t - (delta_a + max_{j != a} delta_j).

The points whose slack ran out get all ``k`` distances again
(``nearest_centers.assign``), which gives their label and a fresh slack (the
second-nearest distance minus the nearest). When most points ran out, every
row is recomputed in place.

Computed distances carry rounding: ``||x||^2 - 2 x.c + ||c||^2`` is off by
about ``eps (||x||^2 + ||c||^2)``, so a distance by up to the square root of
that. A point is skipped only while its slack exceeds a few times this
error, so the labels are those of computing every distance: the first
centre on a tie (a tie has slack 0), as in ``textbook.lloyd_step``.
"""

import numpy as np

from scratch_genmod.density.fast.nearest_centers import assign

__all__ = ["Bounds", "break_even"]

# Above this fraction of points to recompute, every row is recomputed in place.
_MAX_GATHERED = 0.3
# What a row in doubt costs the bounds, in multiply-adds of the plain assignment's
# product (see break_even).
_DOUBT_OVERHEAD = 1000
_DOUBT_PRODUCT = 2.7
# Rows of the sample on which doubt_ahead estimates the doubt to come.
_SAMPLE = 1024


class Bounds:
    """The slack of every row of ``Xa = with_ones(X)`` (``X`` centred), kept from step to step.

    Parameters
    ----------
    Xa : ndarray of shape (n_samples, n_features + 1)
    x_sq : ndarray of shape (n_samples,)
        ``||x_t||^2``.
    n_threads : int or None, default=1
    XaT : ndarray of shape (n_features + 1, n_samples) or None, default=None
        ``Xa.T`` stored by rows, for faster products (see ``nearest_centers.assign``).

    Attributes
    ----------
    n_computed_ : int
        Points whose distances to every centre the last :meth:`nearest` computed
        (or found in doubt, when it gave up).
    gave_up_ : bool
        Whether the last :meth:`nearest` gave up (see its ``give_up``).

    Examples
    --------
    >>> from scratch_genmod.density.fast.lloyd import with_ones
    >>> X = np.array([[0.0], [1.0], [10.0], [11.0]])
    >>> bounds = Bounds(with_ones(X), (X * X).ravel())
    >>> labels, moved, was = bounds.nearest(np.array([[0.5], [10.5]]))
    >>> labels, bounds.n_computed_
    (array([0, 0, 1, 1]), 4)
    >>> labels, moved, was = bounds.nearest(np.array([[0.6], [10.4]]))
    >>> labels, bounds.n_computed_        # moved by 0.1: nobody is in doubt
    (array([0, 0, 1, 1]), 0)
    """

    def __init__(self, Xa, x_sq, n_threads=1, XaT=None):
        self.Xa, self.x_sq, self.n_threads, self.XaT = Xa, x_sq, n_threads, XaT
        self.centers = self.labels = self.slack = self.n_clusters = None
        self.n_computed_ = 0
        self.gave_up_ = False
        # a computed distance is within sqrt(gamma (||x||^2 + ||c||^2)) of the true one
        self.gamma = 4.0 * (Xa.shape[1] + 2) * np.finfo(float).eps
        self.x_sq_max = float(x_sq.max()) if len(x_sq) else 0.0

    def nearest(self, centers, copy=True, give_up=False):
        """The nearest of ``centers`` for every row, the first on a tie.

        Parameters
        ----------
        centers : ndarray of shape (n_clusters, n_features)
        copy : bool, default=True
            False: ``labels`` is the bounds' own array, which the next call
            updates in place, for a caller done with it by then (copying
            200,000 labels takes 0.1 ms, 3 % of a k-means iteration).
        give_up : bool, default=False
            When more than ``break_even(k, d + 1)`` of the rows are in doubt, forget
            the bounds and return None (``gave_up_`` is then True) instead of
            recomputing every row with its second-nearest distance: a caller
            that only needs the labels finds them cheaper without the bounds.

        Returns
        -------
        labels : ndarray of shape (n_samples,), dtype int64
            A new array (with ``copy``).
        moved : ndarray of int or None
            The rows whose label changed since the last call (None at the first).
        was : ndarray of int or None
            Their labels before.
        """
        self.gave_up_ = False
        n = self.Xa.shape[0]
        if self.centers is None or centers.shape != self.centers.shape:
            known = self.labels is not None and self.n_clusters == len(centers)
            self.labels, self.slack = self.compute(None, centers, self.labels if known else None)
            self.n_clusters = len(centers)
            moved = was = None
            self.n_computed_ = n
        else:
            self.slack -= self.drop(centers)[self.labels]
            doubt = np.flatnonzero(self.slack <= self.margin(centers))
            self.n_computed_ = len(doubt)
            if give_up and len(doubt) > break_even(len(centers), centers.shape[1] + 1) * n:
                self.reset()
                self.gave_up_ = True
                return None
            if len(doubt) > _MAX_GATHERED * n:
                old = self.labels
                self.labels, self.slack = self.compute(None, centers, old)
                moved = np.flatnonzero(self.labels != old)
                was = old[moved]
            else:
                labels, self.slack[doubt] = self.compute(doubt, centers, self.labels[doubt])
                changed = labels != self.labels[doubt]
                moved, labels = doubt[changed], labels[changed]
                was = self.labels[moved]
                self.labels[moved] = labels
        self.centers = centers.copy()
        return (self.labels.copy() if copy else self.labels), moved, was

    def reset(self):
        """Forget the bounds: the next :meth:`nearest` computes every distance again."""
        self.centers = None

    def drop(self, centers):
        """``delta_j + max_{i != j} delta_i`` for each centre ``j``: how far its points' slack falls."""
        return _drops(self.centers, centers)

    def doubt_ahead(self, centers, previous):
        """The fraction of rows in doubt at the next step, were the bounds built at ``centers`` now.

        Estimated on a fixed sample of rows (every ``n // _SAMPLE``-th one),
        from their slack at ``centers`` and a next move of the centres as
        large as the last one, from ``previous``. Counts only: the same
        data and centres give the same estimate whatever the load.
        """
        sample = np.arange(0, len(self.x_sq), max(1, len(self.x_sq) // _SAMPLE))
        labels, d2, d2_second = assign(self.Xa, self.x_sq, centers, 1, second=True, rows=sample)
        slack = np.sqrt(d2_second) - np.sqrt(d2) - _drops(previous, centers)[labels]
        return float(np.mean(slack <= self.margin(centers)))

    def margin(self, centers):
        """The slack below which a row is in doubt: a few times a computed distance's rounding."""
        return 4.0 * np.sqrt(self.gamma * (self.x_sq_max + np.max(np.sum(centers ** 2, 1))))

    def compute(self, rows, centers, old=None):
        """Labels and slack of ``rows`` (None: every row, ``old`` their labels before)."""
        labels, d2, d2_second = assign(self.Xa, self.x_sq, centers, self.n_threads,
                                       second=True, rows=rows, old=old,
                                       XaT=None if rows is not None else self.XaT)
        return labels, np.sqrt(d2_second) - np.sqrt(d2)


def _drops(previous, centers):
    """``delta_j + max_{i != j} delta_i`` of each centre ``j``, with ``delta_j`` its move from ``previous``.

    >>> _drops(np.array([[0.0], [5.0], [9.0]]), np.array([[1.0], [5.5], [9.0]]))
    array([1.5, 1.5, 1. ])
    """
    delta = np.sqrt(np.sum((centers - previous) ** 2, axis=1))
    if len(delta) == 1:
        return delta
    first, second = np.argsort(delta)[::-1][:2]
    others = np.full(len(delta), delta[first])
    others[first] = delta[second]
    return delta + others


def break_even(n_clusters, n_columns):
    """The fraction of rows in doubt at which a step with the bounds costs what the plain assignment costs.

    With ``k = n_clusters`` and ``n_columns = d + 1`` (the columns of
    ``X~``), the plain assignment (``nearest_centers.relabel``) computes
    ``w = k (d + 1)`` multiply-adds per row and a few passes over every row; the bounds pay a
    pass over every row too, and for each row in doubt a gather, its
    bookkeeping and its distances to every centre with the second-nearest,
    about ``_DOUBT_OVERHEAD + _DOUBT_PRODUCT w`` multiply-adds' worth. The
    passes cancel, so the break-even fraction is
    ``w / (_DOUBT_PRODUCT w + _DOUBT_OVERHEAD)``: about 5 % for 6 centres in
    8 dimensions, 16 % for 32 centres, 35 % on MNIST (measured break-evens:
    6 %, 15 % and 38 %; 15 % to 17 % for ``w`` near 530). Shapes only: the
    same data give the same choices whatever the load.

    >>> round(break_even(6, 9), 3), round(break_even(10, 785), 3)
    (0.047, 0.354)
    """
    w = n_clusters * n_columns
    return w / (_DOUBT_PRODUCT * w + _DOUBT_OVERHEAD)
