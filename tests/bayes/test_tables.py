import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.bayes import (
    ProbabilityTable, bayes_posterior, conditional_table, joint_table, marginal_table,
)

COURSE_X = [[0.5, -1.0], [0.0, -1.2], [-0.5, 0.0]]
COURSE_Y = [0, 0, 1]


def test_course_example_one_posterior_by_label():
    P = conditional_table(COURSE_X, COURSE_Y)
    # P(y=0|x) = 1, 1, 0 and P(y=1|x) = 0, 0, 1 for the three observations, in order.
    assert [P[tuple(x), 0] for x in COURSE_X] == [1.0, 1.0, 0.0]
    assert [P[tuple(x), 1] for x in COURSE_X] == [0.0, 0.0, 1.0]
    np.testing.assert_array_equal(P[(0.5, -1.0)], [1.0, 0.0])


def test_course_example_two_conditional_and_joint():
    x, y = [1, 1, 2, 2], [0, 0, 0, 1]
    P = conditional_table(x, y)
    np.testing.assert_array_equal(P[1], [1.0, 0.0])
    np.testing.assert_array_equal(P[2], [0.5, 0.5])
    J = joint_table(x, y)
    assert (J[1, 0], J[1, 1], J[2, 0], J[2, 1]) == (0.5, 0.0, 0.25, 0.25)
    assert J.row_labels == [1, 2] and J.column_labels == [0, 1]


def test_text_rendering_is_the_paper_table():
    text = str(conditional_table(COURSE_X, COURSE_Y))
    assert text.splitlines() == [
        "P(Y | X)",
        "  x1    x2  y=0  y=1",
        "----  ----  ---  ---",
        "-0.5     0    0    1",
        "   0  -1.2    1    0",
        " 0.5    -1    1    0",
    ]
    marginal = str(marginal_table(["a", "b", "b", "b"], x_name="w")).splitlines()
    assert marginal[1].split() == ["w", "P(W)"] and marginal[-1].split() == ["b", "0.75"]


def test_likelihood_given_y_rows_are_laws_of_x():
    L = conditional_table([1, 1, 2, 2], [0, 0, 0, 1], given="y")
    assert L.row_labels == [0, 1] and L.column_labels == [1, 2]
    # Hand count: among y=0 the x are 1, 1, 2; among y=1 the x is 2.
    np.testing.assert_allclose(L.values, [[2 / 3, 1 / 3], [0.0, 1.0]])


def test_string_values_and_unseen_value_is_not_invented():
    x = ["sun", "rain", "sun", "sun"]
    y = ["walk", "bus", "bus", "walk"]
    P = conditional_table(x, y)
    assert P["sun", "walk"] == pytest.approx(2 / 3) and P["rain", "bus"] == 1.0
    with pytest.raises(KeyError, match="'snow' is not a row"):
        P["snow"]
    with pytest.raises(KeyError, match="'car' is not a column"):
        P["sun", "car"]


discrete_pairs = st.integers(1, 40).flatmap(lambda n: st.tuples(
    st.lists(st.tuples(st.integers(0, 3), st.integers(-1, 1)), min_size=n, max_size=n),
    st.lists(st.integers(0, 2), min_size=n, max_size=n)))


@settings(max_examples=60)
@given(discrete_pairs)
def test_tables_are_normalised_and_match_a_naive_count(pairs):
    x, y = np.array(pairs[0]), np.array(pairs[1])
    J = joint_table(x, y)
    assert J.values.sum() == pytest.approx(1.0)
    for row in (conditional_table(x, y), conditional_table(x, y, given="y")):
        np.testing.assert_allclose(row.values.sum(axis=1), 1.0)
        assert np.isfinite(row.values).all()
    assert marginal_table(x).values.sum() == pytest.approx(1.0)
    # Naive count with Python loops, independent of the vectorised one.
    n = len(y)
    for xi in {tuple(r) for r in x.tolist()}:
        for yi in set(y.tolist()):
            count = sum(1 for r, c in zip(x.tolist(), y.tolist()) if tuple(r) == xi and c == yi)
            assert J[xi, yi] == pytest.approx(count / n)
        assert marginal_table(x)[xi] == pytest.approx(sum(tuple(r) == xi for r in x.tolist()) / n)


@settings(max_examples=60)
@given(discrete_pairs)
def test_bayes_posterior_equals_conditional_table(pairs):
    x, y = np.array(pairs[0]), np.array(pairs[1])
    posterior = bayes_posterior(conditional_table(x, y, given="y"), marginal_table(y))
    direct = conditional_table(x, y, given="x")
    assert posterior.row_labels == direct.row_labels
    assert posterior.column_labels == direct.column_labels
    np.testing.assert_allclose(posterior.values, direct.values, atol=1e-12)


def test_bayes_posterior_with_array_prior_and_course_rendering():
    L = conditional_table(COURSE_X, COURSE_Y, given="y")
    posterior = bayes_posterior(L, [2 / 3, 1 / 3])
    assert str(posterior) == str(conditional_table(COURSE_X, COURSE_Y))


def test_bayes_posterior_bad_prior_and_impossible_x():
    L = conditional_table([1, 2, 2], [0, 1, 1], given="y")
    with pytest.raises(ValueError, match="prior must hold 2"):
        bayes_posterior(L, [0.2, 0.2])
    with pytest.raises(ValueError, match="prior must hold 2"):
        bayes_posterior(L, [0.5, 0.25, 0.25])
    # x = 1 occurs only with y = 0, whose prior is 0: P(Y | X=1) is undefined.
    with pytest.raises(ValueError, match="x=1 has probability 0"):
        bayes_posterior(L, [0.0, 1.0])
    with pytest.raises(TypeError, match="likelihood"):
        bayes_posterior(np.ones((2, 2)), [0.5, 0.5])


@pytest.mark.parametrize("x, y, name, match", [
    ([1, 2, 3], [0, 1], "x and y", "same number of samples"),
    ([1.0, np.nan], [0, 1], "x", "NaN"),
    ([], [], "x", "at least 1 sample"),
    ([1, 2], [[0], [1]], "y", "1-D"),
])
def test_bad_input_names_the_argument(x, y, name, match):
    with pytest.raises(ValueError, match=match) as info:
        joint_table(x, y)
    assert name in str(info.value)


def test_bad_given_and_values_are_read_only():
    with pytest.raises(ValueError, match="given must be one of"):
        conditional_table([1], [0], given="z")
    table = ProbabilityTable([[0.5, 0.5]], [1], [0, 1])
    with pytest.raises(ValueError):
        table.values[0, 0] = 1.0


def test_prior_as_a_table_and_odd_keys():
    x, y = [1, 1, 2, 2], [0, 0, 0, 1]
    L = conditional_table(x, y, given="y")
    # prior from a table by label: P(Y=0) = 3/4, P(Y=1) = 1/4, then Bayes by hand:
    # P(Y=0 | X=2) = (1/3 * 3/4) / (1/3 * 3/4 + 1 * 1/4) = 1/2
    posterior = bayes_posterior(L, marginal_table(y, x_name="y"))
    assert posterior[2, 0] == pytest.approx(0.5) and posterior[1, 0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match=r"prior must be a 1-D table over \[0, 1\]; missing \[1\]"):
        bayes_posterior(L, marginal_table([0, 0, 5]))
    with pytest.raises(KeyError, match="is not a row"):
        L[[0, 1]]                                           # a list is no label
    assert repr(L) == "<ProbabilityTable P(X | Y) of shape (2, 2)>"
    assert marginal_table(y)[1] == 0.25                     # a 1-D table gives a number
