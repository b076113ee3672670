"""Workbooks for the tests, shaped as an analyst keeps figures: titles above the header, one row per crime type, a
column per year, notes below. ``write_series_workbook`` made ``datasets/examples/series.xlsx``
(``tests/engine/load/test_xlsxread.py`` checks the shipped file still holds what it writes)."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

SERIES_CSV = ROOT / "datasets" / "examples" / "series.csv"
SERIES_XLSX = ROOT / "datasets" / "examples" / "series.xlsx"


def series_table() -> tuple[list[str], dict[str, dict[str, int | None]]]:
    """The periods of ``datasets/examples/series.csv`` and each category's count per period (None: blank)."""
    periods: list[str] = []
    counts: dict[str, dict[str, int | None]] = {}
    with SERIES_CSV.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if row["period"] not in periods:
                periods.append(row["period"])
            counts.setdefault(row["category"], {})[row["period"]] = int(row["count"]) if row["count"] else None
    return periods, counts


def write_series_workbook(path: Path) -> None:
    """The Ashdown series as an analyst's sheet `Recorded crime`: two title rows (the first merged across the
    table), the header in row 4 (`Crime type`, then a column per year, counts saved as numbers such as 520.0),
    a row per crime type, a blank row and two notes."""
    import openpyxl

    periods, counts = series_table()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Recorded crime"
    sheet["A1"] = "Ashdown Community Safety Partnership"
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(periods) + 1)
    sheet["A2"] = "Recorded crime by financial year (ILLUSTRATIVE figures)"
    sheet.append([])
    sheet.append(["Crime type", *periods])
    for category, by_period in counts.items():
        sheet.append([category, *(None if by_period[p] is None else float(by_period[p]) for p in periods)])
    sheet.append([])
    sheet.append(["Source: made up for the cspscore examples."])
    sheet.append(["Note: vehicle crime for 2019-20 was not published."])
    book.save(path)


def workbook(path: Path, rows: list[list[Any]], *, title: str = "Sheet1", merged: tuple[str, ...] = ()) -> Path:
    """A one-sheet workbook of ``rows`` (row 1 first) at ``path``; each of ``merged`` (``A5:A6``) merged."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for span in merged:
        sheet.merge_cells(span)
    book.save(path)
    return path


def save_formula_value(path: Path, cell: str, value: str) -> None:
    """Give the formula in ``cell`` of the first sheet ``value`` as its saved value, as Excel does on saving
    (openpyxl saves formulas without one)."""
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts[part].decode("utf-8")
    # <v/> or <v></v>: openpyxl writes one or the other depending on whether lxml is installed
    xml, found = re.subn(rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)', rf"\1<v>{value}</v>", xml)
    assert found == 1, f"no formula without a saved value in {cell}"
    parts[part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
