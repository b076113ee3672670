"""Render a sweep summary as a table, CSV, JSON or Markdown. Never prints."""

from __future__ import annotations

from typing import Any

from engine.csvfile import to_csv
from engine.numbers import number
from engine.report.markdown import md_table
from engine.report.mdtext import md_text
from engine.textwidth import fit_table, wrap, wrap_lines
from engine.whatif.sweep import Axis, Run, SweepResult

#: The key under a sweep's table is wrapped at this width when no width is given (``--wide``).
KEY_WIDTH = 104


def _axis(axis: Axis) -> str:
    values = axis.values
    step = values[1] - values[0] if len(values) > 1 else None
    span = f"{number(values[0])} to {number(values[-1])}" + (f" step {number(step)}" if step is not None else "")
    return f"{axis.parameter.text} = {span} ({len(values)} value{'s' if len(values) != 1 else ''})"


SHORT = {
    "baseline_total": "total",
    "baseline_priority": "priority",
    "priority_share": "share",
    "flip_by_score": "flip: score",
    "flip_by_threshold": "flip: threshold",
    "flip_by_cutoff": "flip: cutoff",
}


def rows(summary: SweepResult) -> list[dict[str, Any]]:
    """One row per case: baseline, share of scenarios as a priority, flip ranges, distance to flip."""
    result = summary.baseline
    valid = summary.valid
    out = []
    for i, distance, in_count in summary.cases():
        row: dict[str, Any] = {"issue_id": result.issue_ids[i]}
        if len(result.areas) > 1:
            row["area"] = result.area_of(i)
        row.update(
            {
                "baseline_total": number(result.total(i)),
                "baseline_priority": "yes" if result.priority[i] else "no",
                "priority_share": f"{100 * float(summary.share[i]):.1f}%",
                "priority_scenarios": f"{in_count} of {valid}",
            }
        )
        if summary.runs is not None:
            row["in"] = _ranges(summary.runs[i], True)
            row["out"] = _ranges(summary.runs[i], False)
        row["flip_by_score"] = distance.score.describe() if distance.score else "none"
        row["flip_by_threshold"] = distance.threshold.describe() if distance.threshold else "none"
        row["flip_by_cutoff"] = distance.cutoff.describe() if distance.cutoff else "none"
        out.append(row)
    return out


def _ranges(runs: list[Run], status: bool) -> str:
    parts = [
        number(r.first) if r.first == r.last else f"{number(r.first)} to {number(r.last)}"
        for r in runs
        if r.priority == status
    ]
    return "; ".join(parts) or "never"


def _header(summary: SweepResult) -> list[str]:
    result = summary.baseline
    lines = [f"Baseline: {result.rules.display} (cutoff {number(result.rules.priority.cutoff)})"]
    lines += [f"Sweep: {_axis(a)}" for a in summary.axes] or ["No --vary given: the rules as written only."]
    text = f"{summary.scenarios:,} scenario{'s' if summary.scenarios != 1 else ''}"
    if summary.skipped:
        text += (
            f"; {summary.skipped:,} skipped because the bands would overlap or leave a gap "
            f"(e.g. {summary.example_skipped})"
        )
    return lines + [text + "."]


def to_table(summary: SweepResult, width: int | None = None) -> str:
    """The sweep for a terminal, every line at most ``width`` columns (None: no limit): too wide, the table
    wraps its issue ids, else shows one record an issue."""
    table = rows(summary)
    columns = [c for c in table[0] if c != "priority_scenarios"]
    headers = [SHORT.get(c, c) for c in columns]
    out = _header(summary) + [""]
    cells = [[r[c] for c in columns] for r in table]
    out.append(fit_table(cells, headers, ["left"] * len(headers), width, wrapped=0).text)
    out += ["", f"Distinct priority lists: {len(summary.lists)}"]
    valid = summary.valid
    for ids, count in summary.lists[:10]:
        out.append(f"  {100 * count / valid:5.1f}%  {', '.join(ids) or '(none)'}")
    if len(summary.lists) > 10:
        out.append(f"  ... and {len(summary.lists) - 10} more")
    key = (
        "share: of the scenarios, how many make the issue a priority. in/out: the values over which it is in and "
        "out of the list. flip: for the rules as written, the nearest single change of each kind that adds or "
        "removes the issue (none: no such change does)."
    )
    out += ["", *wrap(key, width or KEY_WIDTH)]
    return wrap_lines("\n".join(out) + "\n", width)


def to_csv_text(summary: SweepResult) -> str:
    table = rows(summary)
    return to_csv(table, list(table[0]))


def to_markdown(summary: SweepResult) -> str:
    table = rows(summary)
    columns = list(table[0])
    out = [f"- {md_text(line)}" for line in _header(summary)] + [""]
    out.append(md_table(columns, ([r[c] for c in columns] for r in table)))
    out += ["", f"Distinct priority lists: {len(summary.lists)}", ""]
    return "\n".join(out) + "\n"
