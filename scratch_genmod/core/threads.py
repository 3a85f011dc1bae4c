"""How many threads the library's long work uses, and the pool of worker threads that runs it.

NumPy releases the GIL inside BLAS and inside most element-wise loops, so
Python threads that each work on their own part of an array run on
different cores at the same time. The pool is made once, at the first
parallel call, and grows when a caller asks for more threads; a child made
by ``fork`` has none of its parent's threads, so it makes its own.

How many: an estimator's ``n_threads`` when given; else ``OMP_NUM_THREADS``
(or ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS``) when set; else what
:func:`set_threads` (or the :func:`use_threads` block) fixed; else the cores
that are free now (:func:`free_cores`: the cores this process may use,
less the threads of other processes running at this moment), read again
at most once a second, so a fit that starts on a quiet machine steps down
when another job starts, and back up when it ends. The work is cut into
parts that do not depend on the count, each part's products on one BLAS
thread (:mod:`scratch_genmod.core.blas`), so the count changes the speed,
never the numbers.

>>> map_in_threads(lambda part: sum(part), [[1, 2], [3], [4, 5, 6]], n_threads=2)
[3, 3, 15]
"""

import contextlib
import glob
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait

import numpy as np

from scratch_genmod.core.validation import check_scalar

__all__ = ["check_n_threads", "map_in_threads", "worker_pool", "submit_as_caller",
           "set_threads", "use_threads", "free_cores", "ENV_VARS"]

#: Environment variables that fix the thread count (the first one set wins).
ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
RECHECK_SECONDS = 1.0     # the load is read again at most this often

_fixed = None             # set_threads(n)
_load_choice = (None, -float("inf"))  # (threads, when) of the last reading of the load

_pool = None              # worker threads, made at the first parallel call...
_pool_size = 0            # ...this many of them...
_pool_pid = None          # ...in this process (a forked child has none of them)
_pool_lock = threading.Lock()


def check_n_threads(n_threads):
    """``n_threads`` as an int >= 1; None: the count the module docstring describes.

    >>> check_n_threads(3)
    3
    >>> with use_threads(2):
    ...     check_n_threads(None) == (_env_threads() or 2)
    True
    """
    if type(n_threads) is int and n_threads >= 1:  # the common case, read at each step of a fit
        return n_threads
    if n_threads is not None:
        return check_scalar(n_threads, "n_threads", int, min_val=1)
    return _env_threads() or _fixed or _threads_for_load()


def set_threads(n):
    """Fix the threads of the library's long work at ``n`` (None: follow the load again).

    ``OMP_NUM_THREADS`` and friends still win when set, and an estimator's
    own ``n_threads`` wins over both. Results do not depend on ``n``.

    >>> set_threads(1); check_n_threads(None) == (_env_threads() or 1)
    True
    >>> set_threads(None)
    """
    global _fixed
    _fixed = None if n is None else check_scalar(n, "n", int, min_val=1)


@contextlib.contextmanager
def use_threads(n):
    """Within the block, :func:`set_threads` ``(n)``; the previous setting comes back after.

    >>> import scratch_genmod as sg
    >>> with sg.use_threads(1):
    ...     pass
    """
    global _fixed
    previous = _fixed
    set_threads(n)
    try:
        yield
    finally:
        _fixed = previous


def free_cores():
    """The cores this process may use, less the threads of other processes running now.

    Linux counts the threads ready to run in ``/proc/loadavg`` (the 4th
    field's numerator, this moment's count rather than the 1-minute load
    average, which lags by a minute); this process's own running threads
    (``/proc/self/task``) are taken out. Three readings 0.5 ms apart, the
    middle one kept. Elsewhere: the cores less ``os.getloadavg()[0]``.

    >>> 1 <= free_cores() <= _cpu_count()
    True
    """
    n_cpus = _cpu_count()
    try:
        readings = []
        for attempt in range(3):
            if attempt:
                time.sleep(0.0005)
            readings.append(_running_elsewhere())
        busy = sorted(readings)[1]
    except (OSError, ValueError, IndexError):
        busy = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return int(max(1, min(n_cpus, round(n_cpus - busy))))


def _threads_for_load():
    """:func:`free_cores`, read again at most every ``RECHECK_SECONDS``."""
    global _load_choice
    count, when = _load_choice
    now = time.monotonic()
    if now - when > RECHECK_SECONDS:
        count = free_cores()
        _load_choice = (count, now)
    return count


def _running_elsewhere():
    """Threads ready to run now in the whole machine, less this process's."""
    with open("/proc/loadavg") as f:
        running = int(f.read().split()[3].split("/")[0])
    own = 0
    for stat in glob.glob("/proc/self/task/*/stat"):
        try:
            with open(stat) as f:
                own += f.read().rsplit(")", 1)[1].split()[0] == "R"
        except OSError:  # the thread ended meanwhile
            pass
    return max(0, running - max(own, 1))  # the reader runs: at least one of ours


def _env_threads():
    """The first of ``ENV_VARS`` set to a positive integer (at most the CPUs), or None."""
    for name in ENV_VARS:
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) >= 1:
            return min(int(value), _cpu_count())  # a limit, never more than the CPUs
    return None


def _cpu_count():
    available = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return len(available) if available else (os.cpu_count() or 1)


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
