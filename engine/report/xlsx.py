"""An Excel workbook for auditors: Scores, Audit, Provenance and Rules sheets.

Headers are frozen and filtered, columns sized to their contents. Every text
cell is written as text, never a formula: a rule or data file that says
``=HYPERLINK(...)`` shows exactly that. Numbers stay numbers so they can be
filtered and summed. The file itself is written by :mod:`engine.report.xlsxfile`.
"""

from __future__ import annotations

from typing import Any

from engine.load.model import DataCriterion
from engine.numbers import number
from engine.report.xlsxfile import Sheet, workbook
from engine.score.audit import AUDIT_COLUMNS, Provenance, audit_columns, score_columns
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
    """The workbook as .xlsx bytes: each table taken a column at a time and written by
    :func:`engine.report.xlsxfile.workbook`, so a national result stays linear in time and memory."""
    from engine.report.csvfiles import score_column_names

    scores = score_columns(result).columns
    names = score_column_names(result)
    audit = audit_columns(result).table()
    audit_names = (["area"] if len(result.areas) > 1 else []) + list(AUDIT_COLUMNS)
    rules = rules_rows(result)
    rule_names = ["item", "criterion", "detail", "value"]
    provenance_rows = provenance.rows()
    return workbook(
        [
            Sheet("Scores", names, [scores[c] for c in names]),
            Sheet("Audit", audit_names, [audit[c] for c in audit_names]),
            Sheet("Provenance", ["item", "value"], [[r[c] for r in provenance_rows] for c in ("item", "value")]),
            Sheet("Rules", rule_names, [[r[c] for r in rules] for c in rule_names]),
        ]
    )
