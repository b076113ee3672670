"""A result as CSV: scores, audit and provenance as three files.

Written through :func:`engine.csvfile.to_csv`, so no cell runs as a formula.
"""

from __future__ import annotations

from engine.csvfile import to_csv
from engine.score.audit import AUDIT_COLUMNS, Provenance, audit_rows, score_rows
from engine.score.scoring import Result


def score_columns(result: Result) -> list[str]:
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


def csv_files(result: Result, provenance: Provenance) -> dict[str, str]:
    """The three tables as CSV files: ``scores.csv``, ``audit.csv``, ``provenance.csv``."""
    return {
        "scores.csv": to_csv(score_rows(result), score_columns(result)),
        "audit.csv": to_csv(audit_rows(result), (["area"] if len(result.areas) > 1 else []) + list(AUDIT_COLUMNS)),
        "provenance.csv": to_csv(provenance.rows(), ["item", "value"]),
    }
