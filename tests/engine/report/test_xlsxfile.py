"""engine/report/xlsxfile.py: a workbook written directly reads back as its cells, styles and settings."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from engine.report.xlsxfile import Look, Sheet, Styled, column_letter, workbook


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


def test_lines_above_looks_and_print_setup_read_back():
    title = Look(bold=True, size=14)
    shaded = Look(number_format="+0.0;-0.0;0.0", fill="2F2F2F", white=True)
    sheet = Sheet(
        "Table 6",
        ["Issue", "Score", "Margin", "Priority"],
        [
            ["ASB", "@cmd"],
            [Styled(5, Look(number_format="0", fill="E0E0E0")), 3],
            [Styled(Decimal("-1.5"), shaded), 2],
            [True, False],
        ],
        formats=["General", "0", "+0;-0;0", "General"],
        above=[[Styled("Title", title)], ["Cutoff", Decimal(20)]],
        fit_width=True,
        freeze_columns=1,
    )
    ws = load_workbook(io.BytesIO(workbook([sheet])))["Table 6"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["Title", None, None, None],
        ["Cutoff", 20, None, None],
        [None, None, None, None],
        ["Issue", "Score", "Margin", "Priority"],
        ["ASB", 5, -1.5, True],
        ["@cmd", 3, 2, False],
    ]
    assert ws["A1"].font.b and ws["A1"].font.sz == 14 and ws.row_dimensions[1].height == 20
    assert ws["B5"].fill.fgColor.rgb == "FFE0E0E0" and ws["C5"].font.color.rgb == "FFFFFFFF"
    assert ws["C5"].number_format == "+0.0;-0.0;0.0" and ws["C6"].number_format == "+0;-0;0"
    assert ws["D5"].data_type == "b" and ws["A6"].quotePrefix and ws["A6"].data_type == "s"
    assert ws.freeze_panes == "B5" and ws.auto_filter.ref == "A4:D6" and ws.print_title_rows == "$4:$4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_options.gridLines
