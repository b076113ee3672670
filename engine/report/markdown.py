"""A result as one Markdown document: scores, priorities, scale, draft text, audit and provenance.

Two parts, each under its own ``##`` headings and in this order: the summary an officer pastes into the
Strategic Assessment (scores as Table 6, priorities, the scale, the draft text), then the audit (one row per
issue and criterion: source, inputs, working, band, scores, the judgement's rationale and evidence, the
override's reason and who agreed it) and the provenance. ``part`` writes one of them alone
(:mod:`engine.report.parts`).

With several areas: an overview (totals by area and issue, priorities marked ``*``; each area's priority list),
each area's name linking to its own section (an explicit ``<a id>`` anchor, the same ids as the HTML report)
with its scores, priorities and drafts; then the scale, the audit of every area (an ``area`` column first) and
the provenance once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from engine.load.model import Publication
from engine.numbers import number, plural
from engine.report.html_overview import area_anchors
from engine.report.mdtext import Markup, md_cell, md_text
from engine.report.parts import PART_NOTE, has_audit, has_summary
from engine.report.public import public_audit, version_line
from engine.report.terminal import heading, priority_lines
from engine.score.audit import Provenance, ScoreColumns, audit_columns, draft_lines, score_columns
from engine.score.scoring import Result

AUDIT_SHOWN = [
    "issue_id",
    "criterion_id",
    "source",
    "inputs",
    "calculation",
    "band",
    "rule_score",
    "final_score",
    "rationale",
    "evidence",
    "override_reason",
    "agreed_by",
]


def md_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown table; every header and cell is made inert with :func:`engine.report.mdtext.md_cell` (on one
    line, every active character escaped) unless it is :class:`~engine.report.mdtext.Markup` already."""
    lines = ["| " + " | ".join(md_cell(c) for c in columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join([md_cell(v) for v in row]) + " |" for row in rows]
    return "\n".join(lines)


def to_markdown(
    result: Result,
    provenance: Provenance,
    drafts: list[Any] | None = None,
    part: str = "all",
    publication: Publication | None = None,
) -> str:
    """Scores, priorities, scale legend (with each criterion's own scale), draft text (when given), audit and
    provenance as one Markdown document; ``part`` (:mod:`engine.report.parts`) keeps the summary (up to the
    drafts) or the audit and provenance alone; ``publication``: the public version (:mod:`engine.report.public`).
    """
    rules = result.rules
    several = len(result.areas) > 1
    out = [f"# {md_text(rules.assessment.title)}: {md_text(rules.assessment.partnership)}", ""]
    draft = draft_lines(result)
    if draft:
        out += [f"**{md_text(draft[0])}**", "", *(f"- {md_text(line)}" for line in draft[1:]), ""]
    if part in PART_NOTE:
        out += [f"_{md_text(PART_NOTE[part])}_", ""]
    if rules.publication is not None:
        out += [f"_{md_text(version_line(publication))}_", ""]
    if has_summary(part):
        out += _summary(result, drafts)
    elif several:
        out += [
            f"{plural(len(result.areas), 'area')}, {md_text(rules.assessment.period)}. Rules: {md_text(rules.display)}",
            "",
        ]
    else:
        out += [md_text(heading(result)[1]), ""]
    if has_audit(part):
        out += ["## Audit", ""]
        columns = audit_columns(result)
        audit = (columns if publication is None else public_audit(result, columns, publication)).table()
        shown = (["area"] if several else []) + AUDIT_SHOWN
        out.append(md_table(shown, zip(*(audit[c] for c in shown), strict=True)))
        out += ["", "## Provenance", ""]
        out.append(md_table(["item", "value"], ([r["item"], r["value"]] for r in provenance.rows())))
        out.append("")
    return "\n".join(out)


def _summary(result: Result, drafts: list[Any] | None) -> list[str]:
    """The paste-ready part: scores, priorities (each area's, with several), the scales and the drafts."""
    rules = result.rules
    table = score_columns(result)
    several = len(result.areas) > 1
    out: list[str] = []
    if several:
        period, display = md_text(rules.assessment.period), md_text(rules.display)
        out += [f"{plural(len(result.areas), 'area')}, {period}. Rules: {display}", ""]
        out += _areas(result, table, drafts or [])
    else:
        out += [md_text(heading(result)[1]), ""]
        out += ["## Scores", "", _scores(result, table, 0, len(table.cases)), ""]
        out += ["## Priorities", ""] + priority_lines(result, bullet="", rows=table.rows(), shown=md_text)[1:] + [""]
    out += ["## Scale", ""] + [f"- **{p.score}**: {md_text(p.meaning)}" for p in rules.scale] + [""]
    for cid, criterion in rules.criteria.items():
        if criterion.scale:
            out += [f"{md_text(criterion.name)} (`{cid}`) has its own scale:", ""]
            out += [f"- **{p.score}**: {md_text(p.meaning)}" for p in criterion.scale] + [""]
    if drafts and not several:
        out += _drafts(drafts, "##")
    return out


def _scores(result: Result, table: ScoreColumns, start: int, stop: int) -> str:
    """Rows ``start`` to ``stop`` of the scores table, with the criteria and derived values by name."""
    rules = result.rules
    names = {cid: c.name for cid, c in rules.criteria.items()} | {did: d.name for did, d in rules.derived.items()}
    columns = ["rank", "issue", *names, "total", "priority"]
    cells = zip(*(table.columns[c][start:stop] for c in columns), strict=True)
    return md_table(["Rank", "Issue", *names.values(), "Total", "Priority"], cells)


def _drafts(drafts: list[Any], level: str) -> list[str]:
    from engine.report.narrative import DRAFT_LABEL

    out = [f"{level} Priority ranking: draft text", "", f"> **{DRAFT_LABEL}**", ""]
    for draft in drafts:
        out += [f"{level}# {md_text(draft.title)}", "", md_text(draft.text), ""]
    return out


def _areas(result: Result, table: ScoreColumns, drafts: list[Any]) -> list[str]:
    """The overview of every area, then each area's own section."""
    rules = result.rules
    anchors = area_anchors(result.areas)
    issues = list(rules.issues.values())
    place = {issue.id: k for k, issue in enumerate(issues)}
    cells = [[Markup(f"[{md_cell(a)}](#{anchors[k]})"), *([""] * len(issues))] for k, a in enumerate(result.areas)]
    chosen: list[list[str]] = [[] for _ in result.areas]
    columns = table.columns
    for row_area, issue, total, priority in zip(
        table.area_of_row, columns["issue_id"], columns["total"], columns["priority"], strict=True
    ):
        mark = "\\*" if priority == "yes" else ""
        cells[row_area][1 + place[str(issue)]] = Markup(f"{md_cell(total)}{mark}")
        if mark:
            chosen[row_area].append(f"{md_cell(rules.issues[str(issue)].name)} ({total})")
    out = ["## Every area at a glance", ""]
    cutoff = number(rules.priority.cutoff)
    out += [f"Each issue's total in each area; \\* marks a priority there (cutoff {cutoff}).", ""]
    rows = ([*c, len(chosen[k])] for k, c in enumerate(cells))
    out.append(md_table(["Area", *(i.name for i in issues), "Priorities"], rows))
    out += ["", "## Each area's priorities", ""]
    for k, name in enumerate(result.areas):
        listed = "; ".join(f"{n}. {issue}" for n, issue in enumerate(chosen[k], start=1)) or "none"
        out.append(f"- [{md_cell(name)}](#{anchors[k]}): {listed}")
    out.append("")
    drafted: dict[str | None, list[Any]] = {}
    for draft in drafts:
        drafted.setdefault(draft.area, []).append(draft)
    for k, start, stop in table.area_rows():
        name = result.areas[k]
        out += [f'<a id="{anchors[k]}"></a>', "", f"## {md_text(name)}", ""]
        out += ["### Scores", "", _scores(result, table, start, stop), ""]
        out += ["### Priorities", ""]
        out += priority_lines(result, bullet="", area=name, rows=table.rows(start, stop), shown=md_text)[1:] + [""]
        if drafted.get(name):
            out += _drafts(drafted[str(name)], "###")
    return out
