"""The metrics over several periods, for every case at once: ``trend_slope`` and ``change_over_periods``.

Each reads an issue's counts, summed over its categories, for the latest N periods of its dataset (the
criterion's ``periods: N``), oldest first, as :class:`~engine.score.metrics.IssueInputs` holds them
(``period_counts``, ``period_missing``). Each is a ratio of whole numbers over whole columns, rounded exactly
like every built-in metric (:func:`engine.numbers.round_ratio`):

- ``trend_slope``: the ordinary least-squares slope of the counts y against x = 0, 1, ..., N-1, as a percentage
  of their mean: slope = (N Σxy - Σx Σy) / (N Σx² - (Σx)²), mean = Σy / N, so
  trend_slope = 100 x slope / mean = 100 N (N Σxy - Σx Σy) / ((N Σx² - (Σx)²) Σy), a ratio of integers.
  No value when a count is missing (``missing``) or every count is 0 (``zero_mean``).
- ``change_over_periods``: (last - first) / first x 100, the percentage change from the first to the last of the
  N periods. No value as for ``percent_change``: ``zero_to_zero``, ``zero_to_some``, ``missing`` (the first or
  the last count is missing; a blank count between them is not read).

A ``crime_counts`` dataset holds two periods (previous and current); a ``crime_series`` dataset as many as it has.
That every case's dataset has a row for each of the N periods is checked when the data are loaded
(:func:`engine.load.data_checks.periods_for_trends`).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from engine.load.model import DataCriterion, RuleSet

if TYPE_CHECKING:
    from engine.numbers import BoolArray, IntArray, ObjectArray
    from engine.score.metrics import IssueInputs

#: Above this, products of counts are computed with Python integers (exact) instead of int64.
_INT64_SAFE = 2**62


def depth(rules: RuleSet) -> int:
    """How many of the latest periods the metrics read: 2 (previous and current), or the most any criterion uses."""
    return max([2, *(c.periods for c in rules.data_criteria.values() if c.periods)])


def periods_read(criterion: DataCriterion) -> tuple[int, ...]:
    """The periods ``criterion``'s metric reads, each as how many periods before the latest (0: the latest),
    oldest first."""
    n = criterion.periods or 2
    if criterion.metric == "trend_slope":
        return tuple(range(n - 1, -1, -1))
    if criterion.metric == "change_over_periods":
        return (n - 1, 0)
    reads_previous = criterion.metric in ("percent_change", "poisson_z") or (
        criterion.expression is not None and "previous" in criterion.expression.names
    )
    return (1, 0) if reads_previous else (0,)


def window(criterion: DataCriterion, inputs: IssueInputs) -> tuple[IntArray, BoolArray]:
    """Per case, the counts of the criterion's N latest periods, oldest first, and whether each is missing."""
    n = criterion.periods or 2
    return inputs.period_counts[:, -n:], inputs.period_missing[:, -n:]


def trend_slope(criterion: DataCriterion, inputs: IssueInputs) -> tuple[Any, IntArray]:
    """100 N (N Σxy - Σx Σy) over (N Σx² - (Σx)²) Σy per case; the denominator is 0 where there is no value."""
    import numpy as np

    counts, missing = window(criterion, inputs)
    n = counts.shape[1]
    x = np.arange(n, dtype=np.int64)
    sum_y = counts.sum(axis=1)
    sum_xy = (counts * x).sum(axis=1)
    if int(np.max(sum_y, initial=0)) * 100 * n**4 >= _INT64_SAFE:  # only for counts in the hundreds of billions
        sum_y, sum_xy = sum_y.astype(object), sum_xy.astype(object)
    sum_x, sum_xx = n * (n - 1) // 2, (n - 1) * n * (2 * n - 1) // 6
    numerator = 100 * n * (n * sum_xy - sum_x * sum_y)
    denominator = (n * sum_xx - sum_x * sum_x) * sum_y
    return numerator, np.where(missing.any(axis=1), 0, denominator)


def change_over_periods(criterion: DataCriterion, inputs: IssueInputs) -> tuple[IntArray, IntArray]:
    """(last - first) x 100 over first per case; the denominator is 0 where there is no value."""
    import numpy as np

    counts, missing = window(criterion, inputs)
    first, last = counts[:, 0], counts[:, -1]
    return (last - first) * 100, np.where(missing[:, 0] | missing[:, -1], 0, first)


def no_value_reasons(criterion: DataCriterion, inputs: IssueInputs, undefined: BoolArray, reasons: ObjectArray) -> None:
    """Fill ``reasons`` where ``undefined`` with why (see ``NO_VALUE_REASONS``): a missing count outweighs the rest."""
    counts, missing = window(criterion, inputs)
    if criterion.metric == "trend_slope":
        reasons[undefined] = "zero_mean"
        reasons[undefined & missing.any(axis=1)] = "missing"
        return
    first, last = counts[:, 0], counts[:, -1]
    zero = undefined & (first == 0)
    reasons[zero & (last == 0)] = "zero_to_zero"
    reasons[zero & (last != 0)] = "zero_to_some"
    reasons[undefined & (missing[:, 0] | missing[:, -1])] = "missing"


def slope_fraction(counts: Sequence[int | Fraction]) -> tuple[Fraction, Fraction] | None:
    """The least-squares slope of ``counts`` (x = 0, 1, ...) and their mean, exactly; None if the mean is 0.

    For the working an audit shows and the figures of a rule test, apart from the columns above.
    """
    n = len(counts)
    total = sum(counts)
    if n < 2 or total == 0:
        return None
    sum_x, sum_xx = n * (n - 1) // 2, (n - 1) * n * (2 * n - 1) // 6
    sum_xy = sum(x * y for x, y in enumerate(counts))
    return Fraction(n * sum_xy - sum_x * total, n * sum_xx - sum_x * sum_x), Fraction(total, n)
