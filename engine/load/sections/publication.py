"""The `publication:` section: how the public version of reports suppresses small counts."""

from __future__ import annotations

from typing import Any

from engine.load.model import Publication


def build_publication(raw: dict[str, Any] | None) -> Publication | None:
    """The declared public-version policy (None when the rule file has no `publication:` section). The schema
    has checked the threshold's range; the label defaults to "fewer than N"."""
    if raw is None:
        return None
    below = int(raw["suppress_below"])
    return Publication(below, raw.get("label", f"fewer than {below}"))
