"""The workbook an officer pastes Table 6 from and an auditor filters: Scores, Audit, Data, Provenance and Rules.

Scores is Table 6 (:mod:`engine.report.table6`, the rows the Word table shows too): the assessment's title,
partnership, area and period above it, the criteria's display names as headers, scores shaded by level as in the
HTML report (the number always there), last year's total and the change with ``--previous``; it prints landscape
on A4, one page wide, the header repeated on every page. Audit is every issue and criterion's working, with the
judgements' evidence and the overrides' agreed-by; Data the input rows with their file and line; Provenance and
Rules what produced the result. Numbers are numeric cells under their declared places (scores ``0``, decimal
scale points, totals and metric values to their places, margins and changes signed), never text, so sorting,
summing and charting work; every text cell is text, never a formula (one that starts with ``=``, ``+``, ``-`` or
``@`` is quote-prefixed). The file itself is written by :mod:`engine.report.xlsxfile`: directly as XML, since a
national audit (1.8 million cells) takes a minute through openpyxl and several seconds even in its write-only
mode, which still builds an object and a style per cell.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Any

from engine.load.model import DataCriterion, Publication
from engine.numbers import plural
from engine.report.public import public_audit, suppress_small_counts, version_line
from engine.report.table6 import DARK, SHADES, Column, Table6, number_format, table6
from engine.report.xlsxfile import Look, Sheet, Styled, workbook
from engine.score.audit import AUDIT_COLUMNS, Provenance, audit_columns
from engine.score.scoring import Result
from engine.whatif.comparison import Comparison

#: The audit's columns that hold scores.
SCORE_COLUMNS = ("rule_score", "judgement_score", "override_score", "final_score")
#: Data columns that are keys, kept as text however they look (an area called 001).
KEY_COLUMNS = ("area", "category", "period")
TITLE = Look(bold=True, size=14)
PRIORITY_ISSUE = Look(bold=True)


def rules_rows(result: Result) -> list[dict[str, Any]]:
    """The thresholds in force: the cutoff and total, the scale, then per criterion its own scale (if any) and
    one row per band, or one for a judgement criterion."""
    rules = result.rules
    rows: list[dict[str, Any]] = [
        {
            "item": "cutoff",
            "criterion": "",
            "detail": "an issue is a priority when its total is at least",
            "value": rules.priority.cutoff,
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


def workbook_bytes(
    result: Result,
    provenance: Provenance,
    previous: Comparison | None = None,
    publication: Publication | None = None,
) -> bytes:
    """The workbook as .xlsx bytes; ``previous`` compares last year's result with this one (Table 6 then shows
    last year's totals and the change); ``publication``: the public version (:mod:`engine.report.public`). Each
    table is taken a column at a time, so a national result stays linear in time and memory."""
    columns = audit_columns(result)
    audit = (columns if publication is None else public_audit(result, columns, publication)).table()
    audit_names = (["area"] if len(result.areas) > 1 else []) + list(AUDIT_COLUMNS)
    score_format = "0" + ("." + "0" * result.rules.score_places if result.rules.score_places else "")
    audit_formats = [score_format if c in SCORE_COLUMNS else "General" for c in audit_names]
    audit["value"] = _metric_values(result, audit)
    rules = rules_rows(result)
    rule_names = ["item", "criterion", "detail", "value"]
    provenance_rows = [
        {"item": r["item"], "value": int(r["value"]) if r["item"].endswith(".rows") else r["value"]}
        for r in provenance.rows()
    ]
    return workbook(
        [
            scores_sheet(table6(result, previous), version_line(publication) if result.rules.publication else ""),
            Sheet("Audit", audit_names, [audit[c] for c in audit_names], formats=audit_formats, freeze_columns=2),
            data_sheet(result, publication),
            Sheet("Provenance", ["item", "value"], [[r[c] for r in provenance_rows] for c in ("item", "value")]),
            Sheet("Rules", rule_names, [[r[c] for r in rules] for c in rule_names], fit_width=True),
        ]
    )


def scores_sheet(table: Table6, version: str = "") -> Sheet:
    """Table 6 of every area (an Area column first when there are several), under the title, partnership, area,
    period, rules and scale (and ``version``, public or full, when the rule file declares a public version)."""
    several = table.several
    columns = table.columns
    names = (["Area"] if several else []) + [c.header for c in columns]
    formats = (["General"] if several else []) + [number_format(c) for c in columns]
    cells: list[list[Any]] = [[] for _ in names]
    offset = 1 if several else 0
    for area in table.areas:
        for row in area.rows:
            if several:
                cells[0].append(area.area or "")
            for n, (column, value, shade) in enumerate(zip(columns, row.values, row.shades, strict=True)):
                if shade is not None:
                    cells[n + offset].append(Styled(value, _shaded(column, shade)))
                elif column.key == "issue" and row.priority:  # bold, as the HTML report marks a priority
                    cells[n + offset].append(Styled(value, PRIORITY_ISSUE))
                else:
                    cells[n + offset].append(value)
    where = ""
    if len(table.areas) == 1 and table.areas[0].area is not None:
        where = f"Area: {table.areas[0].area}"
    elif len(table.areas) > 1:
        where = f"{plural(len(table.areas), 'area')}, one block of rows each"
    period = f"Data period: {table.period}" + (
        f" (last year's totals: {table.previous_period})" if table.previous_period else ""
    )
    above: list[list[Any]] = [
        [Styled(f"{table.title}: Table 6, scoring of issues", TITLE)],
        [table.partnership],
        *([[where]] if where else []),
        [period],
        [f"Rules: {table.rules}"],
        ["Cutoff", table.cutoff, "an issue is a priority when its total is at least the cutoff"],
        ["Shading: the darker the cell, the higher the score on its scale; the number is always shown."],
        *([[version]] if version else []),
    ]
    return Sheet(
        "Scores",
        names,
        cells,
        formats=formats,
        above=above,
        fit_width=True,
        freeze_columns=offset + 2,
        max_width=45,
        header_width=14,
    )


@functools.cache
def _shaded(column: Column, level: int) -> Look:
    """A score cell's look: its column's number format on its shade's fill (white text on the dark ones)."""
    return Look(number_format=number_format(column), fill=SHADES[level], white=level in DARK)


def _metric_values(result: Result, audit: dict[str, list[Any]]) -> list[Any]:
    """The audit's metric values as numbers under their criterion's places (``no value`` stays text)."""
    looks = {
        cid: Look(number_format="0" + ("." + "0" * c.decimals if c.decimals > 0 else ""))
        for cid, c in result.rules.criteria.items()
        if isinstance(c, DataCriterion)
    }
    out: list[Any] = []
    for value, cid in zip(audit["value"], audit["criterion_id"], strict=True):
        if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value) and str(cid) in looks:
            out.append(Styled(Decimal(value), looks[str(cid)]))
        else:
            out.append(value)
    return out


def data_sheet(result: Result, publication: Publication | None = None) -> Sheet:
    """Every input row: its dataset, file and line, then its cells (the datasets' columns, in order of first
    appearance); numeric columns as numbers, key columns (area, category, period) as text. In the public version
    a count from 1 to ``suppress_below - 1`` is its label, and the row's published figures are suppressed."""
    names = ["dataset", "file", "line"]
    for dataset in result.datasets.values():
        names += [c for c in dataset.frame.columns if c != "row" and c not in names]
    columns: dict[str, list[Any]] = {name: [] for name in names}
    for name, dataset in result.datasets.items():
        frame = dataset.frame
        count = len(frame)
        columns["dataset"] += [name] * count
        columns["file"] += [dataset.ref.display] * count
        columns["line"] += [int(n) for n in frame["row"].tolist()]
        for column in names[3:]:
            columns[column] += _data_cells(frame[column], column) if column in frame.columns else [""] * count
    if publication is not None:
        suppress_small_counts(columns, publication)
    return Sheet("Data", names, [columns[n] for n in names], freeze_columns=3)


def _data_cells(series: Any, column: str) -> list[Any]:
    """A dataset column's cells: numbers as numbers (a text column whose every cell is a plain decimal too),
    blanks blank, the rest text."""
    import pandas as pd

    values = [None if v is None or (not isinstance(v, str) and pd.isna(v)) else v for v in series.tolist()]
    if column in KEY_COLUMNS:
        return ["" if v is None else str(v) for v in values]
    if all(v is None or (isinstance(v, str) and _PLAIN_NUMBER.fullmatch(v)) for v in values):
        return [None if v is None else Decimal(v) for v in values]
    return [
        v if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) else "" if v is None else str(v)
        for v in values
    ]


_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
