"""fast/bracket_tables.py: the tournament against argmin, the products in parts, the cut into chunks."""

import numpy as np
import pytest

from scratch_genmod.density.fast import bracket_tables


def test_tournament_is_argmin_with_ties_to_the_first_centre():
    rng = np.random.default_rng(5)
    for k in range(1, 20):
        table = rng.integers(0, 3, size=(k, 200)).astype(float)  # many exact ties
        minimum, labels = np.empty(200), np.empty(200, dtype=np.int64)
        bracket_tables.tournament(table, minimum, labels)
        np.testing.assert_array_equal(labels, np.argmin(table, axis=0))
        np.testing.assert_array_equal(minimum, np.min(table, axis=0))


@pytest.mark.parametrize("budget, parts", [(60, 4), (59, 1)])
def test_products_in_parts_are_the_whole_product(monkeypatch, budget, parts):
    # 4 centres, 5 columns of X~: a budget of 60 multiply-adds is parts of 3
    # columns (the last one of 1), 59 would be parts of 2, under the fewest
    # allowed (3), so one whole product. Each table is checked against np.matmul.
    monkeypatch.setattr(bracket_tables, "_PRODUCT_MULTIPLY_ADDS", budget)
    monkeypatch.setattr(bracket_tables, "_MIN_PRODUCT_COLUMNS", 3)
    products = []
    matmul = np.matmul
    monkeypatch.setattr(bracket_tables.np, "matmul",
                        lambda *args, **kwargs: products.append(1) or matmul(*args, **kwargs))
    rng = np.random.default_rng(7)
    for dtype in (np.float64, np.float32):
        ca, columns = rng.normal(size=(4, 5)).astype(dtype), rng.normal(size=(5, 10)).astype(dtype)
        table = np.full((4, 10), np.nan, dtype=dtype)
        bracket_tables.product(ca, columns, table)
        np.testing.assert_allclose(table, matmul(ca, columns),
                                   rtol=1e-5 if dtype == np.float32 else 1e-12)
    assert len(products) == 2 * parts


@pytest.mark.parametrize("n, step", [(0, 4), (1, 4), (10, 4), (12, 4), (200_000, 65_536)])
def test_even_chunks_cover_every_row_once_in_the_fewest_chunks_of_at_most_step(n, step):
    chunks = bracket_tables.even_chunks(n, step)
    sizes = [stop - start for start, stop in chunks]
    assert [start for start, _ in chunks] == ([0] + [stop for _, stop in chunks])[:len(chunks)]
    assert sum(sizes) == n and len(chunks) == -(-n // step)
    assert all(0 < size <= step for size in sizes) and (not sizes or max(sizes) - min(sizes) <= 1)
