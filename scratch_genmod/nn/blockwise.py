"""Element-wise updates of many arrays, block by block, on several threads.

Part of the fast layer (see :mod:`~scratch_genmod.nn.inplace`). An
optimiser's step is a dozen element-wise operations (``m <- b1 m + (1 - b1)
g``, ``sqrt``, a division...) over every parameter: for the course's MNIST
network, a dozen passes over 2.2 million numbers per step. Written as one
NumPy operation per whole array, each pass reads and writes memory far
larger than the CPU's caches, on one core. Two changes make it faster
without changing a single bit of the result (each entry gets exactly the
same operations, in the same order):

* **blocks**: cut the arrays into aligned blocks of ``BLOCK`` entries and do
  *all* the operations on one block before the next; the block then stays
  in the cache, so memory is read and written once instead of ten times;
* **threads**: NumPy releases the GIL inside its element-wise loops, so
  blocks given to different threads run on different cores at the same time.

>>> theta, g = np.ones(5), np.arange(5.0)
>>> def sgd_step(theta, g, tmp, lr):  # tmp: a scratch block as long as theta
...     theta -= np.multiply(g, lr, out=tmp)
>>> for_each_block(sgd_step, [(theta, g)], lr=0.5)
>>> theta
array([ 1. ,  0.5,  0. , -0.5, -1. ])
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor, wait

import numpy as np

from scratch_genmod.core import check_scalar

__all__ = ["for_each_block", "check_n_threads"]

BLOCK = 2 ** 16           # entries per block: 5 float32 blocks (~1.3 MB) fit in L2 cache
MIN_PER_THREAD = 2 ** 18  # a thread is worth its cost from about this many entries

_pool = None              # worker threads, made at the first parallel update...
_pool_size = 0            # ...this many of them...
_pool_pid = None          # ...in this process (a forked child has none of them)
_pool_lock = threading.Lock()
_local = threading.local()  # one scratch block per thread


def for_each_block(update, rows, n_threads=1, **scalars):
    """Call ``update(*blocks, tmp, **scalars)`` on aligned blocks of every row of arrays.

    Parameters
    ----------
    update : callable
        ``update(a_1, ..., a_k, tmp, **scalars)`` works on 1-D blocks of the
        same length, updating some of them in place; ``tmp`` is a scratch
        block of that length (float, in the dtype of ``a_1``).
    rows : list of tuples of ndarrays
        ``(a_1, ..., a_k)`` for each parameter: C-contiguous arrays of the
        same size (viewed as 1-D, so that what ``update`` writes lands in them).
    n_threads : int, default=1
        At most this many threads (the caller's included) share the blocks;
        fewer for small arrays.
    **scalars
        Passed on to ``update``.
    """
    for i, row in enumerate(rows):
        for j, a in enumerate(row):
            if not (isinstance(a, np.ndarray) and a.flags.c_contiguous):
                raise ValueError(f"rows[{i}][{j}] must be a C-contiguous ndarray (a 1-D view of "
                                 "it is updated in place)")
    blocks = [tuple(a.reshape(-1)[start:start + BLOCK] for a in row) if row[0].size > BLOCK
              else row  # a small array is its own block, without reshaping
              for row in rows for start in range(0, row[0].size, BLOCK)]
    if n_threads == 1 or len(blocks) * BLOCK < 2 * MIN_PER_THREAD:  # one thread: no pool
        _run(update, blocks, scalars)
        return
    groups = _split(blocks, n_threads)
    pool = _worker_pool(len(groups) - 1)
    futures = [pool.submit(_run, update, group, scalars) for group in groups[1:]]
    try:
        _run(update, groups[0], scalars)
    finally:  # never return while a worker still writes, even on Ctrl-C
        wait(futures)
    for future in futures:
        future.result()  # re-raise a worker's exception here


def check_n_threads(n_threads):
    """``n_threads`` as an int >= 1.

    None means the CPUs this process may use, or fewer if the environment
    variable ``OMP_NUM_THREADS`` says so (as it does for NumPy's BLAS): a
    user who runs several jobs side by side with ``OMP_NUM_THREADS=1``
    gets one thread here too.
    """
    if n_threads is not None:
        return check_scalar(n_threads, "n_threads", int, min_val=1)
    available = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    n_cpus = len(available) if available else (os.cpu_count() or 1)
    limit = os.environ.get("OMP_NUM_THREADS", "").strip()
    return min(n_cpus, int(limit)) if limit.isdigit() and int(limit) >= 1 else n_cpus


def _split(blocks, n_threads):
    """Consecutive groups of blocks with about equal numbers of entries, one per thread."""
    sizes = np.cumsum([block[0].size for block in blocks])
    total = int(sizes[-1]) if len(blocks) else 0
    n_groups = max(1, min(n_threads, total // MIN_PER_THREAD))
    # group j takes the blocks whose last entry falls in the j-th n_groups'th of the total
    cuts = np.searchsorted(sizes, [total * j / n_groups for j in range(1, n_groups)])
    bounds = [0, *(int(c) + 1 for c in cuts), len(blocks)]
    return [blocks[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:])]


def _run(update, blocks, scalars):
    for arrays in blocks:
        update(*arrays, _scratch(arrays[0]), **scalars)


def _scratch(block):
    """This thread's scratch block, of ``block``'s shape, reused from call to call."""
    buf = _local.__dict__.get(block.dtype)
    if buf is None or buf.size < block.size:
        buf = np.empty(max(block.size, BLOCK), dtype=block.dtype)
        _local.__dict__[block.dtype] = buf
    return buf[: block.size].reshape(block.shape)


def _worker_pool(n_workers):
    """A pool with at least ``n_workers`` threads (None when none is needed)."""
    global _pool, _pool_size, _pool_pid
    if n_workers == 0:
        return None
    with _pool_lock:
        if _pool_pid != os.getpid():  # a child made by fork: the parent's threads are not here
            _pool, _pool_size = None, 0
        if _pool_size < n_workers:
            old = _pool
            _pool = ThreadPoolExecutor(n_workers, thread_name_prefix="scratch_genmod-update")
            _pool_size, _pool_pid = n_workers, os.getpid()
            if old is not None:
                old.shutdown(wait=False)  # its queued work still runs
        return _pool
