"""The ``explain`` trace of one issue as values a page lays out (the text trace is :mod:`engine.checks.explain`).

Same content as ``cspscore explain``: the assessment and scale, the data rows used (each with its file and
line), then criterion by criterion the score and how it was reached (inputs and the rows they came from, the
working, every band with the one that matched marked in words, judgements and overrides with rationale, evidence
and who agreed), derived values, and the total against the cutoff with rank and ties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from engine.checks.explain import total_working, verdict  # the text trace's own wording, shared
from engine.load.model import DataCriterion
from engine.numbers import number
from engine.report.headings import heading
from engine.score.audit import audit_columns, data_rows_of
from engine.score.scoring import DATA, JUDGEMENT, NO_VALUE, OVERRIDE, PENDING, Result
from engine.score.workings import derived_working

#: How a score was set, in words.
HOW = {
    DATA: "from the data",
    NO_VALUE: "from the data (no value)",
    JUDGEMENT: "by judgement",
    OVERRIDE: "by override",
    PENDING: "to be agreed (draft)",
}
_ROW = re.compile(r"(.+?) row (\d+)$")


@dataclass
class SourceRow:
    """A data row a value was read from: its file and line (the data page's anchor is ``FILE-LINE``)."""

    file: str
    line: int

    @property
    def anchor(self) -> str:
        return f"{self.file}-{self.line}"


@dataclass
class BandLine:
    label: str
    score: Any
    matched: bool


@dataclass
class CriterionTrace:
    id: str
    name: str
    score: str
    meaning: str
    how: str
    source: str
    scale: str = ""
    metric: str = ""
    inputs: str = ""
    rows: list[SourceRow] = field(default_factory=list)
    working: str = ""
    band: str = ""
    rule_score: str = ""
    bands: list[BandLine] = field(default_factory=list)
    rationale: str = ""
    evidence: str = ""
    override: str = ""
    override_reason: str = ""
    agreed_by: str = ""
    needed: str = ""


@dataclass
class IssueTrace:
    issue_id: str
    name: str
    area: str | None
    total: str
    draft: bool
    priority: bool
    data_file: str | None
    data_columns: list[tuple[str, str]]  # (column id, heading)
    data_rows: list[SourceRow | Any]  # (SourceRow, cells)
    criteria: list[CriterionTrace]
    derived: list[tuple[str, str]]
    total_working: str
    verdict: str


def source_rows(text: str) -> list[SourceRow]:
    """``data/crime.csv row 2; data/population.csv row 2`` as rows."""
    found = []
    for part in str(text).split("; "):
        match = _ROW.match(part.strip())
        if match:
            found.append(SourceRow(match.group(1), int(match.group(2))))
    return found


def issue_trace(result: Result, i: int) -> IssueTrace:
    """Case ``i``'s whole trace."""
    rules = result.rules
    issue = rules.issues[result.issue_ids[i]]
    audit = audit_columns(result, [i])
    data = data_rows_of(result, [i])[0]
    draft = any(o.source[i] == PENDING for o in result.outcomes.values())
    criteria = []
    for cid, outcome in result.outcomes.items():
        row = audit.row(cid, 0)
        criterion = outcome.criterion
        source = outcome.source[i]
        final = "to be agreed" if source == PENDING else str(result.score(cid, i))
        meaning = "" if source == PENDING else rules.meaning(result.score(cid, i), cid)
        c = CriterionTrace(cid, criterion.name, final, meaning, HOW[source], source)
        if criterion.scale and criterion.scale != rules.scale:
            c.scale = ", ".join(f"{p.score} = {p.meaning}" for p in criterion.scale)
        if source in (DATA, NO_VALUE, OVERRIDE) and isinstance(criterion, DataCriterion):
            c.metric = f"{row['metric']} = {row['formula']}"
            c.inputs = str(row["inputs"])
            c.rows = source_rows(str(row["source_rows"]))
            c.working = str(row["calculation"])
            c.band = str(row["band"])
            c.rule_score = "no value" if row["rule_score"] == "" else str(row["rule_score"])
            c.bands = [BandLine(b.label, b.score, b.label == row["band"]) for b in criterion.bands]
        if source == OVERRIDE:
            c.override = str(row["override_score"])
            c.override_reason = str(row["override_reason"])
            c.agreed_by = str(row["agreed_by"])
        if source == JUDGEMENT:
            c.rationale = str(row["rationale"])
            c.evidence = str(row["evidence"])
        if source == PENDING and row["rationale"]:
            c.needed = str(row["rationale"])
        criteria.append(c)
    derived = [
        (d.name, "to be agreed (it reads scores still to be agreed)" if draft else derived_working(result, did, i))
        for did, d in rules.derived.items()
    ]
    return IssueTrace(
        issue_id=issue.id,
        name=issue.name,
        area=result.area_of(i),
        total=number(result.total(i)) + (f" to {number(result.total_max(i))}" if draft else ""),
        draft=draft,
        priority=bool(result.priority[i]),
        data_file=data.file if data else None,
        data_columns=[(c, heading(c)) for c in data.columns] if data else [],
        data_rows=[(SourceRow(data.file, line), cells) for line, cells in data.rows] if data else [],
        criteria=criteria,
        derived=derived,
        total_working=total_working(result, i),
        verdict=verdict(result, i),
    )
