import threading

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
