"""The result as one JSON-ready document: what ``score --format json`` writes and ``replay`` compares.

The document says each thing once. The rules' part comes first: ``assessment``, ``scale``, ``criteria`` (each
with its metric and formula), ``issues`` (each with its name and the judgements and overrides recorded for it),
``total``, ``cutoff`` and ``max_priorities``. Then ``areas``, one block per area scored (a single-area
assessment has one), holding only what is that area's own: its name, its own ``max_priorities`` where it has
one, its ``priorities``, its ``scores`` (one row per issue, in rank order) and its ``audit`` (one entry per
issue and criterion). Last, the ``provenance``.

An audit entry leaves out what the rules' part already says (the issue's and criterion's names, the metric
and formula, the meaning of the score) and every blank cell; a judgement or override appears in full only
where the area's differs from the issue's. :func:`expanded_rows` puts all of it back: the flat score and audit
rows, with the CSV files' columns.

Cells are typed (:func:`typed_scores`, :func:`typed_value`): scores, totals, margins, derived and metric values
are exact numbers (``int`` or ``Decimal`` holding its declared places), ``priority`` a boolean (``None`` while
a draft leaves it undecided), a score or value there is none of ``None``, and an audit entry's
``source_rows`` a list of references (:mod:`engine.score.rowrefs`). ``schemas/output/score.schema.json``
describes the whole document.

:func:`area_documents` yields the area blocks one at a time, building the audit of a few areas at a time, so a
national run is written without holding its whole audit in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from engine.load.model import DataCriterion
from engine.score.audit import (
    AUDIT_COLUMNS,
    TO_BE_AGREED,
    AuditColumns,
    Cell,
    Provenance,
    audit_columns,
    draft_lines,
    formula,
    score_columns,
)
from engine.score.rowrefs import RowRefs
from engine.score.scoring import Result

#: Audit columns the rules' part of the document already holds (names, metric, formula, meaning).
RULE_COLUMNS = ("issue", "criterion", "metric", "formula", "meaning")
#: The columns of an audit entry, in order (any that is blank is left out).
ENTRY_COLUMNS = tuple(c for c in AUDIT_COLUMNS if c not in RULE_COLUMNS)
JUDGEMENT_COLUMNS = ("judgement_score", "rationale", "evidence")
OVERRIDE_COLUMNS = ("override_score", "override_reason", "agreed_by")
#: How many cases' audit is built at once: large enough to read the arrays a block at a time, small enough to
#: keep a national run's memory bounded.
BLOCK_CASES = 2000


def document_head(result: Result) -> dict[str, Any]:
    """The rules' part of the document: everything that is the same in every area."""
    rules = result.rules
    criteria = []
    for c in rules.criteria.values():
        entry: dict[str, Any] = {
            "id": c.id,
            "name": c.name,
            "metric": c.metric if isinstance(c, DataCriterion) else None,
        }
        if isinstance(c, DataCriterion):
            entry["formula"] = formula(result, c)
        if c.scale:
            entry["scale"] = [{"score": p.score, "meaning": p.meaning} for p in c.scale]
        criteria.append(entry)
    issues = []
    for issue in rules.issues.values():
        entry = {"id": issue.id, "name": issue.name}
        if issue.judgements:
            entry["judgements"] = {
                cid: {"score": j.score, "rationale": j.rationale, "evidence": j.evidence}
                for cid, j in issue.judgements.items()
            }
        if issue.overrides:
            entry["overrides"] = {
                cid: {"score": o.score, "reason": o.reason, "agreed_by": o.agreed_by}
                for cid, o in issue.overrides.items()
            }
        issues.append(entry)
    return {
        "assessment": {k: v for k, v in vars(rules.assessment).items() if v is not None},
        "scale": [{"score": p.score, "meaning": p.meaning} for p in rules.scale],
        "criteria": criteria,
        "issues": issues,
        "total": rules.total.describe(),
        "cutoff": rules.priority.cutoff,
        "max_priorities": rules.priority.max_priorities,
        **({"draft": draft_lines(result)} if result.draft else {}),
    }


def area_documents(result: Result, block_cases: int = BLOCK_CASES) -> Iterator[dict[str, Any]]:
    """Each area's block, in the order the areas were scored (the audit built a block of areas at a time)."""
    table = score_columns(result)
    rules = result.rules
    own = _IssueEntries(result)
    bounds = table.area_rows()
    shown = [c for c in table.columns if c not in ("area", "issue")]
    start = 0
    while start < len(bounds):
        stop = start
        while stop < len(bounds) and (stop == start or bounds[stop][2] - bounds[start][1] <= block_cases):
            stop += 1
        first, last = bounds[start][1], bounds[stop - 1][2]
        audit = audit_columns(result, table.cases[first:last])
        for area, begin, end in bounds[start:stop]:
            name = result.areas[area]
            block: dict[str, Any] = {"area": name}
            limit = rules.priority.limit_for(name)
            if limit != rules.priority.max_priorities:
                block["max_priorities"] = limit
            ids = table.columns["issue_id"][begin:end]
            block["priorities"] = [
                i for i, p in zip(ids, table.columns["priority"][begin:end], strict=True) if p == "yes"
            ]
            typed = typed_scores({c: table.columns[c][begin:end] for c in shown})
            names = list(typed)
            block["scores"] = [dict(zip(names, values, strict=True)) for values in zip(*typed.values(), strict=True)]
            block["audit"] = own.entries(audit, begin - first, end - first)
            yield block
        start = stop


class _IssueEntries:
    """Audit entries without what the rules' part says: judgements and overrides the issue's own already hold."""

    def __init__(self, result: Result) -> None:
        self.criteria = list(result.outcomes)
        self.data_criteria = {c.id: c for c in result.rules.criteria.values() if isinstance(c, DataCriterion)}
        self.refs = RowRefs(result)
        self.judgements = {
            (issue.id, cid): (j.score, j.rationale, j.evidence)
            for issue in result.rules.issues.values()
            for cid, j in issue.judgements.items()
        }
        self.overrides = {
            (issue.id, cid): (o.score, o.reason, o.agreed_by)
            for issue in result.rules.issues.values()
            for cid, o in issue.overrides.items()
        }

    def entries(self, audit: AuditColumns, begin: int, end: int) -> list[dict[str, Any]]:
        """The entries of the audit's cases ``begin`` to ``end``: per case, each criterion in rule order."""
        per_criterion = []
        for cid in self.criteria:
            columns = audit.by_criterion[cid]
            # Only the columns with a cell in these cases (a judgement's has no metric columns, and so on).
            live = [(c, columns[c]) for c in ENTRY_COLUMNS if any(v != "" for v in columns[c][begin:end])]
            made = []
            criterion = self.data_criteria.get(cid)
            for n in range(begin, end):
                entry: dict[str, Any] = {c: column[n] for c, column in live if column[n] != ""}
                if entry["source"] in ("judgement", "override"):
                    self._without_the_issues_own(entry, cid)
                if "value" in entry:
                    entry["value"] = typed_value(entry["value"])
                if "source_rows" in entry and criterion is not None:
                    entry["source_rows"] = self.refs.of(criterion, audit.cases[n])
                made.append(entry)
            per_criterion.append(made)
        return [entry for entries in zip(*per_criterion, strict=True) for entry in entries]

    def _without_the_issues_own(self, entry: dict[str, Any], cid: str) -> None:
        """Leave out a judgement's or override's score and words where they are the issue's own (rules' part)."""
        key = (str(entry["issue_id"]), cid)
        if tuple(entry.get(c, "") for c in JUDGEMENT_COLUMNS) == self.judgements.get(key):
            for c in JUDGEMENT_COLUMNS:
                entry.pop(c, None)
        if tuple(entry.get(c, "") for c in OVERRIDE_COLUMNS) == self.overrides.get(key):
            for c in OVERRIDE_COLUMNS:
                entry.pop(c, None)


#: A score row's ``priority`` words as (priority, over_max_priorities): None while a draft leaves it undecided.
PRIORITY_WORDS: dict[str, tuple[bool | None, bool]] = {
    "yes": (True, False),
    "no": (False, False),
    "no (over max_priorities)": (False, True),
    "yes (draft)": (True, False),
    "no (draft)": (False, False),
    "undecided (draft)": (None, False),
}


def typed_value(cell: Cell) -> Decimal | int | None:
    """A number cell of the tables as the exact number it shows (``"1.50"`` is ``Decimal("1.50")``, its places
    kept); ``None`` for one there is none of (``no value``, ``to be agreed``, blank)."""
    if isinstance(cell, (int, Decimal)):
        return cell
    if cell in ("", "no value", TO_BE_AGREED):
        return None
    return Decimal(cell)


def typed_scores(columns: dict[str, list[Cell]]) -> dict[str, list[Any]]:
    """Score columns (every column of the table but ``area`` and ``issue``) with typed cells: criterion scores,
    derived values, ``total`` and ``margin`` as numbers (None: to be agreed, no value), ``rank`` as it is,
    ``priority`` as a boolean (None: undecided) followed by ``over_max_priorities``. A draft's table gains
    ``total_range`` after ``total``: ``[lowest, highest]`` where a score is still to be agreed (its ``total`` is
    then None), else None."""
    typed: dict[str, list[Any]] = {}
    draft = any(" to " in str(t) for t in columns.get("total", []))
    for name, cells in columns.items():
        if name in ("issue_id", "rank"):
            typed[name] = cells
        elif name == "priority":
            pairs = [PRIORITY_WORDS[str(c)] for c in cells]
            typed["priority"] = [p for p, _ in pairs]
            typed["over_max_priorities"] = [over for _, over in pairs]
        elif name == "total":
            typed["total"] = [None if " to " in str(t) else typed_value(t) for t in cells]
            if draft:
                typed["total_range"] = [_range(str(t)) if " to " in str(t) else None for t in cells]
        else:  # a criterion's score, a derived value or the margin
            seen: dict[Any, Any] = {}
            typed[name] = [seen[c] if c in seen else seen.setdefault(c, typed_value(c)) for c in cells]
    return typed


def _range(text: str) -> list[Decimal]:
    low, high = text.split(" to ")
    return [Decimal(low), Decimal(high)]


def result_document(result: Result, provenance: Provenance) -> dict[str, Any]:
    """The whole document (see the module's docstring); :func:`area_documents` yields its areas one by one."""
    return {**document_head(result), "areas": list(area_documents(result)), "provenance": provenance.as_dict()}


def expanded_rows(document: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """A saved document's flat score rows, audit rows (every column of :data:`AUDIT_COLUMNS`, with ``area``
    first when several areas were scored) and priorities (every area's, in order).

    A document written before results had ``areas`` (scores, audit and priorities at the top) is read as it is.
    """
    if "areas" not in document:
        return document.get("scores", []), document.get("audit", []), document.get("priorities", [])
    names = {i["id"]: i["name"] for i in document.get("issues", [])}
    judged = {(i["id"], c): j for i in document.get("issues", []) for c, j in i.get("judgements", {}).items()}
    overridden = {(i["id"], c): o for i in document.get("issues", []) for c, o in i.get("overrides", {}).items()}
    criteria = {c["id"]: c for c in document.get("criteria", [])}
    areas = document["areas"]
    several = len(areas) > 1
    scores: list[dict[str, Any]] = []
    audit: list[dict[str, Any]] = []
    priorities: list[str] = []
    for block in areas:
        where = {"area": block.get("area") or ""} if several else {}
        priorities += block.get("priorities", [])
        for row in block.get("scores", []):
            scores.append({**where, "issue_id": row.get("issue_id"), "issue": names.get(row.get("issue_id"), "")} | row)
        for entry in block.get("audit", []):
            audit.append({**where, **_expanded(entry, names, criteria, judged, overridden, document.get("scale", []))})
    return scores, audit, priorities


def _expanded(
    entry: dict[str, Any],
    names: dict[str, str],
    criteria: dict[str, dict[str, Any]],
    judged: dict[tuple[str, str], dict[str, Any]],
    overridden: dict[tuple[str, str], dict[str, Any]],
    scale: list[dict[str, Any]],
) -> dict[str, Any]:
    """One audit entry with everything the rules' part holds put back (blank cells as "")."""
    issue, cid = entry.get("issue_id", ""), entry.get("criterion_id", "")
    criterion = criteria.get(cid, {})
    row = dict.fromkeys(AUDIT_COLUMNS, "") | entry
    row["issue"] = names.get(issue, "")
    row["criterion"] = criterion.get("name", "")
    if "value" in entry:  # the score was computed from data (or the data gave no value): its metric and formula
        row["metric"] = criterion.get("metric") or ""
        row["formula"] = criterion.get("formula", "")
    if entry.get("source") == "judgement" and "judgement_score" not in entry and (issue, cid) in judged:
        j = judged[(issue, cid)]
        row.update(judgement_score=j["score"], rationale=j["rationale"], evidence=j["evidence"])
    if entry.get("source") == "override" and "override_score" not in entry and (issue, cid) in overridden:
        o = overridden[(issue, cid)]
        row.update(override_score=o["score"], override_reason=o["reason"], agreed_by=o["agreed_by"])
    points = criterion.get("scale") or scale
    row["meaning"] = next((p["meaning"] for p in points if p["score"] == row["final_score"]), "")
    return row
