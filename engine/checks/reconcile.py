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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from engine.csvfile import parse_csv
from engine.errors import InputError, Problem, did_you_mean
from engine.load.yamlfile import read_bytes
from engine.numbers import number
from engine.paths import display_path
from engine.score.scoring import Result
from engine.text import decode_utf8


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
    header, body = [h.strip() for h in rows[0]], rows[1:]
    rules = result.rules
    problems: list[Problem] = []
    columns: dict[int, str] = {}
    targets = {normalise(cid): cid for cid in rules.criteria} | {
        normalise(c.name): cid for cid, c in rules.criteria.items()
    }
    targets[normalise("total")] = "total"
    if "issue" not in header:
        problems.append(
            Problem(display, 1, 1, "issue", "missing column `issue`", "name each row's issue by id or name")
        )
    for n, name in enumerate(header):
        if name == "issue":
            continue
        found = targets.get(normalise(name))
        if found is None:
            hint = (
                did_you_mean(name, [*rules.criteria, "total"]) or f"columns: issue, {', '.join(rules.criteria)}, total"
            )
            problems.append(Problem(display, 1, n + 1, name, f"`{name}` is not a criterion of {rules.display}", hint))
        else:
            columns[n] = found
    issue_of = {i: i for i in rules.issues} | {normalise(i): i for i in rules.issues}
    issue_of |= {normalise(issue.name): i for i, issue in rules.issues.items()}
    differences: list[Difference] = []
    seen: dict[str, int] = {}
    compared = 0
    where = header.index("issue") if "issue" in header else 0
    for line, row in zip(lines[1:], body, strict=True):
        if len(row) != len(header):
            problems.append(
                Problem(display, line, 1, "", f"this row has {len(row)} cells but the header has {len(header)}")
            )
            continue
        label = row[where].strip()
        issue_id = issue_of.get(label) or issue_of.get(normalise(label))
        if issue_id is None:
            hint = did_you_mean(label, [i.name for i in rules.issues.values()]) or f"issues: {', '.join(rules.issues)}"
            problems.append(Problem(display, line, where + 1, "issue", f"no issue `{label}` in {rules.display}", hint))
            continue
        if issue_id in seen:
            problems.append(
                Problem(
                    display, line, where + 1, "issue", f"`{issue_id}` is listed twice (first on line {seen[issue_id]})"
                )
            )
            continue
        seen[issue_id] = line
        case = result.case(issue_id)
        for n, target in columns.items():
            cell = row[n].strip()
            if not cell:
                continue
            try:
                published = Decimal(cell)
            except InvalidOperation:
                problems.append(Problem(display, line, n + 1, header[n], f"`{cell}` is not a number"))
                continue
            compared += 1
            computed = result.total(case) if target == "total" else Decimal(int(result.outcomes[target].final[case]))
            if published != computed:
                differences.append(Difference(line, issue_id, target, published, computed))
    if problems:
        raise InputError(problems)
    unpublished = [i for i in rules.issues if i not in seen]
    return Reconciliation(display, compared, differences, unpublished, len(seen))


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
