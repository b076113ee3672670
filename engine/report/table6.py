"""Table 6 as typed rows: what the Word table and the workbook's Scores sheet both show, so they cannot drift.

Table 6 is the Strategic Assessment's scoring table: rank, issue, one column per criterion headed by its display
name, the derived values, the total, last year's total and the change (when a previous result is given), the
priority and the margin over the cutoff. Values stay typed: scores and totals are ``int`` or ``Decimal`` (exact,
as the engine computed them), the priority a ``bool``; text appears only where no number is claimed (a draft's
"to be agreed", a total still a range, "no value"). Each score cell carries its shade: its position on its
criterion's scale from 0 (lowest) to 4 (highest), the same levels and colours as the HTML report, and the number
is always there too, so nothing depends on colour.

Rows are built a column at a time from the result's arrays (each distinct score looked up once), so a national
result of 14,000 cases takes a fraction of a second.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.load.model import RuleSet, Score
from engine.score.audit import TO_BE_AGREED
from engine.score.scoring import PENDING, Result
from engine.score.totals import as_decimal
from engine.whatif.comparison import Comparison

#: Fill colours of the shade levels 0-4, as the HTML report's ``.l0`` to ``.l4`` (RRGGBB).
SHADES = ("FFFFFF", "E0E0E0", "A9A9A9", "6B6B6B", "2F2F2F")
#: Shade levels dark enough that their text is printed white.
DARK = (3, 4)

#: What a column holds: its numbers' kind decides their number format.
RANK, TEXT, SCORE, VALUE, TOTAL, CHANGE, PRIORITY = "rank", "text", "score", "value", "total", "change", "priority"

Value = int | Decimal | bool | str | None


@dataclass(frozen=True)
class Column:
    """One column of Table 6: ``key`` (``rank``, ``issue``, a criterion or derived id, ``total``, ``last_year``,
    ``change``, ``priority``, ``margin``), its ``header`` as the assessment prints it, what it holds (``kind``)
    and its numbers' decimal places."""

    key: str
    header: str
    kind: str
    places: int = 0


@dataclass(frozen=True)
class Row:
    """One issue's row: ``values`` in the columns' order; ``shades`` the shade level (0-4) of each score cell,
    None for every other cell."""

    issue_id: str
    values: tuple[Value, ...]
    shades: tuple[int | None, ...]
    priority: bool


@dataclass(frozen=True)
class AreaTable:
    """One area's Table 6 (``area`` None when the result has one area), rows in rank order."""

    area: str | None
    rows: list[Row]


@dataclass(frozen=True)
class Table6:
    """Every area's Table 6 under the same columns, with what a reader needs above it."""

    title: str
    partnership: str
    period: str
    previous_period: str | None
    rules: str
    cutoff: Decimal
    columns: tuple[Column, ...]
    areas: list[AreaTable]

    @property
    def several(self) -> bool:
        """Whether the result holds several areas (each area's table is then its own section or rows)."""
        return len(self.areas) > 1 or (len(self.areas) == 1 and self.areas[0].area is not None)


def shade_levels(rules: RuleSet) -> Callable[[Score, str | None], int]:
    """The shade level of a score of a criterion (None: the assessment's scale): its position on that scale
    from 0 (lowest) to 4 (highest), rounded, as the HTML report's ``l0``-``l4``."""
    positions = {
        criterion: {p.score: n for n, p in enumerate(sorted(scale, key=lambda p: p.score))}
        for criterion, scale in [(None, rules.scale), *((cid, rules.scale_of(cid)) for cid in rules.criteria)]
    }
    cache: dict[tuple[Score, str | None], int] = {}

    def level(score: Score, criterion: str | None) -> int:
        if (score, criterion) not in cache:
            levels = positions[criterion]
            top = max(levels.values()) or 1
            cache[(score, criterion)] = round(4 * levels.get(score, 0) / top)
        return cache[(score, criterion)]

    return level


def columns_of(result: Result, previous: bool) -> tuple[Column, ...]:
    """Table 6's columns for ``result``; ``previous``: with last year's total and the change."""
    rules = result.rules
    columns = [Column("rank", "Rank", RANK), Column("issue", "Issue", TEXT)]
    columns += [Column(cid, c.name, SCORE, rules.score_places) for cid, c in rules.criteria.items()]
    columns += [Column(did, d.name, VALUE, values.places) for (did, d), values in _derived(result)]
    columns.append(Column("total", "Total", TOTAL, result.total_places))
    if previous:
        columns += [
            Column("last_year", "Last year", TOTAL, result.total_places),
            Column("change", "Change", CHANGE, result.total_places),
        ]
    columns += [Column("priority", "Priority", PRIORITY), Column("margin", "Above cutoff", CHANGE, result.total_places)]
    return tuple(columns)


def _derived(result: Result) -> list[tuple[tuple[str, Any], Any]]:
    return [((did, result.rules.derived[did]), values) for did, values in result.derived.items()]


def table6(result: Result, previous: Comparison | None = None) -> Table6:
    """Table 6 of every area in ``result`` (rank order within each area); ``previous`` compares last year's
    result with this one (area by area), adding last year's totals and the change."""
    import numpy as np

    rules = result.rules
    columns = columns_of(result, previous is not None)
    order = np.asarray(result.order(), dtype=np.int64)
    level = shade_levels(rules)
    issues = list(rules.issues.values())
    issue_of = [issues[k] for k in result.inputs.case_issue[order].tolist()]
    area_of = result.inputs.case_area[order].tolist()
    cells: dict[str, list[Value]] = {
        "rank": [int(r) for r in result.rank[order].tolist()],
        "issue": [issue.name for issue in issue_of],
    }
    shades: dict[str, list[int | None]] = {}
    for cid, outcome in result.outcomes.items():
        scores = _looked_up(outcome.final[order], rules.score_of)
        pending = (outcome.source[order] == PENDING).tolist()
        cells[cid] = [TO_BE_AGREED if p else s for s, p in zip(scores, pending, strict=True)]
        shades[cid] = [None if p else level(s, cid) for s, p in zip(scores, pending, strict=True)]
    for did, values in result.derived.items():
        exact = functools.partial(_exact, places=values.places)
        shown = _looked_up(values.units[order], exact)
        cells[did] = [s if ok else "no value" for s, ok in zip(shown, values.defined[order].tolist(), strict=True)]
    places = result.total_places
    cells["total"] = _looked_up(result.total_units[order], functools.partial(_exact, places=places))
    cells["priority"] = [bool(p) for p in result.priority[order].tolist()]
    margins = result.total_units[order] - result.cutoff_units
    cells["margin"] = _looked_up(margins, functools.partial(_exact, places=places))
    if result.draft:
        _draft_cells(result, order.tolist(), cells)
    if previous is not None:
        before = {(i.area, i.issue_id): i.total_before for i in previous.issues}
        several = len(result.areas) > 1
        names = [a if several else None for a in result.areas]
        last: list[Value] = [before.get((names[a], issue.id)) for a, issue in zip(area_of, issue_of, strict=True)]
        cells["last_year"] = last
        cells["change"] = [
            now - then if isinstance(now, Decimal) and isinstance(then, Decimal) else None
            for now, then in zip(cells["total"], last, strict=True)
        ]
    keys = [c.key for c in columns]
    none: list[int | None] = [None] * len(order)
    shade_columns = [shades.get(k, none) for k in keys]
    value_columns = [cells[k] for k in keys]
    priority = result.priority[order].tolist()
    tables: list[AreaTable] = []
    for n, (row, shaded) in enumerate(
        zip(zip(*value_columns, strict=True), zip(*shade_columns, strict=True), strict=True)
    ):
        if n == 0 or area_of[n] != area_of[n - 1]:  # an area's rows are contiguous (Result.order)
            tables.append(AreaTable(result.areas[area_of[n]] if len(result.areas) > 1 else None, []))
        tables[-1].rows.append(Row(issue_of[n].id, tuple(row), tuple(shaded), bool(priority[n])))
    a = rules.assessment
    return Table6(
        a.title, a.partnership, a.period, a.previous_period, rules.display, rules.priority.cutoff, columns, tables
    )


def _draft_cells(result: Result, order: list[int], cells: dict[str, list[Value]]) -> None:
    """In a draft, a case with a score to be agreed claims no total, derived value or margin: its total is the
    range it can reach (as text) and its priority is decided only where that range decides it."""
    from engine.numbers import number

    for n, i in enumerate(order):
        if not any(o.source[i] == PENDING for o in result.outcomes.values()):
            continue
        for did in result.derived:
            cells[did][n] = TO_BE_AGREED
        cells["total"][n] = f"{number(result.total(i))} to {number(result.total_max(i))}"
        undecided = result.undecided is not None and bool(result.undecided[i])
        cells["priority"][n] = "undecided (draft)" if undecided else f"{'yes' if result.priority[i] else 'no'} (draft)"
        cells["margin"][n] = None


def _exact(units: int, places: int) -> Decimal:
    return as_decimal(units, places)


def _looked_up(units: Any, show: Callable[[int], Any]) -> list[Any]:
    """``show(u)`` for each of ``units``, worked out once per distinct value (scores and totals repeat a lot)."""
    import numpy as np

    table = {int(u): show(int(u)) for u in np.unique(units)}
    return [table[u] for u in units.tolist()]


def number_format(column: Column) -> str:
    """The spreadsheet number format of a column's numbers: whole scores ``0``, decimal scale points and totals
    to their places (``0.00``), changes and margins signed (``+0;-0;0``)."""
    digits = "0" + ("." + "0" * column.places if column.places > 0 else "")
    if column.kind == CHANGE:
        return f"+{digits};-{digits};{digits}"
    return digits


def shown(value: Value, column: Column) -> str:
    """A cell as text (for the Word table): numbers with their column's places, changes signed, the priority as
    Yes or No, nothing for a missing value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, Decimal)):
        exact = Decimal(value)
        if column.places > 0:
            exact = exact.quantize(Decimal(1).scaleb(-column.places))
        text = format(exact, "f")
        return "+" + text if column.kind == CHANGE and exact > 0 else text
    return value
