"""L003 evidence-placeholder: a judgement whose evidence is a placeholder ("none", "n/a", "tbc", ...).

A judgement's score rests on its evidence; an auditor cannot check "n/a". The rule file is valid, but the score
it records cannot be defended.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.checks.lint.base import Check, Finding
from engine.load.model import Judgement
from engine.score.scoring import Result

#: Evidence that names no source, compared after trimming spaces and full stops, ignoring case.
PLACEHOLDERS = {"", "none", "n/a", "na", "-", "tbc", "tbd", "todo", "x", "?", "unknown"}


def run(result: Result) -> Iterator[Finding]:
    """A finding for each judgement whose evidence is one of :data:`PLACEHOLDERS`."""
    for iid, issue in result.rules.issues.items():
        for area, cid, judgement in issue.entries():
            if not isinstance(judgement, Judgement):
                continue
            if judgement.evidence.strip().strip(".").casefold() in PLACEHOLDERS:
                where = ("issues", iid) if area is None else ("issues", iid, "areas", area)
                yield CHECK.finding(
                    result,
                    (*where, "judgements", cid, "evidence"),
                    f"the evidence for this judgement is a placeholder (`{judgement.evidence}`)",
                    "name the source an auditor can check",
                )


CHECK = Check(
    "L003",
    "evidence-placeholder",
    "A judgement whose evidence is a placeholder (none, n/a, tbc, ...), so no auditor can check its score.",
    run,
)
