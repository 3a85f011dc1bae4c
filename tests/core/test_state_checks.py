"""core/state_checks.py's tables of categorical laws, alone and through the models that load them."""

import numpy as np
import pytest

from scratch_genmod.bayes import CategoricalNB
from scratch_genmod.core import load, save
from scratch_genmod.core.state_checks import check_state_tables
from scratch_genmod.density import CategoricalMixture
from tests.core.test_model_files import members, write

TABLES = [np.array([[0.5, 0.5], [1.0, 0.0]]), np.array([[0.2, 0.3, 0.5], [0.0, 0.0, 1.0]])]


def test_tables_of_the_right_shapes_pass_unchanged():
    assert check_state_tables(TABLES, "theta_", 2, [2, 3]) is TABLES


@pytest.mark.parametrize("tables, n_categories, message", [
    (TABLES[:1], [2, 3], r"theta_ must be a list of 2 tables, one per feature"),
    (tuple(TABLES), [2, 3], r"theta_ must be a list of 2 tables"),
    (TABLES, [2, 4], r"theta_\[1\] must have shape \(2, 4\), got \(2, 3\)"),
    ([TABLES[0], -TABLES[1]], [2, 3], r"theta_\[1\]"),
    ([TABLES[0], 0.5 * TABLES[1]], [2, 3], r"theta_\[1\] must hold probabilities summing to 1"),
])
def test_tables_that_are_not_laws_are_named(tables, n_categories, message):
    with pytest.raises(ValueError, match=message):
        check_state_tables(tables, "theta_", 2, n_categories)


def test_rows_of_zeros_pass_when_rows_need_not_sum_to_one():
    # a mixture's component that lost every sample: theta rows of zeros, still >= 0
    zeros = [np.zeros((2, 2)), np.zeros((2, 3))]
    assert check_state_tables(zeros, "theta_", 2, [2, 3], probabilities=False) is zeros
    with pytest.raises(ValueError, match="summing to 1"):
        check_state_tables(zeros, "theta_", 2, [2, 3])


@pytest.mark.parametrize("model, message", [
    (CategoricalNB(), r"theta_\[0\] must hold probabilities summing to 1"),
    (CategoricalMixture(n_components=2, random_state=0), r"theta_\[0\] must have shape"),
])
def test_a_model_file_with_a_forged_table_does_not_load(tmp_path, model, message):
    X = np.array([[0, 1], [1, 2], [1, 0], [0, 2], [1, 1], [0, 0]])
    model = model.fit(X, [0, 0, 1, 1, 0, 1]) if isinstance(model, CategoricalNB) else model.fit(X)
    meta, arrays = members(save(model, tmp_path / "m"))
    name = next(k for k in sorted(arrays) if k.endswith("theta_.0"))
    arrays[name] = (arrays[name] * 0.5 if isinstance(model, CategoricalNB)
                    else arrays[name][:, :1].copy())
    with pytest.raises(ValueError, match=message):
        load(write(tmp_path / "forged.npz", meta, arrays))
