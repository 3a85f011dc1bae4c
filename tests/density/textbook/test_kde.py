"""textbook/kde.py against hand-typed kernels and its scaling law."""

import math

import numpy as np
import pytest

from scratch_genmod.density.textbook import kde, log_kde
from tests.density.kde_reference import KERNEL_1D, KERNEL_2D, KERNEL_NAMES


@pytest.mark.parametrize("kernel", KERNEL_NAMES)
@pytest.mark.parametrize("d", [1, 2])
def test_kde_of_one_point_is_the_hand_typed_kernel(kernel, d):
    K = (KERNEL_1D if d == 1 else KERNEL_2D)[kernel]
    h = 0.7
    Y = np.random.default_rng(1).uniform(-1.2, 1.2, size=(25, d)) * h
    expected = [K(float(np.linalg.norm(y)) / h) / h ** d for y in Y]
    np.testing.assert_allclose(kde(Y, np.zeros((1, d)), h, kernel), expected, rtol=1e-13,
                               atol=1e-15)


@pytest.mark.parametrize("kernel", KERNEL_NAMES)
def test_weights_and_a_bandwidth_matrix_as_the_formula_says(kernel):
    rng = np.random.default_rng(2)
    X, Y, w = rng.normal(size=(5, 2)), rng.normal(size=(7, 2)), rng.uniform(0.1, 1, 5)
    H = np.array([[0.8, 0.3], [0.3, 0.5]])
    # K_H(u) = |H|^(-1/2) K(H^(-1/2) u): with the hand-typed 2-D kernel and sqrt(u^T H^-1 u)
    r = np.sqrt(np.einsum("jid,de,jie->ji", Y[:, None] - X, np.linalg.inv(H), Y[:, None] - X))
    terms = np.vectorize(KERNEL_2D[kernel])(r) / math.sqrt(np.linalg.det(H))
    expected = terms @ (w / w.sum())
    np.testing.assert_allclose(kde(Y, X, H, kernel, w), expected, rtol=1e-12, atol=1e-15)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(log_kde(Y, X, H, kernel, w), np.log(expected), rtol=1e-12)


@pytest.mark.parametrize("scale", [1e-150, 1e150])
def test_log_kde_at_extreme_scales_shifts_by_d_log_scale(scale):
    X, Y = np.array([[0.0, 0.0], [1.0, 0.5]]), np.array([[0.2, 0.1], [30.0, -20.0]])
    base = log_kde(Y, X, 0.8)
    np.testing.assert_allclose(log_kde(Y * scale, X * scale, 0.8 * scale),
                               base - 2 * math.log(scale), rtol=1e-13)
