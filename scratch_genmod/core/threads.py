"""A small pool of worker threads, shared by every part of the library that uses several cores.

NumPy releases the GIL inside BLAS and inside most element-wise loops, so
Python threads that each work on their own part of an array run on
different cores at the same time. The pool is made once, at the first
parallel call, and grows when a caller asks for more threads; a child made
by ``fork`` has none of its parent's threads, so it makes its own.

>>> map_in_threads(lambda part: sum(part), [[1, 2], [3], [4, 5, 6]], n_threads=2)
[3, 3, 15]
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor, wait

import numpy as np

from scratch_genmod.core.validation import check_scalar

__all__ = ["check_n_threads", "map_in_threads", "worker_pool", "submit_as_caller"]

_pool = None              # worker threads, made at the first parallel call...
_pool_size = 0            # ...this many of them...
_pool_pid = None          # ...in this process (a forked child has none of them)
_pool_lock = threading.Lock()


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


def map_in_threads(function, parts, n_threads):
    """``[function(part) for part in parts]``, the parts run at the same time on up to ``n_threads`` threads.

    The caller's thread runs the first part itself, each worker of the pool
    one of the next ones. With more parts than threads, each thread takes
    the next part not yet started as soon as it is free, so one long part
    leaves the others to the other threads; the results still come back in
    the order of the parts (so a sum of them, taken in that order, is the
    same whichever thread ran what). A part's exception is raised here,
    after every part has finished.

    >>> map_in_threads(lambda part: part * part, range(5), n_threads=2)
    [0, 1, 4, 9, 16]
    """
    parts = list(parts)
    if n_threads == 1 or len(parts) <= 1:
        return [function(part) for part in parts]
    results = [None] * len(parts)
    queue = iter(range(1, len(parts)))  # part 0 is the caller's
    lock = threading.Lock()

    def take_parts_in_turn(i):
        while i is not None:
            results[i] = function(parts[i])
            with lock:
                i = next(queue, None)

    n_workers = min(n_threads, len(parts)) - 1
    pool = worker_pool(n_workers)
    with lock:
        futures = [submit_as_caller(pool, take_parts_in_turn, next(queue))
                   for _ in range(n_workers)]
    try:
        take_parts_in_turn(0)
    finally:  # never return while a worker still writes, even on Ctrl-C
        wait(futures)
    for future in futures:
        future.result()  # re-raise a worker's exception here
    return results


def submit_as_caller(pool, function, *args):
    """``pool.submit(function, *args)``, run under the caller's floating-point settings.

    ``np.errstate`` holds for one thread only: without this, a worker warns
    (or raises) where its caller asked NumPy to ignore an overflow, say, and
    one part of a job behaves unlike the part the caller runs itself.
    """
    settings = np.geterr()

    def as_caller():
        with np.errstate(**settings):
            return function(*args)

    return pool.submit(as_caller)


def worker_pool(n_workers):
    """A pool with at least ``n_workers`` threads (None when none is needed)."""
    global _pool, _pool_size, _pool_pid
    if n_workers == 0:
        return None
    with _pool_lock:
        if _pool_pid != os.getpid():  # a child made by fork: the parent's threads are not here
            _pool, _pool_size = None, 0
        if _pool_size < n_workers:
            old = _pool
            _pool = ThreadPoolExecutor(n_workers, thread_name_prefix="scratch_genmod-worker")
            _pool_size, _pool_pid = n_workers, os.getpid()
            if old is not None:
                old.shutdown(wait=False)  # its queued work still runs
        return _pool
