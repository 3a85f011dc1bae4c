"""The nearest centre of every row, fast: the labels of ``textbook.lloyd_step``'s E-step.

With ``x~_t = [x_t, 1]`` and ``c~_j = [-2 c_j, ||c_j||^2]``, the squared
distance is ``||x_t - c_j||^2 = ||x_t||^2 + c~_j.x~_t``, and the first term is
the same for every centre: one matrix product ``C~ X~^T`` gives a chunk's
(k, m) table of brackets, the nearest centre is each column's smallest
entry, and ``||x_t||^2`` is added to the winner only (see :mod:`~.lloyd`).
What makes it fast changes none of this:

* **a tournament** finds the smallest entry of each column of the table:
  rows 0 and 1 play, 2 and 3 play, ..., then the winners play in pairs, and
  so on, ``log2 k`` rounds of element-wise operations on whole rows (where
  ``np.argmin`` along the short axis would pay a per-row overhead). The
  right player wins only when strictly less, and every index on the right
  is above every index on the left, so a tie goes to the first centre, as
  ``argmin`` does;
* **one pass where few points move**: given each point's label before,
  its entry in the table is set aside and the others' minimum taken (one
  row-wide ``np.minimum`` per centre); only where that minimum is not above
  the set-aside entry does the column play the tournament;
* **chunks and buffers**: the rows go through in chunks whose table stays in
  the CPU's cache, written into buffers made once per thread (a fresh large
  array for every chunk costs more than the product that fills it);
* **threads**: NumPy releases the GIL in BLAS and in its element-wise loops,
  so threads take the chunks in turn, each chunk's product on one BLAS
  thread. The chunks are cut by the shapes alone, so the numbers do not
  depend on how many threads run them;
* **a float32 first pass** (:meth:`_Chunks.undecided_in_float32`): the
  table in float32 is twice as fast to compute and to scan; a column goes
  to float64 only where its float32 entries, whose rounding is bounded, do
  not tell the nearest centre apart (the points that move, ties, near ties),
  and those columns of every chunk go together, in one float64 pass whose
  table is laid out the other way, for ``np.argmin`` (:func:`_nearest_of_rows`);
* **the data stored by columns** (``XaT``, when there are few features):
  the product ``C~ X~^T`` of a chunk then reads rows of ``XaT``, which runs
  about twice as fast as reading ``X~``'s rows transposed.

The table's own tools (the product in parts, the tournament, the old
label's entry set aside, the rounding bound, the chunks, the buffers) are in
:mod:`~.bracket_tables`.

>>> Xa = np.array([[0.0, 1.0], [1.0, 1.0], [5.0, 1.0]])    # x~ = [x, 1]
>>> assign(Xa, np.array([0.0, 1.0, 25.0]), np.array([[0.0], [4.0]]))
(array([0, 0, 1]), array([0., 1., 1.]))
"""

from collections import namedtuple

import numpy as np

from scratch_genmod.core.blas import blas_threads
from scratch_genmod.core.threads import check_n_threads, map_in_threads
from scratch_genmod.density.fast.bracket_tables import (common_margin, even_chunks, gather_rows,
                                                        matrix_product, product, rounding_bound,
                                                        row_margins, set_aside, thread_buffer,
                                                        tournament)

__all__ = ["assign", "relabel", "Float32Copy", "float32_copy"]

# Entries of a chunk's table: 4 MB of float64, in the cache with its scratch rows...
_CHUNK_ELEMENTS = 1 << 19
# ...and at most this many rows (with few centres, longer chunks gain nothing more).
_MAX_ROWS = 1 << 16
# The float64 pass's chunks of gathered rows are this many times smaller: they and their
# table stay in a core's own cache, and the tens of thousands of rows of a fit's first
# steps go to several threads (200,000 rows, d = 8, k = 6: 42,000 rows, 2.1 -> 1.4 ms).
_GATHERED_SHARE = 8

Float32Copy = namedtuple("Float32Copy", "XaT margins largest_sq")
Float32Copy.__doc__ = """What :func:`relabel`'s float32 first pass reads, made once per fit (:func:`float32_copy`).

XaT : (d + 1, n) float32, ``Xa.T`` rounded to float32; margins : (n,)
float32, each row's part of the margin that the pass tests
(:func:`~.bracket_tables.row_margins`); largest_sq : float, the largest
``||x_t||^2`` (for :func:`~.bracket_tables.rounding_bound`).
"""


def float32_copy(XaT32, x_sq):
    """:class:`Float32Copy` of ``XaT32`` (``Xa.T`` rounded to float32) for rows with these ``||x_t||^2``.

    >>> float32_copy(np.ones((2, 3), dtype=np.float32), np.zeros(3)).margins
    array([0., 0., 0.], dtype=float32)
    """
    return Float32Copy(XaT32, row_margins(x_sq, XaT32.shape[0]), float(np.max(x_sq, initial=0.0)))


def assign(Xa, x_sq, centers, n_threads=1, second=False, rows=None, old=None, XaT=None):
    """Nearest centre and its squared distance for each row of ``Xa = with_ones(X)``, ``X`` centred.

    The rows go through in chunks of a fixed size (set by the shapes, never
    by the thread count), each chunk's product on one BLAS thread, the
    threads taking the chunks in turn: the numbers are the same on any
    number of threads.

    Parameters
    ----------
    Xa : ndarray of shape (n_samples, n_features + 1)
    x_sq : ndarray of shape (n_samples,)
        ``||x_t||^2``.
    centers : ndarray of shape (n_clusters, n_features)
    n_threads : int or None, default=1
        None: as many as the machine has free now (``core.threads``).
    second : bool, default=False
        Also return each row's squared distance to its second-nearest centre
        (``inf`` when there is one centre).
    rows : ndarray of int or None, default=None
        Only these rows (gathered a chunk at a time); None: every row.
    old : ndarray of int or None, default=None
        Each row's label before (a step's labels, for centres that moved a
        little): the same labels come back cheaper, see :meth:`_Chunks.keep_or_move`.
    XaT : ndarray of shape (n_features + 1, n_samples) or None, default=None
        ``Xa.T`` stored by rows, whose products run faster when there are
        few features (with ``rows=None`` only).

    Returns
    -------
    labels : ndarray of shape (n_rows,), dtype int64
    d2 : ndarray of shape (n_rows,)
    d2_second : ndarray of shape (n_rows,), only with ``second``

    Examples
    --------
    >>> Xa = np.array([[0.0, 1.0], [1.0, 1.0], [5.0, 1.0]])   # with_ones of 0, 1, 5
    >>> assign(Xa, np.array([0.0, 1.0, 25.0]), np.array([[0.0], [4.0]]), second=True)
    (array([0, 0, 1]), array([0., 1., 1.]), array([16.,  9., 25.]))
    """
    n = Xa.shape[0] if rows is None else len(rows)
    labels, d2 = np.empty(n, dtype=np.int64), np.empty(n)
    d2_second = np.empty(n) if second else None
    work = _Chunks(Xa, x_sq, centers, rows, labels, d2, d2_second, old, XaT)
    chunks = even_chunks(n, work.step)
    with blas_threads(1):  # the cores go to our threads, one chunk's product each
        map_in_threads(work.run, chunks, check_n_threads(n_threads))
    np.maximum(d2, 0.0, out=d2)  # rounding can make a true 0 slightly negative
    if not second:
        return labels, d2
    return labels, d2, np.maximum(d2_second, 0.0, out=d2_second)


def relabel(Xa, centers, labels, n_threads=1, XaT=None, x_sq=None, copy32=None):
    """The nearest centre of every row, given each row's label before: ``labels`` updated in place.

    The labels of :func:`assign` (ties to the first centre), computed as
    :meth:`_Chunks.keep_or_move` does, without the distances: a Lloyd step
    needs only which points moved.

    Parameters
    ----------
    Xa : ndarray of shape (n_samples, n_features + 1)
    centers : ndarray of shape (n_clusters, n_features)
    labels : ndarray of shape (n_samples,), dtype int64
        Each row's label before; on return, its nearest centre.
    n_threads : int or None, default=1
    XaT : ndarray of shape (n_features + 1, n_samples) or None, default=None
    x_sq : ndarray of shape (n_samples,) or None, default=None
    copy32 : Float32Copy or None, default=None
        ``XaT`` rounded to float32 (with ``XaT`` and ``x_sq``): the table is
        first computed in float32, twice as fast, and a column is computed
        again in float64 only where the float32 table cannot tell its
        nearest centre (:meth:`_Chunks.undecided_in_float32`).

    Returns
    -------
    moved : ndarray of int
        The rows whose label changed, in increasing order.
    was : ndarray of int
        Their labels before.

    Examples
    --------
    >>> labels = np.array([0, 0, 0])
    >>> relabel(np.array([[0.0, 1.0], [1.0, 1.0], [5.0, 1.0]]), np.array([[0.0], [4.0]]), labels)
    (array([2]), array([0]))
    >>> labels
    array([0, 0, 1])
    """
    work = _Chunks(Xa, x_sq, centers, None, labels, None, old=labels, XaT=XaT, copy32=copy32)
    n = len(labels)
    chunks = even_chunks(n, work.step)
    with blas_threads(1):
        changed = map_in_threads(work.run, chunks, check_n_threads(n_threads))
        if work.copy32 is None:
            moved = np.concatenate([rows + start for (start, _), (rows, _) in zip(chunks, changed)])
            return moved, np.concatenate([was for _, was in changed])
        # the rows float32 could not decide, every chunk's in one float64 pass (a
        # pass per chunk would cost a dozen NumPy calls for a few dozen rows)
        undecided = np.concatenate(changed)
        was = labels[undecided]
        found = _nearest_of_rows(Xa, work.ca, undecided, n_threads)
    moves = np.flatnonzero(found != was)
    labels[undecided[moves]] = found[moves]
    return undecided[moves], was[moves]


def _nearest_of_rows(Xa, ca, rows, n_threads):
    """``argmin_j c~_j . x~_t`` (the first on a tie) of the rows ``rows`` of ``Xa``: their nearest centres.

    For a few rows scattered in the data (those the float32 pass leaves
    undecided), the table is laid out the other way, a (m, k) product per
    chunk of gathered rows, so that ``np.argmin`` reads each row's k entries
    side by side: for a few thousand rows, a third of the time of
    :meth:`_Chunks.keep_or_move` (whose tournament pays for wide tables).
    The caller sets BLAS to one thread (the products run on ours). A lone
    row is multiplied as in a table (:func:`~.bracket_tables.matrix_product`),
    so that at an exact tie it takes the centre :func:`assign` gives it. (In
    some shapes, such as ``k = 100``, BLAS rounds a row of the two layouts
    differently however many rows: a label at an exact tie may then differ.)

    >>> Xa = np.array([[0.0, 1.0], [1.0, 1.0], [5.0, 1.0]])
    >>> ca = np.array([[0.0, 0.0], [-8.0, 16.0]])      # c~ of the centres 0 and 4
    >>> _nearest_of_rows(Xa, ca, np.array([2, 0]), 1)
    array([1, 0])
    """
    caT = np.ascontiguousarray(ca.T)
    labels = np.empty(len(rows), dtype=np.int64)

    def run(part):  # into this thread's buffers: new memory costs more than the product
        block = slice(*part)
        gathered = gather_rows(Xa, rows[block])
        table = thread_buffer("table", (len(gathered), len(ca)))
        np.argmin(matrix_product(gathered, caT, table), axis=1, out=labels[block])

    step = max(1, _CHUNK_ELEMENTS // (_GATHERED_SHARE * max(ca.shape)))  # (step, k), (step, d + 1)
    map_in_threads(run, even_chunks(len(rows), step), check_n_threads(n_threads))
    return labels


class _Chunks:
    """The work on one chunk of rows, writing into ``labels``, ``d2`` (and ``d2_second``)."""

    def __init__(self, Xa, x_sq, centers, rows, labels, d2, d2_second=None, old=None, XaT=None,
                 copy32=None):
        self.Xa, self.x_sq, self.rows, self.old = Xa, x_sq, rows, old
        self.XaT = XaT if rows is None else None
        # the float32 first pass: labels only, from old ones, every row
        self.copy32 = copy32 if (rows is None and old is not None and d2 is None
                                 and XaT is not None and x_sq is not None) else None
        self.labels, self.d2, self.d2_second = labels, d2, d2_second
        c_sq = np.einsum("ij,ij->i", centers, centers)
        self.ca = np.hstack([-2.0 * centers, c_sq[:, None]])  # c~_j = [-2 c_j, ||c_j||^2]
        k, d1 = self.ca.shape
        if self.copy32 is not None:
            self.ca32 = self.ca.astype(np.float32)
            self.margin = common_margin(rounding_bound(self.ca, copy32.largest_sq, c_sq)[1])
        self.step = max(1, min(_MAX_ROWS, _CHUNK_ELEMENTS // k))  # a (k, step) table in cache...
        if rows is not None or XaT is None:  # ...and a block of rows of at most as much
            self.step = min(self.step, max(1, _CHUNK_ELEMENTS // d1))

    def run(self, part):
        """Labels (and distances) of the rows ``part[0]`` to ``part[1] - 1``.

        Returns the rows (of the chunk) whose label differs from ``old`` and
        their old labels, or None without ``old``; in the float32 first pass,
        the rows it cannot decide (:meth:`undecided_in_float32`).
        """
        block = slice(*part)
        m = block.stop - block.start
        if self.copy32 is not None:
            return self.undecided_in_float32(block)
        table = thread_buffer("table", (len(self.ca), m))  # table[j, t] = c~_j . x~_t
        if self.XaT is not None:
            product(self.ca, self.XaT[:, block], table)
        else:
            product(self.ca, self.block(block).T, table)
        labels = self.labels[block]
        d2 = None if self.d2 is None else self.d2[block]
        second = None if self.d2_second is None else self.d2_second[block]
        changed = None
        if self.old is None:
            tournament(table, d2, labels)
            if second is not None:  # the winner out, the best of the rest
                table[labels, np.arange(m)] = np.inf
                np.min(table, axis=0, out=second)
        else:
            changed = self.keep_or_move(table, self.old[block], labels, d2, second)
        if d2 is not None:
            x_sq = self.x_sq[block] if self.rows is None else self.x_sq[self.rows[block]]
            d2 += x_sq
            if second is not None:
                second += x_sq
        return changed

    def keep_or_move(self, table, old, labels, d2=None, second=None):
        """The tournament's labels (and minima), from one pass over ``table`` where few points move.

        Each column's entry of its old label is taken out (set to inf), and
        the rest's minimum taken: where it is above the old label's entry,
        that label is still the only nearest; elsewhere (another centre as
        near, or nearer) the column plays the tournament. Same labels, ties
        to the first centre included, and the same ``d2``. ``labels`` may be
        ``old`` itself, updated in place. Returns the columns whose label
        changed and their old labels.
        """
        others = thread_buffer("others", (table.shape[1],)) if second is None else second
        flat, own = set_aside(table, old, others)
        entries = table.reshape(-1)
        doubt = np.flatnonzero(others <= own)
        was = old[doubt]  # a copy, before labels (perhaps old itself) change
        if labels is not old:
            np.copyto(labels, old)
        if d2 is not None:
            np.copyto(d2, own)
        if doubt.size:
            entries[flat[doubt]] = own[doubt]
            columns = table[:, doubt]
            best, winner = np.empty(doubt.size), np.empty(doubt.size, dtype=np.int64)
            tournament(columns, best, winner)
            labels[doubt] = winner
            if d2 is not None:
                d2[doubt] = best
            if second is not None:
                columns[winner, np.arange(doubt.size)] = np.inf
                second[doubt] = np.min(columns, axis=0)
        changed = np.flatnonzero(labels[doubt] != was)
        return doubt[changed], was[changed]

    def undecided_in_float32(self, block):
        """The rows of ``block`` whose old label a float32 table cannot confirm (indices of ``Xa``).

        Every entry of the float32 table is within ``e_t = A ||x_t||^2 + B``
        of the float64 one (:func:`rounding_bound`). Where the others'
        float32 minimum exceeds the old label's entry by more than ``2 e_t``,
        the old label is the strict float64 minimum too: that row keeps it.
        The test runs in float32 against the enlarged margins
        ``row_margins + common_margin``: ``(others - own) - row_margin >
        common_margin``, each subtraction rounded, still implies
        ``others - own > 2 e_t`` (:func:`~.bracket_tables.row_margins`).
        The other rows (the points that move, ties, near ties) are returned
        for :func:`relabel` to decide in float64, all chunks' at once.
        """
        k, m = len(self.ca), block.stop - block.start
        table = thread_buffer("table32", (k, m), np.float32)
        product(self.ca32, self.copy32.XaT[:, block], table)
        others = thread_buffer("others32", (m,), np.float32)
        _, own = set_aside(table, self.old[block], others)
        gap = np.subtract(others, own, out=others)
        gap -= self.copy32.margins[block]
        undecided = np.flatnonzero(gap <= self.margin)
        undecided += block.start
        return undecided

    def block(self, block):
        """``Xa`` of the rows at positions ``block``."""
        if self.rows is None:
            return self.Xa[block]
        return gather_rows(self.Xa, self.rows[block])
