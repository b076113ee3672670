"""Render comparisons (what-if variants, year-on-year) as a table, CSV, JSON or Markdown. Never prints."""

from __future__ import annotations

from typing import Any

from engine.csvfile import to_csv
from engine.numbers import number
from engine.plaintable import simple_table
from engine.report.markdown import md_table
from engine.report.mdtext import Markup, md_cell, md_text
from engine.report.shortnames import legend, short_names
from engine.textwidth import columns as columns_of
from engine.textwidth import fit_table, wrap, wrap_lines
from engine.whatif.comparison import Comparison, IssueComparison
from engine.whatif.rulediff import RuleDifference

MARK = {"enters": "ENTERS", "leaves": "LEAVES", "new": "NEW", "dropped": "DROPPED"}


def _arrow(before: Any, after: Any, arrow: str = " -> ") -> str:
    show = lambda v: "-" if v is None else (number(v) if not isinstance(v, bool) else ("yes" if v else "no"))
    return show(after) if before == after else f"{show(before)}{arrow}{show(after)}"


def _priority(issue: IssueComparison, arrow: str = " -> ") -> str:
    text = _arrow(issue.priority_before, issue.priority_after, arrow)
    return f"{text} {MARK[issue.status]}" if issue.status in MARK else text


def _header(comparisons: list[Comparison], labels: list[str]) -> list[str]:
    base = comparisons[0].before
    first = comparisons[0].labels[0]
    lines = [f"{first}: {base.rules.display} (cutoff {number(base.rules.priority.cutoff)})"]
    for label, comparison in zip(labels, comparisons, strict=True):
        lines.append(f"{label}: {comparison.name}")
        lines.extend(f"     {change}" for change in comparison.changes)
    return lines


def to_table(comparisons: list[Comparison], width: int | None = None) -> str:
    """One comparison in full (every criterion), or several side by side (totals and priorities); every line at
    most ``width`` columns (None: no limit)."""
    if len(comparisons) == 1:
        return wrap_lines(_in_full(comparisons[0], width), width)
    return wrap_lines(_side_by_side(comparisons, width), width)


#: The arrow of a narrowed table's cells: ``3→5`` (one column) instead of ``3 -> 5``.
NARROW_ARROW = "\u2192"


def _in_full(comparison: Comparison, width: int | None) -> str:
    """Every criterion of every issue, before -> after, then what drove the changes.

    Too wide for ``width``, the table is drawn with ``3→5`` cells, short criterion headers and wrapped issue ids,
    and a legend under it.
    """
    columns = ["", "issue_id", *comparison.criteria, "total", "priority"]
    align = ["left", "left", *(["right"] * len(comparison.criteria)), "right", "left"]
    out = _header([comparison], [comparison.labels[1]]) + [""]
    full = simple_table(_full_rows(comparison, " -> "), columns, align)
    if width is None or max(columns_of(line) for line in full.split("\n")) <= width:
        out.append(full)
    else:
        short = short_names(comparison.criteria, ["total", "priority", "issue_id", "tot", "pri"])
        headers = ["", "issue_id", *(short[c] for c in comparison.criteria), "tot", "pri"]
        narrow = fit_table(_full_rows(comparison, NARROW_ARROW), columns, align, width, short=headers, wrapped=1)
        out.append(narrow.text)
        if narrow.short:
            names = comparison.after.rules.criteria
            pairs = [(short[c], names[c].name) for c in comparison.criteria]
            pairs += [("tot", "total"), ("pri", "priority"), (f"a{NARROW_ARROW}b", "before, after")]
            out += legend(pairs, width)
    out += ["", "* changed", comparison.summary()]
    out += _what_drove(comparison, width)
    return "\n".join(out) + "\n"


def _full_rows(comparison: Comparison, arrow: str) -> list[list[str]]:
    return [
        [
            "*" if i.changed else "",
            i.label,
            *(_arrow(c.before, c.after, arrow) for c in i.criteria),
            _arrow(i.total_before, i.total_after, arrow),
            _priority(i, arrow),
        ]
        for i in comparison.issues
    ]


def _what_drove(comparison: Comparison, width: int | None, indent: str = "  ") -> list[str]:
    """The rule differences with what each did, then each issue's changed scores, then the wording changes.

    A rationale or reason moves no score: those differences are named by path only (JSON has their texts).
    """
    moved = [d for d in comparison.rule_changes if not _wording(d)]
    worded = [d.path for d in comparison.rule_changes if _wording(d)]
    drivers = [f"{i.label}: " + "; ".join(c.describe() for c in i.drivers) for i in comparison.issues if i.drivers]
    if not (moved or drivers or worded):
        return []
    deeper = indent + "  "
    out = ["What drove the changes:"]
    if moved:
        out.append(f"{indent}Rule changes:")
        out += [line for d in moved for line in wrap(d.describe(), width, deeper, deeper + "  ")]
    if drivers:
        out.append(f"{indent}Scores, issue by issue:")
        out += [line for text in drivers for line in wrap(text, width, deeper, deeper + "  ")]
    if worded:
        text = "Reworded (no score changes): " + ", ".join(worded)
        out += wrap(text, width, indent, deeper)
    return out


def _wording(difference: RuleDifference) -> bool:
    return difference.path.endswith((".rationale", ".reason"))


def _side_by_side(comparisons: list[Comparison], width: int | None) -> str:
    """Each issue's total and priority in the baseline and in each variant (A, B, ...), changed issues first;
    then each variant's rule changes and what they did."""
    labels = [chr(ord("A") + n) for n in range(len(comparisons))]
    out = _header(comparisons, labels) + [""]
    changed = {i.label for c in comparisons for i in c.issues if i.changed}
    ids = [i.label for i in comparisons[0].issues]
    ordered = [i for i in ids if i in changed] + [i for i in ids if i not in changed]
    by_id = [{i.label: i for i in c.issues} for c in comparisons]
    rows = [_side_by_side_row(issue_id, issue_id in changed, by_id) for issue_id in ordered]
    columns = ["", "issue_id", "baseline", *labels]
    out.append(fit_table(rows, columns, ["left"] * len(columns), width, wrapped=1).text)
    out += ["", "* changed in at least one scenario; cells show total and priority"]
    out += [f"{label}: {c.summary()}" for label, c in zip(labels, comparisons, strict=True)]
    for label, comparison in zip(labels, comparisons, strict=True):
        moved = [d for d in comparison.rule_changes if not _wording(d)]
        if moved:
            out.append(f"{label}: what drove the changes:")
            out += [line for d in moved for line in wrap(d.describe(), width, "  ", "    ")]
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
