"""The public version of a report: small counts suppressed, names of people left out.

Strategic assessments are published. With ``report --public`` and the rule file's ``publication:`` section
(``suppress_below: 5``), a count from 1 to 4 is shown as the section's label ("fewer than 5") wherever a data
row is shown, and for every issue that reads such a count, the audit's inputs, source rows, working and metric
value of each data criterion are replaced by a note saying they are suppressed — a rate, change or share
computed from a small count would give the count away. Scores, totals, bands and priorities are published as
they are: they are the assessment's findings, and a band reveals only a range. A count of 0 identifies no one
and is shown. The names in ``agreed_by`` (who agreed a judgement or an override) are left out.

The decision is made from the result's count columns, never from rendered text.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from engine.errors import Problem
from engine.load.model import Publication, RuleSet
from engine.load.series import count_column
from engine.score.audit import AuditColumns, Cell, DataRows
from engine.score.scoring import Result

#: The audit columns that show data, replaced for an issue that reads a small count.
SUPPRESSED_COLUMNS = ("inputs", "source_rows", "calculation", "value")
#: The data row columns holding counts.
COUNT_COLUMNS = ("previous", "current", "count")
WITHHELD = "left out of the public version"


def public_needs_policy(rules: RuleSet) -> Problem:
    """The problem of ``report --public`` for a rule file that declares no public version."""
    return Problem(
        rules.display,
        1,
        1,
        "publication",
        "--public needs a `publication:` section saying which counts are too small to publish",
        'add `publication: {suppress_below: 5}` to the rule file (counts 1 to 4 are then shown as "fewer than 5")',
    )


def version_line(publication: Publication | None) -> str:
    """What a report says about its version when the rule file declares a public version: this one is public, or
    full and not for publication."""
    if publication is None:
        return mode_line(None) + " Not for publication: `report --public` writes the public version."
    return mode_line(publication)


def mode_line(policy: Publication | None) -> str:
    """What a report says about its version: public (with its rule) or full."""
    if policy is None:
        return "Full version: all counts and the names of people who agreed judgements and overrides are shown."
    return (
        f"Public version: counts from 1 to {policy.suppress_below - 1} are shown as “{policy.label}”, and what is "
        "computed from them is left out; names of people who agreed judgements and overrides are left out."
    )


def small_cases(result: Result, policy: Publication) -> Any:
    """Per case, whether some count the issue reads (any category, any period) is from 1 to
    ``suppress_below - 1``."""
    import numpy as np

    links = result.inputs.links
    small = np.zeros(len(result.issue_ids), dtype=bool)
    if links is None or len(links) == 0:
        return small
    depth = result.inputs.period_counts.shape[1] if result.inputs.period_counts.ndim == 2 else 0
    columns = [c for c in ("previous", "current", *(count_column(k) for k in range(depth))) if c in links.columns]
    for column in columns:
        values = links[column].to_numpy(dtype="float64", na_value=np.nan)
        hit = (values >= 1) & (values < policy.suppress_below)
        small[links["case"].to_numpy()[hit].astype(np.int64)] = True
    return small


def public_audit(result: Result, audit: AuditColumns, policy: Publication) -> AuditColumns:
    """``audit`` with the data of issues that read a small count suppressed, and every ``agreed_by`` left out."""
    small = small_cases(result, policy)
    note = f"suppressed in the public version: a count is {policy.label}"
    by_criterion: dict[str, dict[str, list[Cell]]] = {}
    from_data = result.rules.data_criteria
    for cid, columns in audit.by_criterion.items():
        out = dict(columns)
        # an override or judgement of a data criterion still shows the data it replaced
        hide = [bool(small[i]) and cid in from_data for i in audit.cases]
        if any(hide):
            for column in SUPPRESSED_COLUMNS:
                out[column] = [note if h else cell for cell, h in zip(columns[column], hide, strict=True)]
        out["agreed_by"] = [WITHHELD if cell else cell for cell in columns["agreed_by"]]
        by_criterion[cid] = out
    return replace(audit, by_criterion=by_criterion)


def public_rows(rows: DataRows | None, policy: Publication) -> DataRows | None:
    """A case's data rows with every count from 1 to ``suppress_below - 1`` shown as the label, and in such a
    row the published figures computed from it (``published_`` columns: a change, a rate) suppressed too."""
    if rows is None:
        return None
    counts = [k for k, column in enumerate(rows.columns) if column in COUNT_COLUMNS]
    derived = [k for k, column in enumerate(rows.columns) if column.startswith("published_")]
    shown = []
    for line, cells in rows.rows:
        small = [k for k in counts if cells[k].isdigit() and 1 <= int(cells[k]) < policy.suppress_below]
        if small:
            cells = list(cells)
            for k in small:
                cells[k] = policy.label
            for k in derived:
                cells[k] = "suppressed" if cells[k] else ""
        shown.append((line, cells))
    return replace(rows, rows=shown)


def suppress_small_counts(columns: dict[str, list[Any]], policy: Publication) -> None:
    """In data rows held as columns (name -> cells), in place: every count from 1 to ``suppress_below - 1`` shown
    as the label, and in such a row the published figures computed from it (``published_`` columns) shown as
    "suppressed". Counts may be numbers or text."""
    counts = [c for c in columns if c in COUNT_COLUMNS or c.startswith("count")]
    derived = [c for c in columns if c.startswith("published_")]
    rows = len(next(iter(columns.values()), []))
    for n in range(rows):
        small = [c for c in counts if _is_small(columns[c][n], policy)]
        for c in small:
            columns[c][n] = policy.label
        if small:
            for c in derived:
                columns[c][n] = "suppressed" if columns[c][n] not in (None, "") else columns[c][n]


def _is_small(cell: Any, policy: Publication) -> bool:
    """Whether a count cell holds a whole number from 1 to ``suppress_below - 1``."""
    from decimal import Decimal

    if isinstance(cell, bool):
        return False
    if isinstance(cell, str):
        cell = int(cell) if cell.isdigit() else None
    if isinstance(cell, (int, Decimal)):
        return 1 <= cell < policy.suppress_below
    return False
