"""The `derived:` section: named intermediate results computed from criterion scores.

    derived:
      harm: {name: Harm, expression: physical + community + geographic}
      risk: {expression: harm * likelihood}

Each expression may use the criterion ids and other derived values; they are
compiled once, their names checked (with "did you mean"), and their order
worked out so each is computed after what it uses. A cycle (``a`` uses ``b``,
``b`` uses ``a``) is an error naming the whole loop.
"""

from __future__ import annotations

from graphlib import CycleError, TopologicalSorter
from typing import Any

from engine.load.model import Criterion, Derived
from engine.load.sections.collector import Collector

#: Places a derived value is held to when it does not say.
DEFAULT_DECIMALS = 2


def build_derived(collector: Collector, raw: dict[str, Any], criteria: dict[str, Criterion]) -> dict[str, Derived]:
    """Every derived value, in an order in which each comes after the derived values it uses."""
    names = {cid: f"the score of {c.name}" for cid, c in criteria.items()}
    for did, item in raw.items():
        if did in criteria:
            collector.fail(("derived", did), f"`{did}` is already a criterion's id", "give it another name", key=True)
        names.setdefault(did, f"the derived value {item.get('name', did)}")
    built: dict[str, Derived] = {}
    for did, item in raw.items():
        here = ("derived", did, "expression")
        own = {n: meaning for n, meaning in names.items() if n != did}  # a value cannot use itself
        expression = collector.expression(here, item["expression"], own)
        if expression is not None:
            built[did] = Derived(did, item.get("name", did), expression, item.get("decimals", DEFAULT_DECIMALS))
    return _in_order(collector, built)


def _in_order(collector: Collector, built: dict[str, Derived]) -> dict[str, Derived]:
    """``built`` sorted so each value follows those it uses; a cycle is reported at its first member."""
    # Sorted, not sets: the order (and a reported loop) must not depend on the hash seed.
    graph = {did: sorted(n for n in d.expression.names if n in built) for did, d in built.items()}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        cycle = list(exc.args[1])  # the loop, its first member repeated at the end
        collector.fail(
            ("derived", cycle[0], "expression"),
            "derived values use each other in a loop: " + " -> ".join(cycle),
            "each derived value may use only criteria and derived values that do not use it",
        )
        return built
    return {did: built[did] for did in order}
