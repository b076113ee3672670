"""Render comparisons (what-if variants, year-on-year) as a table, CSV, JSON or Markdown. Never prints."""

from __future__ import annotations

from typing import Any

from engine.csvfile import to_csv
from engine.numbers import number
from engine.report.markdown import md_table
from engine.report.mdtext import Markup, md_cell, md_text
from engine.whatif.comparison import Comparison, IssueComparison

MARK = {"enters": "ENTERS", "leaves": "LEAVES", "new": "NEW", "dropped": "DROPPED"}


def _arrow(before: Any, after: Any) -> str:
    show = lambda v: "-" if v is None else (number(v) if not isinstance(v, bool) else ("yes" if v else "no"))
    return show(after) if before == after else f"{show(before)} -> {show(after)}"


def _priority(issue: IssueComparison) -> str:
    text = _arrow(issue.priority_before, issue.priority_after)
    return f"{text} {MARK[issue.status]}" if issue.status in MARK else text


def _header(comparisons: list[Comparison], labels: list[str]) -> list[str]:
    base = comparisons[0].before
    first = comparisons[0].labels[0]
    lines = [f"{first}: {base.rules.display} (cutoff {number(base.rules.priority.cutoff)})"]
    for label, comparison in zip(labels, comparisons, strict=True):
        lines.append(f"{label}: {comparison.name}")
        lines.extend(f"     {change}" for change in comparison.changes)
    return lines


def to_table(comparisons: list[Comparison]) -> str:
    """One comparison in full (every criterion), or several side by side (totals and priorities)."""
    if len(comparisons) == 1:
        return _in_full(comparisons[0])
    return _side_by_side(comparisons)


def _in_full(comparison: Comparison) -> str:
    """Every criterion of every issue, before -> after, then what drove the changes."""
    from tabulate import tabulate

    columns = ["", "issue_id", *comparison.criteria, "total", "priority"]
    rows = [
        [
            "*" if i.changed else "",
            i.label,
            *(_arrow(c.before, c.after) for c in i.criteria),
            _arrow(i.total_before, i.total_after),
            _priority(i),
        ]
        for i in comparison.issues
    ]
    align = ["left", "left", *(["right"] * len(comparison.criteria)), "right", "left"]
    out = _header([comparison], [comparison.labels[1]]) + [""]
    out.append(tabulate(rows, headers=columns, tablefmt="simple", disable_numparse=True, colalign=align))
    out += ["", "* changed", comparison.summary()]
    drivers = [f"  {i.label}: " + "; ".join(c.describe() for c in i.drivers) for i in comparison.issues if i.drivers]
    if drivers:
        out += ["What drove the changes:"] + drivers
    return "\n".join(out) + "\n"


def _side_by_side(comparisons: list[Comparison]) -> str:
    """Each issue's total and priority in the baseline and in each variant (A, B, ...), changed issues first."""
    from tabulate import tabulate

    labels = [chr(ord("A") + n) for n in range(len(comparisons))]
    out = _header(comparisons, labels) + [""]
    changed = {i.label for c in comparisons for i in c.issues if i.changed}
    ids = [i.label for i in comparisons[0].issues]
    ordered = [i for i in ids if i in changed] + [i for i in ids if i not in changed]
    by_id = [{i.label: i for i in c.issues} for c in comparisons]
    rows = [_side_by_side_row(issue_id, issue_id in changed, by_id) for issue_id in ordered]
    columns = ["", "issue_id", "baseline", *labels]
    out.append(tabulate(rows, headers=columns, tablefmt="simple", disable_numparse=True))
    out += ["", "* changed in at least one scenario; cells show total and priority"]
    out += [f"{label}: {c.summary()}" for label, c in zip(labels, comparisons, strict=True)]
    return "\n".join(out) + "\n"


def _side_by_side_row(issue_id: str, changed: bool, by_id: list[dict[str, IssueComparison]]) -> list[str]:
    """An issue's mark and id, its baseline total and priority, then its total and priority in each variant."""
    first = by_id[0][issue_id]
    baseline = f"{number(first.total_before)} {_yes(first.priority_before)}"
    return ["*" if changed else "", issue_id, baseline, *(_variant_cell(found[issue_id]) for found in by_id)]


def _variant_cell(issue: IssueComparison) -> str:
    cell = f"{number(issue.total_after)} {_yes(issue.priority_after)}"
    return cell + (f" {MARK[issue.status]}" if issue.status in MARK else "")


def _yes(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def rows(comparisons: list[Comparison]) -> list[dict[str, Any]]:
    """One row per variant and issue, for CSV and JSON."""
    out = []
    for comparison in comparisons:
        for issue in comparison.issues:
            row: dict[str, Any] = {"variant": comparison.name}
            if issue.area is not None:
                row["area"] = issue.area
            row |= {
                "issue_id": issue.issue_id,
                "issue": issue.name,
                "status": issue.status,
                "changed": "yes" if issue.changed else "no",
                "total_before": number(issue.total_before),
                "total_after": number(issue.total_after),
                "priority_before": _yes(issue.priority_before),
                "priority_after": _yes(issue.priority_after),
            }
            for c in issue.criteria:
                row[f"{c.criterion_id}_before"] = "" if c.before is None else c.before
                row[f"{c.criterion_id}_after"] = "" if c.after is None else c.after
            row["drivers"] = "; ".join(c.describe() for c in issue.drivers)
            out.append(row)
    return out


def to_csv_text(comparisons: list[Comparison]) -> str:
    table = rows(comparisons)
    columns = list(table[0]) if table else ["variant", "issue_id"]
    return to_csv(table, columns)


def to_markdown(comparisons: list[Comparison]) -> str:
    out = []
    for comparison in comparisons:
        out += [f"## {md_text(comparison.name)}", ""]
        out += [f"- {md_text(change)}" for change in comparison.changes] + [""]
        columns = ["Issue", *comparison.criteria, "Total", "Priority"]
        out.append(
            md_table(
                columns,
                (
                    [
                        Markup("**" + md_cell(i.name) + "**") if i.changed else i.name,
                        *(_arrow(c.before, c.after) for c in i.criteria),
                        _arrow(i.total_before, i.total_after),
                        _priority(i),
                    ]
                    for i in comparison.issues
                ),
            )
        )
        out += ["", md_text(comparison.summary()), ""]
    return "\n".join(out)
