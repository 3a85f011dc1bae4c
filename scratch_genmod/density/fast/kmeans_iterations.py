"""Lloyd's algorithm to convergence, fast: the iterations of ``textbook.lloyd``.

Each iteration is :func:`~.lloyd.lloyd_step` (one matrix product per chunk,
sums updated from the points that moved). Its labels come either from every
distance (the plain assignment) or through :class:`~.hamerly.Bounds`, which
skip the points that provably keep their centre. Both give the same labels;
which is faster depends on the data:

* on well-separated clusters most points are settled after a few
  iterations, and the bounds skip nearly all of them;
* on data without cluster structure (a Gaussian cloud, uniform data) many
  points sit near the border of two cells, the bounds prove little, and
  keeping them costs more than it saves: a point in doubt is gathered and
  needs its second-nearest distance too, while the plain assignment from
  the old labels (:func:`~.nearest_centers.relabel`) is one product and a few passes
  over every row.

So the choice is made per iteration, from counts alone (never from timings:
the same data and start give the same numbers whatever the load). A fit
starts with the plain assignment, whose cost is one matrix product per
chunk. Once fewer than ``_BOUNDS_ON`` of the points changed cluster in a
step, a sample of the rows tells how many points the bounds would hold in
doubt (:meth:`~.hamerly.Bounds.doubt_ahead`); at most ``_BUILD_AT`` times
the fraction at which they stop paying (:func:`~.hamerly.break_even`, the
larger the more work each row's distances take), and the bounds are built
(one pass that also finds every second-nearest distance, two or three plain
steps' worth of work) and used. When more than ``break_even`` of the points are in
doubt they give up for that step (its labels come from every distance, as
without them) and are dropped; they are tried again only once the count of
moved points has halved since, so that a fit on data where they never pay
builds them a few times at most, and on a cloud, where the sample says they
would not pay, never. Nor are they built for the last few steps that
``max_iter`` leaves (fewer than ``_STEPS_TO_PAY``): too few to repay them;
nor on small data, where a plain step's product has fewer than
``_BOUNDS_MIN_WORK`` multiply-adds: there the calls of each asking and of
each step with the bounds cost more than the rows they skip.
"""

import numpy as np

from scratch_genmod.density.fast.hamerly import Bounds, break_even
from scratch_genmod.density.fast.lloyd import (lloyd_step, own_distances, row_norms, with_ones,
                                                with_ones_by_columns)
from scratch_genmod.density.fast.nearest_centers import float32_copy, relabel

__all__ = ["data_layouts", "lloyd_iterations", "step_threads", "BoundsSwitch"]

# The bounds are (re)built once fewer than this fraction of the points moved in a step...
_BOUNDS_ON = 0.15
# ...and at most this fraction of hamerly.break_even is expected in doubt at the next
# step (Bounds.doubt_ahead): building them costs two or three plain steps, and the doubt
# grows as they age (on a cloud with d=8, k=32, from 11 % to 20 % in two steps).
_BUILD_AT = 0.5
# Data with at most this many columns (features + 1) are also stored by columns.
_MAX_FEATURES_BY_COLUMNS = 64
# The bounds are built only when at least this many steps are left: the step that builds
# them costs about three plain steps, and each step after saves at most one.
_STEPS_TO_PAY = 5
# A step's chunks go to several threads only where n (k (d + 1) + _ROW_WORK) is at least
# _THREADED_WORK (multiply-adds of its product, and a row's passes counted as _ROW_WORK
# of them): each hand-over to the pool costs about 0.1 ms, and the GIL passes between the
# dozens of short NumPy calls of each chunk; a second thread does not win that back on a
# small step (measured, two threads against one: 20,000 rows 0.8-1.05x, 200,000 rows
# 1.0-1.4x, 6,000 MNIST images 1.1x).
_THREADED_WORK = 1 << 24
_ROW_WORK = 128
# The bounds are asked about and built only where a plain step's product, n k (d + 1)
# multiply-adds, has at least this many (measured at n = 20,000, never asking against
# the switch: 1.08 million (d = 8, k = 6) 0.66 -> 0.59 ms a step on a cloud, 0.42 -> 0.40
# on blobs; 0.6 million (d = 2, k = 10) 0.68 -> 0.47; at 5.8 million (d = 8, k = 32) the
# bounds pay on blobs, 0.76 against 0.89).
_BOUNDS_MIN_WORK = 1 << 21


def data_layouts(X, shift, n_threads=1):
    """``(Xa, x_sq, by_columns)``: the data ``X`` moved by ``shift`` as :func:`lloyd_iterations` reads them.

    ``Xa = with_ones(X, shift)`` and ``x_sq`` its rows' ``||x_t||^2``; with at
    most ``_MAX_FEATURES_BY_COLUMNS`` columns, ``by_columns = (XaT, XaT32)``,
    ``Xa.T`` stored by rows (whose products run faster) and its float32
    copy for a first pass (None where float32 cannot hold the squares);
    else ``by_columns`` is None. The copies are made on ``n_threads``
    threads (:func:`~.lloyd.with_ones_by_columns`).

    >>> Xa, x_sq, (XaT, XaT32) = data_layouts(np.array([[1.0], [3.0]]), 2.0)
    >>> XaT32
    array([[-1.,  1.],
           [ 1.,  1.]], dtype=float32)
    """
    if X.shape[1] + 1 > _MAX_FEATURES_BY_COLUMNS:
        Xa = with_ones(X, shift)
        return Xa, row_norms(Xa), None
    Xa, x_sq, XaT, XaT32 = with_ones_by_columns(X, shift, n_threads)
    return Xa, x_sq, (XaT, XaT32 if _float32_holds(x_sq) else None)


def _float32_holds(x_sq):
    """Whether float32 holds the squares (and their rounding bound) of rows with these ``||x_t||^2``."""
    return 1e-15 < float(np.max(x_sq, initial=0.0)) < 1e30


def lloyd_iterations(Xa, x_sq, centers, max_iter, tol, n_threads=1, by_columns=None):
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
    n_threads : int or None, default=1
        None: as many as are free, read again at each step (``core.threads``);
        one on small data (:func:`step_threads`).
    by_columns : tuple (XaT, XaT32) or None, default=None
        The copies :func:`data_layouts` makes; None: made here when there
        are few features.

    Returns
    -------
    centers, labels, inertia, n_iter
        As ``textbook.lloyd``.
    """
    if by_columns is not None:
        XaT, XaT32 = by_columns
    else:
        # Few features: the data also stored by columns, whose products run faster
        # (nearest_centers.assign); a copy of X~ that costs less than one iteration to make,
        # and rounded to float32 for a first pass, when float32 holds the squares
        # (nearest_centers.relabel: the same labels)
        XaT = np.ascontiguousarray(Xa.T) if Xa.shape[1] <= _MAX_FEATURES_BY_COLUMNS else None
        XaT32 = XaT.astype(np.float32) if XaT is not None and _float32_holds(x_sq) else None
    copy32 = None if XaT32 is None else float32_copy(XaT32, x_sq)
    n_threads = step_threads(n_threads, *Xa.shape, len(centers))
    allowed = Xa.shape[0] * len(centers) * Xa.shape[1] >= _BOUNDS_MIN_WORK
    step, switch = None, BoundsSwitch(Bounds(Xa, x_sq, n_threads, XaT), allowed)
    for n_iter in range(1, max_iter + 1):
        step = lloyd_step(Xa, centers, x_sq, n_threads, last=step, bounds=switch.bounds(),
                          XaT=XaT, copy32=copy32)
        switch.update(step, centers, steps_left=max_iter - n_iter)
        shift = float(np.sum((step.centers - centers) ** 2))
        centers = step.centers
        if shift <= tol and not step.n_empty:
            break
    if switch.bounds() is None:  # the labels of the last centres
        labels = step.labels
        relabel(Xa, centers, labels, n_threads, XaT, x_sq, copy32)
    else:
        labels = switch.bounds().nearest(centers)[0]
    inertia = float(own_distances(Xa, x_sq, centers, labels, n_threads).sum())
    return centers, labels, inertia, n_iter


def step_threads(n_threads, n, d1, k):
    """``n_threads`` for the Lloyd steps on ``n`` rows of ``d1 = d + 1`` columns and ``k`` centres, or 1 on small data.

    A second thread pays only where a step's work, ``n (k (d + 1) + _ROW_WORK)``
    multiply-adds' worth, is at least ``_THREADED_WORK``; below, the chunks
    run one after another on the caller's thread (the same numbers either way).

    >>> step_threads(2, 20_000, 9, 6), step_threads(2, 200_000, 9, 6), step_threads(None, 6_000, 785, 10)
    (1, 2, None)
    """
    return n_threads if n * (k * d1 + _ROW_WORK) >= _THREADED_WORK else 1


class BoundsSwitch:
    """Whether the next Lloyd step uses the distance bounds, from what they and the steps did.

    Parameters
    ----------
    bounds : hamerly.Bounds
    allowed : bool, default=True
        False: never asked about, never used (small data, see ``_BOUNDS_MIN_WORK``).

    Attributes
    ----------
    history_ : list of bool
        Whether each step so far used the bounds.

    Examples
    --------
    Two clusters far apart: the first step moves every point (no step
    before it), the second none, so the third uses the bounds.

    >>> from scratch_genmod.density.fast.lloyd import with_ones
    >>> X = np.array([[-1.0], [0.0], [1.0], [9.0], [10.0], [11.0]]) - 5.0
    >>> switch, step = BoundsSwitch(Bounds(with_ones(X), np.ravel(X * X))), None
    >>> centers = X[[0, 3]]
    >>> for _ in range(3):
    ...     step = lloyd_step(with_ones(X), centers, last=step, bounds=switch.bounds())
    ...     switch.update(step, centers)
    ...     centers = step.centers
    >>> switch.history_
    [False, False, True]
    """

    def __init__(self, bounds, allowed=True):
        self._bounds = bounds
        self.allowed = allowed
        self.on = False
        self.history_ = []
        self._moved_when_dropped = np.inf
        self._moved_when_refused = np.inf

    def bounds(self):
        """The bounds for the next step, or None for the plain assignment."""
        return self._bounds if self.on else None

    def update(self, step, centers, steps_left=np.inf):
        """Decide for the next step from the one just made (a :class:`~.lloyd.LloydStep` from ``centers``).

        With fewer than ``_STEPS_TO_PAY`` steps left (of ``max_iter``), the
        bounds are not built: they would not repay their building.
        """
        self.history_.append(self.on)
        if self.on:
            if self._bounds.gave_up_:  # too many points in doubt: the step went without
                self.on = False
                self._moved_when_dropped = step.n_moved
        elif not self.allowed or steps_left < _STEPS_TO_PAY:
            return
        elif step.n_moved < min(_BOUNDS_ON * len(step.labels), 0.5 * self._moved_when_dropped,
                                2 / 3 * self._moved_when_refused):
            # asked again only once the moved points fell by a third (each asking costs
            # a tenth of a step): a cloud's steps stay with the plain assignment
            if self._bounds.doubt_ahead(step.centers, centers) <= _BUILD_AT * break_even(
                    len(centers), centers.shape[1] + 1):
                self._bounds.reset()
                self.on = True
            else:
                self._moved_when_refused = step.n_moved
