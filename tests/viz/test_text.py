import pytest

from scratch_genmod.viz import bar_chart, sparkline


def test_sparkline_maps_min_to_lowest_and_max_to_full_block():
    assert sparkline([0, 7, 3.5]) == "▁█▅"
    assert sparkline([-1.0, -1.0]) == "▄▄"
    assert len(sparkline(range(100))) == 100
    assert sparkline([2.5]) == "▄"                      # one value: mid height
    # each value v gets block round(7 (v - min) / (max - min)), by hand
    # (0.4 -> 0, 0.6 -> 1, 1.4 -> 1, 2.6 -> 3, 7)
    assert sparkline([0, 4, 6, 14, 26, 70]) == "▁▁▂▂▄█"


def test_bar_chart_lengths_are_proportional():
    chart = bar_chart(["a", "bbb", "c"], [4.0, 2.0, 1.0], width=8)
    lines = chart.splitlines()
    assert lines[0] == "a    ████████  4"
    assert lines[1] == "bbb  ████      2"
    assert lines[2] == "c    ██        1"
    # eighths of a cell: 1/16 of 8 cells is one half cell
    assert bar_chart(["x", "y"], [16, 1], width=8).splitlines()[1] == "y  ▌         1"
    assert bar_chart(["z"], [0.0]) == "z" + " " * 44 + "0"


@pytest.mark.parametrize("call, pattern", [
    (lambda: bar_chart(["a"], [-1.0]), "values must be non-negative"),
    (lambda: bar_chart(["a", "b"], [1.0]), "labels and values must have the same length"),
    (lambda: sparkline([]), "values needs at least 1 sample"),
    (lambda: sparkline([1.0, float("nan")]), "values contains 1 NaN"),
])
def test_bad_input(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()
