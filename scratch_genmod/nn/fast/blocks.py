"""Element-wise updates of many arrays, block by block, on several threads.

Part of the fast layer, used by :mod:`~scratch_genmod.nn.fast.optimizer_updates`. An
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

import threading
from concurrent.futures import wait

import numpy as np

from scratch_genmod.core.threads import submit_as_caller, worker_pool

__all__ = ["for_each_block", "BLOCK", "MIN_PER_THREAD"]

# Entries per block: 5 float32 blocks (2.5 MB a thread) stay in the shared cache, and
# each NumPy call is long enough (~30 us) that two threads seldom queue for the GIL
# between calls (2 ** 16: 3.08 ms per Adam step of the MNIST network on 2 threads,
# 2 ** 17: 2.90, 2 ** 13: 13.5; PyTorch's Adam: 3.3).
BLOCK = 2 ** 17
MIN_PER_THREAD = 2 ** 18  # a thread is worth its cost from about this many entries

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
    pool = worker_pool(len(groups) - 1)
    futures = [submit_as_caller(pool, _run, update, group, scalars) for group in groups[1:]]
    try:
        _run(update, groups[0], scalars)
    finally:  # never return while a worker still writes, even on Ctrl-C
        wait(futures)
    for future in futures:
        future.result()  # re-raise a worker's exception here


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
