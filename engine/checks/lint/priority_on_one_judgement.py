"""L010 priority-on-one-judgement: an issue whose priority status flips if one judgement moves one step.

Judgements are the least checkable scores. When a single one, one step up or down its criterion's scale, would make
an issue a priority or stop it being one, the decision rests on that judgement: its rationale and evidence must carry
it. The neighbouring scores are evaluated together as scenarios of the what-if grid, with the rest of the rules
unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from engine.checks.lint.base import Check, Finding
from engine.load.model import Score
from engine.score.scoring import Result
from engine.whatif.grid import Column, evaluate, resolve


def run(result: Result) -> Iterator[Finding]:
    """A finding for each judgement whose neighbouring score on its criterion's scale changes its issue's status."""
    for iid, issue in result.rules.issues.items():
        case = result.case(iid)
        for cid, judgement in issue.judgements.items():
            scale = sorted(p.score for p in result.rules.scale_of(cid))
            flips = _flips(result, iid, cid, case, _neighbours(scale, judgement.score))
            if flips:
                status = "a priority" if result.priority[case] else "not a priority"
                yield CHECK.finding(
                    result,
                    ("issues", iid, "judgements", cid, "score"),
                    f"`{iid}` is {status} only because this judgement is {judgement.score}: "
                    f"{', '.join(str(v) for v in flips)} would change that",
                    "make sure the rationale and evidence carry the weight of the decision",
                )


def _neighbours(scale: list[Score], score: Score) -> list[Decimal]:
    """The scores one step below and above ``score`` on ``scale`` (sorted), where there are such steps."""
    n = scale.index(score)
    return [Decimal(scale[m]) for m in (n - 1, n + 1) if 0 <= m < len(scale)]


def _flips(result: Result, iid: str, cid: str, case: int, neighbours: list[Decimal]) -> list[Decimal]:
    """Those of ``neighbours`` that, as the judgement's score, change the priority status of ``case``."""
    if not neighbours:
        return []
    import numpy as np  # on demand: importing the lint package stays free of numpy (tests/test_startup.py)

    parameter = resolve(result.rules, ("issues", iid, "judgements", cid, "score"))
    evaluation = evaluate(result, [parameter], [Column(neighbours, np.arange(len(neighbours)))])
    return [v for k, v in enumerate(neighbours) if bool(evaluation.priority[k, case]) != bool(result.priority[case])]


CHECK = Check(
    "L010",
    "priority-on-one-judgement",
    "An issue whose priority status flips if one judgement moves one step on the scale, "
    "so the decision rests on that judgement.",
    run,
)
