"""fast/nearest_centers.py: the labels in chunks and threads, against every distance computed directly."""

import numpy as np
import pytest

from scratch_genmod.density.fast import bracket_tables, nearest_centers
from scratch_genmod.density.fast.lloyd import with_ones


@pytest.mark.parametrize("k", [1, 2, 5, 12])
def test_labels_kept_from_old_ones_are_the_tournament_ties_included(monkeypatch, k):
    # Integer points and centres: many exact ties, which must go to the first
    # centre whatever the old label was (an old label above a tied one, a
    # random one, the right one); chunks of a few rows, with X~ by rows or by
    # columns, on three threads, each chunk's products three columns at a time.
    monkeypatch.setattr(nearest_centers, "_CHUNK_ELEMENTS", 5 * max(k, 4))
    monkeypatch.setattr(bracket_tables, "_PRODUCT_MULTIPLY_ADDS", 3 * k * 4)  # 3 columns
    monkeypatch.setattr(bracket_tables, "_MIN_PRODUCT_COLUMNS", 3)
    rng = np.random.default_rng(k)
    X = rng.integers(-3, 4, size=(90, 3)).astype(float)
    C = rng.integers(-3, 4, size=(k, 3)).astype(float)
    Xa, x_sq = with_ones(X), np.sum(X * X, axis=1)
    d2_all = np.sum((X[:, None, :] - C[None]) ** 2, axis=2)  # every distance, directly
    expected = np.argmin(d2_all, axis=1)
    for old in (rng.integers(0, k, size=90), np.full(90, k - 1), expected):
        for XaT in (None, np.ascontiguousarray(Xa.T)):
            labels, d2, second = nearest_centers.assign(Xa, x_sq, C, 3, second=True, old=old, XaT=XaT)
            np.testing.assert_array_equal(labels, expected)
            np.testing.assert_array_equal(d2, d2_all[np.arange(90), expected])
            d2_all_out = d2_all.copy()
            d2_all_out[np.arange(90), expected] = np.inf
            np.testing.assert_array_equal(second, d2_all_out.min(axis=1))


def test_assignment_is_the_same_to_the_bit_on_any_number_of_threads(monkeypatch):
    # The chunks are cut by the shapes alone: 1, 2 or 3 threads give the same bits.
    monkeypatch.setattr(nearest_centers, "_CHUNK_ELEMENTS", 64)
    rng = np.random.default_rng(9)
    X, C = rng.normal(size=(500, 7)), rng.normal(size=(8, 7))
    Xa, x_sq = with_ones(X), np.sum(X * X, axis=1)
    old = rng.integers(0, 8, size=500)
    results = [nearest_centers.assign(Xa, x_sq, C, n, second=True, old=old) for n in (1, 2, 3)]
    for labels, d2, second in results[1:]:
        np.testing.assert_array_equal(labels, results[0][0])
        assert d2.tobytes() == results[0][1].tobytes()
        assert second.tobytes() == results[0][2].tobytes()


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e6])
@pytest.mark.parametrize("kind", ["integers", "near ties", "cloud"])
def test_labels_from_a_float32_table_are_the_float64_labels(monkeypatch, scale, kind):
    # Exact ties (integers), points within 1e-12 of a border between two
    # centres (where float32 cannot decide and float64 must), and a plain
    # cloud; old labels at random, chunks of a few rows, three threads, each
    # chunk's products two columns at a time.
    monkeypatch.setattr(nearest_centers, "_CHUNK_ELEMENTS", 40)
    monkeypatch.setattr(bracket_tables, "_PRODUCT_MULTIPLY_ADDS", 2 * 5 * 4)  # 2 columns
    monkeypatch.setattr(bracket_tables, "_MIN_PRODUCT_COLUMNS", 2)
    rng = np.random.default_rng(len(kind))
    k, d = 5, 3
    C = rng.integers(-3, 4, size=(k, d)).astype(float)
    if kind == "integers":
        X = rng.integers(-3, 4, size=(300, d)).astype(float)
    elif kind == "near ties":  # midpoints of two centres, nudged by 1e-12 along their axis
        i, j = rng.integers(0, k, size=(2, 300))
        X = (C[i] + C[j]) / 2 + 1e-12 * rng.normal(size=(300, 1)) * (C[j] - C[i])
    else:
        X = rng.normal(size=(300, d)) * 2
    X, C = X * scale, C * scale
    old = rng.integers(0, k, size=300)
    expected = old.copy()
    expected_moved = nearest_centers.relabel(with_ones(X), C, expected, 3, with_ones(X).T.copy())
    got, moved, undecided = relabel_in_float32(monkeypatch, X, C, old, 3)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(moved[0], expected_moved[0])
    np.testing.assert_array_equal(moved[1], expected_moved[1])
    assert len(undecided) == 1 and 0 < undecided[0] < 300  # float64 for some columns only



@pytest.mark.parametrize("case", ["points far out", "centres far out"])
def test_the_float32_pass_margin_covers_far_points_and_far_centres(monkeypatch, case):
    # Points within 1e-7 of the border between two centres, and as many far
    # from it. Far from the origin (||x|| ~ 1000, centres near it), a float32
    # entry is off by up to 1e-4, which only the rows' share of the margin
    # (2 A ||x_t||^2, about 1) covers; with centres far out (||c|| ~ 1000,
    # ||x|| <= 300), by up to 0.125, which only the centres' share (2 B, about
    # 2) covers. Either share left out, float32 would confirm old labels that
    # float64 rejects (some dozens of rows here).
    rng = np.random.default_rng(7)
    n = 2000
    if case == "points far out":
        C, along = np.array([[-1.0, 0.3], [1.0, 0.5]]), rng.uniform(500, 1000, n)
    else:
        C, along = np.array([[-1000.0, 300.0], [1000.0, -250.0]]), rng.uniform(-300, 300, n)
    normal = (C[1] - C[0]) / np.linalg.norm(C[1] - C[0])
    offset = np.where(np.arange(n) < n // 2, 1e-7, 1.0) * rng.normal(size=n)
    X = (C[0] + C[1]) / 2 + along[:, None] * [-normal[1], normal[0]] + offset[:, None] * normal
    old = rng.integers(0, 2, size=n)
    expected = old.copy()
    nearest_centers.relabel(with_ones(X), C, expected, 1, with_ones(X).T.copy())
    got, _, undecided = relabel_in_float32(monkeypatch, X, C, old, 2)
    np.testing.assert_array_equal(got, expected)
    assert 0 < np.sum(expected != old) < n and undecided[0] < n  # float32 decided some rows


def test_a_lone_undecided_row_gets_the_label_of_a_whole_table():
    # BLAS multiplies a single row by its matrix-vector kernel, whose roundings
    # differ from the matrix kernel's: at exact ties (integers scaled by 1e-6,
    # inexact in binary), a row decided alone took another centre than the same
    # row within the tournament's table. Each row alone, and all of them in
    # chunks of one row, must give the table's labels.
    rng = np.random.default_rng(3)
    C = rng.integers(-3, 4, size=(5, 3)) * 1e-6
    X = rng.integers(-3, 4, size=(200, 3)) * 1e-6
    Xa = with_ones(X)
    expected = nearest_centers.assign(Xa, np.sum(X * X, axis=1), C)[0]
    ca = np.hstack([-2.0 * C, np.sum(C * C, axis=1)[:, None]])
    alone = [nearest_centers._nearest_of_rows(Xa, ca, np.array([t]), 1)[0] for t in range(200)]
    np.testing.assert_array_equal(alone, expected)


def relabel_in_float32(monkeypatch, X, C, old, n_threads):
    """``relabel`` from ``old`` with the float32 first pass: the labels, the moves, each float64 pass's rows."""
    Xa = with_ones(X)
    XaT, x_sq = np.ascontiguousarray(Xa.T), np.sum(X * X, axis=1)
    undecided, exact = [], nearest_centers._nearest_of_rows

    def counting(Xa, ca, rows, n_threads):
        undecided.append(len(rows))
        return exact(Xa, ca, rows, n_threads)

    monkeypatch.setattr(nearest_centers, "_nearest_of_rows", counting)
    labels = old.copy()
    copy32 = nearest_centers.float32_copy(XaT.astype(np.float32), x_sq)
    moved = nearest_centers.relabel(Xa, C, labels, n_threads, XaT, x_sq, copy32)
    return labels, moved, undecided
