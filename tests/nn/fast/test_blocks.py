"""Block-by-block, multi-threaded element-wise updates: same numbers as whole-array NumPy."""

import threading
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.nn.fast import blocks
from scratch_genmod.core import check_n_threads
from scratch_genmod.nn.fast.blocks import for_each_block
from scratch_genmod.nn.textbook.optim import sgd_step


@pytest.fixture
def tiny_blocks(monkeypatch):
    """Blocks of 7 entries and a thread from 8 entries: small arrays take every path."""
    monkeypatch.setattr(blocks, "BLOCK", 7)
    monkeypatch.setattr(blocks, "MIN_PER_THREAD", 8)


def momentum_step(theta, g, v, tmp, lr, mu):
    """``textbook.sgd_step`` on one block, written back into it."""
    theta[...], v[...] = sgd_step(theta, g, v, lr, momentum=mu)


@pytest.mark.parametrize("n_threads", [1, 2, 5])
def test_blocks_and_threads_give_the_whole_array_result(tiny_blocks, n_threads):
    rng = np.random.default_rng(0)
    shapes = [(3, 5), (1,), (0,), (40,), (6, 6)]
    theta = [rng.normal(size=s).astype(np.float32) for s in shapes]
    g = [rng.normal(size=s).astype(np.float32) for s in shapes]
    v = [rng.normal(size=s).astype(np.float32) for s in shapes]
    # the same step on whole arrays
    expected_theta, expected_v = zip(*(sgd_step(tk, gk, vk, 0.1, momentum=0.9)
                                       for tk, gk, vk in zip(theta, g, v)))
    for_each_block(momentum_step, list(zip(theta, g, v)), n_threads, lr=0.1, mu=0.9)
    for k in range(len(shapes)):
        np.testing.assert_array_equal(v[k], expected_v[k])
        np.testing.assert_array_equal(theta[k], expected_theta[k])


def test_work_is_shared_between_threads(tiny_blocks):
    seen, lock = set(), threading.Lock()

    def record(a, tmp):
        assert a.shape == tmp.shape and a.dtype == tmp.dtype
        with lock:
            seen.add(threading.get_ident())
        a += 1

    a = np.zeros(200)
    for_each_block(record, [(a,)], n_threads=3)
    np.testing.assert_array_equal(a, 1.0)  # every entry once
    # the caller takes the first group, pool threads the others (an idle one may take two)
    assert threading.get_ident() in seen and len(seen) >= 2


def test_small_arrays_stay_on_the_calling_thread():
    seen = set()
    a = np.zeros(1000)
    for_each_block(lambda a, tmp: seen.add(threading.get_ident()) or a.__iadd__(1), [(a,)],
                   n_threads=8)
    assert seen == {threading.get_ident()}


def test_a_non_contiguous_array_is_refused_not_updated_in_a_copy():
    a = np.zeros((3, 4))
    with pytest.raises(ValueError, match=r"rows\[0\]\[0\] must be a C-contiguous ndarray"):
        for_each_block(lambda x, tmp: x.__iadd__(1), [(a[:, ::2],)])


def test_a_worker_error_reaches_the_caller(tiny_blocks):
    def fail_on_the_last_block(a, tmp):
        if a[-1] == 99:
            raise ArithmeticError("block with the last entry")

    with pytest.raises(ArithmeticError, match="last entry"):
        for_each_block(fail_on_the_last_block, [(np.arange(100.0),)], n_threads=2)


@settings(max_examples=50, deadline=None)
@given(sizes=st.lists(st.integers(1, 30), min_size=1, max_size=40), n_threads=st.integers(1, 6))
def test_split_is_consecutive_and_balanced(sizes, n_threads):
    parts = [(np.empty(s),) for s in sizes]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(blocks, "MIN_PER_THREAD", 8)
        groups = blocks._split(parts, n_threads)
    assert [id(b) for group in groups for b in group] == [id(b) for b in parts]  # all, once
    total = sum(sizes)
    n_groups = max(1, min(n_threads, total // 8))
    assert len(groups) == n_groups
    for group in groups:  # each within one block of its share
        assert abs(sum(b[0].size for b in group) - total / n_groups) <= max(sizes)


def test_check_n_threads(monkeypatch):
    from scratch_genmod.core import threads
    for name in threads.ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    n_cpus = threads._cpu_count()
    assert 1 <= check_n_threads(None) <= n_cpus  # the cores free now
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert check_n_threads(None) == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "1000")  # a limit, never more than the CPUs
    assert check_n_threads(None) == n_cpus
    monkeypatch.setenv("OMP_NUM_THREADS", "lots")  # not a number: ignored
    assert 1 <= check_n_threads(None) <= n_cpus
    assert check_n_threads(3) == 3
    for bad in (0, -1, 2.5, "2"):
        with pytest.raises((ValueError, TypeError), match="n_threads"):
            check_n_threads(bad)


def _update_in_a_child(queue):
    a = np.zeros(100)
    for_each_block(lambda a, tmp: a.__iadd__(1), [(a,)], n_threads=2)
    queue.put(float(a.sum()))


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
# Python >= 3.12 warns that forking a multi-threaded process is risky: that is the case tested
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_forked_child_makes_its_own_threads(tiny_blocks):
    import multiprocessing
    a = np.zeros(100)
    for_each_block(lambda a, tmp: a.__iadd__(1), [(a,)], n_threads=2)  # the parent's pool
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_update_in_a_child, args=(queue,))
    child.start()
    child.join(timeout=30)
    if child.is_alive():
        child.kill()
        pytest.fail("the child hung on the parent's worker threads")
    assert queue.get(timeout=5) == 100.0


def test_every_block_follows_the_callers_floating_point_settings(tiny_blocks):
    def square(theta, tmp):
        np.multiply(theta, theta, out=theta)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="ignore"):
            theta = np.full(40, 1e300)
            for_each_block(square, [(theta,)], n_threads=4)  # blocks on the workers too
    assert np.isinf(theta).all()
