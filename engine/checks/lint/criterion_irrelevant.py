"""L005 criterion-irrelevant: a criterion that cannot change any total.

A criterion with weight 0 in a weighted sum, or absent from the total's expression, is scored and shown but never
moves a total, so it never moves a priority; readers of the report assume it does.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from engine.checks.lint.base import Check, Finding
from engine.load.model import RuleSet
from engine.score.scoring import Result


def run(result: Result) -> Iterator[Finding]:
    """A finding for each criterion weighted 0, or not named in an expression total (nor in a derived value it uses)."""
    total = result.rules.total
    used = reached_names(result.rules)
    for cid in result.rules.criteria:
        if total.method == "weighted_sum" and total.weights.get(cid, Decimal(1)) == 0:
            yield CHECK.finding(result, ("total", "weights", cid), f"weight 0: `{cid}` never changes a total")
        if total.method == "expression" and cid not in used:
            yield CHECK.finding(
                result,
                ("total", "expression"),
                f"`{cid}` is not in the total's expression, so it never changes a total",
            )


def reached_names(rules: RuleSet) -> set[str]:
    """Every name an expression total reads: its own, and those of the derived values it reads, all the way down."""
    if rules.total.expression is None:
        return set()
    found: set[str] = set()
    todo = list(rules.total.expression.names)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        if name in rules.derived:
            todo.extend(rules.derived[name].expression.names)
    return found


CHECK = Check(
    "L005",
    "criterion-irrelevant",
    "A criterion that cannot change any total (weight 0, or absent from the total's expression), "
    "though the report shows it.",
    run,
)
