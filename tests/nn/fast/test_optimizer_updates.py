"""The optimisers' in-place updates equal the textbook's steps, with every block loop run."""

import numpy as np
import pytest

from scratch_genmod.nn import SGD, Adam
from scratch_genmod.nn.fast import blocks
from scratch_genmod.nn.fast.optimizer_updates import adam_update_in_place, sgd_update_in_place
from tests.nn.test_optimizers import textbook_adam, textbook_sgd


@pytest.fixture
def tiny_blocks(monkeypatch):
    monkeypatch.setattr(blocks, "BLOCK", 4)  # blocks of 4 entries, a thread from 8
    monkeypatch.setattr(blocks, "MIN_PER_THREAD", 8)


@pytest.mark.parametrize("n_threads", [1, 3])
def test_the_update_functions_equal_the_textbook_block_by_block(tiny_blocks, n_threads):
    rng = np.random.default_rng(7)
    shapes = [(5, 9), (9,), (1,)]                      # 45 entries: 12 blocks, 3 threads
    theta0 = [rng.normal(size=s) for s in shapes]
    grads = [[rng.normal(size=s) for s in shapes] for _ in range(3)]
    adam, sgd = [t.copy() for t in theta0], [t.copy() for t in theta0]
    m, v = [np.zeros(s) for s in shapes], [np.zeros(s) for s in shapes]
    velocity = [np.zeros(s) for s in shapes]
    for t, g in enumerate(grads, start=1):
        adam_update_in_place(adam, g, m, v, t, lr=0.05, beta1=0.8, beta2=0.99, eps=1e-3,
                             weight_decay=0.1, n_threads=n_threads)
        sgd_update_in_place(sgd, g, velocity, t, lr=0.1, momentum=0.5, weight_decay=0.01,
                            n_threads=n_threads)
    for k in range(len(shapes)):
        steps = [g[k] for g in grads]
        np.testing.assert_allclose(adam[k], textbook_adam(theta0[k], steps, 0.05, 0.8, 0.99,
                                                          1e-3, 0.1), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(sgd[k], textbook_sgd(theta0[k], steps, 0.1, 0.5, 0.01),
                                   rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("make", [
    lambda n: Adam(lr=0.05, beta1=0.8, beta2=0.99, eps=1e-3, weight_decay=0.1, n_threads=n),
    lambda n: SGD(lr=0.1, momentum=0.5, weight_decay=0.01, n_threads=n),
])
def test_blocks_on_threads_match_the_textbook_and_one_thread(tiny_blocks, make):
    rng = np.random.default_rng(3)
    shapes = [(5, 9), (9,), (1,)]
    theta0 = [rng.normal(size=s) for s in shapes]
    grads = [[rng.normal(size=s) for s in shapes] for _ in range(5)]
    results = {}
    for n_threads in (1, 3):
        opt, theta = make(n_threads), [t.copy() for t in theta0]
        for g in grads:
            opt.step(theta, [gk.copy() for gk in g])
        results[n_threads] = theta
    for k in range(len(shapes)):
        np.testing.assert_array_equal(results[3][k], results[1][k])  # threads change no bit
        steps = [g[k] for g in grads]
        expected = (textbook_adam(theta0[k], steps, 0.05, 0.8, 0.99, 1e-3, 0.1)
                    if isinstance(opt, Adam) else textbook_sgd(theta0[k], steps, 0.1, 0.5, 0.01))
        np.testing.assert_allclose(results[3][k], expected, rtol=1e-12, atol=1e-14)
