import threading
import warnings

import numpy as np
import pytest

from scratch_genmod.core.threads import map_in_threads


def test_results_come_back_in_the_order_of_the_parts_from_several_threads():
    all_started = threading.Barrier(4, timeout=10)  # passes only if the 4 parts run at once

    def work(part):
        all_started.wait()
        return part, threading.current_thread().name

    names = map_in_threads(work, range(4), 4)
    assert [part for part, _ in names] == [0, 1, 2, 3]
    assert names[0][1] == threading.current_thread().name  # the caller runs the first part
    assert len({name for _, name in names}) == 4


def test_a_workers_exception_is_raised_after_every_part_has_run():
    done = []

    def work(part):
        if part == 1:
            raise RuntimeError("part 1 failed")
        done.append(part)

    with pytest.raises(RuntimeError, match="part 1 failed"):
        map_in_threads(work, [0, 1, 2], 3)
    assert sorted(done) == [0, 2]


def test_one_thread_runs_the_parts_in_turn_on_the_caller():
    caller = threading.current_thread().name
    assert map_in_threads(lambda p: threading.current_thread().name, [0, 1], 1) == [caller] * 2


def test_more_parts_than_threads_go_to_whichever_thread_is_free():
    caller = threading.current_thread().name
    release = threading.Event()
    ran = {}

    def work(part):
        if part == 0:  # the caller's first part lasts until the worker has run all the others
            assert release.wait(timeout=10)
        ran[part] = threading.current_thread().name
        if part == 4:
            release.set()
        return 10 * part

    assert map_in_threads(work, range(5), 2) == [0, 10, 20, 30, 40]
    assert ran[0] == caller
    assert {ran[part] for part in (1, 2, 3, 4)} != {caller}  # the worker took them all
    assert len({ran[part] for part in (1, 2, 3, 4)}) == 1


def test_workers_follow_the_callers_floating_point_settings():
    # np.errstate is kept per thread: a worker used to warn (here: raise) of an overflow that
    # the caller had asked NumPy to ignore, so one part of a job behaved unlike the others.
    big = np.full(3, 1e300)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="ignore"):
            squares = map_in_threads(lambda part: part * part, [big] * 4, n_threads=4)
        assert all(np.isinf(square).all() for square in squares)
        with np.errstate(over="raise"), pytest.raises(FloatingPointError):
            map_in_threads(lambda part: part * part, [np.ones(3)] + [big] * 3, n_threads=4)
