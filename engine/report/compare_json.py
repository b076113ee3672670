"""Comparisons (``whatif`` and ``compare``) as one typed JSON document; the shape is
``schemas/output/comparisons.schema.json``. Never prints.

Kept apart from the table, CSV and Markdown renderers (:mod:`engine.report.compare`) so the words of those can
change without touching the machine interface. Every value has one type: scores, totals and metric values are
exact numbers (``null`` where the issue or the value is absent), priorities and ``changed`` booleans (``null``
where the issue is absent), each setting changed is ``{"path", "before", "after", "linked"}`` and each criterion
that drove a change is ``{"criterion_id", "before", "after"}`` with its sources and values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.jsontext import dumps
from engine.load.overlay import Change
from engine.load.yamlfile import format_path
from engine.whatif.comparison import Comparison, CriterionChange, IssueComparison


def to_json(comparisons: list[Comparison]) -> str:
    """The baseline, its provenance, and each variant: its changes, summary, entering and leaving, and issues."""
    return dumps(document(comparisons)) + "\n"


def document(comparisons: list[Comparison]) -> dict[str, Any]:
    """The document :func:`to_json` writes, as plain values (``Decimal`` for numbers)."""
    from engine.score.audit import provenance

    base = comparisons[0].before
    return {
        "baseline": {"rules": base.rules.display, "sha256": base.rules.sha256},
        "provenance": provenance(base, {"role": "baseline"}).as_dict(),
        "variants": [
            {
                "name": c.name,
                "changes": [setting_change(change) for change in c.after.rules.changes],
                "described": list(c.changes),
                "summary": c.summary(),
                "entering": c.entering(),
                "leaving": c.leaving(),
                "rule_changes": [d.as_dict() for d in c.rule_changes],
                "issues": [issue_entry(i) for i in c.issues],
                "provenance": provenance(c.after, {"changes": "; ".join(c.changes)}).as_dict(),
            }
            for c in comparisons
        ],
    }


def setting_change(change: Change) -> dict[str, Any]:
    """One setting changed: its key path as ``validate`` prints it, its value before (``null``: not set) and after,
    and whether it moved only because a neighbouring band edge did (``linked``)."""
    return {
        "path": format_path(change.path),
        "before": _plain(change.old),
        "after": _plain(change.new),
        "linked": change.linked,
    }


def issue_entry(issue: IssueComparison) -> dict[str, Any]:
    """One issue before and after, typed."""
    entry: dict[str, Any] = {"issue_id": issue.issue_id}
    if issue.area is not None:
        entry["area"] = issue.area
    entry |= {
        "issue": issue.name,
        "status": issue.status,
        "changed": issue.changed,
        "total_before": issue.total_before,
        "total_after": issue.total_after,
        "priority_before": issue.priority_before,
        "priority_after": issue.priority_after,
        "rank_after": issue.rank_after,
        "criteria": [criterion_entry(c) for c in issue.criteria],
        "drivers": [c.criterion_id for c in issue.drivers],
    }
    return entry


def criterion_entry(change: CriterionChange) -> dict[str, Any]:
    """One criterion of an issue before and after: scores, the metric values behind data-driven ones (``null``:
    none) and where each score came from (``null``: the issue is absent on that side)."""
    return {
        "criterion_id": change.criterion_id,
        "before": change.before,
        "after": change.after,
        "before_value": _value(change.before_value),
        "after_value": _value(change.after_value),
        "before_source": change.before_source or None,
        "after_source": change.after_source or None,
    }


def _value(text: str) -> Decimal | None:
    """A metric value as the audit shows it (``"11.4"``), as the exact number; ``None`` for none."""
    try:
        return Decimal(text) if text else None
    except ArithmeticError:  # "no value" and the like
        return None


def _plain(value: Any) -> Any:
    """A setting's value as JSON holds it: numbers exact (a float, which the rule loader does not make, as the
    decimal it prints as), everything else as it is."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
