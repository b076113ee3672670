"""The `measures:` section: a partner's own indicators, read from extra columns of `crime_counts` datasets.

    measures:
      pct_worried: {name: Residents worried, unit: "%", kind: rate, source: Residents' survey 2024}

A measure's id is its column's header in the datasets and its name in expressions, so it may not take a
built-in expression name (``previous``, ``current``, ...), a function's name, or another column of the shape.
"""

from __future__ import annotations

from typing import Any

from engine.errors import allowed_list
from engine.load.expressions import FUNCTIONS
from engine.load.model import EXPRESSION_NAMES, Measure
from engine.load.schema import load_schema
from engine.load.sections.collector import Collector

#: The prefix of the columns a crime_counts dataset keeps as printed (never a measure's id).
PUBLISHED_PREFIX = "published_"


def build_measures(collector: Collector, raw: dict[str, Any]) -> dict[str, Measure]:
    """Every declared measure, in rule-file order; an id that clashes with a built-in name is refused."""
    columns = list(load_schema("crime_counts")["properties"])
    measures = {}
    for mid, item in raw.items():
        clash = _clash(mid, columns)
        if clash:
            collector.fail(("measures", mid), clash, "give the measure another id", key=True)
            continue
        measures[mid] = Measure(
            id=mid,
            name=item["name"],
            kind=item["kind"],  # required: a percentage summed over categories would mislead
            meaning=item.get("meaning"),
            unit=item.get("unit"),
            source=item.get("source"),
        )
    return measures


def _clash(mid: str, columns: list[str]) -> str:
    """Why ``mid`` cannot be a measure's id, or "" if it can."""
    if mid in EXPRESSION_NAMES:
        return f"`{mid}` is a built-in name ({allowed_list(EXPRESSION_NAMES)})"
    if mid in FUNCTIONS:
        return f"`{mid}` is the name of a function in expressions"
    if mid in columns or mid.startswith(PUBLISHED_PREFIX):
        return f"`{mid}` is already a column of a crime_counts dataset"
    return ""
