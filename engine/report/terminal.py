"""The scoring table and priority list for a terminal: one table per area, after a county overview."""

from __future__ import annotations

from collections.abc import Callable

from engine.numbers import number, plural
from engine.plaintable import simple_table
from engine.score.audit import Provenance, ScoreColumns, ScoreRow, draft_lines, score_columns, score_rows
from engine.score.scoring import Result


def heading(result: Result) -> list[str]:
    a = result.rules.assessment
    where = f"Area {a.area}, " if a.area else ""
    return [f"{a.partnership}: {a.title}", f"{where}{a.period}. Rules: {result.rules.display}"]


def priority_lines(
    result: Result,
    bullet: str = "  ",
    area: str | None = None,
    rows: list[ScoreRow] | None = None,
    shown: Callable[[str], str] = str,
) -> list[str]:
    """The priority list in rank order, with totals; or a line saying there are none.

    ``rows`` are the score rows to list (default: every row); ``area`` names their area, whose own limit applies;
    ``shown`` writes an issue's name in the output's format (Markdown escapes it).
    """
    rows = score_rows(result) if rows is None else rows
    chosen = [r for r in rows if r["priority"] in ("yes", "yes (draft)")]
    cutoff = number(result.rules.priority.cutoff)
    limit = result.rules.priority.limit_for(area)
    rule = f"total >= {cutoff}" + (f", at most {limit}" if limit else "")
    lines = [f"Priorities ({rule}): {len(chosen)} of {plural(len(rows), 'issue')}"]
    undecided = sum(1 for r in rows if str(r["priority"]).startswith("undecided"))
    if undecided:
        lines[0] += f" so far; {undecided} undecided until the scores to be agreed are agreed (DRAFT)"
    if not chosen:
        lines.append(f"{bullet}none")
    for n, r in enumerate(chosen, start=1):
        lines.append(f"{bullet}{n}. {shown(str(r['issue']))} ({r['total']})")
    return lines


def county_overview(result: Result, table: ScoreColumns | None = None) -> str:
    """Areas x issues: each total, marked * where the issue is a priority in that area.

    ``table`` is the result's scores table, when the caller has it already.
    """
    table = score_columns(result) if table is None else table
    issues = list(result.rules.issues)
    cells: list[list[str]] = [[str(a), *([""] * len(issues)), "0"] for a in result.areas]
    place = {issue: k for k, issue in enumerate(issues, start=1)}
    columns = table.columns
    for area, issue, total, priority in zip(
        table.area_of_row, columns["issue_id"], columns["total"], columns["priority"], strict=True
    ):
        chosen = priority == "yes"
        cells[area][place[str(issue)]] = f"{total}*" if chosen else str(total)
        if chosen:
            cells[area][-1] = str(int(cells[area][-1]) + 1)
    align = ["left", *(["right"] * (len(issues) + 1))]
    drawn = simple_table(cells, ["area", *issues, "priorities"], align)
    return f"County overview: totals by area (* = a priority; cutoff {number(result.rules.priority.cutoff)})\n\n{drawn}"


def table_columns(result: Result) -> tuple[list[str], list[str]]:
    """The scoring table's columns (each criterion, then each derived value) and their alignment."""
    scores = [*result.rules.criteria, *result.rules.derived]
    columns = ["rank", "issue_id", *scores, "total", "priority", "margin"]
    return columns, ["right", "left", *(["right"] * len(scores)), "right", "left", "right"]


def area_tables(result: Result, table: ScoreColumns) -> list[str]:
    """Each area's scoring table and priority list, in the order the areas were scored."""
    columns, align = table_columns(result)
    out: list[str] = []
    for area, start, stop in table.area_rows():
        cells = list(zip(*(table.columns[c][start:stop] for c in columns), strict=True))
        name = result.areas[area]
        out += [
            f"Area: {name}",
            simple_table(cells, columns, align),
            "",
            *priority_lines(result, area=name, rows=table.rows(start, stop)),
            "",
        ]
    return out


def to_table(result: Result, provenance: Provenance) -> str:
    """The scoring table and priority list for a terminal (one per area, after a county overview)."""
    table = score_columns(result)  # once: every area's rows are slices of it, so many areas stay linear
    if len(result.areas) > 1:
        out = heading(result)[:1] + [f"{plural(len(result.areas), 'area')}. Rules: {result.rules.display}", ""]
        out += [*draft_lines(result), county_overview(result, table), ""]
        out += area_tables(result, table)
        out.append(f"Why a score? cspscore explain {result.rules.display} ISSUE_ID --area AREA")
        out.append(f"Engine {provenance.engine_version}; rules SHA-256 {provenance.rules_sha256[:16]}...")
        return "\n".join(out) + "\n"
    columns, align = table_columns(result)
    cells = list(zip(*(table.columns[c] for c in columns), strict=True))
    out = heading(result) + [""]
    if result.draft:
        out += [*draft_lines(result), ""]
    out.append(simple_table(cells, columns, align))
    out.append("")
    out.extend(priority_lines(result, rows=table.rows()))
    out.append("")
    out.append(
        f"Scale: {', '.join(f'{p.score} {p.meaning}' for p in result.rules.scale)}. "
        f"Total: {result.rules.total.describe()}."
    )
    for cid, criterion in result.rules.criteria.items():
        if criterion.scale:  # a criterion on its own scale says so under the assessment's
            out.append(f"Scale of {cid}: {', '.join(f'{p.score} {p.meaning}' for p in criterion.scale)}.")
    out.append(f"Why a score? cspscore explain {result.rules.display} ISSUE_ID")
    out.append(f"Engine {provenance.engine_version}; rules SHA-256 {provenance.rules_sha256[:16]}...")
    return "\n".join(out) + "\n"
