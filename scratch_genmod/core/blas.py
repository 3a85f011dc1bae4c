"""How many threads NumPy's BLAS uses, read and set at run time.

NumPy's matrix products run in its own copy of OpenBLAS, which starts as
many threads as there are cores and keeps that number unless told
otherwise. Two reasons to tell it otherwise, here:

* on a busy machine a product cut among threads waits for the slowest,
  whose core another job holds (the issue measured 3 to 9 times slower
  than one thread);
* a float32 product cut among 2 threads is not the same to the last bit as
  on 1 thread, so a thread count that follows the load would change results;
* after a product cut among its threads, OpenBLAS keeps them spinning,
  waiting for more, for 0.1 to 0.2 s (measured on 2 cores): each holds a
  core that the library's own threads then need. So a fit that uses them
  (k-means, a mixture, t-SNE, the kernel sums) runs every product on one
  BLAS thread, its stray ones too (a mean, a covariance); the other models'
  products go in parts to the library's threads (:mod:`scratch_genmod.core.products`).

So the library's long work runs its products with one BLAS thread each,
parts of a fixed size side by side on its own pool
(:mod:`scratch_genmod.core.threads`), and puts the old count back after.
The factorizations (Cholesky factors, solves, ``eigh`` and ``svd`` of
d x d or thin matrices) run on one BLAS thread too: at these sizes a second
thread saves little when the machine is free, and beside two busy processes
each Cholesky factor of the tour's VAE section (matrices up to 784 x 784)
took 0.2 s, its threads waiting for their turn: the section took 15.6 s,
against 3.1 s on one thread.

The count is set through threadpoolctl when it is installed, otherwise
through the library's own exported function, found with ``ctypes`` in the
libraries this process has loaded (``/proc/self/maps``): OpenBLAS names it
``openblas_set_num_threads``, and the copy NumPy's wheels ship
(scipy-openblas) ``scipy_openblas_set_num_threads64_``. Where neither is
found (another BLAS, another system) nothing is changed.

>>> with blas_threads(1):
...     inside = blas_thread_count()
>>> inside in (1, None)          # None: no BLAS whose threads can be set
True
"""

import contextlib
import ctypes
import importlib
import threading

__all__ = ["blas_threads", "blas_thread_count"]

# the setter and getter names of OpenBLAS builds, newest packaging first
_SYMBOLS = [("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
            ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
            ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
            ("openblas_set_num_threads", "openblas_get_num_threads")]

_libraries = None          # [(set, get)] for each BLAS found, made at first use
_lock = threading.Lock()  # one change of the count at a time (the count is per process)
_local = threading.local()  # the count each thread's innermost block set (none outside)


def blas_thread_count():
    """The threads of the first BLAS found, or None when no BLAS can be asked."""
    libraries = _found()
    return libraries[0][1]() if libraries else None


@contextlib.contextmanager
def blas_threads(n):
    """Within the block, BLAS runs on ``n`` threads; the old count comes back after.

    The count belongs to the whole process: blocks entered by several
    threads at once (the library's own workers within its block, say) each
    put back what they found. A block within a block of the same count on
    the same thread changes nothing and costs nothing (a k-means step's
    products, within the fit's block, would otherwise read the count
    through ``ctypes`` a few times a step: 5 us each time).

    Parameters
    ----------
    n : int
        At least 1.
    """
    outer = getattr(_local, "count", None)
    if outer == n:
        yield
        return
    libraries = _found()
    with _lock:  # only while reading and setting: a worker thread may enter too
        old = [get() for _, get in libraries]
        changed = [(set_, count) for (set_, _), count in zip(libraries, old) if count != n]
        for set_, _ in changed:
            set_(n)
    _local.count = n
    try:
        yield
    finally:
        _local.count = outer
        with _lock:
            for set_, count in changed:
                set_(count)


def _found():
    """``[(set(n), get())]`` for every BLAS of this process whose threads can be set."""
    global _libraries
    if _libraries is None:
        with _lock:
            if _libraries is None:
                _libraries = _from_threadpoolctl()
                if _libraries is None:
                    _libraries = _from_loaded_libraries()
    return _libraries


def _from_threadpoolctl():
    """The BLAS libraries threadpoolctl finds, or None when it is not installed."""
    try:  # optional, never a dependency: imported by name only where it is installed
        threadpoolctl = importlib.import_module("threadpoolctl")
    except ImportError:
        return None
    controllers = threadpoolctl.ThreadpoolController().select(user_api="blas").lib_controllers
    return [(controller.set_num_threads, controller.get_num_threads)
            for controller in controllers]


def _from_loaded_libraries():
    """OpenBLAS's setter and getter in every BLAS library mapped into this process."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower()}
    except OSError:  # not Linux: the count is left as it is
        return []
    found = []
    for path in sorted(paths):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for set_name, get_name in _SYMBOLS:
            if hasattr(library, set_name) and hasattr(library, get_name):
                set_, get = getattr(library, set_name), getattr(library, get_name)
                set_.argtypes, set_.restype, get.restype = [ctypes.c_int], None, ctypes.c_int
                found.append((lambda n, f=set_: f(int(n)), get))
                break
    return found
