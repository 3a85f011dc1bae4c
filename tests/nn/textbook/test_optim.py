"""The textbook's optimiser steps: worked by hand, and bad settings named."""

import numpy as np
import pytest

from scratch_genmod.nn.textbook.optim import adam_step, sgd_step


def test_sgd_with_momentum_and_decay_by_hand():
    # g = 2 + 0.5 * 1 = 2.5, v = 0.5 * 1 + 2.5 = 3, theta = 1 - 0.1 * 3
    theta, v = sgd_step(np.array([1.0]), np.array([2.0]), np.array([1.0]), lr=0.1,
                        momentum=0.5, weight_decay=0.5)
    np.testing.assert_allclose(theta, [0.7])
    np.testing.assert_allclose(v, [3.0])


def test_adam_second_step_by_hand():
    b1, b2, lr = 0.5, 0.75, 1.0
    theta, m, v = adam_step(np.array([0.0]), np.array([2.0]), np.zeros(1), np.zeros(1), 1,
                            lr, b1, b2, eps=1e-300)
    theta, m, v = adam_step(theta, np.array([4.0]), m, v, 2, lr, b1, b2, eps=1e-300)
    # m = 0.5 * 1 + 0.5 * 4 = 2.5, v = 0.75 * 1 + 0.25 * 16 = 4.75
    m_hat, v_hat = 2.5 / (1 - 0.25), 4.75 / (1 - 0.5625)
    np.testing.assert_allclose(m, [2.5])
    np.testing.assert_allclose(v, [4.75])
    np.testing.assert_allclose(theta, [-1.0 - m_hat / np.sqrt(v_hat)])


@pytest.mark.parametrize("call, name", [
    (lambda: sgd_step(np.ones(2), np.ones(2), np.ones(2), lr=0.0), "lr"),
    (lambda: sgd_step(np.ones(2), np.ones(2), np.ones(2), lr=0.1, momentum=1.0), "momentum"),
    (lambda: sgd_step(np.ones(2), np.ones(3), np.ones(2), lr=0.1), "g must have the shape"),
    (lambda: adam_step(np.ones(2), np.ones(2), np.ones(2), np.ones(2), t=0), "t must be"),
    (lambda: adam_step(np.ones(2), np.ones(2), np.ones(2), np.ones(2), 1, beta2=1.0),
     "beta2"),
])
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()
