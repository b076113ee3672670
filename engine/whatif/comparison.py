"""Compare two results issue by issue: a what-if variant against its baseline, or this year against last.

Issues are matched by id, then (for year-on-year comparisons, where ids may
have been renamed) by name ignoring case and punctuation. Criteria are matched
by id. Each issue gets its scores, total and priority before and after, the
criteria that drove the change, and a status: enters, leaves, stays in, stays
out, new or dropped. Changed issues come first, then the rest by rank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from engine.load.model import DataCriterion, Score
from engine.numbers import number
from engine.score.scoring import Result
from engine.whatif.rulediff import RuleDifference, rule_differences


@dataclass(frozen=True)
class CriterionChange:
    """One criterion of one issue, before and after (None where absent)."""

    criterion_id: str
    before: Score | None
    after: Score | None
    before_value: str = ""  # the metric value behind a data-driven score
    after_value: str = ""
    before_source: str = ""  # data, judgement, override or no value
    after_source: str = ""

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def change(self) -> Score:
        """How far the score moved, after minus before (0 when the issue is absent on either side)."""
        return 0 if self.before is None or self.after is None else self.after - self.before

    def describe(self) -> str:
        text = f"{self.criterion_id} {_show(self.before)} -> {_show(self.after)}"
        if self.before_source != self.after_source:
            side = lambda source, value: f"{source} {value}".strip()
            return (
                text
                + f" ({side(self.before_source, self.before_value)} -> {side(self.after_source, self.after_value)})"
            )
        if self.before_value and self.before_value == self.after_value:
            return text + f" (value {self.before_value})"
        if self.before_value or self.after_value:
            return text + f" ({self.before_value or 'no value'} -> {self.after_value or 'no value'})"
        return text + (f" ({self.after_source})" if self.after_source else "")


def _show(value: object) -> str:
    return "-" if value is None else str(value)


@dataclass(frozen=True)
class IssueComparison:
    """One issue before and after."""

    issue_id: str
    name: str
    criteria: tuple[CriterionChange, ...]
    total_before: Decimal | None
    total_after: Decimal | None
    priority_before: bool | None
    priority_after: bool | None
    rank_after: int | None
    area: str | None = None  # set when the results hold several areas: each area's issues are compared

    @property
    def label(self) -> str:
        """How tables name it: the issue id, after its area when there are several (``Bromley Town: asb``)."""
        return self.issue_id if self.area is None else f"{self.area}: {self.issue_id}"

    @property
    def status(self) -> str:
        if self.priority_before is None:
            return "new"
        if self.priority_after is None:
            return "dropped"
        if self.priority_before != self.priority_after:
            return "enters" if self.priority_after else "leaves"
        return "stays in" if self.priority_after else "stays out"

    @property
    def drivers(self) -> tuple[CriterionChange, ...]:
        """The criteria whose score changed."""
        return tuple(c for c in self.criteria if c.changed and c.before is not None and c.after is not None)

    @property
    def changed(self) -> bool:
        return (
            self.status in ("enters", "leaves", "new", "dropped")
            or self.total_before != self.total_after
            or bool(self.drivers)
        )


@dataclass(frozen=True)
class Comparison:
    """Two results side by side. ``changes`` says what differs between them (settings or files)."""

    name: str
    before: Result
    after: Result
    changes: tuple[str, ...]
    criteria: tuple[str, ...]
    issues: tuple[IssueComparison, ...]
    labels: tuple[str, str] = ("Baseline", "Variant")
    #: Every rule difference between the two sides, tied to the issues it moved.
    rule_changes: tuple[RuleDifference, ...] = ()

    def entering(self) -> list[str]:
        """The issues that are priorities after and were not before, a new issue among them."""
        return [i.label for i in self.issues if i.status == "enters" or (i.status == "new" and i.priority_after)]

    def leaving(self) -> list[str]:
        """The issues that were priorities before and are not after, a removed issue among them."""
        return [i.label for i in self.issues if i.status == "leaves" or (i.status == "dropped" and i.priority_before)]

    def summary(self) -> str:
        """One sentence: how many issues change and which enter or leave the priority list (saying which of
        them are new or removed issues)."""
        changed = sum(1 for i in self.issues if i.changed)
        count = lambda result: int(result.priority.sum())
        said = {"new": " (new issue)", "dropped": " (removed)"}
        status = {i.label: i.status for i in self.issues}
        enter = ", ".join(label + said.get(status[label], "") for label in self.entering()) or "none"
        leave = ", ".join(label + said.get(status[label], "") for label in self.leaving()) or "none"
        return (
            f"{changed} of {len(self.issues)} issues change. Priorities: {count(self.before)} before, "
            f"{count(self.after)} after; entering: {enter}; leaving: {leave}."
        )


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.casefold())


def compare_results(
    before: Result,
    after: Result,
    name: str,
    changes: tuple[str, ...] = (),
    *,
    match_names: bool = False,
    labels: tuple[str, str] = ("Baseline", "Variant"),
) -> Comparison:
    """Compare two results issue by issue (see the module docstring); with several areas, area by area.

    Several areas are compared where both results hold them (in the after result's order); with one area each,
    the two are compared whatever their names.
    """
    criteria = tuple(c for c in after.rules.criteria if c in before.rules.criteria)
    several = len(after.areas) > 1 or len(before.areas) > 1
    areas = [a for a in after.areas if a in before.areas] if several else [None]
    issues: list[IssueComparison] = []
    for area in areas:
        before_ids = {i: before.case(i, area) for i in before.rules.issues}
        after_ids = {i: after.case(i, area) for i in after.rules.issues}
        issues += [
            replace(_issue(before, after, b, a, criteria, before_ids, after_ids), area=area)
            for b, a in _pairs(before, after, match_names)
        ]
    rank = {i.label: (i.rank_after if i.rank_after is not None else 10**9) for i in issues}
    order = {i.label: n for n, i in enumerate(issues)}
    area_order = {area: n for n, area in enumerate(areas)}
    issues.sort(key=lambda i: (not i.changed, area_order[i.area], rank[i.label], order[i.label]))
    differences = rule_differences(before.rules, after.rules, tuple(issues))
    return Comparison(name, before, after, changes, criteria, tuple(issues), labels, differences)


def _pairs(before: Result, after: Result, match_names: bool) -> list[tuple[str | None, str | None]]:
    """(before id, after id) of each issue, in the after rules' order, then the before issues left unmatched.

    An issue is matched by id, else (with ``match_names``) by name; unmatched, its other side is None.
    """
    pairs: list[tuple[str | None, str | None]] = []
    unmatched = dict.fromkeys(before.rules.issues)
    for issue_id in after.rules.issues:
        partner = issue_id if issue_id in unmatched else None
        if partner is None and match_names:
            wanted = _key(after.rules.issues[issue_id].name)
            partner = next((b for b in unmatched if _key(before.rules.issues[b].name) == wanted), None)
        if partner is not None:
            del unmatched[partner]
        pairs.append((partner, issue_id))
    pairs.extend((b, None) for b in unmatched)
    return pairs


def _issue(
    before: Result,
    after: Result,
    before_id: str | None,
    after_id: str | None,
    criteria: tuple[str, ...],
    before_ids: dict[str, int],
    after_ids: dict[str, int],
) -> IssueComparison:
    b = before_ids.get(before_id) if before_id else None
    a = after_ids.get(after_id) if after_id else None
    shown = after if a is not None else before
    issue_id = after_id or before_id
    assert issue_id is not None  # a pair has an issue on at least one side
    return IssueComparison(
        issue_id=issue_id,
        name=shown.rules.issues[issue_id].name,
        criteria=tuple(_criterion_change(c, before, b, after, a) for c in criteria),
        total_before=None if b is None else before.total(b),
        total_after=None if a is None else after.total(a),
        priority_before=None if b is None else bool(before.priority[b]),
        priority_after=None if a is None else bool(after.priority[a]),
        rank_after=None if a is None else int(after.rank[a]),
    )


def _criterion_change(cid: str, before: Result, b: int | None, after: Result, a: int | None) -> CriterionChange:
    """Criterion ``cid`` of case ``b`` before and case ``a`` after (None: the issue is absent on that side)."""
    return CriterionChange(
        cid,
        _score(before, cid, b),
        _score(after, cid, a),
        _metric_text(before, cid, b),
        _metric_text(after, cid, a),
        _source(before, cid, b),
        _source(after, cid, a),
    )


def _score(result: Result, criterion_id: str, case: int | None) -> Score | None:
    return None if case is None else result.score(criterion_id, case)


def _source(result: Result, criterion_id: str, case: int | None) -> str:
    return "" if case is None else str(result.outcomes[criterion_id].source[case])


def _metric_text(result: Result, criterion_id: str, case: int | None) -> str:
    """The metric value behind a data-driven score, when it came from data."""
    if case is None:
        return ""
    outcome = result.outcomes[criterion_id]
    criterion = outcome.criterion
    if not isinstance(criterion, DataCriterion) or outcome.metric is None or outcome.source[case] not in ("data",):
        return ""
    value = outcome.metric.value(case, criterion.decimals)
    return "" if value is None else number(value)
