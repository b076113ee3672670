"""L006 dataset-unused: a dataset nothing reads.

A declared dataset no issue names (and, for a population table, no rate, county rank or expression uses) is
loaded and checked for nothing; it is often the sign of an issue pointing at the wrong dataset.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.checks.lint.base import Check, Finding
from engine.score.scoring import Result


def run(result: Result) -> Iterator[Finding]:
    """A finding for each dataset no issue reads (a population dataset counts as read when a metric needs it)."""
    rules = result.rules
    used = {i.data.dataset for i in rules.issues.values() if i.data}
    rates = any(
        c.metric in ("rate_per_1000", "county_rank") or (c.expression and "population" in c.expression.names)
        for c in rules.data_criteria.values()
    )
    for name, ref in rules.datasets.items():
        if name not in used and not (ref.shape == "population" and rates):
            yield CHECK.finding(result, ("datasets", name), f"dataset `{name}` is declared but nothing reads it")


CHECK = Check(
    "L006",
    "dataset-unused",
    "A declared dataset nothing reads, often the sign of an issue pointing at the wrong dataset.",
    run,
)
