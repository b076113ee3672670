"""Draft "Priority Ranking" paragraphs in the style Strategic Assessments use, for the officer to edit.

    Domestic Abuse scored a total of 26 in last year's Strategic Assessment and
    scores 26 this year. It remains a priority for the forthcoming year ...

Each paragraph is built from the scores, last year's total (when a previous
assessment is given) with the criteria that changed, and the partnership's own
judgement rationales. Reports mark every paragraph as a draft.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.numbers import number, plural
from engine.score.audit import LeftOut, left_out
from engine.score.scoring import JUDGEMENT, Result
from engine.whatif.comparison import Comparison, IssueComparison

DRAFT_LABEL = "Draft for the officer to edit: generated from the scores, not reviewed."


@dataclass(frozen=True)
class Draft:
    issue_id: str
    title: str
    text: str
    area: str | None = None  # the area, when the result holds several


def drafts(result: Result, previous: Comparison | None = None) -> list[Draft]:
    """One draft paragraph per issue, in rank order; with several areas, every area's in turn.

    ``previous`` compares last year's result with this one (area by area, when there are several).
    """
    before = {(i.area, i.issue_id): i for i in previous.issues} if previous is not None else {}
    several = len(result.areas) > 1
    out = []
    for case in result.order():
        issue_id = result.issue_ids[case]
        area = result.area_of(case) if several else None
        then = before.get((area, issue_id))
        out.append(Draft(issue_id, result.rules.issues[issue_id].name, _paragraph(result, case, then), area))
    return out


def _paragraph(result: Result, case: int, then: IssueComparison | None) -> str:
    """One issue's paragraph: its total against last year's, its priority status, the partnership's reasons.

    ``then`` is the issue in the comparison with last year's assessment, when there is one.
    """
    rules = result.rules
    name = rules.issues[result.issue_ids[case]].name
    total = number(result.total(case))
    sentences = [_total_sentence(result, name, total, then)]
    was = None if then is None else then.priority_before
    sentences.append(_priority_sentence(result, case, was))
    sentences.extend(_reasons(result, case))
    return " ".join(sentences)


def _total_sentence(result: Result, name: str, total: str, then: IssueComparison | None) -> str:
    if then is None or then.total_before is None:
        return f"{name} scores {total} this year."
    last = number(then.total_before)
    if last == total:
        return f"{name} scored a total of {last} in last year's Strategic Assessment and scores {total} this year."
    return (
        f"{name} scored a total of {last} in last year's Strategic Assessment "
        f"but, {_because(result, then)}, scores {total} this year."
    )


def _priority_sentence(result: Result, case: int, was: bool | None) -> str:
    """Whether the issue is a priority this year, and (``was``: None if unknown) whether it was last year."""
    priority = bool(result.priority[case])
    cutoff = number(result.rules.priority.cutoff)
    if priority and was:
        return "It remains a priority for the forthcoming year."
    if priority and was is False:
        return "It becomes a priority for the forthcoming year."
    if priority:
        return f"It is a priority for the forthcoming year (the cutoff is {cutoff})."
    limited = left_out(result, case)
    if limited is not None:
        return (
            f"It reaches the cutoff of {cutoff} but is {'no longer' if was else 'not'} a priority: "
            f"{_limit_words(result, limited)}."
        )
    if was:
        return f"It is no longer a priority (the cutoff is {cutoff})."
    return f"It is not a priority this year (the cutoff is {cutoff})."


def _limit_words(result: Result, limited: LeftOut) -> str:
    """How ``max_priorities`` left an issue out: the limit, its rank, and the tie rule when a tie decided it."""
    are = "is a priority" if limited.limit == 1 else "are priorities"
    text = f"at most {plural(limited.limit, 'issue')} {are} and it ranks {_ordinal(limited.rank)}"
    if limited.tied_with:
        names = [result.rules.issues[result.issue_ids[j]].name for j in limited.tied_with]
        text += (
            f", tied at the limit with {_join(names)}; the rules leave out every issue tied at the limit "
            f"(ties: {limited.ties})"
        )
    return text


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _because(result: Result, then: IssueComparison) -> str:
    names = {cid: c.name for cid, c in result.rules.criteria.items()}
    ups = [c for c in then.drivers if c.change > 0]
    downs = [c for c in then.drivers if c.change < 0]
    parts = []
    if ups:
        parts.append("higher scores for " + _join([f"{names[c.criterion_id]} ({c.before} to {c.after})" for c in ups]))
    if downs:
        parts.append("lower scores for " + _join([f"{names[c.criterion_id]} ({c.before} to {c.after})" for c in downs]))
    return "due to " + " and ".join(parts) if parts else "with its criteria unchanged"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _reasons(result: Result, case: int) -> list[str]:
    """The partnership's own words for its highest judgement scores (at most two)."""
    issue = result.rules.issues[result.issue_ids[case]]
    judged = [
        (result.score(cid, case), cid)
        for cid, outcome in result.outcomes.items()
        if outcome.source[case] == JUDGEMENT and issue.judgement(cid, result.area_of(case)) is not None
    ]
    judged.sort(key=lambda item: -item[0])
    out = []
    for score, cid in judged[:2]:
        rationale = str(getattr(issue.judgement(cid, result.area_of(case)), "rationale", "")).strip()
        end = "" if rationale.endswith((".", "!", "?", '"', "'")) else "."
        out.append(f"{result.rules.criteria[cid].name} ({score}): {rationale}{end}")
    return out
