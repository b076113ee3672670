"""The `scale:` section: the scores a partnership uses, and what each means."""

from __future__ import annotations

from typing import Any

from engine.load.model import ScalePoint
from engine.load.sections.collector import Collector


def build_scale(collector: Collector, raw: list[dict[str, Any]]) -> tuple[ScalePoint, ...]:
    """The scale points, each score once; the collector learns the scores, for every later score check."""
    points = []
    for i, item in enumerate(raw):
        if item["score"] in collector.scores:
            collector.fail(("scale", i, "score"), f"score {item['score']} is listed twice on the scale")
            continue
        collector.scores.append(item["score"])
        points.append(ScalePoint(item["score"], item["meaning"]))
    return tuple(points)
