"""Render a result as a terminal table, CSV, JSON or Markdown. Returns text; never prints.

CSV cells that came from rule or data files and start with ``= + - @`` (or a
tab or carriage return) are prefixed with ``'`` so a spreadsheet shows them as
text instead of running them as formulas. Plain numbers are left alone.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from engine.numbers import number
from engine.score.audit import AUDIT_COLUMNS, Provenance, audit_rows, score_rows
from engine.score.scoring import Result

FORMATS = ("table", "csv", "json", "markdown")
_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")
_RISKY = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A cell value that a spreadsheet cannot mistake for a formula."""
    if isinstance(value, str) and value.startswith(_RISKY) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    """Rows as CSV text (UTF-8, comma-separated, header first, ``\\n`` line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c, "")) for c in columns])
    return buffer.getvalue()


def score_columns(result: Result) -> list[str]:
    area = ["area"] if len(result.areas) > 1 else []
    return [*area, "issue_id", "issue", *result.rules.criteria, "total", "rank", "priority", "margin"]


def csv_files(result: Result, provenance: Provenance) -> dict[str, str]:
    """The three tables as CSV files: ``scores.csv``, ``audit.csv``, ``provenance.csv``."""
    return {
        "scores.csv": to_csv(score_rows(result), score_columns(result)),
        "audit.csv": to_csv(audit_rows(result), (["area"] if len(result.areas) > 1 else []) + list(AUDIT_COLUMNS)),
        "provenance.csv": to_csv(provenance.rows(), ["item", "value"]),
    }


def to_json(result: Result, provenance: Provenance) -> str:
    """Everything in one JSON document (keys in a fixed order, UTF-8, 2-space indent)."""
    rules = result.rules
    a = rules.assessment
    document = {
        "assessment": {k: v for k, v in vars(a).items() if v is not None},
        "scale": [{"score": p.score, "meaning": p.meaning} for p in rules.scale],
        "criteria": [{"id": c.id, "name": c.name, "metric": c.metric} for c in rules.criteria.values()],
        "total": rules.total.describe(),
        "cutoff": number(rules.priority.cutoff),
        "max_priorities": rules.priority.max_priorities,
        "priorities": [r["issue_id"] for r in score_rows(result) if r["priority"] == "yes"],
        "scores": score_rows(result),
        "audit": audit_rows(result),
        "provenance": provenance.as_dict(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def heading(result: Result) -> list[str]:
    a = result.rules.assessment
    where = f"Area {a.area}, " if a.area else ""
    return [f"{a.partnership}: {a.title}", f"{where}{a.period}. Rules: {result.rules.display}"]


def priority_lines(result: Result, bullet: str = "  ") -> list[str]:
    """The priority list in rank order, with totals; or a line saying there are none."""
    rows = score_rows(result)
    chosen = [r for r in rows if r["priority"] == "yes"]
    cutoff = number(result.rules.priority.cutoff)
    limit = result.rules.priority.max_priorities
    rule = f"total >= {cutoff}" + (f", at most {limit}" if limit else "")
    lines = [f"Priorities ({rule}): {len(chosen)} of {len(rows)} issues"]
    if not chosen:
        lines.append(f"{bullet}none")
    for n, r in enumerate(chosen, start=1):
        lines.append(f"{bullet}{n}. {r['issue']} ({r['total']})")
    return lines


def county_overview(result: Result) -> str:
    """Areas x issues: each total, marked * where the issue is a priority in that area."""
    from tabulate import tabulate

    issues = list(result.rules.issues)
    cell = {
        (r["area"], r["issue_id"]): f"{r['total']}{'*' if r['priority'] == 'yes' else ''}" for r in score_rows(result)
    }
    counts = {a: sum(1 for i in issues if cell[(a, i)].endswith("*")) for a in result.areas}
    rows = [[a, *(cell[(a, i)] for i in issues), counts[a]] for a in result.areas]
    align = ["left", *(["right"] * (len(issues) + 1))]
    table = tabulate(
        rows, headers=["area", *issues, "priorities"], tablefmt="simple", disable_numparse=True, colalign=align
    )
    return f"County overview: totals by area (* = a priority; cutoff {number(result.rules.priority.cutoff)})\n\n{table}"


def to_table(result: Result, provenance: Provenance) -> str:
    """The scoring table and priority list for a terminal (one per area, after a county overview)."""
    from tabulate import tabulate

    if len(result.areas) > 1:
        out = heading(result)[:1] + [f"{len(result.areas)} areas. Rules: {result.rules.display}", ""]
        out += [county_overview(result), ""]
        columns = ["rank", "issue_id", *result.rules.criteria, "total", "priority", "margin"]
        align = ["right", "left", *(["right"] * len(result.rules.criteria)), "right", "left", "right"]
        for area in result.areas:
            rows = [[r[c] for c in columns] for r in score_rows(result) if r["area"] == area]
            out += [
                f"Area: {area}",
                tabulate(rows, headers=columns, tablefmt="simple", disable_numparse=True, colalign=align),
                "",
            ]
        out.append(f"Why a score? cspscore explain {result.rules.display} ISSUE_ID --area AREA")
        out.append(f"Engine {provenance.engine_version}; rules SHA-256 {provenance.rules_sha256[:16]}...")
        return "\n".join(out) + "\n"
    columns = ["rank", "issue_id", *result.rules.criteria, "total", "priority", "margin"]
    rows = [[r[c] for c in columns] for r in score_rows(result)]
    out = heading(result) + [""]
    align = ["right", "left", *(["right"] * len(result.rules.criteria)), "right", "left", "right"]
    out.append(tabulate(rows, headers=columns, tablefmt="simple", disable_numparse=True, colalign=align))
    out.append("")
    out.extend(priority_lines(result))
    out.append("")
    out.append(
        f"Scale: {', '.join(f'{p.score} {p.meaning}' for p in result.rules.scale)}. "
        f"Total: {result.rules.total.describe()}."
    )
    out.append(f"Why a score? cspscore explain {result.rules.display} ISSUE_ID")
    out.append(f"Engine {provenance.engine_version}; rules SHA-256 {provenance.rules_sha256[:16]}...")
    return "\n".join(out) + "\n"


def _md_escape(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def md_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(_md_escape(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def to_markdown(result: Result, provenance: Provenance, drafts: list[Any] | None = None) -> str:
    """Scores, priorities, scale legend, draft text (when given), audit and provenance as one Markdown document."""
    rules = result.rules
    names = {cid: c.name for cid, c in rules.criteria.items()}
    out = [f"# {rules.assessment.title}: {rules.assessment.partnership}", "", heading(result)[1], ""]
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
