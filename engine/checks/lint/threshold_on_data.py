"""L009 threshold-on-data: a band edge sits exactly on a metric value in the data.

Then only the edge's inclusiveness (``from`` or ``above``, ``to`` or ``below``) decides the issue's band, and a
one-unit change of the data flips it: the score is fragile. Each edge is reported once, at its first band; edges at
the metric's own limits (a fall of 100%) and county positions (whole numbers, so every edge is some position, by
design) are not checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from engine.checks.lint.base import Check, Finding, metric_words
from engine.load.bands import to_units
from engine.load.model import METRICS, Band, DataCriterion
from engine.score.metrics import MetricValues
from engine.score.scoring import Result


def run(result: Result) -> Iterator[Finding]:
    """A finding for each band edge equal to a metric value of some issue (once per edge)."""
    for cid, outcome in result.outcomes.items():
        criterion = outcome.criterion
        if not isinstance(criterion, DataCriterion) or outcome.metric is None:
            continue
        if criterion.metric in ("county_position", "county_rank"):
            continue  # positions are whole numbers: every band edge is some position, by design
        values = _issues_by_value(result, outcome.metric)
        for band, key, edge, units in _edges(criterion):
            if units in values:
                yield CHECK.finding(
                    result,
                    ("criteria", cid, "bands", band.index, key),
                    f"edge {edge} equals the {metric_words(criterion)} of "
                    f"{', '.join(sorted(values[units]))}: whether it is inclusive decides the score",
                    "fragile: a change of one unit in the data moves the issue to the next band",
                )


def _edges(criterion: DataCriterion) -> Iterator[tuple[Band, str, Decimal, int]]:
    """Each distinct band edge inside the metric's limits, at its first band: band, key, value, units."""
    _, low, high = METRICS[criterion.metric]
    limits = {to_units(x, criterion.decimals) for x in (low, high) if x is not None}
    seen: set[int] = set()
    for band in sorted(criterion.bands, key=lambda b: b.index):
        for edge, key in (
            (band.lower, "from" if band.lower_inclusive else "above"),
            (band.upper, "to" if band.upper_inclusive else "below"),
        ):
            if edge is None:
                continue
            units = to_units(edge, criterion.decimals)
            if units is None or units in limits or units in seen:
                continue
            seen.add(units)
            yield band, key, edge, units


def _issues_by_value(result: Result, metric: MetricValues) -> dict[int, set[str]]:
    """The issues having each defined metric value (in units)."""
    values: dict[int, set[str]] = {}
    for i, (units, defined) in enumerate(zip(metric.units, metric.defined, strict=True)):
        if defined:
            values.setdefault(int(units), set()).add(result.issue_ids[i])
    return values


CHECK = Check(
    "L009",
    "threshold-on-data",
    "A band edge exactly on a metric value in the data, so only the edge's inclusiveness decides the band "
    "and a one-unit change flips it.",
    run,
)
