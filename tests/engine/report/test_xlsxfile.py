"""engine/report/xlsxfile.py: a workbook written directly reads back as its cells, styles and settings."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from engine.report.xlsxfile import Sheet, column_letter, workbook


@pytest.mark.parametrize(("n", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"), (703, "AAA")])
def test_column_letters(n, letters):
    assert column_letter(n) == letters


def test_cells_read_back_as_written():
    long = "x" * 61
    sheet = Sheet(
        "Audit",
        ["name", "score", "note"],
        [["=SUM(A1)", "plain", " spaced ", "a & <b>"], [3, Decimal("0.75"), "", 2.5], ["", long, "-1", "bell\x07"]],
    )
    book = load_workbook(io.BytesIO(workbook([sheet, Sheet("Empty", ["item", "value"], [[], []])])))
    assert book.sheetnames == ["Audit", "Empty"]
    ws = book["Audit"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["name", "score", "note"],
        ["=SUM(A1)", 3, None],
        ["plain", 0.75, long],
        [" spaced ", None, "-1"],
        ["a & <b>", 2.5, "bell"],
    ]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws["A2"].data_type == "s" and ws["A2"].quotePrefix and ws["C4"].quotePrefix
    assert not ws["A3"].quotePrefix and ws["C3"].alignment.wrap_text and not ws["A3"].alignment.wrap_text
    assert ws["A1"].font.b and not ws["A2"].font.b
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C5"
    assert [ws.column_dimensions[c].width for c in "ABC"] == [10, 7, 62]
    assert book["Empty"].max_row == 1 and not book["Empty"].auto_filter.ref


def test_the_same_sheets_give_the_same_bytes():
    sheets = [Sheet("Scores", ["a"], [["x", 1]])]
    assert workbook(sheets) == workbook(sheets)
