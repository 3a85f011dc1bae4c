"""core/sizes.py: budgets of sizes and the spread of the data, checked before any work."""

import numpy as np
import pytest

from scratch_genmod.core.sizes import MEMORY_BUDGET, _column_ranges, check_size_budget


def test_size_budget_names_what_and_the_remedy_whatever_the_size():
    assert check_size_budget(10, 8, "x", "y") == 80
    assert check_size_budget(MEMORY_BUDGET // 8, 8, "x", "y") == MEMORY_BUDGET   # at the budget
    with pytest.raises(ValueError, match=r"^sample\(10\*\*12\) would need 1e\+12 numbers "
                                         r"\(8e\+12 bytes\), more than the budget of 4.29e\+09 "
                                         r"bytes; draw fewer$"):
        check_size_budget(10**12, 8, "sample(10**12)", "draw fewer")
    with pytest.raises(ValueError, match=r"would need 1.00e\+400 numbers \(8.00e\+400 bytes\)"):
        check_size_budget(10**400, 8, "x", "y")                   # beyond float range


@pytest.mark.parametrize("n, d, rows_per_pass", [(1, 1, 4), (3, 2, 4), (37, 3, 4), (40, 5, 8),
                                                 (1000, 2, 512)])
def test_column_ranges_in_wide_passes_are_numpys_ptp(n, d, rows_per_pass):
    # several passes of rows side by side, with rows left over (37 = 9 * 4 + 1),
    # none (40), or too few rows for one pass (1, 3); and a column view of X
    X = np.random.default_rng(n).normal(size=(n, 2 * d)) * 10.0 ** np.arange(2 * d)
    for Y in (X, X[:, ::2]):
        np.testing.assert_array_equal(_column_ranges(Y, rows_per_pass), np.ptp(Y, axis=0))
