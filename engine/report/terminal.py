"""The scoring table and priority list for a terminal: one table per area, after a county overview."""

from __future__ import annotations

from collections.abc import Callable

from engine.numbers import number, plural
from engine.report.shortnames import COMMON, COMMON_MEANING, legend, short_names
from engine.score.audit import Provenance, ScoreColumns, ScoreRow, draft_lines, score_columns, score_rows
from engine.score.scoring import Result
from engine.textwidth import fit_table, wrap, wrap_lines


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
    width: int | None = None,
) -> list[str]:
    """The priority list in rank order, with totals; or a line saying there are none.

    ``rows`` are the score rows to list (default: every row); ``area`` names their area, whose own limit applies;
    ``shown`` writes an issue's name in the output's format (Markdown escapes it); a long name is wrapped to
    ``width`` under itself (None: not wrapped).
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
        number_text = f"{bullet}{n}. "
        lines += wrap(f"{shown(str(r['issue']))} ({r['total']})", width, number_text, " " * len(number_text))
    return lines


def county_overview(result: Result, table: ScoreColumns | None = None, width: int | None = None) -> str:
    """Areas x issues: each total, marked * where the issue is a priority in that area.

    ``table`` is the result's scores table, when the caller has it already. Too wide for ``width``, issues are
    headed by short names, explained in a legend under the table.
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
    short = short_names(issues, ["area", "priorities"])
    headers = ["area", *issues, "priorities"]
    drawn = fit_table(cells, headers, align, width, short=["area", *short.values(), "prio"], wrapped=0)
    title = f"County overview: totals by area (* = a priority; cutoff {number(result.rules.priority.cutoff)})"
    text = f"{title}\n\n{drawn.text}"
    if drawn.short:
        named = [(short[i], result.rules.issues[i].name) for i in issues]
        text += "\n" + "\n".join(legend([*named, ("prio", "priorities")], width))
    return text


def table_columns(result: Result) -> tuple[list[str], list[str]]:
    """The scoring table's columns (each criterion, then each derived value) and their alignment."""
    scores = [*result.rules.criteria, *result.rules.derived]
    columns = ["rank", "issue_id", *scores, "total", "priority", "margin"]
    return columns, ["right", "left", *(["right"] * len(scores)), "right", "left", "right"]


def scoring_table(
    result: Result, cells: list[tuple[object, ...]], width: int | None, with_legend: bool = True
) -> list[str]:
    """The scoring table of ``cells`` (rows of :func:`table_columns`' columns) in ``width`` columns: with short
    headers and wrapped issue ids, and (``with_legend``) a legend, when the full table is too wide."""
    columns, align = table_columns(result)
    scores = [*result.rules.criteria, *result.rules.derived]
    short = short_names(scores, [*COMMON.values(), "issue_id"])
    headers = [COMMON.get(c, short.get(c, c)) for c in columns]
    drawn = fit_table(cells, columns, align, width, short=headers, wrapped=1)
    if not drawn.short or not with_legend:
        return [drawn.text]
    names = {
        **{c: k.name for c, k in result.rules.criteria.items()},
        **{d: v.name for d, v in result.rules.derived.items()},
    }
    return [drawn.text, *legend([*((short[c], names[c]) for c in scores), *COMMON_MEANING.items()], width)]


def area_tables(result: Result, table: ScoreColumns, width: int | None = None) -> list[str]:
    """Each area's scoring table and priority list, in the order the areas were scored (the short headers'
    legend under the first table only)."""
    columns, _ = table_columns(result)
    out: list[str] = []
    for n, (area, start, stop) in enumerate(table.area_rows()):
        cells = list(zip(*(table.columns[c][start:stop] for c in columns), strict=True))
        name = result.areas[area]
        out += [
            f"Area: {name}",
            *scoring_table(result, cells, width, with_legend=n == 0),
            "",
            *priority_lines(result, area=name, rows=table.rows(start, stop), width=width),
            "",
        ]
    return out


def to_table(result: Result, provenance: Provenance, width: int | None = None) -> str:
    """The scoring table and priority list for a terminal (one per area, after a county overview), every line
    at most ``width`` columns (None: no limit)."""
    table = score_columns(result)  # once: every area's rows are slices of it, so many areas stay linear
    if len(result.areas) > 1:
        out = heading(result)[:1] + [f"{plural(len(result.areas), 'area')}. Rules: {result.rules.display}", ""]
        out += [*draft_lines(result), county_overview(result, table, width), ""]
        out += area_tables(result, table, width)
        out.append(f"Why a score? cspscore explain {result.rules.display} ISSUE_ID --area AREA")
        out.append(f"Engine {provenance.engine_version}; rules SHA-256 {provenance.rules_sha256[:16]}...")
        return wrap_lines("\n".join(out) + "\n", width)
    columns, _ = table_columns(result)
    cells = list(zip(*(table.columns[c] for c in columns), strict=True))
    out = heading(result) + [""]
    if result.draft:
        out += [*draft_lines(result), ""]
    out += scoring_table(result, cells, width)
    out.append("")
    out.extend(priority_lines(result, rows=table.rows(), width=width))
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
    return wrap_lines("\n".join(out) + "\n", width)
