"""The three tables of a result: scores, audit and provenance, as plain rows.

Rows are dicts with fixed keys, in a fixed order, so every renderer (table,
CSV, JSON, Markdown, HTML, Excel) shows the same thing and output is
deterministic apart from the provenance timestamp. The scores and the audit are
built a column at a time from the result's arrays (:func:`score_columns`,
:func:`audit_columns`): each criterion's constant words once, each case's shared
words once, each array read once, so a national result (14,000 cases, 84,000
audit rows) takes a fraction of a second and renderers of many areas take slices
of one table instead of rebuilding it per area. :func:`score_rows`,
:func:`audit_rows` and :func:`audit_row` give the same cells as dicts. The words
of a metric's inputs, rows and arithmetic are :mod:`engine.score.workings`'.
"""

from __future__ import annotations

import json
import platform
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine import __version__
from engine.load.model import MEASURE_KINDS, METRICS, DataCriterion
from engine.numbers import number, plural
from engine.paths import relative_to
from engine.score.metrics import MetricValues
from engine.score.scoring import DATA, JUDGEMENT, NO_VALUE, OVERRIDE, PENDING, CriterionOutcome, Result
from engine.score.totals import as_decimal
from engine.score.trends import depth

#: A table cell: text, or a whole number (a score, a rank).
Cell = str | int | Decimal  # a score may be a decimal (0.75) on a scale with such points
#: One issue's row of the scores table: ``area`` (several areas only), ``issue_id``, ``issue``, one column per
#: criterion id (its final score), ``total``, ``rank``, ``priority``, ``margin``.
ScoreRow = dict[str, Cell]
#: One issue and criterion's row of the audit: ``area`` (several areas only), then :data:`AUDIT_COLUMNS`.
AuditRow = dict[str, Cell]

AUDIT_COLUMNS = (
    "issue_id",
    "issue",
    "criterion_id",
    "criterion",
    "source",
    "metric",
    "formula",
    "inputs",
    "source_rows",
    "calculation",
    "value",
    "band",
    "rule_score",
    "judgement_score",
    "rationale",
    "evidence",
    "override_score",
    "override_reason",
    "agreed_by",
    "final_score",
    "meaning",
)


@dataclass(frozen=True)
class Provenance:
    """What produced a result: engine, files (with SHA-256), parameters and time."""

    engine_version: str
    python_version: str
    rules_file: str
    rules_sha256: str
    datasets: tuple[dict[str, Any], ...]
    parameters: dict[str, str]
    generated_at: str
    rules_normalised_sha256: str = ""
    #: Where the rule file is (resolved), and each dataset's path relative to the rule file's folder: what the
    #: JSON records, so a saved result names its inputs wherever it is replayed from (:meth:`as_dict`).
    rules_location: Path | None = None
    dataset_paths: tuple[str, ...] = ()

    def rows(self) -> list[dict[str, str]]:
        """Provenance as ``item``/``value`` rows (for CSV and tables)."""
        rows = [
            {"item": "engine_version", "value": self.engine_version},
            {"item": "python_version", "value": self.python_version},
            {"item": "generated_at", "value": self.generated_at},
            {"item": "rules_file", "value": self.rules_file},
            {"item": "rules_sha256", "value": self.rules_sha256},
            {"item": "rules_normalised_sha256", "value": self.rules_normalised_sha256},
        ]
        for d in self.datasets:
            rows.append({"item": f"dataset.{d['name']}.file", "value": d["file"]})
            rows.append({"item": f"dataset.{d['name']}.sha256", "value": d["sha256"]})
            rows.append({"item": f"dataset.{d['name']}.rows", "value": str(d["rows"])})
            if "workbook" in d:
                rows.append({"item": f"dataset.{d['name']}.workbook", "value": json.dumps(d["workbook"])})
        for key, value in self.parameters.items():
            rows.append({"item": f"parameter.{key}", "value": value})
        return rows

    def as_dict(self, result_folder: Path | None = None) -> dict[str, Any]:
        """The provenance as JSON holds it, its paths portable: the rule file's relative to ``result_folder`` (the
        folder the result is written to; without one, the working folder) and each dataset's relative to the rule
        file's folder, ``rules.relative_to`` saying which (``result folder`` or ``working folder``)."""
        rules_file, datasets = self.rules_file, list(self.datasets)
        if self.rules_location is not None:
            rules_file = relative_to(self.rules_location, result_folder or Path.cwd())
            datasets = [{**d, "file": f} for d, f in zip(self.datasets, self.dataset_paths, strict=True)]
        return {
            "engine_version": self.engine_version,
            "python_version": self.python_version,
            "generated_at": self.generated_at,
            "rules": {
                "file": rules_file,
                "relative_to": "working folder" if result_folder is None else "result folder",
                "sha256": self.rules_sha256,
                "normalised_sha256": self.rules_normalised_sha256,
            },
            "datasets": datasets,
            "parameters": dict(self.parameters),
        }


def provenance(result: Result, parameters: dict[str, str], now: datetime | None = None) -> Provenance:
    """The provenance record of ``result``; ``now`` defaults to the current UTC time."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    datasets = tuple(
        {"name": name, "file": d.ref.display, "shape": d.ref.shape, "sha256": d.sha256, "rows": len(d.frame)}
        | ({"workbook": d.reading.as_dict()} if d.reading is not None else {})  # the sheet, and every row's fate
        for name, d in result.datasets.items()
    )
    return Provenance(
        engine_version=__version__,
        python_version=f"{platform.python_implementation()} {sys.version.split()[0]}",
        rules_file=result.rules.display,
        rules_sha256=result.rules.sha256,
        datasets=datasets,
        parameters=dict(parameters),
        generated_at=moment.isoformat().replace("+00:00", "Z"),
        rules_normalised_sha256=result.rules.normalised_sha256,
        rules_location=result.rules.path.resolve(),
        dataset_paths=tuple(relative_to(d.ref.path, result.rules.path.parent) for d in result.datasets.values()),
    )


@dataclass(frozen=True)
class ScoreColumns:
    """The scores table column by column, rows in rank order within each area (:meth:`Result.order`).

    ``cases[n]`` is row ``n``'s case; ``columns`` are those of a :data:`ScoreRow`, each a list with one entry per
    row. An area's rows are contiguous: :meth:`area_rows` gives each area's slice.
    """

    cases: list[int]
    columns: dict[str, list[Cell]]
    area_of_row: list[int]  # each row's index into Result.areas

    def rows(self, start: int = 0, stop: int | None = None) -> list[ScoreRow]:
        """Rows ``start`` to ``stop`` as dicts (every column)."""
        names = list(self.columns)
        picked = [self.columns[c][start:stop] for c in names]
        return [dict(zip(names, values, strict=True)) for values in zip(*picked, strict=True)]

    def area_rows(self) -> list[tuple[int, int, int]]:
        """(area index, first row, row after the last) of every area scored, in order."""
        bounds: list[tuple[int, int, int]] = []
        for n, area in enumerate(self.area_of_row):
            if bounds and bounds[-1][0] == area:
                bounds[-1] = (area, bounds[-1][1], n + 1)
            else:
                bounds.append((area, n, n + 1))
        return bounds


def score_columns(result: Result) -> ScoreColumns:
    """The scores table, built a column at a time from the result's arrays (see :func:`score_rows`)."""
    import numpy as np

    rules = result.rules
    order = np.asarray(result.order(), dtype=np.int64)
    area_of_row = result.inputs.case_area[order].tolist()
    issue_of_row = result.inputs.case_issue[order].tolist()
    issues = list(rules.issues.values())
    columns: dict[str, list[Cell]] = {}
    if len(result.areas) > 1:
        areas = [a or "" for a in result.areas]
        columns["area"] = [areas[k] for k in area_of_row]
    columns["issue_id"] = [issues[k].id for k in issue_of_row]
    columns["issue"] = [issues[k].name for k in issue_of_row]
    for cid, outcome in result.outcomes.items():
        columns[cid] = _looked_up(outcome.final[order], rules.score_of)
    for did, values in result.derived.items():
        shown = _looked_up(values.units[order], lambda u, p=values.places: number(as_decimal(int(u), p)))
        columns[did] = [s if ok else "no value" for s, ok in zip(shown, values.defined[order].tolist(), strict=True)]
    columns["total"] = _looked_up(result.total_units[order], lambda u: number(as_decimal(int(u), result.total_places)))
    columns["rank"] = result.rank[order].tolist()
    words = {(True, True): "yes", (False, True): "yes", (True, False): "no (over max_priorities)", (False, False): "no"}
    columns["priority"] = [
        words[pair] for pair in zip(result.reaches_cutoff[order].tolist(), result.priority[order].tolist(), strict=True)
    ]
    margin = result.total_units[order] - result.cutoff_units
    columns["margin"] = _looked_up(margin, lambda u: _signed(as_decimal(int(u), result.total_places)))
    if result.draft:
        _draft_columns(result, order, columns)
    return ScoreColumns(order.tolist(), columns, area_of_row)


#: A score cell still to be agreed (a draft assessment).
TO_BE_AGREED = "to be agreed"


def _draft_columns(result: Result, order: Any, columns: dict[str, list[Cell]]) -> None:
    """In a draft, each score to be agreed says so; a case with one shows its total as a range, its priority as far
    as the range decides it, no margin, and no derived value (it would read a score not yet agreed)."""
    import numpy as np

    waiting = {cid: (o.source[order] == PENDING).tolist() for cid, o in result.outcomes.items()}
    pending = np.zeros(len(order), dtype=bool)
    for cid, marks in waiting.items():
        columns[cid] = [TO_BE_AGREED if m else v for m, v in zip(marks, columns[cid], strict=True)]
        pending |= np.asarray(marks, dtype=bool)
    for n in np.flatnonzero(pending).tolist():
        i = int(order[n])
        for did in result.derived:
            columns[did][n] = TO_BE_AGREED
        undecided = result.undecided is not None and bool(result.undecided[i])
        decided = "yes" if result.priority[i] else "no"
        columns["total"][n] = f"{number(result.total(i))} to {number(result.total_max(i))}"
        columns["priority"][n] = "undecided (draft)" if undecided else f"{decided} (draft)"
        columns["margin"][n] = ""


def draft_lines(result: Result) -> list[str]:
    """For a draft: that it is one, and every score still to be agreed with what would settle it (else none)."""
    if not result.draft:
        return []
    cells = result.pending()
    lines = [
        f"DRAFT: {plural(len(cells), 'score')} still to be agreed; totals are shown as ranges (each such score "
        "from the bottom to the top of its scale), and a priority is decided only where the range decides it."
    ]
    # One line per criterion and note, naming its cases (or "every issue"), so a new draft reads in a few lines.
    grouped: dict[tuple[str, str], list[str]] = {}
    for i, cid in cells:
        criterion = result.rules.criteria[cid]
        issue = result.rules.issues[result.issue_ids[i]]
        if isinstance(criterion, DataCriterion):
            what = f"missing data; supply {criterion.data_needed or 'the data this criterion reads'}"
        else:
            note = issue.pending.get(cid, "")
            what = "judgement to be agreed" + (f" ({note})" if note else "")
        where = f"{result.area_of(i)}: " if len(result.areas) > 1 else ""
        grouped.setdefault((cid, what), []).append(f"{where}{issue.id}")
    every = len(result.issue_ids)
    for (cid, what), cases in grouped.items():
        named = "every issue" if len(cases) == every else ", ".join(cases)
        lines.append(f"  {cid}: {what}: {named}")
    return lines


def _looked_up(units: Any, show: Any) -> list[Any]:
    """``show(u)`` for each of ``units``, computed once per distinct value (scores and totals repeat a lot)."""
    import numpy as np

    table = {int(u): show(int(u)) for u in np.unique(units)}
    return [table[u] for u in units.tolist()]


def score_rows(result: Result) -> list[ScoreRow]:
    """One row per issue, in rank order: each criterion's final score, each derived value, total, rank, priority,
    margin."""
    return score_columns(result).rows()


@dataclass(frozen=True)
class LeftOut:
    """Why a case that reaches the cutoff is not a priority: more issues of its area reach it than
    ``max_priorities`` allows."""

    limit: int
    rank: int
    tied_with: tuple[int, ...]  # the other cases tied with it at the limit (empty: it is beyond the limit)
    ties: str  # the tie rule, which left out every case tied at the limit when they did not all fit


def left_out(result: Result, i: int) -> LeftOut | None:
    """For case ``i``, when it reaches the cutoff but ``max_priorities`` leaves it out: the limit, its rank and
    the cases tied with it at the limit (the tie rule decided it); None otherwise."""
    import numpy as np

    limit = result.rules.priority.limit_for(result.area_of(i))
    if limit is None or not result.reaches_cutoff[i] or result.priority[i]:
        return None
    reaching = (result.inputs.case_area == result.inputs.case_area[i]) & result.reaches_cutoff
    boundary = np.sort(result.total_units[reaching])[::-1][limit - 1]  # the limit-th highest total
    tied = reaching & (result.total_units == boundary)
    tied_with = tuple(int(j) for j in np.flatnonzero(tied) if j != i) if tied[i] else ()
    return LeftOut(limit, int(result.rank[i]), tied_with, result.rules.priority.ties)


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + number(value)


@dataclass(frozen=True)
class DataRows:
    """The data rows an issue's scores were computed from, as reports show them: the file, the columns shown
    after each row's line number, and each row as (line, cells as text)."""

    file: str
    columns: list[str]
    rows: list[tuple[int, list[str]]]


def data_rows(result: Result, i: int) -> DataRows | None:
    """Case ``i``'s data rows (None for an issue without data); see :func:`data_rows_of`."""
    return data_rows_of(result, [i])[0]


def data_rows_of(result: Result, cases: list[int]) -> list[DataRows | None]:
    """Each case's data rows (None for an issue without data).

    A ``crime_counts`` dataset gives one row per category; a ``crime_series`` dataset the rows of the latest
    periods the metrics read (two, or the most any criterion uses), category by category, oldest first.
    """
    out: list[DataRows | None] = []
    shown: dict[str, tuple[list[str], list[int]]] = {}  # per dataset: its columns and their places in the links
    for i in cases:
        issue = result.rules.issues[result.issue_ids[i]]
        if issue.data is None:
            out.append(None)
            continue
        dataset = result.datasets[issue.data.dataset]
        if dataset.ref.shape == "crime_series":
            out.append(_series_rows(result, i))
            continue
        names, cells = result.inputs.link_cells
        if issue.data.dataset not in shown:
            columns = [c for c in dataset.frame.columns if c not in ("area", "row")]
            shown[issue.data.dataset] = (columns, [names.index(c) for c in columns])
        columns, places = shown[issue.data.dataset]
        line = names.index("row")
        found = [(int(cells[p][line]), [_cell(cells[p][k]) for k in places]) for p in result.inputs.rows_of(i)]
        out.append(DataRows(dataset.ref.display, columns, found))
    return out


def _series_rows(result: Result, i: int) -> DataRows:
    """A case's rows of a ``crime_series`` dataset: those of the latest periods read, by category, oldest first."""
    issue = result.rules.issues[result.issue_ids[i]]
    assert issue.data is not None
    dataset = result.datasets[issue.data.dataset]
    columns = [c for c in dataset.frame.columns if c not in ("area", "row")]
    frame = dataset.frame
    area = result.area_of(i)
    latest = {p: k for k, p in enumerate(dataset.periods[-depth(result.rules) :])}
    order = {c: k for k, c in enumerate(issue.data.categories)}
    mine = frame["category"].isin(order) & frame["period"].isin(latest)
    if area is not None:
        mine &= frame["area"] == area
    chosen = frame[mine]
    keys = sorted(zip(chosen["category"].map(order), chosen["period"].map(latest), range(len(chosen)), strict=True))
    rows = [chosen.iloc[n] for _, _, n in keys]
    return DataRows(dataset.ref.display, columns, [(int(r["row"]), [_cell(r[c]) for c in columns]) for r in rows])


def _cell(value: object) -> str:
    """A data cell as text: blank for a missing value."""
    import pandas as pd

    return "" if value is None or pd.isna(value) else str(value)


@dataclass(frozen=True)
class AuditColumns:
    """The audit of some cases, a criterion at a time: ``by_criterion[cid][column][n]`` is the cell of case
    ``cases[n]`` (columns: :data:`AUDIT_COLUMNS`); ``areas[n]`` its area when several areas were scored."""

    cases: list[int]
    areas: list[str] | None
    by_criterion: dict[str, dict[str, list[Cell]]]

    def row(self, criterion: str, n: int) -> AuditRow:
        """The audit row of ``criterion`` for the ``n``-th case (``area`` first when several areas were scored)."""
        row: AuditRow = {"area": self.areas[n]} if self.areas is not None else {}
        columns = self.by_criterion[criterion]
        row.update({c: columns[c][n] for c in AUDIT_COLUMNS})
        return row

    def table(self) -> dict[str, list[Cell]]:
        """The audit as columns, one row per case and criterion (the cases' order, criteria in rule order)."""
        from itertools import chain

        per = len(self.by_criterion)
        out: dict[str, list[Cell]] = {}
        if self.areas is not None:
            out["area"] = [a for a in self.areas for _ in range(per)]
        for c in AUDIT_COLUMNS:
            out[c] = list(chain.from_iterable(zip(*(cols[c] for cols in self.by_criterion.values()), strict=True)))
        return out

    def rows(self) -> list[AuditRow]:
        """The audit as rows (see :func:`audit_rows`)."""
        table = self.table()
        names = list(table)
        return [dict(zip(names, values, strict=True)) for values in zip(*table.values(), strict=True)]


def audit_columns(result: Result, cases: list[int] | None = None) -> AuditColumns:
    """The audit of ``cases`` (default: every case, in :meth:`Result.order`), built a column at a time: each
    criterion's constant words once, each case's shared words once, and each array read once."""
    from engine.score.workings import CaseTexts

    chosen = result.order() if cases is None else [int(i) for i in cases]
    texts = CaseTexts(result)
    areas = None
    if len(result.areas) > 1:
        names = [a or "" for a in result.areas]
        areas = [names[k] for k in result.inputs.case_area[chosen].tolist()]
    by_criterion = {cid: criterion_audit(result, outcome, chosen, texts) for cid, outcome in result.outcomes.items()}
    return AuditColumns(chosen, areas, by_criterion)


def audit_rows(result: Result) -> list[AuditRow]:
    """One row per issue and criterion: inputs and their rows, metric, band, rule score, judgement or override."""
    return audit_columns(result).rows()


def audit_row(result: Result, outcome: CriterionOutcome, i: int) -> AuditRow:
    """The audit of one criterion for issue ``i`` (for many, :func:`audit_columns` builds them together)."""
    found = audit_columns(result, [i])
    return found.row(outcome.criterion.id, 0)


def criterion_audit(result: Result, outcome: CriterionOutcome, cases: list[int], texts: Any) -> dict[str, list[Cell]]:
    """The audit columns of one criterion for ``cases``; ``texts`` (a :class:`~engine.score.workings.CaseTexts`)
    holds the words the criteria of a case share."""
    rules = result.rules
    criterion = outcome.criterion
    count = len(cases)
    columns: dict[str, list[Cell]] = {c: [""] * count for c in AUDIT_COLUMNS}
    issues = list(rules.issues.values())
    issue_of = [issues[k] for k in result.inputs.case_issue[cases].tolist()]
    columns["issue_id"] = [issue.id for issue in issue_of]
    columns["issue"] = [issue.name for issue in issue_of]
    columns["criterion_id"] = [criterion.id] * count
    columns["criterion"] = [criterion.name] * count
    source = outcome.source[cases].tolist()
    columns["source"] = source
    final = _looked_up(outcome.final[cases], rules.score_of)
    columns["final_score"] = final
    meanings = {score: rules.meaning(score, criterion.id) for score in set(final)}
    columns["meaning"] = [meanings[score] for score in final]
    if isinstance(criterion, DataCriterion) and outcome.metric is not None:
        with_data = result.inputs.has_data[cases].tolist()
        picked = [n for n, (s, data) in enumerate(zip(source, with_data, strict=True)) if data and s in _FROM_DATA]
        if picked:
            found = _metric_columns(result, outcome, criterion, outcome.metric, [cases[n] for n in picked], texts)
            for name, values in found.items():
                column = columns[name]
                for n, value in zip(picked, values, strict=True):
                    column[n] = value
    area_names = result.areas
    case_areas = result.inputs.case_area[cases].tolist()
    for n, s in enumerate(source):
        if s == PENDING:  # a draft's missing score: no score is claimed, and what would settle it is said
            needed = (
                criterion.data_needed if isinstance(criterion, DataCriterion) else issue_of[n].pending.get(criterion.id)
            )
            columns["final_score"][n], columns["meaning"][n], columns["rationale"][n] = "", TO_BE_AGREED, needed or ""
        elif s == JUDGEMENT:
            judgement = issue_of[n].judgement(criterion.id, area_names[case_areas[n]])
            assert judgement is not None  # the source says a judgement scored it
            columns["judgement_score"][n] = judgement.score
            columns["rationale"][n] = judgement.rationale
            columns["evidence"][n] = judgement.evidence
        elif s == OVERRIDE:
            override = issue_of[n].override(criterion.id, area_names[case_areas[n]])
            assert override is not None  # the source says an override scored it
            columns["override_score"][n] = override.score
            columns["override_reason"][n] = override.reason
            columns["agreed_by"][n] = override.agreed_by
    return columns


#: The sources of a score whose audit shows the metric: computed from data, no value, or overridden.
_FROM_DATA = (DATA, NO_VALUE, OVERRIDE)


def _metric_columns(
    result: Result,
    outcome: CriterionOutcome,
    criterion: DataCriterion,
    metric: MetricValues,
    cases: list[int],
    texts: Any,
) -> dict[str, list[Cell]]:
    """The audit columns of scores computed from data (or that the data could not give), for ``cases`` (each an
    issue with data)."""
    from engine.score.workings import calculations, describe_inputs, source_rows, values_shown

    count = len(cases)
    bands = outcome.band[cases].tolist()
    rule_units = outcome.rule_score[cases].tolist()
    reasons = metric.reason[cases].tolist()
    labels = [b.label for b in criterion.bands]
    scores = {u: result.rules.score_of(u) for u in set(rule_units)}
    no_value = {str(r): _no_value_band(criterion, str(r)) for r in set(reasons)}
    band_column: list[Cell] = []
    rule_column: list[Cell] = []
    for band, units, reason in zip(bands, rule_units, reasons, strict=True):
        if band >= 0:
            band_column.append(labels[band])
            rule_column.append(scores[units])
        else:
            label, score = no_value[str(reason)]
            band_column.append(label)
            rule_column.append(score)
    return {
        "metric": [criterion.metric] * count,
        "formula": [formula(result, criterion)] * count,
        "inputs": list(describe_inputs(result, criterion, cases, texts)),
        "source_rows": list(source_rows(result, criterion, cases, texts)),
        "calculation": list(calculations(result, criterion, metric, cases, texts)),
        "value": list(values_shown(metric, criterion.decimals, cases)),
        "band": band_column,
        "rule_score": rule_column,
    }


def formula(result: Result, criterion: DataCriterion) -> str:
    """The metric's formula: the expression as written, the measure and how it combines, or the built-in one."""
    if criterion.expression is not None:
        return criterion.expression.text
    if criterion.measure is not None:
        measure = result.rules.measures[criterion.measure]
        return f"{measure.id}: {measure.name}, {MEASURE_KINDS[measure.kind]}"
    if criterion.periods is not None:  # the number of periods in place of N
        import re

        return re.sub(r"\bN\b", str(criterion.periods), METRICS[criterion.metric][0])
    return METRICS[criterion.metric][0]


def _no_value_band(criterion: DataCriterion, reason: str) -> tuple[str, Cell]:
    """The band column and rule score where the metric has no value: which ``if_no_value`` gave the score, if any."""
    score = criterion.no_value_score(reason)
    if criterion.if_no_value_for:  # a score per reason: name the reason and its key
        if score is None:
            return f"none (no value: {reason}; if_no_value gives it no score)", ""
        return f"none (no value: {reason}): if_no_value.{reason}", score
    if score is None:
        return "none (no value)", ""
    return "none (no value): if_no_value", score
