"""Band tables: exact edges, coverage checks, and banding of whole columns.

Metric values are rounded to the criterion's ``decimals`` before banding and are
held as whole numbers of units of ``10**-decimals`` (see :mod:`engine.numbers`).
Band edges are converted to the same units exactly, so a comparison is between
two integers and 14.999999 can never pass for 15. An edge with more decimal
places than the criterion declares is refused: it could not be compared exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.load.model import Band


@dataclass(frozen=True)
class UnitRange:
    """A band's inclusive range in units; ``None`` is unbounded."""

    band: Band
    low: int | None
    high: int | None


def to_units(value: Decimal, decimals: int) -> int | None:
    """``value`` as a whole number of ``10**-decimals`` units, or None if it has more places."""
    scaled = value.scaleb(decimals)
    return int(scaled) if scaled == scaled.to_integral_value() else None


def from_units(units: int, decimals: int) -> Decimal:
    """The decimal a number of units stands for, printed with ``decimals`` places."""
    return Decimal(units).scaleb(-decimals)


def unit_range(band: Band, decimals: int) -> UnitRange:
    """Inclusive unit bounds of a band whose edges are already known to be exact."""
    low = high = None
    if band.lower is not None:
        low = to_units(band.lower, decimals)
        if not band.lower_inclusive:
            low += 1
    if band.upper is not None:
        high = to_units(band.upper, decimals)
        if not band.upper_inclusive:
            high -= 1
    return UnitRange(band, low, high)


@dataclass(frozen=True)
class CoverageProblem:
    """A band (by index) and what is wrong around it."""

    index: int
    message: str


def coverage_problems(
    ranges: Sequence[UnitRange], decimals: int, domain: tuple[Decimal | None, Decimal | None], what: str
) -> list[CoverageProblem]:
    """Gaps and overlaps of ``ranges`` over ``domain`` (the metric's possible values).

    ``what`` names the metric in messages. Bands lying wholly outside the domain
    are ignored here (they can never match; that is a lint, not an error).
    """
    dom_low = None if domain[0] is None else to_units(domain[0], decimals)
    dom_high = None if domain[1] is None else to_units(domain[1], decimals)
    show = lambda u: str(from_units(u, decimals))  # noqa: E731

    def clip(r: UnitRange) -> tuple[int | None, int | None]:
        low = r.low if dom_low is None or (r.low is not None and r.low > dom_low) else dom_low
        high = r.high if dom_high is None or (r.high is not None and r.high < dom_high) else dom_high
        return low, high

    live = []
    for r in ranges:
        low, high = clip(r)
        if low is not None and high is not None and low > high:
            continue
        live.append((low, high, r.band.index))
    live.sort(key=lambda t: (float("-inf") if t[0] is None else t[0], t[2]))

    problems: list[CoverageProblem] = []
    if not live:
        return [CoverageProblem(ranges[0].band.index if ranges else 0, f"no band covers any possible {what}")]
    first_low, _, first_index = live[0]
    if first_low is not None and (dom_low is None or first_low > dom_low):
        start = "any value" if dom_low is None else show(dom_low)
        below = show(first_low - 1)
        text = f"values below {show(first_low)}" if dom_low is None else f"values from {start} to {below}"
        problems.append(CoverageProblem(first_index, f"no band covers {text}"))
    reach = live[0][1]
    reach_index = first_index
    for low, high, index in live[1:]:
        if reach is None:
            problems.append(
                CoverageProblem(index, f"overlaps bands[{reach_index}]: both cover values from {show(low)}")
            )
            continue
        if low > reach + 1:
            problems.append(CoverageProblem(index, f"no band covers values from {show(reach + 1)} to {show(low - 1)}"))
        elif low <= reach:
            upto = reach if high is None else min(reach, high)
            both = f"the value {show(low)}" if upto == low else f"values from {show(low)} to {show(upto)}"
            problems.append(CoverageProblem(index, f"overlaps bands[{reach_index}]: both cover {both}"))
        if high is None or high > reach:
            reach, reach_index = high, index
    if reach is not None and (dom_high is None or reach < dom_high):
        text = (
            f"values above {show(reach)}" if dom_high is None else f"values from {show(reach + 1)} to {show(dom_high)}"
        )
        problems.append(CoverageProblem(reach_index, f"no band covers {text}"))
    return problems


def band_index(units: Any, ranges: Sequence[UnitRange]) -> Any:
    """For each value (array of units), the position in ``ranges`` of the band it falls in.

    ``ranges`` must cover every value exactly once (checked at load). Values
    outside every band get -1. Works on whole arrays: one ``searchsorted``.
    """
    import numpy as np

    order = sorted(range(len(ranges)), key=lambda i: float("-inf") if ranges[i].low is None else ranges[i].low)
    lows = [ranges[i].low for i in order]
    highs = [ranges[i].high for i in order]
    values = np.asarray(units)
    big = values.dtype == object
    edge = lambda x, fill: fill if x is None else x  # noqa: E731
    if big:
        low_arr = np.array([edge(x, -(10**40)) for x in lows], dtype=object)
        high_arr = np.array([edge(x, 10**40) for x in highs], dtype=object)
    else:
        info = np.iinfo(np.int64)
        low_arr = np.array([edge(x, info.min) for x in lows], dtype=np.int64)
        high_arr = np.array([edge(x, info.max) for x in highs], dtype=np.int64)
    position = np.searchsorted(low_arr, values, side="right") - 1
    safe = np.clip(position, 0, len(order) - 1)
    inside = (position >= 0) & (values <= high_arr[safe])
    mapped = np.array(order, dtype=np.int64)[safe]
    return np.where(inside, mapped, -1)
