"""The (k, m) table of brackets ``c~_j . x~_t`` of a chunk of rows, and what a pass over it needs.

The tools :mod:`~.nearest_centers` builds its assignment from: the product
that fills a chunk's table (:func:`product`, :func:`matrix_product`), its column-wise minimum with
the first index on a tie (:func:`tournament`), the old label's entry set
aside (:func:`set_aside`), the bound on a float32 entry's rounding
(:func:`rounding_bound`) and the float32 decision's margins
(:func:`row_margins`, :func:`common_margin`), the cut of the rows into
chunks (:func:`even_chunks`) and each thread's buffers (:func:`thread_buffer`,
:func:`gather_rows`).
"""

import math
import threading

import numpy as np

__all__ = ["product", "matrix_product", "set_aside", "tournament", "rounding_bound", "row_margins",
           "common_margin", "even_chunks",
           "gather_rows", "thread_arange", "thread_buffer"]

# The float32 decision's margins are enlarged by this factor (row_margins).
_MARGIN_SLACK = 1.0 + 2.0 ** -16
# Multiply-adds of one product in product(), and its fewest columns.
_PRODUCT_MULTIPLY_ADDS = 1 << 19
_MIN_PRODUCT_COLUMNS = 2048

_local = threading.local()  # each thread's buffers, kept from call to call


def product(ca, columns, table):
    """``table = ca @ columns``, a few hundred or thousand columns at a time.

    With ``k`` centres and ``d + 1`` columns of ``X~``, each product has
    ``k (d + 1) s`` multiply-adds for ``s`` columns. OpenBLAS runs such short,
    wide products about twice as fast per entry when there are at most
    about a million of them (measured: ``k = 6`` to ``32``, ``d + 1 = 3`` to
    ``33``, in float32 and float64), and the table's columns so written
    stay in the cache for the passes that follow. Where that would make
    parts of fewer than ``_MIN_PRODUCT_COLUMNS`` columns (``k (d + 1)``
    above 256), each part is a call of a few microseconds, and two threads
    making such calls wait for each other: there the whole product is one
    call (measured on two threads, d = 8 to 32, k = 16 and 32: 5 to 18 %
    faster; on one thread within 5 %). The cut depends on the shapes alone,
    so the numbers do not depend on the threads. Each part goes through
    :func:`matrix_product` (a part of a single column too).

    >>> table = np.empty((2, 3))
    >>> product(np.array([[1.0, 0.0], [0.0, 2.0]]), np.arange(6.0).reshape(2, 3), table)
    >>> table
    array([[ 0.,  1.,  2.],
           [ 6.,  8., 10.]])
    """
    k, d1 = ca.shape
    step = _PRODUCT_MULTIPLY_ADDS // (k * d1)
    if step < _MIN_PRODUCT_COLUMNS:  # many centres and features: one call
        step = columns.shape[1]
    for start in range(0, columns.shape[1], step):
        part = slice(start, start + step)
        matrix_product(ca, columns[:, part], table[:, part])


def matrix_product(A, B, out):
    """``out = A @ B``, where a single row of ``A`` or column of ``B`` is multiplied as two copies of itself.

    Alone, a row (or column) goes through BLAS's matrix-vector kernel, whose
    roundings differ from its matrix kernel's: in 60 to 100 of 100 random
    trials per shape, a row's entries differed in the last bit from the same
    row's within a product of several. At an exact tie a point's label would
    then depend on whether it came alone (``KMeans.predict`` of one row
    against the same row in a batch). Two rows or more gave the bits of the
    row within a larger product for ``d + 1 <= 56`` and ``k <= 40``.

    >>> out = np.empty((1, 2))
    >>> matrix_product(np.array([[1.0, 2.0]]), np.eye(2), out)
    array([[1., 2.]])
    """
    if A.shape[0] == 1:
        np.copyto(out, np.matmul(A[[0, 0]], B)[:1])
    elif B.shape[1] == 1:
        np.copyto(out, np.matmul(A, B[:, [0, 0]])[:, :1])
    else:
        np.matmul(A, B, out=out)
    return out


def set_aside(table, old, others):
    """Each column's entry of its old label taken out of ``table`` (set to inf), the rest's minimum into ``others``.

    Returns the entries' positions in ``table.reshape(-1)`` (a buffer, valid
    until this thread's next call) and their values.

    >>> table, others = np.array([[3.0, 1.0], [1.0, 2.0]]), np.empty(2)
    >>> flat, own = set_aside(table, np.array([0, 1]), others)
    >>> own, others          # entries (0, 0) and (1, 1) set aside; the others' minima
    (array([3., 2.]), array([1., 1.]))
    """
    m = table.shape[1]
    flat = thread_buffer("flat", (m,), np.int64)  # position of entry (old[t], t)
    np.multiply(old, m, out=flat)
    flat += thread_arange(m)
    entries = table.reshape(-1)
    own = entries.take(flat)
    entries[flat] = np.inf
    table.min(axis=0, out=others)
    return flat, own


def tournament(table, minimum, labels):
    """Each column's smallest entry of ``table`` (k, m) into ``minimum``, its row (the first on a tie) into ``labels``.

    Same as ``np.min(table, axis=0)`` and ``np.argmin(table, axis=0)``, in
    ``log2 k`` rounds of row-wide operations (see the module's notes).

    >>> table = np.array([[3.0, 1.0, 2.0], [1.0, 1.0, 5.0], [2.0, 0.0, 2.0]])
    >>> minimum, labels = np.empty(3), np.empty(3, dtype=int)
    >>> tournament(table, minimum, labels)
    >>> minimum, labels
    (array([1., 0., 2.]), array([1, 2, 0]))
    """
    k, m = table.shape
    index_type = np.min_scalar_type(k)
    values, winners = table, np.zeros((1, m), dtype=index_type)  # one player: centre 0
    for turn in range(k.bit_length()):
        r = values.shape[0]
        if r == 1:
            break
        h, odd = r // 2, r % 2
        out_v = thread_buffer(f"values{turn % 2}", (h + odd, m))
        out_w = thread_buffer(f"winners{turn % 2}", (h + odd, m), index_type)
        right_wins = thread_buffer("right_wins", (h, m), bool)
        left, right = values[0:2 * h:2], values[1:2 * h:2]
        np.less(right, left, out=right_wins)
        np.minimum(left, right, out=out_v[:h])
        if turn == 0:  # players 2i and 2i + 1
            np.add(right_wins, np.arange(0, 2 * h, 2, dtype=index_type)[:, None], out=out_w[:h])
        else:  # every index on the right is larger: max(left's, [right wins] * right's)
            np.multiply(winners[1:2 * h:2], right_wins, out=out_w[:h])
            np.maximum(out_w[:h], winners[0:2 * h:2], out=out_w[:h])
        if odd:  # the last player waits for the next round
            out_v[h] = values[-1]
            out_w[h] = r - 1 if turn == 0 else winners[-1]
        values, winners = out_v, out_w
    np.copyto(minimum, values[0])
    np.copyto(labels, winners[0])


def rounding_bound(ca, largest_sq, c_sq):
    """``(A, B)``: a float32 entry ``c~_j . x~_t`` is within ``A ||x_t||^2 + B`` of the float64 one.

    ``largest_sq`` is the largest ``||x_t||^2``, ``c_sq`` each ``||c_j||^2``.

    Each product of a dot product of ``d + 1`` terms carries a relative
    rounding of its two inputs and itself, and the sum adds one per term: at
    most ``(d + 4) u`` times ``sum_i |c~_ji| |x~_ti| <= ||x_t||^2 + 2 ||c_j||^2``
    (``2 |c_ji| |x_ti| <= c_ji^2 + x_ti^2``), with ``u = 2^-24`` for float32;
    ``A`` takes ``1.25 (d + 5) u`` (:func:`_relative_rounding`), which also
    covers the float64 entry's far smaller rounding. ``B`` adds what
    no relative bound holds: numbers below float32's smallest normal number,
    each off by up to ``2^-149`` times the largest factor.

    >>> A, B = rounding_bound(np.zeros((1, 2)), 1.0, np.array([0.0]))
    >>> A == 1.25 * (2 + 4) * 2.0 ** -24, B < 1e-40      # d + 1 = 2 columns; tiny B
    (True, True)
    """
    d1 = ca.shape[1]
    A = _relative_rounding(d1)
    # |x_ti| <= ||x_t||, and the last entry of x~_t is 1
    largest = 2.0 + float(abs(ca).max()) + math.sqrt(largest_sq)
    B = A * 2.0 * float(c_sq.max(initial=0.0)) + 4.0 * d1 * 2.0 ** -149 * largest
    return A, B


def row_margins(x_sq, d1):
    """Each row's part of the float32 decision's margin: ``2 A ||x_t||^2`` in float32, a little enlarged.

    ``A`` is :func:`rounding_bound`'s for ``d1 = d + 1`` columns. It
    depends on the data alone, so a fit computes these once; each step adds
    its centres' part, :func:`common_margin`. The factor ``1 + 2^-16``
    covers the rounding of this float32 number and of the float32
    subtractions that test it (a few ``u = 2^-24``, see
    ``nearest_centers._Chunks.undecided_in_float32``).

    >>> row_margins(np.array([1.0, 4.0]), 2) > 2 * 1.25 * (2 + 4) * 2.0 ** -24 * np.array([1.0, 4.0])
    array([ True,  True])
    """
    return (x_sq * (2.0 * _relative_rounding(d1) * _MARGIN_SLACK)).astype(np.float32)


def common_margin(B):
    """The part of the float32 decision's margin that every row shares: ``2 B``, a little enlarged, in float32.

    Enlarged as :func:`row_margins`, and by ``2^-146``: a float32
    subtraction whose result is below float32's smallest normal number is
    off by up to ``2^-150``, not by a relative amount.

    >>> bool(common_margin(0.0) == np.float32(2.0 ** -146))
    True
    """
    return np.float32(2.0 * B * _MARGIN_SLACK + 2.0 ** -146)


def _relative_rounding(d1):
    """:func:`rounding_bound`'s ``A = 1.25 (d1 + 4) u`` for ``d1`` columns, ``u = 2^-24``."""
    return 1.25 * (d1 + 4) * float(np.finfo(np.float32).eps) / 2


def even_chunks(n, step):
    """``(start, stop)`` of the fewest chunks of at most ``step`` rows, of equal sizes (give or take one).

    Equal chunks keep the threads busy to the end: 200,000 rows in chunks of
    at most 65,536 are 4 chunks of 50,000, two per thread, where 3 full
    chunks and a short one would leave one thread waiting for the other's
    second. The cut depends on ``n`` and ``step`` alone.

    >>> even_chunks(10, 4)
    [(0, 3), (3, 6), (6, 10)]
    """
    n_chunks = -(-n // step)
    if n_chunks == 0:  # no rows, no chunks
        return []
    cuts = [n * i // n_chunks for i in range(n_chunks + 1)]
    return list(zip(cuts[:-1], cuts[1:]))


def thread_arange(m):
    """``np.arange(m)``, from this thread's buffer."""
    counting = _local.__dict__.get("arange")
    if counting is None or len(counting) < m:
        counting = _local.arange = np.arange(max(m, 1))
    return counting[:m]


def gather_rows(A, index):
    """``A[index]``, rows of ``A``, into this thread's buffer (valid until its next call).

    ``np.take`` with ``out`` copies through a buffer of its own unless
    ``mode="clip"`` (1.6x slower for 60,000 rows of 33 columns); the indices
    here are the library's own, always in range. A buffer kept from call to
    call spares the new memory a fresh array of gathered rows would be.

    >>> gather_rows(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.array([2, 0]))
    array([[5., 6.],
           [1., 2.]])
    """
    out = thread_buffer("gathered", (len(index),) + A.shape[1:], A.dtype)
    return np.take(A, index, axis=0, out=out, mode="clip")


def thread_buffer(name, shape, dtype=np.float64):
    """This thread's buffer called ``name``, of ``shape``, reused from call to call."""
    size = math.prod(shape)
    buf = _local.__dict__.get((name, np.dtype(dtype)))
    if buf is None or buf.size < size:
        buf = np.empty(size, dtype=dtype)
        _local.__dict__[(name, np.dtype(dtype))] = buf
    return buf[:size].reshape(shape)
