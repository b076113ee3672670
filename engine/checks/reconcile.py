"""Reconcile computed scores with a published table, cell by cell.

A published table is a CSV file: an ``issue`` column (the issue's id or its
name), one column per criterion (its id or name) and optionally ``total``. A
blank cell was not published and is not compared. Issues are matched by id,
then by name ignoring case, punctuation and "incl"/"including"; columns the
same way. Every differing cell is listed with both values and the line of the
published file it comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from engine.csvfile import parse_csv
from engine.errors import InputError, Problem, did_you_mean
from engine.load.model import RuleSet
from engine.load.yamlfile import read_bytes
from engine.numbers import number
from engine.paths import display_path
from engine.score.scoring import Result
from engine.text import decode_utf8

#: A published figure: plain ASCII digits with an optional sign and decimal part (as Table 6 prints them).
_PLAIN_NUMBER = re.compile(r"[-+]?[0-9]{1,15}(\.[0-9]{1,15})?", re.ASCII)


def normalise(name: str) -> str:
    """A name for matching: lower case, "including" as "incl", letters and digits only."""
    text = name.casefold().replace("&", " and ")
    text = re.sub(r"\bincluding\b", "incl", text)
    return re.sub(r"[^a-z0-9]+", "", text)


@dataclass(frozen=True)
class Difference:
    """One cell that differs: where it is published and both values."""

    line: int
    issue_id: str
    column: str  # criterion id or "total"
    published: Decimal
    computed: Decimal


@dataclass(frozen=True)
class Reconciliation:
    published_file: str
    compared: int  # cells compared
    differences: list[Difference]
    unpublished: list[str]  # issues of the rules with no row in the table
    issues: int  # issues compared

    @property
    def agrees(self) -> bool:
        return not self.differences

    def summary(self) -> str:
        affected = len({d.issue_id for d in self.differences})
        if self.agrees:
            text = f"The published table agrees: {self.compared} cells compared in {self.issues} issues."
        else:
            text = (
                f"{len(self.differences)} difference{'s' if len(self.differences) != 1 else ''} in "
                f"{affected} of {self.issues} issues ({self.compared} cells compared)."
            )
        if self.unpublished:
            text += f" Not in the published table: {', '.join(self.unpublished)}."
        return text


def reconcile(result: Result, path: Path) -> Reconciliation:
    """Compare ``result`` (its first area) with the published table at ``path``."""
    display = display_path(path)
    text = decode_utf8(read_bytes(path, display), display, "save the file as CSV UTF-8")
    lines, rows = parse_csv(text, display)
    if not rows:
        raise InputError([Problem(display, 1, 1, "", "the file is empty", "the first line must name the columns")])
    if len(rows) == 1:  # a header alone would "agree" with anything: nothing would be compared
        raise InputError(
            [Problem(display, 1, 1, "", "the published table has no rows", "add one row per issue under the header")]
        )
    table = _Table(display, [h.strip() for h in rows[0]], result.rules)
    columns = _columns(table)
    issue_of = _issue_labels(table.rules)
    differences: list[Difference] = []
    seen: dict[str, int] = {}
    compared = 0
    for line, row in zip(lines[1:], rows[1:], strict=True):
        issue_id = _row_issue(table, line, row, issue_of, seen)
        if issue_id is None:
            continue
        seen[issue_id] = line
        cells, found = _compare_row(table, line, row, columns, result, issue_id)
        compared += cells
        differences += found
    if table.problems:
        raise InputError(table.problems)
    unpublished = [i for i in table.rules.issues if i not in seen]
    return Reconciliation(display, compared, differences, unpublished, len(seen))


@dataclass
class _Table:
    """The published table being read: its header, the rules it is read against, and the problems found so far."""

    display: str
    header: list[str]
    rules: RuleSet
    problems: list[Problem] = field(default_factory=list)

    @property
    def issue_column(self) -> int:
        return self.header.index("issue") if "issue" in self.header else 0


def _columns(table: _Table) -> dict[int, str]:
    """The header's columns that name a criterion (by id or name) or the total: position -> criterion id or "total"."""
    rules, display = table.rules, table.display
    targets = {normalise(cid): cid for cid in rules.criteria} | {
        normalise(c.name): cid for cid, c in rules.criteria.items()
    }
    targets[normalise("total")] = "total"
    if "issue" not in table.header:
        table.problems.append(
            Problem(display, 1, 1, "issue", "missing column `issue`", "name each row's issue by id or name")
        )
    columns: dict[int, str] = {}
    for n, name in enumerate(table.header):
        if name == "issue":
            continue
        found = targets.get(normalise(name))
        if found is None:
            hint = (
                did_you_mean(name, [*rules.criteria, "total"]) or f"columns: issue, {', '.join(rules.criteria)}, total"
            )
            table.problems.append(
                Problem(display, 1, n + 1, name, f"`{name}` is not a criterion of {rules.display}", hint)
            )
        else:
            columns[n] = found
    return columns


def _issue_labels(rules: RuleSet) -> dict[str, str]:
    """What a row may call an issue (its id, or its id or name normalised) -> the issue's id."""
    labels = {i: i for i in rules.issues} | {normalise(i): i for i in rules.issues}
    return labels | {normalise(issue.name): i for i, issue in rules.issues.items()}


def _row_issue(table: _Table, line: int, row: list[str], issue_of: dict[str, str], seen: dict[str, int]) -> str | None:
    """The issue a row publishes, or None (with the problem noted) if the row cannot be matched to one."""
    rules, display, where = table.rules, table.display, table.issue_column
    if len(row) != len(table.header):
        table.problems.append(
            Problem(display, line, 1, "", f"this row has {len(row)} cells but the header has {len(table.header)}")
        )
        return None
    label = row[where].strip()
    issue_id = issue_of.get(label) or issue_of.get(normalise(label))
    if issue_id is None:
        hint = did_you_mean(label, [i.name for i in rules.issues.values()]) or f"issues: {', '.join(rules.issues)}"
        table.problems.append(
            Problem(display, line, where + 1, "issue", f"no issue `{label}` in {rules.display}", hint)
        )
        return None
    if issue_id in seen:
        table.problems.append(
            Problem(display, line, where + 1, "issue", f"`{issue_id}` is listed twice (first on line {seen[issue_id]})")
        )
        return None
    return issue_id


def _compare_row(
    table: _Table, line: int, row: list[str], columns: dict[int, str], result: Result, issue_id: str
) -> tuple[int, list[Difference]]:
    """The cells of one issue's row compared with the computed scores: how many were compared, and those that differ.

    A blank cell was not published and is not compared.
    """
    case = result.case(issue_id)
    compared = 0
    differences = []
    for n, target in columns.items():
        cell = row[n].strip()
        if not cell:
            continue
        if not _PLAIN_NUMBER.fullmatch(cell):  # Decimal() would take NaN, Infinity and 1e9999 as numbers
            table.problems.append(Problem(table.display, line, n + 1, table.header[n], f"`{cell}` is not a number"))
            continue
        published = Decimal(cell)
        compared += 1
        computed = result.total(case) if target == "total" else Decimal(result.score(target, case))
        if published != computed:
            differences.append(Difference(line, issue_id, target, published, computed))
    return compared, differences


def rows(reconciliation: Reconciliation) -> list[dict[str, str]]:
    return [
        {
            "line": str(d.line),
            "issue_id": d.issue_id,
            "column": d.column,
            "published": number(d.published),
            "computed": number(d.computed),
        }
        for d in reconciliation.differences
    ]
