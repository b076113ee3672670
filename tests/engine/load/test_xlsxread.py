"""engine/load/xlsxread.py: a dataset's table read from an analyst's workbook, checked as a CSV's cells are.

Each case lays a workbook and its declaration over a copy of tests/corpus/mini (whose crime counts are a CSV) and
runs the command as a user would, asserting the whole message.
"""

from __future__ import annotations

import datetime
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import cli
from engine.errors import Problem
from tests.conftest import MINI
from tests.workbooks import SERIES_XLSX, save_formula_value, series_table, workbook, write_series_workbook

TITLE = ["Testshire CSP: recorded crime"]
HEADER = ["Area", "Offence", "2022/23", "2023/24", "County position"]
ROWS = [
    ["Testshire", "Anti-social behaviour", 1000.0, 1150.0, 3],
    ["Testshire", "Burglary residential", 200, 150.0, 7],
    ["Testshire", "Burglary business", 100, 120, 2],
]
DECLARED = """\
  crime:
    file: data/crime.xlsx
    shape: crime_counts
    sheet: Crime
    header_row: 3
    columns: {area: Area, category: Offence, county_position: E}
    periods: {"2022/23": C, "2023/24": D}
"""


def mini(tmp_path: Path, rows: list[list[Any]] | None = None, declared: str = DECLARED, **options: Any) -> Path:
    """A copy of the mini assessment whose crime counts are the workbook ``rows`` (default: the CSV's own, laid
    out with a title row and a blank row above the header, and a note below)."""
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    rows = rows if rows is not None else [TITLE, [], HEADER, *ROWS, [], ["Source: Testshire Police"]]
    workbook(folder / "data" / "crime.xlsx", rows, title=options.pop("title", "Crime"), **options)
    rules = folder / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    old = "  crime:\n    file: data/crime.csv\n    shape: crime_counts\n"
    rules.write_text(text.replace(old, declared), encoding="utf-8")
    return folder


def invoke(folder: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(folder)
    return CliRunner().invoke(cli.main, list(args))


def test_scores_from_the_workbook_equal_scores_from_the_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from_csv = invoke(MINI, "score", "rules.yaml", "--format", "csv", monkeypatch=monkeypatch)
    folder = mini(tmp_path)
    from_sheet = invoke(folder, "score", "rules.yaml", "--format", "csv", monkeypatch=monkeypatch)
    assert from_csv.exit_code == from_sheet.exit_code == 0
    assert from_sheet.output == from_csv.output


def test_validate_accounts_for_every_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke(mini(tmp_path), "validate", "rules.yaml", monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert result.output == (
        "rules.yaml: OK (rules and 2 datasets; 3 criteria, 3 issues)\n"
        "  crime: data/crime.xlsx, sheet Crime: 8 rows read, 3 used; left out: rows 1-2 above the header (titles); "
        "row 3 the header; row 7 blank: the end of the table; row 8 below the table (notes)\n"
    )


def test_the_explained_rows_are_the_sheet_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke(mini(tmp_path), "explain", "rules.yaml", "asb", monkeypatch=monkeypatch)
    assert "data/crime.xlsx row 4" in result.output


def test_provenance_records_the_sheet_and_the_formula_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [TITLE, [], HEADER, *ROWS[:2], ["Testshire", "Burglary business", 100, "=60*2", 2]]
    folder = mini(tmp_path, rows)
    save_formula_value(folder / "data" / "crime.xlsx", "D6", "120")
    result = invoke(folder, "score", "rules.yaml", "--format", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    import json

    crime = json.loads(result.output)["provenance"]["datasets"][0]
    assert crime["workbook"] == {
        "sheet": "Crime",
        "header_row": 3,
        "rows_read": 6,
        "rows_used": 3,
        "rows_left_out": [
            {"rows": "1-2", "reason": "above the header (titles)"},
            {"rows": "3", "reason": "the header"},
        ],
        "formula_cells_saved_values_used": ["D6"],
    }
    assert (
        invoke(MINI, "score", "rules.yaml", "--format", "csv", monkeypatch=monkeypatch).output
        == invoke(folder, "score", "rules.yaml", "--format", "csv", monkeypatch=monkeypatch).output
    )


ONE_AREA = """\
  crime:
    file: data/crime.xlsx
    shape: crime_counts
    sheet: Crime
    header_row: 1
    area: Testshire
    columns: {category: A}
    periods: {"2022/23": B, "2023/24": C}
    last_row: 5
"""


def test_a_sheet_of_one_area_with_a_declared_last_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [
        ["Offence", "2022/23", "2023/24", "County position"],
        ["Anti-social behaviour", 1000, 1150, 3],
        [],  # a blank row inside a declared table is left out, not its end
        ["Burglary residential", 200, 150, 7],
        ["Burglary business", 100, 120, 2],
        ["Total", "=SUM(B2:B5)", "=SUM(C2:C5)"],  # below the declared last row: never read as data
    ]
    declared = ONE_AREA.replace("columns: {category: A}", "columns: {category: A, county_position: D}")
    folder = mini(tmp_path, rows, declared)
    result = invoke(folder, "validate", "rules.yaml", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == (
        "  crime: data/crime.xlsx, sheet Crime: 6 rows read, 3 used; left out: row 1 the header; row 3 blank; "
        "row 6 below the table (notes)"
    )


CASES = {
    "a count with a fraction": (
        [TITLE, [], HEADER, ["Testshire", "Anti-social behaviour", 1000.5, 1150, 3], *ROWS[1:]],
        DECLARED,
        "data/crime.xlsx:Crime!C4: previous: `1000.5` is not a whole number",
    ),
    "a date": (
        [TITLE, [], HEADER, ["Testshire", "Anti-social behaviour", datetime.date(2023, 4, 1), 1150, 3], *ROWS[1:]],
        DECLARED,
        "data/crime.xlsx:Crime!C4: previous: C4 holds a date or time (2023-04-01), not a number or text\n"
        "    hint: format the cell as Number or Text and type the value",
    ),
    "a formula without a saved value": (
        [TITLE, [], HEADER, ["Testshire", "Anti-social behaviour", "=500*2", 1150, 3], *ROWS[1:]],
        DECLARED,
        "data/crime.xlsx:Crime!C4: previous: C4 holds a formula with no saved value (formulas are never calculated "
        "here)\n    hint: open the workbook in Excel and save it, so each formula's value is saved; or type the value in",
    ),
    "a blank category": (
        [TITLE, [], HEADER, ["Testshire", None, 1000, 1150, 3], *ROWS[1:]],
        DECLARED,
        "data/crime.xlsx:Crime!B4: category: empty cell: a value is needed here",
    ),
    "a category twice": (
        [TITLE, [], HEADER, *ROWS, ROWS[0]],
        DECLARED,
        "data/crime.xlsx:Crime!7:7: duplicate row for Testshire / Anti-social behaviour (first on row 4)",
    ),
    "merged area cells": (
        [TITLE, [], HEADER, *ROWS[:2], [None, *ROWS[2][1:]]],
        DECLARED,
        "data/crime.xlsx:Crime!A6: area: cells A5:A6 are merged, so only A5 holds a value\n"
        "    hint: unmerge them and fill in each cell",
    ),
    "an unknown sheet": (
        None,
        DECLARED.replace("sheet: Crime", "sheet: Crimes"),
        "rules.yaml:28:12: datasets.crime.sheet: data/crime.xlsx has no sheet `Crimes`\n    hint: did you mean `Crime`?",
    ),
    "a heading the header row lacks": (
        None,
        DECLARED.replace("category: Offence", "category: Offense"),
        "rules.yaml:30:37: datasets.crime.columns.category: row 3 of sheet `Crime` has no heading `Offense`\n"
        "    hint: did you mean `Offence`?",
    ),
    "the wrong header row": (
        None,
        DECLARED.replace("header_row: 3", "header_row: 2"),
        "rules.yaml:30:21: datasets.crime.columns.area: row 2 of sheet `Crime` is empty, so has no heading `Area`\n"
        "    hint: is header_row right?\n"
        "rules.yaml:30:37: datasets.crime.columns.category: row 2 of sheet `Crime` is empty, so has no heading "
        "`Offence`\n    hint: is header_row right?",
    ),
    "a column beyond the sheet": (
        None,
        DECLARED.replace("county_position: E", "county_position: G"),
        "rules.yaml:30:63: datasets.crime.columns.county_position: column G is beyond the sheet's last column (E)\n"
        "    hint: a heading in capitals of up to three letters is read as a column letter: write the column's letter",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_mistake_is_placed(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows, declared, message = CASES[case]
    merged = ("A5:A6",) if case == "merged area cells" else ()
    folder = mini(tmp_path, rows, declared, merged=merged)
    result = invoke(folder, "validate", "rules.yaml", monkeypatch=monkeypatch)
    count = len([line for line in message.splitlines() if not line.startswith("    ")])
    found = "1 problem found" if count == 1 else f"{count} problems found"
    assert (result.exit_code, result.output) == (1, f"{message}\n{found}; nothing was written.\n")


LAYOUT_MISTAKES = {
    "a workbook without its layout": (
        "  crime:\n    file: data/crime.xlsx\n    shape: crime_counts\n",
        "rules.yaml:26:11: datasets.crime.file: a workbook's dataset needs `sheet`: the sheet's name and the row of "
        "its headings (as Excel numbers it)\n"
        '    hint: e.g. sheet: Recorded crime, header_row: 4, columns: {category: A}, periods: {"2023/24": C}',
    ),
    "a layout for a CSV file": (
        "  crime:\n    file: data/crime.csv\n    shape: crime_counts\n    sheet: Crime\n",
        "rules.yaml:28:5: datasets.crime.sheet: `sheet` is only used with an .xlsx workbook\n"
        "    hint: remove it for a CSV file",
    ),
    "a macro workbook": (
        DECLARED.replace("crime.xlsx", "crime.xlsm"),
        "rules.yaml:26:11: datasets.crime.file: this workbook may hold macros (.xlsm), which are never opened\n"
        "    hint: save a copy without macros as .xlsx (in Excel: Save As, 'Excel Workbook (*.xlsx)', or 'CSV UTF-8 "
        "(Comma delimited)')",
    ),
    "an area twice": (
        DECLARED.replace("header_row: 3", "header_row: 3\n    area: Testshire"),
        "rules.yaml:30:5: datasets.crime.area: both an area and an area column are given\n"
        "    hint: keep `area:` for a sheet holding one area, or `columns: {area: ...}` for a column of areas",
    ),
    "a column read twice": (
        DECLARED.replace("county_position: E", "county_position: D"),
        'rules.yaml:31:40: datasets.crime.periods."2023/24": column D is already read as `county_position`',
    ),
    "the years as columns": (
        DECLARED.replace("county_position: E", "current: D"),
        "rules.yaml:30:46: datasets.crime.columns.current: `current` comes from `periods` in a crime_counts sheet\n"
        '    hint: map each period to its column instead: periods: {"2022/23": C, "2023/24": D}\n'
        'rules.yaml:31:40: datasets.crime.periods."2023/24": column D is already read as `current`',
    ),
}


@pytest.mark.parametrize("case", LAYOUT_MISTAKES)
def test_each_layout_mistake_is_placed_without_reading_the_workbook(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    declared, message = LAYOUT_MISTAKES[case]
    result = invoke(
        mini(tmp_path, declared=declared), "validate", "rules.yaml", "--rules-only", monkeypatch=monkeypatch
    )
    count = len([line for line in message.splitlines() if not line.startswith("    ")])
    found = "1 problem found" if count == 1 else f"{count} problems found"
    assert (result.exit_code, result.output) == (1, f"{message}\n{found}; nothing was written.\n")


def test_a_workbook_that_would_unpack_beyond_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = mini(tmp_path)
    with zipfile.ZipFile(folder / "data" / "crime.xlsx", "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.bin", b"\0" * 5_000_000)  # 5 MB of zeros, a few kB packed
    monkeypatch.setattr("engine.load.xlsxread.MAX_UNPACKED_BYTES", 1_000_000)
    result = invoke(folder, "validate", "rules.yaml", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert result.output.startswith("data/crime.xlsx:1:1: this workbook unpacks to 5,0")
    assert "; the limit is 1,000,000\n    hint: save the table alone in a workbook, or as CSV UTF-8\n" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"\xd0\xcf\x11\xe0" + b"\0" * 100,
            "this is not an .xlsx workbook: an Excel 97-2003 (.xls) or password-protected file",
        ),
        (b"area,category\n", "this is not an .xlsx workbook"),
    ],
)
def test_a_file_that_is_not_an_xlsx_workbook(
    content: bytes, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = mini(tmp_path)
    (folder / "data" / "crime.xlsx").write_bytes(content)
    result = invoke(folder, "validate", "rules.yaml", monkeypatch=monkeypatch)
    assert (result.exit_code, result.output.splitlines()[0]) == (1, f"data/crime.xlsx:1:1: {message}")


def test_macros_are_refused_whatever_the_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = mini(tmp_path)
    with zipfile.ZipFile(folder / "data" / "crime.xlsx", "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    result = invoke(folder, "validate", "rules.yaml", monkeypatch=monkeypatch)
    assert (result.exit_code, result.output.splitlines()[0]) == (
        1,
        "data/crime.xlsx:1:1: this workbook holds macros, which are never opened",
    )


def test_the_shipped_example_workbook_is_the_one_the_recipe_describes(tmp_path: Path) -> None:
    import openpyxl

    write_series_workbook(tmp_path / "series.xlsx")

    def cells(path: Path) -> list[tuple[Any, ...]]:
        book = openpyxl.load_workbook(path, read_only=True)
        return list(book["Recorded crime"].values)

    assert cells(SERIES_XLSX) == cells(tmp_path / "series.xlsx")
    periods, counts = series_table()
    assert cells(SERIES_XLSX)[3] == ("Crime type", *periods)


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (Problem("a.xlsx", 7, 3, "current", "bad", sheet="Sheet1"), "a.xlsx:Sheet1!C7: current: bad"),
        (Problem("a.xlsx", 7, 0, "", "bad", sheet="Recorded crime"), "a.xlsx:'Recorded crime'!7:7: bad"),
        (Problem("a.xlsx", 7, 28, "", "bad", sheet="O'Brien's"), "a.xlsx:'O''Brien''s'!AB7: bad"),
        (Problem("a.csv", 7, 3, "current", "bad"), "a.csv:7:3: current: bad"),
    ],
)
def test_a_sheet_cell_is_shown_as_excel_writes_it(problem: Problem, text: str) -> None:
    assert str(problem) == text
