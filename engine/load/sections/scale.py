"""The `scale:` section, and a criterion's own `scale:`: the scores a partnership uses, and what each means."""

from __future__ import annotations

from typing import Any

from engine.load.model import ScalePoint
from engine.load.sections.collector import Collector
from engine.load.yamlfile import KeyPath


def build_scale(collector: Collector, raw: list[dict[str, Any]]) -> tuple[ScalePoint, ...]:
    """The assessment's scale points, each score once; the collector learns the scores, for every later score check."""
    points = _points(collector, ("scale",), raw, "the scale")
    collector.scores.extend(p.score for p in points)
    return points


def build_criterion_scale(collector: Collector, cid: str, raw: list[dict[str, Any]]) -> tuple[ScalePoint, ...]:
    """A criterion's own scale points, each score once; the collector checks that criterion's scores against them."""
    points = _points(collector, ("criteria", cid, "scale"), raw, f"the scale of `{cid}`")
    collector.own_scores[cid] = [p.score for p in points]
    return points


def _points(collector: Collector, base: KeyPath, raw: list[dict[str, Any]], name: str) -> tuple[ScalePoint, ...]:
    """The points as written, a score listed again reported at its second place and left out."""
    points: list[ScalePoint] = []
    for i, item in enumerate(raw):
        if any(p.score == item["score"] for p in points):
            collector.fail(base + (i, "score"), f"score {item['score']} is listed twice on {name}")
            continue
        points.append(ScalePoint(item["score"], item["meaning"]))
    return tuple(points)
