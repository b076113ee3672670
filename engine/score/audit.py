"""The three tables of a result: scores, audit and provenance, as plain rows.

Rows are lists of dicts with fixed keys, in a fixed order, so every renderer
(table, CSV, JSON, Markdown) shows the same thing and output is deterministic
apart from the provenance timestamp.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from functools import lru_cache
from typing import Any

from engine import __version__
from engine.load.expressions import Expression
from engine.load.model import (
    COUNT_SHAPES,
    EXPRESSION_NAMES,
    MEASURE_KINDS,
    METRICS,
    PERIOD_METRICS,
    DataCriterion,
    Measure,
    RankRule,
)
from engine.numbers import SNAP_PLACES, number, plural, unrounded
from engine.score.metrics import MetricValues, measure_decimal, peer_rates, units_column
from engine.score.periods_audit import change_text, period_inputs, series_rows, slope_working
from engine.score.scoring import DATA, JUDGEMENT, NO_VALUE, OVERRIDE, PENDING, CriterionOutcome, Result
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
        for key, value in self.parameters.items():
            rows.append({"item": f"parameter.{key}", "value": value})
        return rows

    def as_dict(self) -> dict[str, Any]:
        return {
            "engine_version": self.engine_version,
            "python_version": self.python_version,
            "generated_at": self.generated_at,
            "rules": {
                "file": self.rules_file,
                "sha256": self.rules_sha256,
                "normalised_sha256": self.rules_normalised_sha256,
            },
            "datasets": list(self.datasets),
            "parameters": dict(self.parameters),
        }


def provenance(result: Result, parameters: dict[str, str], now: datetime | None = None) -> Provenance:
    """The provenance record of ``result``; ``now`` defaults to the current UTC time."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    datasets = tuple(
        {"name": name, "file": d.ref.display, "shape": d.ref.shape, "sha256": d.sha256, "rows": len(d.frame)}
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
    )


def score_rows(result: Result) -> list[ScoreRow]:
    """One row per issue, in rank order: each criterion's final score, each derived value, total, rank, priority,
    margin."""
    rows = []
    rules = result.rules
    for i in result.order():
        issue = rules.issues[result.issue_ids[i]]
        row: ScoreRow = {"area": result.area_of(i) or ""} if len(result.areas) > 1 else {}
        row.update({"issue_id": issue.id, "issue": issue.name})
        pending = False
        for cid, outcome in result.outcomes.items():
            waiting = outcome.source[i] == PENDING
            row[cid] = TO_BE_AGREED if waiting else result.score(cid, i)
            pending |= bool(waiting)
        for did, values in result.derived.items():
            found = values.value(i)
            row[did] = TO_BE_AGREED if pending else ("no value" if found is None else number(found))
        row["total"] = number(result.total(i))
        row["rank"] = int(result.rank[i])
        row["priority"] = "yes" if result.priority[i] else "no"
        row["margin"] = _signed(result.margin(i))
        if result.reaches_cutoff[i] and not result.priority[i]:
            row["priority"] = "no (over max_priorities)"
        if pending:
            row.update(_draft_cells(result, i))
        rows.append(row)
    return rows


#: A score cell still to be agreed (a draft assessment).
TO_BE_AGREED = "to be agreed"


def _draft_cells(result: Result, i: int) -> ScoreRow:
    """A draft case's total as its range, and its priority as far as the range decides it."""
    low, high = number(result.total(i)), number(result.total_max(i))
    undecided = result.undecided is not None and bool(result.undecided[i])
    decided = "yes" if result.priority[i] else "no"
    return {
        "total": f"{low} to {high}",
        "priority": "undecided (draft)" if undecided else f"{decided} (draft)",
        "margin": "",
    }


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
    """Case ``i``'s data rows (None for an issue without data).

    A ``crime_counts`` dataset gives one row per category; a ``crime_series`` dataset the rows of the latest
    periods the metrics read (two, or the most any criterion uses), category by category, oldest first.
    """
    issue = result.rules.issues[result.issue_ids[i]]
    if issue.data is None:
        return None
    dataset = result.datasets[issue.data.dataset]
    columns = [c for c in dataset.frame.columns if c not in ("area", "row")]
    if dataset.ref.shape != "crime_series":
        found = [(int(r["row"]), [_cell(r[c]) for c in columns]) for _, r in result.inputs.links_of(i).iterrows()]
        return DataRows(dataset.ref.display, columns, found)
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


def audit_rows(result: Result) -> list[AuditRow]:
    """One row per issue and criterion: inputs and their rows, metric, band, rule score, judgement or override."""
    rows = []
    for i in result.order():
        for outcome in result.outcomes.values():
            rows.append(audit_row(result, outcome, i))
    return rows


def audit_row(result: Result, outcome: CriterionOutcome, i: int) -> AuditRow:
    """The audit of one criterion for issue ``i``."""
    rules = result.rules
    issue = rules.issues[result.issue_ids[i]]
    criterion = outcome.criterion
    source = outcome.source[i]
    row: AuditRow = {"area": result.area_of(i) or ""} if len(result.areas) > 1 else {}
    row.update(dict.fromkeys(AUDIT_COLUMNS, ""))
    row.update(
        issue_id=issue.id,
        issue=issue.name,
        criterion_id=criterion.id,
        criterion=criterion.name,
        source=source,
        final_score=result.score(criterion.id, i),
        meaning=rules.meaning(result.score(criterion.id, i), criterion.id),
    )
    if source == PENDING:  # a draft's missing score: no score is claimed, and what would settle it is said
        needed = criterion.data_needed if isinstance(criterion, DataCriterion) else issue.pending.get(criterion.id)
        row.update(final_score="", meaning=TO_BE_AGREED, rationale=needed or "")
    if source in (DATA, NO_VALUE, OVERRIDE) and isinstance(criterion, DataCriterion) and outcome.metric is not None:
        row.update(_metric_columns(result, outcome, criterion, outcome.metric, i))
    if source == JUDGEMENT:
        judgement = issue.judgement(criterion.id, result.area_of(i))
        assert judgement is not None  # the source says a judgement scored it
        row.update(judgement_score=judgement.score, rationale=judgement.rationale, evidence=judgement.evidence)
    if source == OVERRIDE:
        override = issue.override(criterion.id, result.area_of(i))
        assert override is not None  # the source says an override scored it
        row.update(override_score=override.score, override_reason=override.reason, agreed_by=override.agreed_by)
    return row


def _metric_columns(
    result: Result, outcome: CriterionOutcome, criterion: DataCriterion, metric: MetricValues, i: int
) -> AuditRow:
    """The audit columns of a score computed from data (or that the data could not give)."""
    inputs = result.inputs
    links = inputs.link_lists(i)
    data = result.rules.issues[result.issue_ids[i]].data
    if data is None:  # an issue without data has judgements, never a data rule's score
        return {}
    dataset = result.datasets[data.dataset]
    rows = ", ".join(str(int(r)) for r in links["row"])
    several = len(links["row"]) != 1
    source_rows = f"{dataset.ref.display} rows {rows}" if several else f"{dataset.ref.display} row {rows}"
    if dataset.ref.shape == "crime_series":  # each period's rows, named by period
        source_rows = series_rows(result, criterion, i)
    reads_population = criterion.metric in ("rate_per_1000", "county_rank") or (
        criterion.expression is not None and "population" in criterion.expression.names
    )
    if reads_population and inputs.population_file is not None:
        source_rows += f"; {inputs.population_file} row {int(inputs.population_row[i])}"
    if criterion.total_category is not None:  # share_of_total: the denominator is the total category's row
        source_rows += "; " + _total_row(result, criterion.total_category, i)
    value = metric.value(i, criterion.decimals)
    band = int(outcome.band[i])
    rule_score: Cell
    if band >= 0:
        band_label, rule_score = criterion.bands[band].label, result.rule_score(criterion.id, i)
    else:
        band_label, rule_score = _no_value_band(criterion, str(metric.reason[i]))
    return {
        "metric": criterion.metric,
        "formula": _formula(result, criterion),
        "inputs": describe_inputs(result, criterion, i),
        "source_rows": source_rows,
        "calculation": calculation(result, criterion, metric, i),
        "value": number(value) if value is not None else "no value",
        "band": band_label,
        "rule_score": rule_score,
    }


def _formula(result: Result, criterion: DataCriterion) -> str:
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


def describe_inputs(result: Result, criterion: DataCriterion, i: int) -> str:
    """The input values of one issue's metric, in words."""
    inputs = result.inputs
    links = inputs.link_lists(i)
    several = len(links["row"]) > 1
    if criterion.metric == "county_rank":
        return f"current {int(inputs.current[i])}; population {int(inputs.population[i])}; " + _peer_text(
            inputs, i, criterion.rank
        )
    if criterion.metric == "county_position":
        positions = _positions(links)
        return f"county positions {positions} ({criterion.combine})" if several else f"county position {positions}"
    if criterion.metric in PERIOD_METRICS:
        return period_inputs(result, criterion, i)
    measures = result.rules.measures
    if criterion.measure is not None:
        return _measure_input(result, measures[criterion.measure], i)
    if criterion.expression is not None:  # exactly the names the expression uses, as it spells them
        values = _expression_values(inputs, i)
        return "; ".join(
            _measure_input(result, measures[name], i)
            if name in measures
            else _expression_input(name, values[name], links)
            for name in (*EXPRESSION_NAMES, *measures)
            if name in criterion.expression.names
        )
    parts = []
    if criterion.metric in ("percent_change", "poisson_z"):
        parts.append("previous missing" if inputs.previous_missing[i] else f"previous {int(inputs.previous[i])}")
    parts.append(_current_text(int(inputs.current[i]), links))
    if criterion.metric == "rate_per_1000":
        parts.append(f"population {int(inputs.population[i])}")
    if criterion.total_category is not None:  # share_of_total
        total = int(inputs.totals[criterion.total_category][0][i])
        parts.append(f"{criterion.total_category} {total}")
    if criterion.metric == "harm_weighted":
        parts.append("weights " + ", ".join(f"{c} {criterion.weights.get(c)}" for c in links["category"]))
    return "; ".join(parts)


def _current_text(current: int, links: dict[str, list[Any]]) -> str:
    """``current 270``, naming the categories summed when there are several."""
    several = len(links["category"]) > 1
    return f"current {current}" + (" (summed over " + ", ".join(links["category"]) + ")" if several else "")


def _measure_input(result: Result, measure: Measure, i: int) -> str:
    """A measure with its value and unit, and the values it combines: ``pct_worried 23.5 % (worst of 23.5, 18)``."""
    value = result.inputs.measure_value(measure.id, i)
    text = f"{measure.id} {'missing' if value is None else _with_unit(value, measure)}"
    rows = _measure_rows(result, measure.id, i)
    if len(rows) > 1:
        listed = ", ".join("missing" if v is None else number(v) for v in rows)
        if value is None:
            text += f" ({listed})"
        elif measure.kind == "count":
            text += " (summed over " + ", ".join(result.inputs.link_lists(i)["category"]) + ")"
        else:
            text += f" (worst of {listed})"
    return text


def _with_unit(value: Decimal, measure: Measure) -> str:
    return number(value) + (f" {measure.unit}" if measure.unit else "")


def _measure_rows(result: Result, mid: str, i: int) -> list[Decimal | None]:
    """The value of measure ``mid`` in each of case ``i``'s data rows, in their order (None: a blank cell)."""
    import pandas as pd

    return [None if pd.isna(v) else measure_decimal(int(v)) for v in result.inputs.links_of(i)[units_column(mid)]]


def _measure_working(result: Result, criterion: DataCriterion, metric: MetricValues, i: int) -> str:
    """``worst of 23.5, 18 = 23.5``, ``12 + 30.5 = 42.5``, ``24.95 -> 25.0 (rounded to 1 place)``."""
    assert criterion.measure is not None
    measure = result.rules.measures[criterion.measure]
    rows = _measure_rows(result, measure.id, i)
    listed = ["missing" if v is None else number(v) for v in rows]
    value = result.inputs.measure_value(measure.id, i)
    rounded = metric.value(i, criterion.decimals)
    combined = " + ".join(listed) if measure.kind == "count" else "worst of " + ", ".join(listed)
    if value is None or rounded is None:
        return f"{combined}: no value" if len(rows) > 1 else "missing: no value"
    if value == rounded:  # nothing lost in rounding: the value as held
        return f"{combined} = {number(rounded)}" if len(rows) > 1 else number(rounded)
    text = f"{combined} = {number(value)}" if len(rows) > 1 else number(value)
    return f"{text} -> {number(rounded)} (rounded to {plural(criterion.decimals, 'place')})"


def _expression_values(inputs: Any, i: int) -> dict[str, int | Decimal | None]:
    """The value each expression name has for case ``i`` (None: missing, which the engine evaluates as no value)."""
    import math

    position = float(inputs.position_worst[i])
    return {
        "previous": None if inputs.previous_missing[i] else int(inputs.previous[i]),
        "current": int(inputs.current[i]),
        "population": int(inputs.population[i]) if inputs.population[i] > 0 else None,
        "county_position": None if inputs.position_missing[i] or math.isnan(position) else int(position),
        **{mid: inputs.measure_value(mid, i) for mid in inputs.measures},
    }


def _expression_input(name: str, value: int | Decimal | None, links: dict[str, list[Any]]) -> str:
    """One name of an expression with its value: ``previous missing``, ``county_position 7 (worst of 7, 2)``."""
    if name == "current" and isinstance(value, int):
        return _current_text(value, links)
    text = f"{name} {'missing' if value is None else value}"
    if name == "county_position" and len(links["category"]) > 1:
        text += f" (worst of {_positions(links)})" if value is not None else f" ({_positions(links)})"
    return text


def _total_row(result: Result, category: str, i: int) -> str:
    """Where the total category's count for case ``i`` comes from: ``data/crime.csv row 7 (total category: All)``.

    As the engine reads it: the last count dataset with a row for the category in the case's area (in a
    crime_series, the latest period's row).
    """
    line = int(result.inputs.totals[category][1][i])
    area = result.area_of(i)
    found = None
    for dataset in result.datasets.values():
        if dataset.ref.shape not in COUNT_SHAPES:
            continue
        frame = dataset.counts
        hits = (frame["category"] == category) & (frame["row"] == line)
        if area is not None:
            hits &= frame["area"] == area
        if hits.any():
            found = dataset.ref.display
    if found is None:
        return f"no data row for the total category {category}"
    return f"{found} row {line} (total category: {category})"


def _peer_text(inputs: Any, i: int, rule: RankRule) -> str:
    """The rate of every area the case is ranked among, for its issue (up to 20 areas; else their range)."""
    words = _peer_words(tuple(peer_rates(inputs, i, rule)))
    if rule.among is None:
        return words
    group = inputs.groups.get(rule.among, {}).get(str(inputs.areas[int(inputs.case_area[i])]), "")
    return f"ranked among {rule.among} {group}: {words}"


@lru_cache(maxsize=1024)
def _peer_words(peers: tuple[tuple[str, Decimal, int], ...]) -> str:
    # Cached: every case of an issue shares the same list, so it is worded once.
    if len(peers) <= 20:
        return "every area's rate per 1,000: " + ", ".join(f"{a} {format(r, 'f')}" for a, r, _ in peers)
    (low_area, low, _), (high_area, high, _) = peers[0], peers[-1]
    return (
        f"rates per 1,000 of the {len(peers)} areas run from {format(low, 'f')} ({low_area}) "
        f"to {format(high, 'f')} ({high_area})"
    )


def _positions(links: dict[str, list[Any]]) -> str:
    """County positions of an issue's rows: ``7, 12, missing``."""
    return ", ".join("missing" if p is None else str(int(p)) for p in links["county_position"])


def calculation(result: Result, criterion: DataCriterion, metric: MetricValues, i: int) -> str:
    """The metric's arithmetic with this issue's numbers, ending in the rounded value."""
    # One short branch per metric (complexity 18): kept whole so each metric's wording reads next to the others.
    inputs = result.inputs
    value = metric.value(i, criterion.decimals)
    shown = number(value) if value is not None else "no value"
    places = f"rounded to {plural(criterion.decimals, 'place')}"
    cur = int(inputs.current[i])
    prev = "missing" if inputs.previous_missing[i] else str(int(inputs.previous[i]))
    if criterion.metric == "percent_change":
        text = f"({cur} - {prev}) / {prev} x 100"
    elif criterion.metric == "rate_per_1000":
        text = f"{cur} / {int(inputs.population[i])} x 1000"
    elif criterion.total_category is not None:  # share_of_total
        text = f"{cur} / {int(inputs.totals[criterion.total_category][0][i])} x 100"
    elif criterion.metric == "change_over_periods":
        text = change_text(result, criterion, i)
    elif criterion.metric == "trend_slope":
        return slope_working(result, criterion, metric, i)
    elif criterion.metric == "harm_weighted":
        links = inputs.links_of(i)
        text = " + ".join(
            f"{int(count)} x {number(criterion.weights.get(category, Decimal(0)))}"
            for category, count in zip(links["category"], links["current"], strict=True)
        )
    elif criterion.expression is not None:  # an expression metric
        return _expression_working(criterion, metric, _expression_values(inputs, i), i)
    elif criterion.measure is not None:
        return _measure_working(result, criterion, metric, i)
    elif criterion.metric == "county_rank":
        peers = peer_rates(inputs, i, criterion.rank)
        return f"position {shown} of {len(peers)} by rate per 1,000 ({criterion.rank.describe()})"
    elif criterion.metric == "poisson_z":
        return _poisson_working(inputs, metric, criterion.decimals, i)
    elif criterion.metric == "county_position":
        positions = _positions(inputs.link_lists(i))
        return f"{criterion.combine} of {positions} = {shown}" if "," in positions else shown
    else:
        return shown
    if value is None:
        return f"{text}: {shown}"
    exact = Decimal(int(metric.numerator[i])) / Decimal(int(metric.denominator[i]))
    if exact == value:
        return f"{text} = {shown}"
    return f"{text} = {unrounded(exact, criterion.decimals)} -> {shown} ({places})"


def _poisson_working(inputs: Any, metric: MetricValues, decimals: int, i: int) -> str:
    """``2 x (sqrt(1150) - sqrt(1000)) = 4.5777... -> 4.58 (rounded to 2 places); two-sided p = 0.0000047``."""
    from engine.stats import two_sided_p

    cur = int(inputs.current[i])
    if inputs.previous_missing[i]:
        return f"2 x (sqrt({cur}) - sqrt(missing)): no value"
    text = f"2 x (sqrt({cur}) - sqrt({int(inputs.previous[i])}))"
    value = metric.value(i, decimals)
    z = float(metric.numerator[i])
    shown = number(value) if value is not None else "no value"
    before = unrounded(Decimal(repr(z)), decimals)
    p = float(two_sided_p([z])[0])
    return (
        f"{text} = {before} -> {shown} (rounded to {plural(decimals, 'place')}); "
        f"two-sided p = {p:.4g} ({'significant' if p < 0.05 else 'not significant'} at 5%)"
    )


def _expression_working(
    criterion: DataCriterion, metric: MetricValues, values: dict[str, int | Decimal | None], i: int
) -> str:
    """The expression with case ``i``'s numbers in place of its names, its unrounded result and rounded value.

    The unrounded result is the engine's: the floating-point value snapped to
    :data:`~engine.numbers.SNAP_PLACES` places beyond the declared precision, which is what is rounded.
    """
    import numpy as np

    assert criterion.expression is not None
    shown = {
        name: "missing" if v is None else number(v) if isinstance(v, Decimal) else str(v) for name, v in values.items()
    }
    text = _substituted(criterion.expression, shown)
    tests = _tests_of_change(criterion.expression, values, shown)
    value = metric.value(i, criterion.decimals)
    if value is None:
        return f"{text}: no value{tests}"
    scale = 10**criterion.decimals
    snapped = Decimal(repr(float(np.round(float(metric.numerator[i]) * scale, SNAP_PLACES)))).scaleb(
        -criterion.decimals
    )
    if snapped == value:
        return f"{text} = {number(value)}{tests}"
    places = f"rounded to {plural(criterion.decimals, 'place')}"
    return f"{text} = {unrounded(snapped, criterion.decimals)} -> {number(value)} ({places}){tests}"


@lru_cache(maxsize=256)
def _compiled_call(segment: str, names: tuple[str, ...]) -> Expression:
    """A Poisson call of an expression, compiled once however many audit rows show it."""
    from engine.load.expressions import compile_expression

    return compile_expression(segment, dict.fromkeys(names, ""))


def _tests_of_change(expression: Expression, values: dict[str, int | Decimal | None], shown: dict[str, str]) -> str:
    """Each Poisson test the expression makes, with its figures and result, so a condition on it can be read.

    ``, where poisson_p(156, 176) = 0.1204``; "" when the expression makes none.
    """
    import ast

    found = []
    for node in ast.walk(expression.tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("poisson_z", "poisson_p")
        ):
            segment = ast.get_source_segment(expression.text, node)
            if segment is None:
                continue
            call = _compiled_call(segment, tuple(values))
            arguments = {name: float("nan") if v is None else float(v) for name, v in values.items()}
            result = float(call.evaluate({n: [arguments[n]] for n in call.names})[0]) if call.names else float("nan")
            words = "no value" if result != result else f"{result:.4g}"
            found.append(f"{_substituted(call, {n: shown[n] for n in call.names})} = {words}")
    return f", where {'; '.join(found)}" if found else ""


def derived_working(result: Result, did: str, i: int) -> str:
    """A derived value's working for case ``i``: ``concern + trend = 4 + 5 = 9`` (rounded to its places if needed).

    The names are the case's final scores and the earlier derived values as held, exactly what was used.
    """
    derived = result.rules.derived[did]
    shown: dict[str, str] = {cid: str(result.score(cid, i)) for cid in result.outcomes}
    for other, values in result.derived.items():
        held = values.value(i)
        shown[other] = "no value" if held is None else number(held)
    value = result.derived[did].value(i)
    working = f"{derived.expression.text} = {_substituted(derived.expression, shown)}"
    if value is None:
        return f"{working}: no value (division by zero or a negative square root)"
    return f"{working} = {number(value)}"


def _substituted(expression: Expression, shown: dict[str, str]) -> str:
    """The expression as written, each name replaced by ``shown[name]`` (positions from its syntax tree)."""
    import ast

    data = expression.text.encode("utf-8")  # the tree's columns count UTF-8 bytes
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    spans = sorted(
        (
            (
                starts[node.lineno - 1] + node.col_offset,
                starts[(node.end_lineno or node.lineno) - 1] + (node.end_col_offset or 0),
                node.id,
            )
            for node in ast.walk(expression.tree)
            if isinstance(node, ast.Name) and node.id in shown
        ),
        reverse=True,
    )
    for start, end, name in spans:  # from the end, so earlier positions stay valid
        data = data[:start] + shown[name].encode("utf-8") + data[end:]
    return data.decode("utf-8")


def result_document(result: Result, provenance: Provenance) -> dict[str, Any]:
    """The whole result as one JSON-ready document: what ``score --format json`` writes and ``replay`` compares."""
    rules = result.rules
    rows = score_rows(result)
    return {
        "assessment": {k: v for k, v in vars(rules.assessment).items() if v is not None},
        "scale": [{"score": p.score, "meaning": p.meaning} for p in rules.scale],
        "criteria": [
            {"id": c.id, "name": c.name, "metric": c.metric if isinstance(c, DataCriterion) else None}
            | ({"scale": [{"score": p.score, "meaning": p.meaning} for p in c.scale]} if c.scale else {})
            for c in rules.criteria.values()
        ],
        "total": rules.total.describe(),
        "cutoff": number(rules.priority.cutoff),
        "max_priorities": rules.priority.max_priorities,
        "priorities": [r["issue_id"] for r in rows if r["priority"] == "yes"],
        **({"draft": draft_lines(result)} if result.draft else {}),
        "scores": rows,
        "audit": audit_rows(result),
        "provenance": provenance.as_dict(),
    }
