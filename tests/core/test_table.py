from scratch_genmod.core.table import format_table


def test_columns_align_numbers_right_text_left():
    text = format_table([["a", 1.0, 10], ["bbb", 0.123456, 2]], header=["w", "p", "n"], title="T")
    lines = text.splitlines()
    assert lines[0] == "T"
    assert lines[2].split() == ["---", "------", "--"]
    assert lines[3] == "a" + " " * 9 + "1  10"
    assert lines[4] == "bbb  0.1235   2"
    assert len({len(line) for line in lines[1:]}) == 1


def test_ragged_rows_and_no_header():
    assert format_table([["x"], ["y", 2]]).splitlines() == ["x", "y  2"]
