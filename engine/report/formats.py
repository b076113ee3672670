"""The one format dispatch: which renderer turns which kind of output into which format.

Commands name what they produced (a scored result, comparisons, a sweep) and
the format asked for; this table picks the renderer. Every renderer returns
text; CSV for a scored result is its scores table alone, so neither the audit
nor the provenance rows are built (``--out FOLDER`` writes all three tables
through :func:`engine.report.csvfiles.csv_files` instead).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.report import compare, compare_json, jsondoc, markdown, sweep, sweep_json, terminal
from engine.report.csvfiles import scores_csv

#: The formats every command with ``--format`` offers, in the order its help lists them.
FORMATS = ("table", "csv", "json", "markdown")

RENDERERS: dict[str, dict[str, Callable[..., str]]] = {
    "result": {
        "table": terminal.to_table,
        "csv": lambda result, provenance: scores_csv(result),
        "json": jsondoc.to_json,
        "markdown": markdown.to_markdown,
    },
    "comparisons": {
        "table": compare.to_table,
        "csv": compare.to_csv_text,
        "json": compare_json.to_json,
        "markdown": compare.to_markdown,
    },
    "sweep": {
        "table": sweep.to_table,
        "csv": sweep.to_csv_text,
        "json": sweep_json.to_json,
        "markdown": sweep.to_markdown,
    },
}


def render(kind: str, fmt: str, *args: Any, width: int | None = None) -> str:
    """``kind`` (result, comparisons, sweep) rendered in ``fmt`` (table, csv, json, markdown); a table's lines
    at most ``width`` columns (None: no limit). The other formats are for files and programs: never narrowed."""
    if fmt == "table":
        return RENDERERS[kind][fmt](*args, width=width)
    return RENDERERS[kind][fmt](*args)
