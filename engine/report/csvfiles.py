"""A result as CSV: scores, audit and provenance as three files; the scores alone for stdout.

Each table is written a column at a time through :func:`engine.csvfile.columns_to_csv`, so no cell runs as a
formula, and only the tables asked for are built: ``score --format csv`` to stdout builds the scores alone.
"""

from __future__ import annotations

from engine.csvfile import columns_to_csv, to_csv
from engine.score.audit import AUDIT_COLUMNS, Provenance, audit_columns, score_columns
from engine.score.scoring import Result


def score_column_names(result: Result) -> list[str]:
    """The scores table's columns: ``area`` (several areas only), the issue, each criterion and derived value,
    total, rank, priority, margin."""
    area = ["area"] if len(result.areas) > 1 else []
    return [
        *area,
        "issue_id",
        "issue",
        *result.rules.criteria,
        *result.rules.derived,
        "total",
        "rank",
        "priority",
        "margin",
    ]


def scores_csv(result: Result) -> str:
    """The scores table as CSV (what ``score --format csv`` prints): no audit, no provenance."""
    table = score_columns(result).columns
    names = score_column_names(result)
    return columns_to_csv([table[c] for c in names], names)


def audit_csv(result: Result) -> str:
    """The audit as CSV: one row per issue and criterion, in the scores' order (``area`` first with several)."""
    names = (["area"] if len(result.areas) > 1 else []) + list(AUDIT_COLUMNS)
    table = audit_columns(result).table()
    return columns_to_csv([table[c] for c in names], names)


def csv_files(result: Result, provenance: Provenance) -> dict[str, str]:
    """The three tables as CSV files: ``scores.csv``, ``audit.csv``, ``provenance.csv``."""
    return {
        "scores.csv": scores_csv(result),
        "audit.csv": audit_csv(result),
        "provenance.csv": to_csv(provenance.rows(), ["item", "value"]),
    }
