"""How many threads: explicit n_threads > OMP_NUM_THREADS and friends > set_threads > the load;
BLAS's own count set for a block and put back."""

import numpy as np
import pytest

import scratch_genmod
from scratch_genmod.core import blas, threads
from scratch_genmod.core.threads import (ENV_VARS, check_n_threads, free_cores, map_in_threads,
                                         set_threads)


@pytest.fixture
def no_env(monkeypatch):
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(threads, "_load_choice", (None, -float("inf")))
    yield monkeypatch
    set_threads(None)


def test_set_threads_and_the_block_fix_the_count_and_come_back(no_env):
    no_env.setattr(threads, "free_cores", lambda: 1)
    assert check_n_threads(None) == 1
    with scratch_genmod.use_threads(3):
        assert check_n_threads(None) == 3
        with scratch_genmod.use_threads(2):
            assert check_n_threads(None) == 2
        assert check_n_threads(None) == 3
    scratch_genmod.set_threads(4)
    assert check_n_threads(None) == 4
    assert check_n_threads(2) == 2  # an estimator's own n_threads wins
    scratch_genmod.set_threads(None)
    assert check_n_threads(None) == 1


@pytest.mark.parametrize("name", ENV_VARS)
def test_an_environment_variable_wins_over_set_threads_and_the_load(no_env, name):
    no_env.setenv(name, "1")
    no_env.setattr(threads, "free_cores", lambda: 2)
    with scratch_genmod.use_threads(3):
        assert check_n_threads(None) == 1
    assert check_n_threads(5) == 5


@pytest.mark.parametrize("bad, error, match", [
    (0, ValueError, "n must be >= 1, got 0"),
    (1.5, TypeError, "n must be an int, got float 1.5"),
    ("2", TypeError, "n must be an int, got str '2'"),
])
def test_a_bad_count_is_named(bad, error, match):
    with pytest.raises(error, match=match):
        set_threads(bad)


def test_free_cores_are_the_cores_less_the_threads_running_elsewhere(monkeypatch):
    monkeypatch.setattr(threads, "_cpu_count", lambda: 4)
    for running, expected in [(0, 4), (1, 3), (3, 1), (9, 1)]:
        monkeypatch.setattr(threads, "_running_elsewhere", lambda r=running: r)
        assert free_cores() == expected
    monkeypatch.undo()
    assert 1 <= free_cores() <= threads._cpu_count()
    assert threads._running_elsewhere() >= 0


def test_the_load_is_read_again_at_most_once_a_second(no_env):
    readings = iter([2, 1])
    no_env.setattr(threads, "free_cores", lambda: next(readings))
    clock = iter([100.0, 100.5, 101.6])
    no_env.setattr(threads.time, "monotonic", lambda: next(clock))
    assert [check_n_threads(None) for _ in range(3)] == [2, 2, 1]


def test_blas_runs_on_the_count_asked_within_the_block_and_as_before_after():
    before = blas.blas_thread_count()
    if before is None:
        pytest.skip("no BLAS whose threads can be set")
    with blas.blas_threads(1):
        assert blas.blas_thread_count() == 1
        with blas.blas_threads(2):
            assert blas.blas_thread_count() == 2
        assert blas.blas_thread_count() == 1
    assert blas.blas_thread_count() == before
    with pytest.raises(RuntimeError, match="inside"):
        with blas.blas_threads(1):
            raise RuntimeError("inside")
    assert blas.blas_thread_count() == before


def test_the_ctypes_route_finds_numpys_openblas_without_threadpoolctl():
    found = blas._from_loaded_libraries()
    if not found:
        pytest.skip("no OpenBLAS mapped into this process")
    set_, get = found[0]
    before = get()
    try:
        set_(1)
        assert get() == 1
        np.ones((300, 300)) @ np.ones((300, 300))  # BLAS still works
    finally:
        set_(before)
    assert get() == before


def test_a_block_within_a_block_of_the_same_count_on_the_same_thread_reads_nothing(monkeypatch):
    count, calls = [4], []

    def set_(n):
        calls.append(("set", n))
        count[0] = n

    def get():
        calls.append("get")
        return count[0]

    monkeypatch.setattr(blas, "_libraries", [(set_, get)])
    with blas.blas_threads(1):
        before = len(calls)
        with blas.blas_threads(1):
            assert count[0] == 1
        assert len(calls) == before  # no read, no change
        with blas.blas_threads(2):  # another count: set, and put back
            assert count[0] == 2
        assert count[0] == 1
        after = len(calls)

        def block(_):
            with blas.blas_threads(1):
                pass

        map_in_threads(block, [0, 1], 2)  # part 1 on a worker: another thread reads the count
        assert "get" in calls[after:] and count[0] == 1
    assert count[0] == 4
