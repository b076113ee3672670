"""The `priority:` section: the cutoff, and an optional limit on the number of priorities with its tie rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.load.model import PriorityRule
from engine.load.sections.collector import Collector


def build_priority(collector: Collector, raw: dict[str, Any]) -> PriorityRule:
    """The priority rule; a limit (`max_priorities`, or an area's own) and `ties` come together or not at all."""
    limit = raw.get("max_priorities")
    areas = {area: item["max_priorities"] for area, item in raw.get("areas", {}).items()}
    if (limit is not None or areas) and "ties" not in raw:
        collector.fail(
            ("priority", "max_priorities") if limit is not None else ("priority", "areas"),
            "a maximum number of priorities needs a tie rule",
            "add `ties: include_all` (every issue tied at the limit is kept) or `ties: exclude_all`",
        )
    if limit is None and not areas and "ties" in raw:
        collector.fail(("priority", "ties"), "`ties` only applies with `max_priorities`", key=True)
    return PriorityRule(Decimal(raw["cutoff"]), limit, raw.get("ties", "include_all"), areas)
