"""What every benchmark script shares: timing, peak memory, the machine line, the report.

Each ``benchmarks/bench_*.py`` measures our figure and the peer's in the same
run and prints one table row per comparison with their ratio
(ours / peer: below 1 means we are faster or smaller). Import it as
``from _bench import ...`` after the script puts the repository on ``sys.path``
(``python benchmarks/bench_x.py`` puts ``benchmarks/`` there already).
"""

import os
import platform
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from scratch_genmod.core.table import format_table  # noqa: E402

SHARED_DATA = ROOT / ".." / "shared" / "data"


def best_time(function, repeat=3):
    """Smallest wall-clock seconds over ``repeat`` calls of ``function()``, and its last result."""
    best, result = float("inf"), None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_memory(function):
    """Peak bytes allocated through Python's and NumPy's allocators during ``function()``.

    NumPy reports its data buffers to ``tracemalloc``, so this counts the
    arrays a call creates (not memory held by BLAS threads or C libraries
    that bypass it). Returns (peak_bytes, result).
    """
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result


def ratio(ours, peer):
    """``ours / peer``, or ``None`` when either figure is missing."""
    if peer is None or ours is None or peer == 0:
        return None
    return ours / peer


def machine():
    """One line naming the machine the figures were measured on."""
    threads = os.environ.get("OMP_NUM_THREADS", "unset")
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"NumPy {np.__version__}, OMP_NUM_THREADS={threads}")


def report(title, rows, header=("measure", "ours", "peer", "ratio ours/peer"), floatfmt="{:.4g}"):
    """Print the benchmark's table and the machine line; rows are lists of cells (None: "-")."""
    print(format_table([[("-" if cell is None else cell) for cell in row] for row in rows],
                       header=list(header), title=title, floatfmt=floatfmt))
    print(f"machine: {machine()}")



def interleaved_epochs(ours, theirs, X_train, epochs, peer):
    """Seconds of each epoch of ``ours.epoch(X)`` and ``theirs.epoch(X)`` (``theirs`` may be None).

    The two take turns, epoch by epoch, so that load on the machine hits both
    alike, and both see the same shuffled batches.
    """
    times = {"ours": [], "theirs": []}
    rng = np.random.default_rng(1)
    for epoch in range(1, epochs + 1):
        X_epoch = X_train[rng.permutation(len(X_train))]
        for name, model in (("ours", ours), ("theirs", theirs)):
            if model is not None:
                seconds, _ = best_time(lambda: model.epoch(X_epoch), repeat=1)
                times[name].append(seconds)
        print(f"epoch {epoch}: ours {times['ours'][-1]:.2f} s"
              + (f", {peer} {times['theirs'][-1]:.2f} s" if theirs else ""), flush=True)
    return times
