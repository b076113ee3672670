"""The rule differences between two rule sets, each tied to the score and priority changes it caused.

Compared: band edges and scores, ``if_no_value``, scales, total weights, the cutoff and the priority limits,
judgements (score and rationale) and overrides (score and reason), issue by issue and area by area. Other
sections (datasets, derived values, measures) are not compared here: their effect shows in the criteria.

A difference is tied to the issues it moved, read off the comparison: a band or ``if_no_value`` change to the
issues whose score on that criterion changed (scored from data, or from no value, on both sides); a judgement
or override to its own issue's score; a weight to the issues whose total changed and that score on that
criterion; the cutoff to the issues entering or leaving whose total lies between the old and the new cutoff;
a priority limit to the other issues entering or leaving. Where the data changed too (year on year), a tied
score change may owe something to both, which the issue's own driver line (the metric values) shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from engine.load.model import Band, DataCriterion, Issue, RuleSet, ScalePoint
from engine.numbers import number

if TYPE_CHECKING:  # comparison builds these differences: a type only, to avoid an import cycle
    from engine.whatif.comparison import IssueComparison

#: How a status reads after an effect: the priority list moved.
MOVES = {
    "enters": "enters the priorities",
    "leaves": "leaves the priorities",
    "new": "new issue",
    "dropped": "removed issue",
}


@dataclass(frozen=True)
class Effect:
    """One issue moved by a rule difference: the criterion whose score moved (None: only its priority)."""

    issue: IssueComparison
    criterion_id: str | None

    def describe(self) -> str:
        """``trend of domestic_abuse 5 -> 3, total 26 -> 24, leaves the priorities``."""
        issue = self.issue
        parts = []
        if self.criterion_id is not None:
            change = next(c for c in issue.criteria if c.criterion_id == self.criterion_id)
            parts.append(f"{self.criterion_id} of {issue.label} {_show(change.before)} -> {_show(change.after)}")
            total = "total " + _moved(issue.total_before, issue.total_after)
        else:
            total = f"{issue.label} total " + _moved(issue.total_before, issue.total_after)
        parts.append(total)
        if issue.status in MOVES:
            parts.append(MOVES[issue.status])
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        """The effect for JSON: numbers as numbers, absent values as null."""
        issue = self.issue
        found = next((c for c in issue.criteria if c.criterion_id == self.criterion_id), None)
        return {
            "issue_id": issue.issue_id,
            **({"area": issue.area} if issue.area is not None else {}),
            "criterion": self.criterion_id,
            "score_before": None if found is None else found.before,
            "score_after": None if found is None else found.after,
            "total_before": issue.total_before,
            "total_after": issue.total_after,
            "status": issue.status,
        }


@dataclass(frozen=True)
class RuleDifference:
    """One value that differs between the two rule sets, at its key path, and the issues it moved."""

    path: str
    before: Any  # a number or text; None where the value is absent on that side
    after: Any
    effects: tuple[Effect, ...] = ()
    note: str = ""  # e.g. the neighbouring band edge that moved with this one

    def describe(self) -> str:
        """``criteria.trend.bands[3].from 10 -> 15: trend of domestic_abuse 5 -> 3, total 26 -> 24, ...``."""
        head = f"{self.path} {_value(self.before)} -> {_value(self.after)}"
        head += f" ({self.note})" if self.note else ""
        effects = "; ".join(e.describe() for e in self.effects) or "no score or priority changes"
        return f"{head}: {effects}"

    def as_dict(self) -> dict[str, Any]:
        """The difference for JSON: its path, both values (numbers as numbers) and its effects."""
        return {
            "path": self.path,
            "before": self.before,
            "after": self.after,
            **({"note": self.note} if self.note else {}),
            "effects": [e.as_dict() for e in self.effects],
        }


def _show(value: object) -> str:
    return "-" if value is None else number(value) if isinstance(value, (int, Decimal)) else str(value)


def _value(value: object) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, str):
        return '"' + value + '"'
    return _show(value)


def _moved(before: Decimal | None, after: Decimal | None) -> str:
    return _show(after) if before == after else f"{_show(before)} -> {_show(after)}"


#: Which issues a difference moved: given every issue's comparison, those it is tied to (and the criterion).
Selector = Callable[[tuple["IssueComparison", ...]], list["Effect"]]


def rule_differences(
    before: RuleSet, after: RuleSet, issues: tuple[IssueComparison, ...]
) -> tuple[RuleDifference, ...]:
    """Every difference between ``before`` and ``after`` (see the module docstring), each with its effects."""
    found: list[tuple[str, Any, Any, str, Selector]] = []
    found += _scales(before, after)
    found += _criteria(before, after)
    found += _weights(before, after)
    found += _priority(before, after)
    found += _entries(before, after)
    return tuple(RuleDifference(path, old, new, tuple(select(issues)), note) for path, old, new, note, select in found)


def _criterion_moved(criterion: str, sources: tuple[str, ...] = ()) -> Selector:
    """The issues whose score on ``criterion`` changed (with ``sources``: scored from one of them on both sides)."""

    def select(issues: tuple[IssueComparison, ...]) -> list[Effect]:
        out = []
        for issue in issues:
            for c in issue.drivers:
                if c.criterion_id == criterion and (
                    not sources or (c.before_source in sources and c.after_source in sources)
                ):
                    out.append(Effect(issue, criterion))
        return out

    return select


def _scale_text(scale: tuple[ScalePoint, ...]) -> str:
    return ", ".join(f"{number(p.score)} {p.meaning}" for p in scale)


def _scales(before: RuleSet, after: RuleSet) -> list[tuple[str, Any, Any, str, Selector]]:
    out: list[tuple[str, Any, Any, str, Selector]] = []
    if before.scale != after.scale:
        own = [cid for cid, c in after.criteria.items() if not c.scale]
        out.append(("scale", _scale_text(before.scale), _scale_text(after.scale), "", _any_moved(own)))
    for cid, criterion in after.criteria.items():
        old = before.criteria.get(cid)
        if old is not None and old.scale != criterion.scale:
            path = f"criteria.{cid}.scale"
            out.append(
                (path, _scale_text(old.scale) or None, _scale_text(criterion.scale) or None, "", _any_moved([cid]))
            )
    return out


def _any_moved(criteria: list[str]) -> Selector:
    def select(issues: tuple[IssueComparison, ...]) -> list[Effect]:
        return [Effect(i, c.criterion_id) for i in issues for c in i.drivers if c.criterion_id in criteria]

    return select


def _criteria(before: RuleSet, after: RuleSet) -> list[tuple[str, Any, Any, str, Selector]]:
    """Band edges and scores, and ``if_no_value``, of the data criteria both sides have."""
    out: list[tuple[str, Any, Any, str, Selector]] = []
    for cid, criterion in after.criteria.items():
        old = before.criteria.get(cid)
        if not isinstance(criterion, DataCriterion) or not isinstance(old, DataCriterion):
            continue
        base = f"criteria.{cid}"
        bands = _criterion_moved(cid, ("data",))
        if len(old.bands) != len(criterion.bands):
            out.append((f"{base}.bands", f"{len(old.bands)} bands", f"{len(criterion.bands)} bands", "", bands))
        else:
            out += [
                (f"{base}.{path}", o, n, note, bands) for path, o, n, note in _band_edges(old.bands, criterion.bands)
            ]
            out += [
                (f"{base}.bands[{k}].score", o.score, n.score, "", bands)
                for k, (o, n) in enumerate(zip(old.bands, criterion.bands, strict=True))
                if o.score != n.score
            ]
        if old.if_no_value != criterion.if_no_value:
            no_value = _criterion_moved(cid, ("no value",))
            out.append((f"{base}.if_no_value", old.if_no_value, criterion.if_no_value, "", no_value))
    return out


def _band_edges(old: tuple[Band, ...], new: tuple[Band, ...]) -> Iterator[tuple[str, Any, Any, str]]:
    """Each band edge that moved, as ``bands[3].from``; a shared boundary (``bands[2].below`` moving with
    ``bands[3].from``) is one difference, noted."""
    for k, (o, n) in enumerate(zip(old, new, strict=True)):
        lower_word = "from" if n.lower_inclusive else "above"
        if (o.lower, o.lower_inclusive) != (n.lower, n.lower_inclusive):
            note = ""
            if k > 0 and (old[k - 1].upper, new[k - 1].upper) == (o.lower, n.lower):
                below = new[k - 1]
                note = f"with bands[{k - 1}].{'to' if below.upper_inclusive else 'below'}"
            yield f"bands[{k}].{lower_word}", o.lower, n.lower, note
        shared = k + 1 < len(new) and (o.upper, n.upper) == (old[k + 1].lower, new[k + 1].lower)
        if (o.upper, o.upper_inclusive) != (n.upper, n.upper_inclusive) and not shared:
            yield f"bands[{k}].{'to' if n.upper_inclusive else 'below'}", o.upper, n.upper, ""


def _weights(before: RuleSet, after: RuleSet) -> list[tuple[str, Any, Any, str, Selector]]:
    out: list[tuple[str, Any, Any, str, Selector]] = []
    for cid in dict.fromkeys([*before.total.weights, *after.total.weights]):
        old, new = before.total.weights.get(cid), after.total.weights.get(cid)
        if old != new:
            out.append((f"total.weights.{cid}", old, new, "", _weighted(cid)))
    return out


def _weighted(criterion: str) -> Selector:
    """The issues whose total changed and that score something on ``criterion`` on either side."""

    def select(issues: tuple[IssueComparison, ...]) -> list[Effect]:
        out = []
        for issue in issues:
            change = next((c for c in issue.criteria if c.criterion_id == criterion), None)
            if change is None or issue.total_before is None or issue.total_after is None:
                continue
            if issue.total_before != issue.total_after and (change.before or change.after):
                out.append(Effect(issue, None))
        return out

    return select


def _priority(before: RuleSet, after: RuleSet) -> list[tuple[str, Any, Any, str, Selector]]:
    old, new = before.priority, after.priority
    out: list[tuple[str, Any, Any, str, Selector]] = []
    if old.cutoff != new.cutoff:
        out.append(("priority.cutoff", old.cutoff, new.cutoff, "", _across_cutoff(old.cutoff, new.cutoff)))
    limited = _limited(old.cutoff, new.cutoff)
    if old.max_priorities != new.max_priorities:
        out.append(("priority.max_priorities", old.max_priorities, new.max_priorities, "", limited))
    for area in dict.fromkeys([*old.areas, *new.areas]):
        if old.areas.get(area) != new.areas.get(area):
            path = f"priority.areas.{area}"
            out.append((path, old.areas.get(area), new.areas.get(area), "", _in_area(area, limited)))
    return out


def _moving(issues: tuple[IssueComparison, ...]) -> Iterator[IssueComparison]:
    return (i for i in issues if i.status in ("enters", "leaves"))


def _across_cutoff(old: Decimal, new: Decimal) -> Selector:
    """The issues entering or leaving whose total (after) the two cutoffs class differently."""

    def select(issues: tuple[IssueComparison, ...]) -> list[Effect]:
        return [
            Effect(i, None)
            for i in _moving(issues)
            if i.total_after is not None and (i.total_after >= old) != (i.total_after >= new)
        ]

    return select


def _limited(old: Decimal, new: Decimal) -> Selector:
    """The issues entering or leaving that neither their total nor the cutoff explains: a limit moved them."""

    def select(issues: tuple[IssueComparison, ...]) -> list[Effect]:
        return [
            Effect(i, None)
            for i in _moving(issues)
            if i.total_before == i.total_after
            and i.total_after is not None
            and (i.total_after >= old) == (i.total_after >= new)
        ]

    return select


def _in_area(area: str, select: Selector) -> Selector:
    return lambda issues: [e for e in select(issues) if e.issue.area == area]


def _entries(before: RuleSet, after: RuleSet) -> list[tuple[str, Any, Any, str, Selector]]:
    """Judgements and overrides of the issues both sides have (by id), everywhere and area by area."""
    out: list[tuple[str, Any, Any, str, Selector]] = []
    for issue_id, issue in after.issues.items():
        old = before.issues.get(issue_id)
        if old is None:
            continue
        for area, kind, path, old_entries, new_entries in _entry_tables(issue_id, old, issue):
            for cid in dict.fromkeys([*old_entries, *new_entries]):
                o, n = old_entries.get(cid), new_entries.get(cid)
                select = _issue_moved(issue_id, cid, area)
                text = "reason" if kind == "overrides" else "rationale"
                if o is None or n is None:
                    was = None if o is None else o.score
                    now = None if n is None else n.score
                    out.append((f"{path}.{kind}.{cid}.score", was, now, "", select))
                    continue
                if o.score != n.score:
                    out.append((f"{path}.{kind}.{cid}.score", o.score, n.score, "", select))
                if getattr(o, text) != getattr(n, text):
                    out.append((f"{path}.{kind}.{cid}.{text}", getattr(o, text), getattr(n, text), "", select))
    return out


def _entry_tables(
    issue_id: str, old: Issue, new: Issue
) -> Iterator[tuple[str | None, str, str, dict[str, Any], dict[str, Any]]]:
    """(area, kind, path, before's entries, after's entries): the issue's own, then each area's."""
    base = f"issues.{issue_id}"
    yield None, "judgements", base, old.judgements, new.judgements
    yield None, "overrides", base, old.overrides, new.overrides
    for area in dict.fromkeys([*old.areas, *new.areas]):
        o, n = old.areas.get(area), new.areas.get(area)
        path = f"{base}.areas.{area}"
        yield area, "judgements", path, o.judgements if o else {}, n.judgements if n else {}
        yield area, "overrides", path, o.overrides if o else {}, n.overrides if n else {}


def _issue_moved(issue_id: str, criterion: str, area: str | None) -> Selector:
    """The issue's own score change on ``criterion`` (in ``area`` only, when the entry is an area's)."""

    def select(issues: tuple[IssueComparison, ...]) -> list[Effect]:
        return [
            Effect(i, criterion)
            for i in issues
            if i.issue_id == issue_id
            and (area is None or i.area == area)
            and any(c.criterion_id == criterion for c in i.drivers)
        ]

    return select
