import pytest

from rlhf_argilla.report.markdown import escape_cell, format_share, markdown_table


def test_table_has_header_rule_and_one_line_per_row():
    rows = [["a", 1, None], ["b|c", 2.5, "x\ny"]]
    lines = markdown_table(["k", "n", "note"], rows, align=["left", "right", "center"]).splitlines()
    assert lines[0] == "| k | n | note |"
    assert lines[1] == "|---|---:|:---:|"
    assert lines[2] == "| a | 1 | — |"
    assert lines[3] == "| b\\|c | 2.5 | x y |"
    assert len(lines) == 2 + len(rows)


def test_ragged_rows_are_refused():
    with pytest.raises(ValueError, match="row 1 has 1 cells"):
        markdown_table(["a", "b"], [["x", "y"], ["z"]])


def test_escape_and_share():
    assert escape_cell(0) == "0"
    assert format_share(None) == "—"
    assert format_share(0.5) == "50.0 %"
