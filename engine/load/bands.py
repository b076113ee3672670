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
from typing import TYPE_CHECKING, Any

from engine.load.model import Band

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


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
        low = _exact_units(band.lower, decimals) + (0 if band.lower_inclusive else 1)
    if band.upper is not None:
        high = _exact_units(band.upper, decimals) - (0 if band.upper_inclusive else 1)
    return UnitRange(band, low, high)


def _exact_units(edge: Decimal, decimals: int) -> int:
    units = to_units(edge, decimals)
    assert units is not None  # the loader refuses an edge with more places than `decimals`
    return units


@dataclass(frozen=True)
class EdgeFix:
    """One way to close a gap or end an overlap: set band ``index``'s edge ``key`` (``from``, ``to``...) to
    ``value``."""

    index: int
    key: str
    value: Decimal


@dataclass(frozen=True)
class CoverageProblem:
    """A band (by index), what is wrong around it, and the neighbouring edges whose change would mend it."""

    index: int
    message: str
    fixes: tuple[EdgeFix, ...] = ()


def _lower_fix(band: Band, units: int, decimals: int) -> EdgeFix:
    """Move ``band``'s lower edge so that it starts at ``units``, keeping the edge's kind (from/above)."""
    if band.lower_inclusive or band.lower is None:
        return EdgeFix(band.index, "from", from_units(units, decimals))
    return EdgeFix(band.index, "above", from_units(units - 1, decimals))


def _upper_fix(band: Band, units: int, decimals: int) -> EdgeFix:
    """Move ``band``'s upper edge so that it ends at ``units``, keeping the edge's kind (to/below)."""
    if band.upper_inclusive or band.upper is None:
        return EdgeFix(band.index, "to", from_units(units, decimals))
    return EdgeFix(band.index, "below", from_units(units + 1, decimals))


def coverage_problems(
    ranges: Sequence[UnitRange], decimals: int, domain: tuple[Decimal | None, Decimal | None], what: str
) -> list[CoverageProblem]:
    """Gaps and overlaps of ``ranges`` over ``domain`` (the metric's possible values).

    ``what`` names the metric in messages. Bands lying wholly outside the domain
    are ignored here (they can never match; that is a lint, not an error).
    """
    dom_low = None if domain[0] is None else to_units(domain[0], decimals)
    dom_high = None if domain[1] is None else to_units(domain[1], decimals)
    live = _live_spans(ranges, dom_low, dom_high)
    if not live:
        return [CoverageProblem(ranges[0].band.index if ranges else 0, f"no band covers any possible {what}")]
    show = _Show(decimals)
    bands = {r.band.index: r.band for r in ranges}
    problems = _gap_below(live[0], dom_low, show)
    # Sweep upwards: `reach` is the highest value covered so far (None: no upper end), by band `reach_index`.
    reach, reach_index = live[0].high, live[0].index
    for span in live[1:]:
        problems.extend(
            _with_fixes(p, span, reach, bands[span.index], bands[reach_index], decimals)
            for p in _against_reach(span, reach, reach_index, show)
        )
        if reach is not None and (span.high is None or span.high > reach):
            reach, reach_index = span.high, span.index
    problems.extend(_gap_above(reach, reach_index, dom_high, show))
    return problems


@dataclass(frozen=True)
class _Span:
    """A band's range clipped to the metric's domain; ``None`` is unbounded."""

    low: int | None
    high: int | None
    index: int


@dataclass(frozen=True)
class _Show:
    """Units printed as the decimal they stand for."""

    decimals: int

    def __call__(self, units: int) -> str:
        return str(from_units(units, self.decimals))


def _live_spans(ranges: Sequence[UnitRange], dom_low: int | None, dom_high: int | None) -> list[_Span]:
    """The ranges that meet the domain, clipped to it, from the lowest (ties in band order)."""
    live = []
    for r in ranges:
        low = r.low if dom_low is None or (r.low is not None and r.low > dom_low) else dom_low
        high = r.high if dom_high is None or (r.high is not None and r.high < dom_high) else dom_high
        if low is not None and high is not None and low > high:
            continue
        live.append(_Span(low, high, r.band.index))
    live.sort(key=lambda s: (float("-inf") if s.low is None else s.low, s.index))
    return live


def _with_fixes(
    problem: CoverageProblem, span: _Span, reach: int | None, band: Band, below: Band, decimals: int
) -> CoverageProblem:
    """``problem`` between ``band`` and the band ``below`` it (which reaches ``reach``), with the two edges that
    would make them meet: ``band``'s lower edge just above ``reach``, or ``below``'s upper edge just under
    ``band``'s start. Left as it is when either end is unbounded (no single edge to move)."""
    if span.low is None or reach is None:
        return problem
    fixes = (_lower_fix(band, reach + 1, decimals), _upper_fix(below, span.low - 1, decimals))
    return CoverageProblem(problem.index, problem.message, fixes)


def _gap_below(first: _Span, dom_low: int | None, show: _Show) -> list[CoverageProblem]:
    """Values of the domain below the lowest band."""
    if first.low is None or (dom_low is not None and first.low <= dom_low):
        return []
    start = "any value" if dom_low is None else show(dom_low)
    below = show(first.low - 1)
    text = f"values below {show(first.low)}" if dom_low is None else f"values from {start} to {below}"
    return [CoverageProblem(first.index, f"no band covers {text}")]


def _against_reach(span: _Span, reach: int | None, reach_index: int, show: _Show) -> list[CoverageProblem]:
    """A gap or an overlap between ``span`` and the bands below it, which cover values up to ``reach``."""
    low, high, index = span.low, span.high, span.index
    if low is None:
        # Only when the domain has no lower end: this band and the lowest are both unbounded below.
        upto = high if reach is None else (reach if high is None else min(reach, high))
        both = "any value" if upto is None else f"values below {show(upto + 1)}"
        return [CoverageProblem(index, f"overlaps bands[{reach_index}]: both cover {both}")]
    if reach is None:
        return [CoverageProblem(index, f"overlaps bands[{reach_index}]: both cover values from {show(low)}")]
    if low > reach + 1:
        return [CoverageProblem(index, f"no band covers values from {show(reach + 1)} to {show(low - 1)}")]
    if low <= reach:
        upto = reach if high is None else min(reach, high)
        both = f"the value {show(low)}" if upto == low else f"values from {show(low)} to {show(upto)}"
        return [CoverageProblem(index, f"overlaps bands[{reach_index}]: both cover {both}")]
    return []


def _gap_above(reach: int | None, reach_index: int, dom_high: int | None, show: _Show) -> list[CoverageProblem]:
    """Values of the domain above the highest band."""
    if reach is None or (dom_high is not None and reach >= dom_high):
        return []
    text = f"values above {show(reach)}" if dom_high is None else f"values from {show(reach + 1)} to {show(dom_high)}"
    return [CoverageProblem(reach_index, f"no band covers {text}")]


def band_index(units: Any, ranges: Sequence[UnitRange]) -> NDArray[np.int64]:
    """For each value (array of units), the position in ``ranges`` of the band it falls in.

    ``ranges`` must cover every value exactly once (checked at load). Values
    outside every band get -1. Works on whole arrays: one ``searchsorted``.
    """
    import numpy as np

    order = sorted(range(len(ranges)), key=lambda i: _low_key(ranges[i]))
    lows = [ranges[i].low for i in order]
    highs = [ranges[i].high for i in order]
    values = np.asarray(units)
    big = values.dtype == object
    edge = lambda x, fill: fill if x is None else x
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


def _low_key(r: UnitRange) -> float:
    """Sorts ranges by their lower end, an unbounded one first."""
    return float("-inf") if r.low is None else r.low
