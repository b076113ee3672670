"""The `scale:` section, and a criterion's own `scale:`: the scores a partnership uses, and what each means."""

from __future__ import annotations

from typing import Any

from engine.load.model import SCORE_PLACES_MAX, ScalePoint, Score, plain_score
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
    """The points as written, a score listed again reported at its second place and left out.

    A point with too many places is reported and kept, so the scores that use it are not reported again.
    """
    points: list[ScalePoint] = []
    for i, item in enumerate(raw):
        score = plain_score(item["score"])
        if places(score) > SCORE_PLACES_MAX:
            collector.fail(
                base + (i, "score"),
                f"score {score} has more than {SCORE_PLACES_MAX} decimal places",
                "a scale point such as 0.5, 0.75 or 0.125 is fine",
            )  # kept on the scale, so the scores that use it are not reported again
        if any(p.score == score for p in points):
            collector.fail(base + (i, "score"), f"score {score} is listed twice on {name}")
            continue
        points.append(ScalePoint(score, item["meaning"]))
    return tuple(points)


def places(score: Score) -> int:
    """How many decimal places a score needs: 0 for whole numbers, 2 for 0.75."""
    if isinstance(score, int):
        return 0
    return max(-int(score.normalize().as_tuple().exponent), 0)


def score_places(scales: list[tuple[ScalePoint, ...]]) -> int:
    """The places score arrays need to hold every point of every scale exactly."""
    return max((places(p.score) for scale in scales for p in scale), default=0)
