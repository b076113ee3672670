"""How the audit shows counts read period by period: each period's count and rows, and the trends' working.

A ``crime_series`` dataset's rows are named with their period (``datasets/x.csv row 7 (2019-20)``), for every
metric; the metrics over N periods (:mod:`engine.score.trends`) show each period's count, summed over the issue's
categories, and their arithmetic with the numbers substituted, ending in the value rounded as it was banded.
A ``crime_counts`` dataset's two periods are named ``previous`` and ``current``.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from engine.load.model import DataCriterion
from engine.load.series import row_column
from engine.numbers import number, plural, unrounded
from engine.score.trends import periods_read, slope_fraction

if TYPE_CHECKING:
    from engine.score.metrics import MetricValues
    from engine.score.scoring import Result


def period_name(result: Result, i: int, back: int) -> str:
    """The name of the period ``back`` periods before the latest, in case ``i``'s dataset: ``2019-20``."""
    data = result.rules.issues[result.issue_ids[i]].data
    names = result.datasets[data.dataset].period_names if data is not None else ()
    return names[-1 - back] if back < len(names) else f"{back} periods before the latest"


def series_rows(result: Result, criterion: DataCriterion, i: int) -> str:
    """The rows a metric read from a series, period by period, oldest first:
    ``data/series.csv row 12 (2021-22), rows 13 and 18 (2022-23), no row (2023-24)``."""
    data = result.rules.issues[result.issue_ids[i]].data
    assert data is not None  # only an issue with data has a metric's rows
    links = result.inputs.links_of(i)
    parts = []
    for back in periods_read(criterion):
        lines = [int(r) for r in links[row_column(back)] if int(r)]
        period = period_name(result, i, back)
        if not lines:
            parts.append(f"no row ({period})")
        else:
            listed = ", ".join(map(str, lines[:-1])) + f" and {lines[-1]}" if len(lines) > 1 else str(lines[0])
            parts.append(f"row{'s' if len(lines) > 1 else ''} {listed} ({period})")
    return f"{result.datasets[data.dataset].ref.display} " + ", ".join(parts)


def _counts(result: Result, criterion: DataCriterion, i: int) -> list[int | None]:
    """The counts of the criterion's N latest periods for case ``i``, oldest first (None: missing)."""
    n = criterion.periods or 2
    counts, missing = result.inputs.period_counts[i, -n:], result.inputs.period_missing[i, -n:]
    return [None if gap else int(count) for count, gap in zip(counts, missing, strict=True)]


def _shown(count: int | None) -> str:
    return "missing" if count is None else str(count)


def period_inputs(result: Result, criterion: DataCriterion, i: int) -> str:
    """Each period's count the metric reads, oldest first: ``2021-22 155; 2022-23 145; 2023-24 166``, saying
    when each is summed over several categories."""
    n = criterion.periods or 2
    counts = _counts(result, criterion, i)
    backs = periods_read(criterion)
    text = "; ".join(f"{period_name(result, i, back)} {_shown(counts[n - 1 - back])}" for back in backs)
    notes = [f"the first and last of the latest {n} periods"] if criterion.metric == "change_over_periods" else []
    categories = result.inputs.link_lists(i)["category"]
    if len(categories) > 1:
        notes.append("each summed over " + ", ".join(categories))
    return text + "".join(f", {note}" for note in notes)


def change_text(result: Result, criterion: DataCriterion, i: int) -> str:
    """``(166 - 155) / 155 x 100``: the last period's count against the first's."""
    counts = _counts(result, criterion, i)
    first, last = _shown(counts[0]), _shown(counts[-1])
    return f"({last} - {first}) / {first} x 100"


def slope_working(result: Result, criterion: DataCriterion, metric: MetricValues, i: int) -> str:
    """The least-squares slope with case ``i``'s counts, as a percentage of their mean, then rounded::

    y = 155, 145, 166 at x = 0, 1, 2: sum(y) = 466, sum(xy) = 477; slope = (3 x 477 - 3 x 466) / (3 x 5 - 3 x 3)
    = 33 / 6 = 5.5; mean = 466 / 3 = 155.3333...; 100 x 5.5 / 155.3333... = 3.5407... -> 3.5 (rounded to 1 place)
    """
    counts = _counts(result, criterion, i)
    n = len(counts)
    xs = ", ".join(str(x) for x in range(n))
    ys = ", ".join(_shown(c) for c in counts)
    known = [c for c in counts if c is not None]
    if len(known) < n:
        return f"y = {ys} at x = {xs}: a count is missing, so no value"
    total = sum(known)
    sum_xy = sum(x * y for x, y in enumerate(known))
    found = slope_fraction(known)
    head = f"y = {ys} at x = {xs}: sum(y) = {total}, sum(xy) = {sum_xy}"
    if found is None:
        return f"{head}; the mean is 0, so no value"
    slope, mean = found
    sum_x, sum_xx = n * (n - 1) // 2, (n - 1) * n * (2 * n - 1) // 6
    places = criterion.decimals
    above, below = n * sum_xy - sum_x * total, n * sum_xx - sum_x * sum_x
    value = metric.value(i, places)
    exact = Decimal(int(metric.numerator[i])) / Decimal(int(metric.denominator[i]))
    final = number(value) if value is not None else "no value"
    ending = f" = {final}" if exact == value else f" = {unrounded(exact, places)} -> {final}"
    ending += "" if exact == value else f" (rounded to {plural(places, 'place')})"
    return (
        f"{head}; slope = ({n} x {sum_xy} - {sum_x} x {total}) / ({n} x {sum_xx} - {sum_x} x {sum_x}) "
        f"= {above} / {below} = {_fraction(slope, places)}; mean = {total} / {n} = {_fraction(mean, places)}; "
        f"100 x {_fraction(slope, places)} / {_fraction(mean, places)}{ending}"
    )


def _fraction(value: Fraction, places: int) -> str:
    """An exact fraction as a decimal, truncated past four more places than the criterion's (with "...")."""
    return unrounded(Decimal(value.numerator) / Decimal(value.denominator), places)
