"""A `datasets:` entry's workbook layout: which sheet, which row holds the headings, which column is what.

Everything the rule file alone can tell is checked here, each problem at its key; what needs the workbook itself
(the sheet's name, the headings in ``header_row``, columns beyond the sheet's last) is checked when it is read
(:mod:`engine.load.xlsxread`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from engine.errors import allowed_list, did_you_mean
from engine.load.model import SheetLayout
from engine.load.schema import load_schema
from engine.load.sections.collector import Collector

#: The keys that describe a workbook's table; with a CSV file each is a mistake.
SHEET_KEYS = ("sheet", "header_row", "last_row", "area", "columns")
#: A column letter as Excel shows it; anything else names a column by its heading.
COLUMN_LETTERS = re.compile(r"[A-Z]{1,3}")
#: Excel's last column (XFD).
LAST_COLUMN = 16_384
#: Columns a sheet's layout supplies itself, so ``columns:`` may not name them.
_SUPPLIED = {
    "crime_series": {"period": "periods", "count": "periods"},
    "crime_counts": {"previous": "periods", "current": "periods"},
    "population": {},
}
SAVE_AS_XLSX = "in Excel: Save As, 'Excel Workbook (*.xlsx)', or 'CSV UTF-8 (Comma delimited)'"


def column_number(letters: str) -> int:
    """The 1-based number of a column letter: A is 1, Z 26, AA 27."""
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - ord("A") + 1
    return number


def build_sheet(collector: Collector, name: str, raw: dict[str, Any], file: Path, measures: Collection[str]) -> Any:
    """The dataset's :class:`SheetLayout` (None for a CSV file, or after recording why the layout is wrong)."""
    here = ("datasets", name)
    suffix = file.suffix.lower()
    if suffix in (".xlsm", ".xlsb", ".xls"):
        collector.fail(here + ("file",), *_refused(suffix))
        return None
    if suffix != ".xlsx":
        for key in SHEET_KEYS:
            if key in raw:
                collector.fail(
                    here + (key,), f"`{key}` is only used with an .xlsx workbook", "remove it for a CSV file", key=True
                )
        if isinstance(raw.get("periods"), dict):
            collector.fail(
                here + ("periods",),
                "periods mapped to columns are only used with an .xlsx workbook",
                'for a CSV file list them, oldest first: periods: ["2022/23", "2023/24"]',
            )
        return None
    if "sheet" not in raw or "header_row" not in raw:
        missing = "sheet" if "sheet" not in raw else "header_row"
        collector.fail(
            here + ("file",),
            f"a workbook's dataset needs `{missing}`: {_WHERE}",
            'e.g. sheet: Recorded crime, header_row: 4, columns: {category: A}, periods: {"2023/24": C}',
        )
        return None
    ok = len(collector.problems)
    header_row = raw["header_row"]
    if "last_row" in raw and raw["last_row"] <= header_row:
        collector.fail(
            here + ("last_row",), f"the last row ({raw['last_row']}) must be below header_row ({header_row})"
        )
    columns = {str(k): _reference(v) for k, v in raw.get("columns", {}).items()}
    periods = _periods(collector, name, raw)
    _names(collector, name, raw["shape"], columns, measures)
    _area(collector, name, raw, columns)
    _used_once(collector, name, columns, periods)
    if len(collector.problems) > ok:
        return None
    return SheetLayout(
        raw["sheet"],
        header_row,
        tuple(columns.items()),
        tuple(periods.items()),
        raw.get("area"),
        raw.get("last_row"),
    )


_WHERE = "the sheet's name and the row of its headings (as Excel numbers it)"


def _refused(suffix: str) -> tuple[str, str]:
    if suffix == ".xls":
        return "this is an Excel 97-2003 workbook (.xls), which is not read", f"save it as .xlsx ({SAVE_AS_XLSX})"
    if suffix == ".xlsb":
        return "this is an Excel binary workbook (.xlsb), which is not read", f"save it as .xlsx ({SAVE_AS_XLSX})"
    return (
        "this workbook may hold macros (.xlsm), which are never opened",
        f"save a copy without macros as .xlsx ({SAVE_AS_XLSX})",
    )


def _reference(value: Any) -> str:
    """A column reference as text: a heading written as a number (2023) is the text of that number."""
    return str(value).strip()


def _periods(collector: Collector, name: str, raw: dict[str, Any]) -> dict[str, str]:
    """The periods mapped to their columns, oldest first; problems for a list or a count the shape cannot use."""
    here = ("datasets", name, "periods")
    shape = raw["shape"]
    given = raw.get("periods")
    if given is None:
        if shape == "crime_series":
            collector.fail(
                ("datasets", name, "file"),
                "a crime_series sheet needs `periods`: each period mapped to the column of its counts, oldest first",
                'e.g. periods: {"2022/23": C, "2023/24": D}',
            )
        elif shape == "crime_counts":
            collector.fail(
                ("datasets", name, "file"),
                "a crime_counts sheet needs `periods`: the previous and the current period, each mapped to its column",
                'e.g. periods: {"2022/23": C, "2023/24": D}',
            )
        return {}
    if isinstance(given, list):
        collector.fail(here, "with a workbook, map each period to its column, oldest first", 'e.g. {"2022/23": C}')
        return {}
    if shape == "population":
        collector.fail(here, "a population dataset has no periods", "remove `periods`", key=True)
        return {}
    if shape == "crime_counts" and len(given) > 2:
        collector.fail(
            here,
            f"a crime_counts dataset holds two periods (previous and current), not {len(given)}",
            "use shape crime_series for more periods, or keep the last two",
        )
        return {}
    return {str(period).strip(): _reference(column) for period, column in given.items()}


def _names(collector: Collector, name: str, shape: str, columns: dict[str, str], measures: Collection[str]) -> None:
    """Each name under ``columns`` is a column of the shape (or a declared measure), none is one the layout
    supplies, and every required column is there."""
    schema = load_schema(shape)
    known = list(schema["properties"]) + (list(measures) if shape == "crime_counts" else [])
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    supplied = _SUPPLIED[shape]
    for column in columns:
        here = ("datasets", name, "columns", column)
        if column in supplied:
            collector.fail(
                here,
                f"`{column}` comes from `{supplied[column]}` in a {shape} sheet",
                'map each period to its column instead: periods: {"2022/23": C, "2023/24": D}',
                key=True,
            )
        elif column not in known and not any(p.search(column) for p in patterns):
            otherwise = (
                "declare it under `measures:` in the rule file"
                if shape == "crime_counts"
                else f"columns of a {shape} dataset: {allowed_list(known)}"
            )
            hint = did_you_mean(column, known) or otherwise
            collector.fail(here, f"a {shape} dataset has no column `{column}`", hint, key=True)
    for column in schema["required"]:
        if column not in columns and column not in supplied and column != "area":
            collector.fail(
                ("datasets", name, "columns"),
                f"the sheet's `{column}` column is not named",
                f"add it under `columns:`, by letter or heading, e.g. {column}: A",
            )


def _area(collector: Collector, name: str, raw: dict[str, Any], columns: dict[str, str]) -> None:
    """Exactly one of an area column and a fixed area."""
    if "area" in raw and "area" in columns:
        collector.fail(
            ("datasets", name, "area"),
            "both an area and an area column are given",
            "keep `area:` for a sheet holding one area, or `columns: {area: ...}` for a column of areas",
            key=True,
        )
    elif "area" not in raw and "area" not in columns:
        collector.fail(
            ("datasets", name, "sheet"),
            "the sheet's area is not given",
            "name its area column (columns: {area: B}) or, for a sheet of one area, the area (area: Sevenoaks)",
            key=True,
        )


def _used_once(collector: Collector, name: str, columns: dict[str, str], periods: dict[str, str]) -> None:
    """No column is read for two things, and every letter is a column Excel has."""
    seen: dict[str, str] = {}
    for section, mapping in (("columns", columns), ("periods", periods)):
        for key, reference in mapping.items():
            here = ("datasets", name, section, key)
            if COLUMN_LETTERS.fullmatch(reference) and column_number(reference) > LAST_COLUMN:
                collector.fail(here, f"there is no column {reference} (Excel's last is XFD)")
            elif reference in seen:
                collector.fail(here, f"column {reference} is already read as {seen[reference]}")
            seen.setdefault(reference, f"`{key}`" if section == "columns" else f"period `{key}`")
