"""A result as one Markdown document: scores, priorities, scale, draft text, audit and provenance."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from engine.report.terminal import heading, priority_lines
from engine.score.audit import Provenance, audit_rows, draft_lines, score_rows
from engine.score.scoring import Result


def _md_escape(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def md_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(_md_escape(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def to_markdown(result: Result, provenance: Provenance, drafts: list[Any] | None = None) -> str:
    """Scores, priorities, scale legend (with each criterion's own scale), draft text (when given), audit and
    provenance as one Markdown document."""
    rules = result.rules
    names = {cid: c.name for cid, c in rules.criteria.items()} | {did: d.name for did, d in rules.derived.items()}
    out = [f"# {rules.assessment.title}: {rules.assessment.partnership}", "", heading(result)[1], ""]
    draft = draft_lines(result)
    if draft:
        out += [f"**{_md_escape(draft[0])}**", "", *(f"- {_md_escape(line.strip())}" for line in draft[1:]), ""]
    out += ["## Scores", ""]
    columns = ["Rank", "Issue", *names.values(), "Total", "Priority"]
    out.append(
        md_table(
            columns,
            ([r["rank"], r["issue"], *(r[c] for c in names), r["total"], r["priority"]] for r in score_rows(result)),
        )
    )
    out += ["", "## Priorities", ""] + priority_lines(result, bullet="")[1:] + [""]
    out += ["## Scale", ""] + [f"- **{p.score}**: {p.meaning}" for p in rules.scale] + [""]
    for cid, criterion in rules.criteria.items():
        if criterion.scale:
            out += [f"{criterion.name} (`{cid}`) has its own scale:", ""]
            out += [f"- **{p.score}**: {p.meaning}" for p in criterion.scale] + [""]
    if drafts:
        from engine.report.narrative import DRAFT_LABEL

        out += ["## Priority ranking: draft text", "", f"> **{DRAFT_LABEL}**", ""]
        for draft in drafts:
            out += [f"### {draft.title}", "", draft.text, ""]
    out += ["## Audit", ""]
    audit_columns = [
        "issue_id",
        "criterion_id",
        "source",
        "inputs",
        "calculation",
        "band",
        "rule_score",
        "final_score",
        "rationale",
        "override_reason",
    ]
    out.append(md_table(audit_columns, ([row[c] for c in audit_columns] for row in audit_rows(result))))
    out += ["", "## Provenance", ""]
    out.append(md_table(["item", "value"], ([r["item"], r["value"]] for r in provenance.rows())))
    return "\n".join(out) + "\n"
