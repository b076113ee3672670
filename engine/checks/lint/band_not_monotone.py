"""L002 band-not-monotone: a higher metric value scores lower than a lower one.

Every built-in metric is "higher is worse": a larger rise, rate, share, count or harm, or a worse county position.
Bands whose scores fall as the value rises turn that around, usually because two scores were swapped.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.checks.lint.base import Check, Finding, metric_words
from engine.score.scoring import Result


def run(result: Result) -> Iterator[Finding]:
    """A finding for each band that scores less than the band just below it."""
    for cid, criterion in result.rules.data_criteria.items():
        ordered = sorted(criterion.bands, key=lambda b: float("-inf") if b.lower is None else float(b.lower))
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after.score < before.score:
                yield CHECK.finding(
                    result,
                    ("criteria", cid, "bands", after.index),
                    f"band `{after.label}` scores {after.score}, less than the lower band `{before.label}` "
                    f"({before.score}): a higher {metric_words(criterion)} scores lower",
                    "check the scores are in the intended order",
                )


CHECK = Check(
    "L002",
    "band-not-monotone",
    "A band scoring less than the band below it, though every metric is 'higher is worse'; usually two scores swapped.",
    run,
)
