"""L011 derived-unused: a derived value that no total and no other derived value uses.

It is computed and shown in the scoring table, but cannot change any total, so a reader may think it counts
when it does not (often a total written before the derived value was added).
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.checks.lint.base import Check, Finding
from engine.score.scoring import Result


def run(result: Result) -> Iterator[Finding]:
    """A finding for each derived value outside the total's expression and every other derived value's."""
    rules = result.rules
    used: set[str] = set()
    if rules.total.expression is not None:
        used |= rules.total.expression.names
    for derived in rules.derived.values():
        used |= derived.expression.names
    for did in rules.derived:
        if did not in used:
            yield CHECK.finding(
                result,
                ("derived", did),
                f"derived value `{did}` is shown but never changes a total",
                "use it in the total's expression, or remove it",
            )


CHECK = Check(
    "L011",
    "derived-unused",
    "A derived value no total and no other derived value uses: shown in the table, but it never counts.",
    run,
)
