"""The scoring table and priority list for a terminal: one table per area, after a county overview."""

from __future__ import annotations

from engine.numbers import number, plural
from engine.score.audit import Provenance, ScoreRow, draft_lines, score_rows
from engine.score.scoring import Result


def heading(result: Result) -> list[str]:
    a = result.rules.assessment
    where = f"Area {a.area}, " if a.area else ""
    return [f"{a.partnership}: {a.title}", f"{where}{a.period}. Rules: {result.rules.display}"]


def priority_lines(
    result: Result, bullet: str = "  ", area: str | None = None, rows: list[ScoreRow] | None = None
) -> list[str]:
    """The priority list in rank order, with totals; or a line saying there are none.

    ``rows`` are the score rows to list (default: every row); ``area`` names their area, whose own limit applies.
    """
    rows = score_rows(result) if rows is None else rows
    chosen = [r for r in rows if r["priority"] == "yes"]
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
        lines.append(f"{bullet}{n}. {r['issue']} ({r['total']})")
    return lines


def county_overview(result: Result) -> str:
    """Areas x issues: each total, marked * where the issue is a priority in that area."""
    from tabulate import tabulate

    issues = list(result.rules.issues)
    areas = [str(a) for a in result.areas]
    cell = {
        (str(r["area"]), str(r["issue_id"])): f"{r['total']}{'*' if r['priority'] == 'yes' else ''}"
        for r in score_rows(result)
    }
    counts = {a: sum(1 for i in issues if cell[(a, i)].endswith("*")) for a in areas}
    rows = [[a, *(cell[(a, i)] for i in issues), counts[a]] for a in areas]
    align = ["left", *(["right"] * (len(issues) + 1))]
    table = tabulate(
        rows, headers=["area", *issues, "priorities"], tablefmt="simple", disable_numparse=True, colalign=align
    )
    return f"County overview: totals by area (* = a priority; cutoff {number(result.rules.priority.cutoff)})\n\n{table}"


def _columns(result: Result) -> tuple[list[str], list[str]]:
    """The scoring table's columns (each criterion, then each derived value) and their alignment."""
    scores = [*result.rules.criteria, *result.rules.derived]
    columns = ["rank", "issue_id", *scores, "total", "priority", "margin"]
    return columns, ["right", "left", *(["right"] * len(scores)), "right", "left", "right"]


def to_table(result: Result, provenance: Provenance) -> str:
    """The scoring table and priority list for a terminal (one per area, after a county overview)."""
    from tabulate import tabulate

    if len(result.areas) > 1:
        out = heading(result)[:1] + [f"{plural(len(result.areas), 'area')}. Rules: {result.rules.display}", ""]
        out += [*draft_lines(result), county_overview(result), ""]
        columns, align = _columns(result)
        by_area: dict[object, list[ScoreRow]] = {}
        for r in score_rows(result):  # once: rebuilding them per area made many areas quadratic
            by_area.setdefault(r["area"], []).append(r)
        for area in result.areas:
            rows = by_area.get(area, [])
            table = [[r[c] for c in columns] for r in rows]
            out += [
                f"Area: {area}",
                tabulate(table, headers=columns, tablefmt="simple", disable_numparse=True, colalign=align),
                "",
                *priority_lines(result, area=area, rows=rows),
                "",
            ]
        out.append(f"Why a score? cspscore explain {result.rules.display} ISSUE_ID --area AREA")
        out.append(f"Engine {provenance.engine_version}; rules SHA-256 {provenance.rules_sha256[:16]}...")
        return "\n".join(out) + "\n"
    columns, align = _columns(result)
    cells = [[r[c] for c in columns] for r in score_rows(result)]
    out = heading(result) + [""]
    if result.draft:
        out += [*draft_lines(result), ""]
    out.append(tabulate(cells, headers=columns, tablefmt="simple", disable_numparse=True, colalign=align))
    out.append("")
    out.extend(priority_lines(result))
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
