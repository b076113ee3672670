"""An Excel workbook for auditors: Scores, Audit, Provenance and Rules sheets.

Headers are frozen and filtered, columns sized to their contents. Every text
cell is written as text, never a formula: a rule or data file that says
``=HYPERLINK(...)`` shows exactly that. Numbers stay numbers so they can be
filtered and summed.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from engine.load.model import DataCriterion
from engine.numbers import number
from engine.score.audit import AUDIT_COLUMNS, Provenance, audit_rows, score_rows
from engine.score.scoring import Result


def rules_rows(result: Result) -> list[dict[str, Any]]:
    """The thresholds in force: the cutoff and total, the scale, then per criterion its own scale (if any) and
    one row per band, or one for a judgement criterion."""
    rules = result.rules
    rows: list[dict[str, Any]] = [
        {
            "item": "cutoff",
            "criterion": "",
            "detail": "an issue is a priority when its total is at least",
            "value": number(rules.priority.cutoff),
        },
        {"item": "total", "criterion": "", "detail": rules.total.describe(), "value": ""},
    ]
    if rules.priority.max_priorities:
        rows.append(
            {
                "item": "max_priorities",
                "criterion": "",
                "detail": f"ties: {rules.priority.ties}",
                "value": rules.priority.max_priorities,
            }
        )
    for point in rules.scale:
        rows.append({"item": "scale", "criterion": "", "detail": point.meaning, "value": point.score})
    for cid, criterion in rules.criteria.items():
        for point in criterion.scale:
            rows.append({"item": "scale", "criterion": cid, "detail": point.meaning, "value": point.score})
        if not isinstance(criterion, DataCriterion):
            rows.append({"item": "judgement", "criterion": cid, "detail": criterion.name, "value": ""})
            continue
        for band in criterion.bands:
            rows.append(
                {
                    "item": "band",
                    "criterion": cid,
                    "detail": f"{criterion.metric}, rounded to {criterion.decimals} places: {band.label}",
                    "value": band.score,
                }
            )
    return rows


def workbook_bytes(result: Result, provenance: Provenance) -> bytes:
    """The workbook as .xlsx bytes."""
    from openpyxl import Workbook

    book = Workbook()
    sheets: list[tuple[str, Sequence[Mapping[str, Any]]]] = [
        ("Scores", score_rows(result)),
        ("Audit", audit_rows(result)),
        ("Provenance", provenance.rows()),
        ("Rules", rules_rows(result)),
    ]
    first = True
    for title, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title
        columns = list(rows[0]) if rows else (list(AUDIT_COLUMNS) if title == "Audit" else ["item", "value"])
        _fill(sheet, columns, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(sheet: Any, columns: list[str], rows: Sequence[Mapping[str, Any]]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for c, name in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=c, value=name)
        cell.data_type = "s"
        cell.font = Font(bold=True)
    widths = [len(name) for name in columns]
    for r, row in enumerate(rows, start=2):
        for c, name in enumerate(columns, start=1):
            value = row.get(name, "")
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
                cell.value = "" if value is None else str(value)
                cell.data_type = "s"  # text stays text: never a formula
                cell.quotePrefix = cell.value.startswith(("=", "+", "-", "@"))
                if len(cell.value) > 60:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.value = value
            widths[c - 1] = max(widths[c - 1], min(len(str(value)), 60))
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width + 2
