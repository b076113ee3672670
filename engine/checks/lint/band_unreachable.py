"""L001 band-unreachable: a band no metric value can reach.

Every metric has a range (a percent change is at least -100, a count at least 0, a county rank at most the number
of areas in the data). A band wholly outside it never scores anything, which usually means a typo in its edges or
a band written for another metric; the bands that can match then cover less than the author meant.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from engine.checks.lint.base import Check, Finding, metric_words
from engine.load.bands import to_units, unit_range
from engine.load.model import COUNT_SHAPES, METRICS, Band, DataCriterion
from engine.score.scoring import Result


def run(result: Result) -> Iterator[Finding]:
    """A finding for each band of a data-driven criterion that lies outside its metric's range."""
    areas = _area_count(result)
    for cid, criterion in result.rules.data_criteria.items():
        _, low, high = METRICS[criterion.metric]
        if criterion.metric == "county_rank" and areas:  # ranks among the data's areas: at most their number
            high = Decimal(areas)
        for band in criterion.bands:
            why = _why_unreachable(band, criterion, low, high)
            if why:
                yield CHECK.finding(
                    result,
                    ("criteria", cid, "bands", band.index),
                    f"band `{band.label}` can never match: {why}",
                    "remove it or move its edges",
                )


def _why_unreachable(band: Band, criterion: DataCriterion, low: Decimal | None, high: Decimal | None) -> str | None:
    """Why no value from ``low`` to ``high`` (``None``: unbounded) falls in ``band``; ``None`` if one can."""
    r = unit_range(band, criterion.decimals)
    lo = None if low is None else to_units(low, criterion.decimals)
    hi = None if high is None else to_units(high, criterion.decimals)
    if r.high is not None and lo is not None and r.high < lo:
        return f"the {metric_words(criterion)} is at least {low}"
    if r.low is not None and hi is not None and r.low > hi:
        return f"it is at most {high}"
    return None


def _area_count(result: Result) -> int:
    """How many distinct areas the count datasets (crime_counts, crime_series) hold."""
    import pandas as pd  # on demand: importing the lint package stays free of pandas (tests/test_startup.py)

    areas: set[str] = set()
    for dataset in result.datasets.values():
        if dataset.ref.shape in COUNT_SHAPES:
            areas.update(pd.unique(dataset.frame["area"].to_numpy()))
    return len(areas)


CHECK = Check(
    "L001",
    "band-unreachable",
    "A band no metric value can reach (outside the metric's range, or a county rank above the number of areas); "
    "it never scores, so the other bands cover less than meant.",
    run,
)
