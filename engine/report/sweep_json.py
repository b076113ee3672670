"""A sweep summary as one typed JSON document; the shape is ``schemas/output/sweep.schema.json``. Never prints.

Kept apart from the table, CSV and Markdown renderers (:mod:`engine.report.sweep`). Numbers are exact (a share
is the exact fraction of scenarios rounded to 6 places, as a decimal), booleans are booleans, a flip point is
``{"path", "before", "after", "steps"}`` (``null`` where no single change of that kind flips the issue) and each
stretch of values over which an issue is in or out of the list ``{"priority", "from", "to"}``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from engine.jsontext import dumps
from engine.numbers import number, plural
from engine.whatif.robustness import Flip
from engine.whatif.sweep import Axis, SweepResult

#: Places a share of scenarios is given to.
SHARE_PLACES = 6


def to_json(summary: SweepResult) -> str:
    """The baseline, its provenance, the axes, the counts, every issue and the distinct priority lists."""
    return dumps(document(summary)) + "\n"


def share(count: int, of: int) -> Decimal:
    """``count / of`` to :data:`SHARE_PLACES` places, half up (``0`` when nothing was scored)."""
    if not of:
        return Decimal(0).scaleb(-SHARE_PLACES)
    return (Decimal(count) / Decimal(of)).quantize(Decimal(1).scaleb(-SHARE_PLACES), rounding=ROUND_HALF_UP)


def document(summary: SweepResult) -> dict[str, Any]:
    """The document :func:`to_json` writes, as plain values (``Decimal`` for numbers)."""
    from engine.score.audit import provenance

    valid = summary.valid
    parameters = {"vary": "; ".join(_axis_text(a) for a in summary.axes)}
    return {
        "baseline": {"rules": summary.baseline.rules.display, "sha256": summary.baseline.rules.sha256},
        "provenance": provenance(summary.baseline, parameters).as_dict(),
        "axes": [{"path": a.parameter.text, "values": list(a.values)} for a in summary.axes],
        "scenarios": summary.scenarios,
        "skipped": summary.skipped,
        "issues": issue_entries(summary),
        "priority_lists": [
            {"issues": list(ids), "scenarios": count, "share": share(count, valid)} for ids, count in summary.lists
        ],
    }


def issue_entries(summary: SweepResult) -> list[dict[str, Any]]:
    """One entry per case, in the baseline's order."""
    result = summary.baseline
    valid = summary.valid
    out = []
    for i, distance, in_count in summary.cases():
        entry: dict[str, Any] = {"issue_id": result.issue_ids[i]}
        if len(result.areas) > 1:
            entry["area"] = result.area_of(i)
        entry |= {
            "baseline_total": result.total(i),
            "baseline_priority": bool(result.priority[i]),
            "priority_share": share(in_count, valid),
            "priority_scenarios": in_count,
            "valid_scenarios": valid,
        }
        if summary.runs is not None:
            entry["runs"] = [{"priority": r.priority, "from": r.first, "to": r.last} for r in summary.runs[i]]
        entry["flip_by_score"] = _flip(distance.score)
        entry["flip_by_threshold"] = _flip(distance.threshold)
        entry["flip_by_cutoff"] = _flip(distance.cutoff)
        out.append(entry)
    return out


def _axis_text(axis: Axis) -> str:
    """The axis as the provenance's parameters name it: ``priority.cutoff = 18 to 28 (11 values)``."""
    values = axis.values
    return f"{axis.parameter.text} = {number(values[0])} to {number(values[-1])} ({plural(len(values), 'value')})"


def _flip(flip: Flip | None) -> dict[str, Any] | None:
    if flip is None:
        return None
    return {"path": flip.path, "before": flip.base, "after": flip.value, "steps": flip.steps}
