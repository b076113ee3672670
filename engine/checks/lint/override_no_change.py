"""L004 override-no-change: an override that gives the score the data rule already gives.

An override records that the partnership disagreed with the data. One that agrees with it misleads the reader of
the audit trail, and hides the day the data move and the override starts to matter.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.checks.lint.base import Check, Finding
from engine.load.model import Override
from engine.score.scoring import Result


def run(result: Result) -> Iterator[Finding]:
    """A finding for each override equal to the score the issue's band gives (where a band applies)."""
    for iid, issue in result.rules.issues.items():
        for area, cid, override in issue.entries():
            if not isinstance(override, Override) or (area is not None and area not in result.areas):
                continue
            case = result.case(iid, area)
            outcome = result.outcomes[cid]
            if outcome.band[case] >= 0 and result.rule_score(cid, case) == override.score:
                where = ("issues", iid) if area is None else ("issues", iid, "areas", area)
                yield CHECK.finding(
                    result,
                    (*where, "overrides", cid),
                    f"the override gives {override.score}, which the data rule already gives",
                    "remove the override",
                )


CHECK = Check(
    "L004",
    "override-no-change",
    "An override giving the score the data rule already gives: it changes nothing today and misleads the audit trail.",
    run,
)
