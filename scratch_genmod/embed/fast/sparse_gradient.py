"""The t-SNE gradient for a sparse ``P``: attraction along the neighbours' pairs, repulsion apart.

    dC/dy_i = 4 [ sum_j p_ij w_ij (y_i - y_j)  -  (1/Z) sum_j w_ij^2 (y_i - y_j) ],
                  attraction (along P's edges)    repulsion (all pairs)

with ``w_ij = 1 / (1 + ||y_i - y_j||^2)`` and ``Z = sum_{k != l} w_kl``.
``P`` of the nearest neighbours (:func:`.joint_probabilities.knn_joint_probabilities`)
has ``O(n k)`` nonzero ``p_ij``, so the attraction costs ``O(n k)`` (in
float32); the repulsion needs every pair, summed either once per unordered
pair in float32 blocks (:func:`.pair_repulsion.pair_repulsion`, ``O(n^2)``)
or on a grid (:func:`.grid_repulsion.interpolated_repulsion`, ``O(n)`` plus
an FFT, to a known interpolation error). :class:`SparseGradient` keeps the
pairs sorted once for many iterations and sums the attraction in parts on
other threads while one thread sums the repulsion.
"""

import functools

import numpy as np

from scratch_genmod.core import check_n_threads, check_scalar, map_in_threads
from scratch_genmod.core.blas import blas_threads
from scratch_genmod.embed.fast.grid_repulsion import grid_is_cheaper, interpolated_repulsion
from scratch_genmod.embed.fast.pair_repulsion import pair_repulsion

__all__ = ["knn_kl_gradient", "SparseGradient"]

# The attraction is cut into parts of about this many pairs (at most MAX_PARTS),
# summed by whichever thread is free while another sums the repulsion: fewer,
# longer NumPy calls make two threads wait less for each other at Python's lock.
# The parts do not depend on the number of threads, so neither do the sums.
PAIRS_PER_PART = 2 ** 16
MAX_PARTS = 8


def knn_kl_gradient(Y, rows, cols, values, exaggeration=1.0, compute_kl=True, repulsion="pairs",
                    n_threads=1):
    """Gradient (and cost) of ``KL(P || Q)`` for a sparse ``P`` (see the module docstring).

    Same numbers as :func:`scratch_genmod.embed.textbook.kl_gradient` and
    :func:`~scratch_genmod.embed.textbook.kl_divergence` (to float32's
    accuracy: both forces are summed in single precision, the cost in double).

    Parameters
    ----------
    Y : ndarray of shape (n_samples, n_components)
    rows, cols, values : ndarray of shape (n_pairs,)
        The nonzero ``p_ij`` of the upper triangle, ``i < j``, each
        unordered pair once (so ``values`` sum to 1/2), sorted by ``i`` (as
        :func:`~scratch_genmod.embed.fast.joint_probabilities.knn_joint_probabilities`
        lists them); ``p_ji = p_ij``.
    exaggeration : float, default=1.0
    compute_kl : bool, default=True
    repulsion : {"pairs", "grid", "auto"}, default="pairs"
        "pairs": every pair, in float32 (``O(n^2)``). "grid": by
        interpolation on a grid and the FFT
        (:func:`~scratch_genmod.embed.fast.grid_repulsion.interpolated_repulsion`,
        ``O(n)`` plus the grid; 1-D and 2-D maps), accurate to its
        :func:`~scratch_genmod.embed.fast.grid_repulsion.error_bound`. "auto": whichever of the two
        :func:`~scratch_genmod.embed.fast.grid_repulsion.grid_is_cheaper` picks
        for this map.
    n_threads : int or None, default=1
        One thread sums the repulsion while the others sum parts of the
        attraction (runs of pairs of ``P``). The parts are the same for any
        number of threads and are added in order, and every product runs on
        one BLAS thread: the numbers do not depend on ``n_threads`` (None:
        the library's count for the load, read again as the load changes).

    Returns
    -------
    grad : ndarray of shape (n_samples, n_components), float64
    kl : float or None

    Examples
    --------
    The same gradient and cost as the dense reference for the same ``P``
    (up to float32's rounding):

    >>> from scratch_genmod.embed.fast.joint_probabilities import knn_joint_probabilities
    >>> rng = np.random.default_rng(0)
    >>> rows, cols, values = knn_joint_probabilities(rng.normal(size=(30, 4)), perplexity=3.0)
    >>> P = np.zeros((30, 30))
    >>> P[rows, cols] = values
    >>> Y = rng.normal(size=(30, 2))
    >>> upper = rows < cols
    >>> grad, kl = knn_kl_gradient(Y, rows[upper], cols[upper], values[upper])
    >>> from scratch_genmod.embed.fast.dense_gradient import exact_kl_gradient
    >>> grad_exact, kl_exact = exact_kl_gradient(Y, P)
    >>> bool(np.allclose(grad, grad_exact, atol=1e-6)), bool(abs(kl - kl_exact) < 1e-6)
    (True, True)
    """
    return SparseGradient(rows, cols, values, Y.shape[0])(Y, exaggeration, compute_kl,
                                                          repulsion, n_threads)


class SparseGradient:
    """:func:`knn_kl_gradient` for one sparse ``P``, its pairs sorted once for every iteration.

    With ``w_ij = 1 / (1 + ||y_i - y_j||^2)`` and ``Z = sum_{k != l} w_kl``,

        dC/dy_i = 4 [ sum_j p_ij w_ij (y_i - y_j)  -  (1/Z) sum_j w_ij^2 (y_i - y_j) ],

    the attraction over the listed pairs only (``p_ij = 0`` elsewhere), the
    repulsion over all pairs. Each listed pair ``i < j`` adds its force
    ``p_ij w_ij (y_i - y_j)`` to row ``i`` and subtracts it from row ``j``.
    With the pairs sorted by ``i``, the row sums are sums of consecutive runs
    (``np.add.reduceat``); for the column sums the forces are first put in
    order of ``j`` by a permutation found here, once. (``np.bincount`` would
    need no sorting, but it holds Python's lock while it runs, so a second
    thread could not work meanwhile.) The forces are float32, two
    coordinates to a complex64 number: one gather fetches both, and the
    memory moved is half of float64's.

    Parameters
    ----------
    rows, cols, values : ndarray of shape (n_pairs,)
        As for :func:`knn_kl_gradient`: ``i < j``, sorted by ``i``, ``p_ij > 0``.
    n_samples : int
        Points in the map.

    Examples
    --------
    Called on a map, the numbers of :func:`knn_kl_gradient`:

    >>> rows, cols, values = np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([0.2, 0.1, 0.2])
    >>> Y = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    >>> grad, kl = SparseGradient(rows, cols, values, 3)(Y)
    >>> grad_once, kl_once = knn_kl_gradient(Y, rows, cols, values)
    >>> bool(np.array_equal(grad, grad_once)), kl == kl_once
    (True, True)
    """

    def __init__(self, rows, cols, values, n_samples):
        self.n = n = check_scalar(n_samples, "n_samples", int, min_val=1)
        rows, cols, values = (np.asarray(a) for a in (rows, cols, values))
        for name, a in (("rows", rows), ("cols", cols), ("values", values)):
            if a.ndim != 1 or len(a) != len(rows):
                raise ValueError(f"{name} must be 1-D and as long as rows ({len(rows)}), "
                                 f"got shape {a.shape}")
        if len(rows) and not (np.all(0 <= rows) and np.all(rows < cols) and np.all(cols < n)):
            raise ValueError(f"rows and cols must satisfy 0 <= rows < cols < n_samples = {n} "
                             "(each unordered pair once, upper triangle)")
        if np.any(np.diff(rows) < 0):
            raise ValueError("rows must be sorted (the pairs in order of their first point)")
        if not np.all(values > 0):
            raise ValueError("values must be > 0 (the nonzero p_ij)")
        n_parts = min(MAX_PARTS, max(1, -(-len(rows) // PAIRS_PER_PART)))
        cuts = np.linspace(0, len(rows), n_parts + 1).astype(np.intp)
        self.parts = [_Pairs(rows[a:b], cols[a:b], values[a:b])
                      for a, b in zip(cuts[:-1], cuts[1:])]

    def __call__(self, Y, exaggeration=1.0, compute_kl=True, repulsion="pairs", n_threads=1):
        """``(grad, kl)`` as :func:`knn_kl_gradient` returns them."""
        if repulsion == "auto":
            repulsion = "grid" if grid_is_cheaper(Y) else "pairs"
        packed = _complex_pairs(Y)
        push_and_Z = interpolated_repulsion if repulsion == "grid" else pair_repulsion
        jobs = [functools.partial(push_and_Z, Y)]
        jobs += [functools.partial(part.attraction, packed, compute_kl) for part in self.parts]
        with blas_threads(1):  # the same bits whatever the load: see core.blas
            (push, Z), *pulled = map_in_threads(lambda job: job(), jobs,
                                                check_n_threads(n_threads))
        attraction = _real_coordinates(sum(part for part, _ in pulled), Y.shape[1])
        grad = 4.0 * (exaggeration * attraction - push / Z)
        kl = float(sum(p_log for _, p_log in pulled) + np.log(Z)) if compute_kl else None
        return grad, kl


class _Pairs:
    """Some consecutive pairs ``(i, j, p_ij)`` of the list, with their runs of equal ``i`` and ``j``."""

    def __init__(self, rows, cols, values):
        self.cols, self.values = cols, values
        self.values32 = values.astype(np.float32)
        self.row_ids, self.row_starts = _runs(rows)
        self.row_lengths = np.diff(self.row_starts, append=len(rows))
        self.by_col = np.argsort(cols, kind="stable")
        self.col_ids, self.col_starts = _runs(cols[self.by_col])

    def attraction(self, packed, compute_kl):
        """``sum_j p_ij w_ij (y_i - y_j)`` over these pairs (each in both orders), packed as
        :func:`_complex_pairs` packs the map, and their ``sum p_ij log(p_ij / w_ij)`` when
        ``compute_kl`` (else 0).

        In float32 (complex64), like the pair repulsion: the sums of each part
        are then added in float64.
        """
        # rows are sorted: y_i for each pair is y_i repeated along its run (a
        # copy in order, cheaper than gathering y[rows])
        diffs = [np.repeat(z[self.row_ids], self.row_lengths) - z[self.cols] for z in packed]
        inv_w = 1.0 + sum((d * d.conj()).real for d in diffs)  # 1 / w_ij = 1 + ||y_i - y_j||^2
        pull = self.values32 / inv_w
        # the pair pulls i towards j and j towards i with opposite forces
        attraction = np.zeros(packed.shape, np.complex128)
        for c, d in enumerate(diffs):
            d *= pull
            attraction[c, self.row_ids] = np.add.reduceat(d, self.row_starts)
            attraction[c, self.col_ids] -= np.add.reduceat(np.take(d, self.by_col),
                                                           self.col_starts)
        # both orders of each pair: twice the upper-triangle sum
        p_log = (2.0 * float(np.sum(self.values * np.log(self.values * inv_w)))
                 if compute_kl else 0.0)
        return attraction, p_log


def _complex_pairs(Y):
    """The centred map's coordinates two by two as complex64 numbers ``y^(1) + i y^(2)``, ...

    Returns shape (ceil(d / 2), n_samples): one gather of a complex number
    moves two coordinates of a point, and ``|z_i - z_j|^2`` is the squared
    distance in those two. Centred first (no distance changes) so that
    float32 keeps the small differences; an odd last coordinate gets an
    imaginary part of 0.
    """
    n, dim = Y.shape
    Y = Y - Y.mean(axis=0)
    packed = np.zeros((-(-dim // 2), n), np.complex64)
    packed.real = Y[:, 0::2].T
    packed.imag[:dim // 2] = Y[:, 1::2].T
    return packed


def _real_coordinates(packed, dim):
    """The inverse of :func:`_complex_pairs`' packing: shape (n_samples, dim), float64."""
    Y = np.empty((packed.shape[1], dim))
    Y[:, 0::2] = packed.real.T
    Y[:, 1::2] = packed.imag[:dim // 2].T
    return Y


def _runs(sorted_ids):
    """The distinct values of a sorted array and where the run of each begins."""
    starts = np.flatnonzero(np.diff(sorted_ids, prepend=-1))
    return sorted_ids[starts], starts


