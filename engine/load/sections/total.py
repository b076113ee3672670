"""The `total:` section: how criterion scores combine into an issue's total."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.load.model import Criterion, Derived, Total
from engine.load.sections.collector import Collector

#: key -> the method that uses it.
_METHOD_KEYS = {"weights": "weighted_sum", "expression": "expression"}


def build_total(
    collector: Collector, raw: dict[str, Any], criteria: dict[str, Criterion], derived: dict[str, Derived] | None = None
) -> Total:
    """The total rule; `weights` and `expression` belong to their methods, and weights cover every criterion.

    An expression total may use derived values as well as criterion scores.
    """
    method = raw["method"]
    for key, wanted in _METHOD_KEYS.items():
        if key in raw and method != wanted:
            collector.fail(("total", key), f"`{key}` is only used when method is {wanted}", key=True)
        if key not in raw and method == wanted:
            collector.fail(("total", "method"), f"method {wanted} needs `{key}`")
    weights: dict[str, Decimal] = {}
    if method == "weighted_sum" and "weights" in raw:
        weights = _weights(collector, raw["weights"], criteria)
    expression = None
    if method == "expression" and "expression" in raw:
        names = {cid: c.name for cid, c in criteria.items()} | {did: d.name for did, d in (derived or {}).items()}
        expression = collector.expression(("total", "expression"), raw["expression"], names)
    return Total(method, weights, expression)


def _weights(collector: Collector, raw: dict[str, Any], criteria: dict[str, Criterion]) -> dict[str, Decimal]:
    """One weight per criterion, each naming a criterion."""
    weights: dict[str, Decimal] = {}
    for cid, weight in raw.items():
        if cid not in criteria:
            collector.unknown_criterion(("total", "weights", cid), cid, criteria, key=True)
        weights[cid] = Decimal(weight)
    for cid in criteria:
        if cid not in raw:
            collector.fail(
                ("total", "weights"),
                f"criterion `{cid}` has no weight",
                "give every criterion a weight (0 to leave it out)",
            )
    return weights
