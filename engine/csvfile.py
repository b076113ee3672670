"""CSV text in and out: records with the line each starts on, and rows written so no cell runs as a formula.

Cells that came from rule or data files and start with ``= + - @`` (or a tab
or carriage return) are prefixed with ``'`` so a spreadsheet shows them as text
instead of running them as formulas. Plain numbers are left alone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from engine.errors import InputError, Problem

_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")
_RISKY = ("=", "+", "-", "@", "\t", "\r")


def parse_csv(text: str, display: str) -> tuple[list[int], list[list[str]]]:
    """CSV records and the line each starts on (quoted cells may span lines); blank records are left out.

    Without a quote character every record is one line, so the whole text is parsed at C speed and the
    line numbers follow from the record numbers; with quotes, records are read one at a time, tracking lines.
    """
    if '"' not in text:
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error:
            records = None  # read again one record at a time below, to place the error
        if records is not None:
            kept = [n for n, record in enumerate(records) if "".join(record).strip()]
            return [n + 1 for n in kept], [records[n] for n in kept]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    lines, rows = [], []
    start = 1
    try:
        for record in reader:
            if record and "".join(record).strip():
                lines.append(start)
                rows.append(record)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError([Problem(display, reader.line_num, 1, "", f"this is not valid CSV: {exc}")]) from None
    return lines, rows


def safe_cell(value: Any) -> Any:
    """A cell value that a spreadsheet cannot mistake for a formula."""
    if isinstance(value, str) and value.startswith(_RISKY) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_column(values: Sequence[Any]) -> Sequence[Any]:
    """A column with :func:`safe_cell` applied (the column itself when no cell needs it, as is usual)."""
    try:
        firsts = {v[:1] for v in values}  # a column of text: its cells' first characters, without a call per cell
    except TypeError:
        firsts = {v[:1] for v in values if isinstance(v, str)}
    if firsts.isdisjoint(_RISKY):
        return values
    return [safe_cell(v) for v in values]


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    """Rows as CSV text (UTF-8, comma-separated, header first, ``\\n`` line ends)."""
    rows = list(rows)
    return columns_to_csv([[row.get(c, "") for row in rows] for c in columns], columns)


def columns_to_csv(columns: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    """Columns (one list of cells each, all as long) as CSV text under ``header``, as :func:`to_csv` writes rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(zip(*(safe_column(c) for c in columns), strict=True))
    return buffer.getvalue()
