"""L007 cutoff-unreachable and L008 cutoff-always-met: a cutoff that no scores, or any scores, decide.

The lowest and highest totals any issue could have follow from the scale alone (every criterion at the bottom or
the top of it), combined by the total rule (with its weights, or its expression). A cutoff above the highest makes
nothing a priority; one at or below the lowest makes everything one. Either way the scores decide nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from engine.checks.lint.base import Check, Finding
from engine.score.scoring import Result
from engine.score.totals import as_decimal, combine


def unreachable(result: Result) -> Iterator[Finding]:
    """A finding when the highest possible total is below the cutoff."""
    extremes = _extremes(result)
    cutoff = result.rules.priority.cutoff
    if extremes and extremes[1] < cutoff:
        yield UNREACHABLE.finding(
            result,
            ("priority", "cutoff"),
            f"no issue can reach the cutoff {cutoff}: the highest possible total is {extremes[1]}",
        )


def always_met(result: Result) -> Iterator[Finding]:
    """A finding when the lowest possible total already reaches the cutoff."""
    extremes = _extremes(result)
    cutoff = result.rules.priority.cutoff
    if extremes and extremes[0] >= cutoff:
        yield ALWAYS_MET.finding(
            result,
            ("priority", "cutoff"),
            f"every issue always reaches the cutoff {cutoff}: the lowest possible total is {extremes[0]}",
        )


def _extremes(result: Result) -> tuple[Decimal, Decimal] | None:
    """The lowest and highest total any issue could have, every criterion at the bottom (or top) of its own scale.

    ``None`` if neither is defined. (Exact for sums and non-negative weights; for an expression, the totals at
    those two corners.)
    """
    import numpy as np  # on demand: importing the lint package stays free of numpy (tests/test_startup.py)

    rules = result.rules
    scales = [sorted(rules.units(p.score) for p in rules.scale_of(cid)) for cid in rules.criteria]  # each its own
    extremes = np.array([[s[0] for s in scales], [s[-1] for s in scales]], dtype=np.int64)
    totals = combine(rules.total, list(rules.criteria), extremes, derived=rules.derived, places=rules.score_places)
    values = [as_decimal(int(u), totals.places) for u, ok in zip(totals.units, totals.defined, strict=True) if ok]
    return (min(values), max(values)) if values else None


UNREACHABLE = Check(
    "L007",
    "cutoff-unreachable",
    "A cutoff above the highest total the scale allows: no issue could ever be a priority, whatever its scores.",
    unreachable,
)
ALWAYS_MET = Check(
    "L008",
    "cutoff-always-met",
    "A cutoff at or below the lowest total the scale allows: every issue is always a priority, whatever its scores.",
    always_met,
)
