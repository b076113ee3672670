"""engine.score.trends: the metrics over several periods, exactly, and why they can have no value."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.load.model import Band, DataCriterion
from engine.numbers import round_ratio
from engine.score import trends
from tests.conftest import examples
from tests.helpers import SERIES, finals, run, with_series

ANY = (Band(0, 0, None, False, None, False),)


def criterion(metric: str, periods: int, decimals: int = 1) -> DataCriterion:
    return DataCriterion("trend", "Trend", metric, decimals, ANY, periods=periods)


def values(metric: str, rows: list[list[int | None]], periods: int | None = None, decimals: int = 1):
    """The metric's rounded value per row of counts (oldest first), or the reason it has none."""
    counts = np.array([[0 if c is None else c for c in row] for row in rows], dtype=np.int64)
    inputs = SimpleNamespace(period_counts=counts, period_missing=np.array([[c is None for c in r] for r in rows]))
    chosen = criterion(metric, periods or counts.shape[1], decimals)
    numerator, denominator = {"trend_slope": trends.trend_slope, "change_over_periods": trends.change_over_periods}[
        metric
    ](chosen, inputs)
    units, defined = round_ratio(numerator, denominator, decimals)
    reasons = np.full(len(rows), "", dtype=object)
    trends.no_value_reasons(chosen, inputs, ~defined, reasons)
    return [Decimal(int(u)).scaleb(-decimals) if ok else r for u, ok, r in zip(units, defined, reasons, strict=True)]


def test_a_steady_rise_of_ten_a_year_on_a_mean_of_100_is_ten_percent():
    assert values("trend_slope", [[90, 100, 110], [110, 100, 90], [100, 100, 100]]) == [
        Decimal("10.0"),
        Decimal("-10.0"),
        Decimal("0.0"),
    ]


def test_the_slope_is_least_squares_not_first_to_last():
    # 155, 145, 166: slope 5.5 a period (not (166 - 155) / 2), mean 155.33..., 3.5407...%
    assert values("trend_slope", [[155, 145, 166]]) == [Decimal("3.5")]
    # four periods: x = 0..3, y = 10, 30, 20, 40: slope 8, mean 25 -> 32%
    assert values("trend_slope", [[10, 30, 20, 40]], decimals=0) == [Decimal("32")]


def test_only_the_latest_n_periods_count():
    assert values("trend_slope", [[1000, 90, 100, 110]], periods=3) == [Decimal("10.0")]
    assert values("change_over_periods", [[None, 0, 200, 250]], periods=2) == [Decimal("25.0")]


@pytest.mark.parametrize(
    "counts, decimals, expected",
    [
        ([150, 251, 199], 1, "12.3"),  # 150 x 49 / 600 = 12.25 exactly: half away from zero
        ([199, 251, 150], 1, "-12.3"),
        ([150, 252, 199], 1, "12.2"),  # 150 x 49 / 601 = 12.229...
        ([3300, 3333, 3367], 2, "1.01"),  # exactly 1.005, which floating point holds as 1.00499999...
        ([3367, 3333, 3300], 2, "-1.01"),
        ([1, 0, 0], 0, "-150"),
    ],
)
def test_slopes_are_rounded_exactly_half_away_from_zero(counts, decimals, expected):
    assert values("trend_slope", [counts], decimals=decimals) == [Decimal(expected)]


@pytest.mark.parametrize(
    "counts, decimals, expected",
    [
        ([400, 0, 449], 1, "12.3"),  # 12.25 exactly; the period between is not read
        ([400, None, 351], 1, "-12.3"),
        ([200, 5, 0], 0, "-100"),
        ([8, 1, 9], 2, "12.50"),
    ],
)
def test_change_over_periods_is_first_to_last_rounded_exactly(counts, decimals, expected):
    assert values("change_over_periods", [counts], decimals=decimals) == [Decimal(expected)]


def test_why_there_is_no_value():
    assert values("trend_slope", [[0, 0, 0], [5, None, 5], [None, 0, 0]]) == ["zero_mean", "missing", "missing"]
    assert values("change_over_periods", [[0, 7, 0], [0, 1, 3], [None, 1, 3], [4, 1, None], [0, 1, None]]) == [
        "zero_to_zero",
        "zero_to_some",
        "missing",
        "missing",
        "missing",  # a missing count outweighs a zero base
    ]


def test_counts_too_large_for_int64_products_are_exact():
    counts = [10**9 * 100 + k * 7 for k in range(50)]  # a hundred categories at the largest count, 50 periods
    assert values("trend_slope", [counts], decimals=6) == [_rounded(_reference_slope(counts), 6)]


def _reference_slope(counts: list[int]) -> Fraction:
    """The slope through the points by the centred textbook formula, over the mean, x 100: no shared code."""
    n = len(counts)
    mean_x, mean_y = Fraction(n - 1, 2), Fraction(sum(counts), n)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(counts)) / sum((x - mean_x) ** 2 for x in range(n))
    return slope / mean_y * 100


def _rounded(value: Fraction, decimals: int) -> Decimal:
    scaled = abs(value) * 10**decimals
    units = int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)
    return Decimal(units if value >= 0 else -units).scaleb(-decimals)


@settings(max_examples=examples(300), deadline=None)
@given(
    counts=st.lists(st.integers(0, 10**6) | st.integers(0, 20), min_size=2, max_size=8),
    extra=st.lists(st.integers(0, 10**6), max_size=3),
    decimals=st.integers(0, 4),
)
def test_the_slope_agrees_with_a_fraction_computation(counts, extra, decimals):
    found = values("trend_slope", [extra + counts], periods=len(counts), decimals=decimals)[0]
    if sum(counts) == 0:
        assert found == "zero_mean"
    else:
        assert found == _rounded(_reference_slope(counts), decimals)


def test_slope_fraction_is_the_slope_and_the_mean():
    assert trends.slope_fraction([155, 145, 166]) == (Fraction(11, 2), Fraction(466, 3))
    assert trends.slope_fraction([0, 0]) is None


def test_the_periods_each_metric_reads():
    assert trends.periods_read(criterion("trend_slope", 4)) == (3, 2, 1, 0)
    assert trends.periods_read(criterion("change_over_periods", 4)) == (3, 0)
    assert trends.periods_read(DataCriterion("t", "T", "percent_change", 1, ANY)) == (1, 0)
    assert trends.periods_read(DataCriterion("t", "T", "count", 0, ANY)) == (0,)


def test_a_series_gives_every_two_period_metric_what_crime_counts_gives(project: Path):
    as_counts = run(project)
    with_series(project)
    as_series = run(project)
    for cid in ("trend", "volume"):
        assert finals(as_series, cid) == finals(as_counts, cid)
        before, after = as_counts.outcomes[cid].metric, as_series.outcomes[cid].metric
        assert after.units.tolist() == before.units.tolist() and after.defined.tolist() == before.defined.tolist()


def test_a_trend_over_a_series_in_a_run(project: Path):
    with_series(project, trend="    metric: trend_slope\n    periods: 3\n")
    result = run(project)
    trend = result.outcomes["trend"]
    # asb: 900, 1000, 1150: slope 125, mean 1016.66...; burglary: 300, 300, 270: slope -15, mean 290
    assert [trend.metric.value(n, 1) for n in range(2)] == [Decimal("12.3"), Decimal("-5.2")]
    assert finals(result, "trend") == {"asb": 3, "burglary": 0, "scams": 3}


def test_a_two_period_trend_reads_crime_counts(project: Path):
    from tests.helpers import edit

    edit(project / "rules.yaml", "    metric: percent_change\n", "    metric: change_over_periods\n    periods: 2\n")
    trend = run(project).outcomes["trend"]
    assert [trend.metric.value(n, 1) for n in range(2)] == [Decimal("15.0"), Decimal("-10.0")]  # as percent_change


def test_a_blank_count_in_a_series_is_missing(project: Path):
    with_series(
        project,
        SERIES.replace("2021-22,210", "2021-22,"),
        "    metric: trend_slope\n    periods: 3\n    if_no_value: {missing: 1, zero_mean: 0}\n",
    )
    result = run(project)
    assert result.outcomes["trend"].metric.reason[1] == "missing"
    assert finals(result, "trend")["burglary"] == 1
