"""core/products.py: products in parts of a size set by the shapes, the same bits on any thread count.

The parts are shrunk (a few rows each, no product too small to cut) so that
every loop runs several times; each result is checked against NumPy's own
product and against itself on 1, 2 and 3 threads.
"""

import numpy as np
import pytest

from scratch_genmod.core import products


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(products, "MIN_PART_ROWS", 3)
    monkeypatch.setattr(products, "MIN_PART_WORK", 0)
    monkeypatch.setattr(products, "SMALL_WORK", 0)


def test_a_product_in_parts_of_rows_is_the_product(small_parts):
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(23, 5)), rng.normal(size=(5, 4))
    cuts = products._row_parts(23, A.size * 4)
    assert len(cuts) == products.MAX_PARTS and cuts[0][0] == 0 and cuts[-1][1] == 23
    got = [products.matmul_in_parts(A, B, n_threads=n) for n in (1, 2, 3)]
    np.testing.assert_allclose(got[0], A @ B, rtol=1e-14, atol=1e-14)
    assert got[1].tobytes() == got[0].tobytes() == got[2].tobytes()


def test_a_transposed_product_is_its_parts_summed_in_order(small_parts):
    # A^T B over 23 rows in 4 parts: the sum of the parts' products, added in
    # the parts' order (an independent loop here), on any number of threads
    rng = np.random.default_rng(1)
    A, B = rng.normal(size=(23, 3)), rng.normal(size=(23, 5))
    got = [products.matmul_transposed_in_parts(A, B, n_threads=n) for n in (1, 2, 3)]
    np.testing.assert_allclose(got[0], A.T @ B, rtol=1e-13, atol=1e-13)
    assert got[1].tobytes() == got[0].tobytes() == got[2].tobytes()
    expected = np.zeros((3, 5))
    for start, stop in products._row_parts(23, A.size * 5):
        expected += A[start:stop].T @ B[start:stop]
    assert got[0].tobytes() == expected.tobytes()


def test_a_small_transposed_product_is_one_call():
    A, B = np.arange(6.0).reshape(3, 2), np.ones((3, 2))
    np.testing.assert_array_equal(products.matmul_transposed_in_parts(A, B), A.T @ B)


def test_a_stray_invalid_flag_on_finite_data_does_not_warn(monkeypatch):
    # OpenBLAS's kernels may leave the invalid-operation flag raised on finite data
    # (seen once in CI: "invalid value encountered in matmul" on a float32 product of
    # entries near 1e-15, not again on the same numbers). A product whose kernel does
    # so, simulated here, gives its result without a warning (warnings are errors in
    # the tests); a real NaN (inf times 0) still warns.
    real = np.matmul

    def stray_flag(A, B, out=None):
        result = real(A, B, out=out)
        np.subtract(np.float32(np.inf), np.float32(np.inf))  # raises the flag, as the kernel did
        return result

    monkeypatch.setattr(np, "matmul", stray_flag)
    rng = np.random.default_rng(2)
    A, B = rng.normal(size=(6, 5)).astype(np.float32) * 1e-15, rng.normal(size=(5, 1))
    np.testing.assert_array_equal(products.matmul_in_parts(A, B.astype(np.float32)),
                                  real(A, B.astype(np.float32)))
    np.testing.assert_array_equal(products.matmul_transposed_in_parts(A.T, B),
                                  real(A, B))
    A[0, 0] = np.inf
    with pytest.warns(RuntimeWarning, match="invalid value"):
        products.matmul_in_parts(A, np.zeros((5, 1), np.float32))
