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
from decimal import ROUND_DOWN, Decimal
from functools import lru_cache
from typing import Any

from engine import __version__
from engine.load.model import METRICS, DataCriterion
from engine.numbers import number
from engine.score.metrics import MetricValues, peer_rates
from engine.score.scoring import DATA, JUDGEMENT, NO_VALUE, OVERRIDE, CriterionOutcome, Result

#: A table cell: text, or a whole number (a score, a rank).
Cell = str | int
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
    """One row per issue, in rank order: each criterion's final score, total, rank, priority, margin."""
    rows = []
    rules = result.rules
    for i in result.order():
        issue = rules.issues[result.issue_ids[i]]
        row: ScoreRow = {"area": result.area_of(i) or ""} if len(result.areas) > 1 else {}
        row.update({"issue_id": issue.id, "issue": issue.name})
        for cid, outcome in result.outcomes.items():
            row[cid] = int(outcome.final[i])
        row["total"] = number(result.total(i))
        row["rank"] = int(result.rank[i])
        row["priority"] = "yes" if result.priority[i] else "no"
        row["margin"] = _signed(result.margin(i))
        if result.reaches_cutoff[i] and not result.priority[i]:
            row["priority"] = "no (over max_priorities)"
        rows.append(row)
    return rows


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + number(value)


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
        final_score=int(outcome.final[i]),
        meaning=rules.meaning(int(outcome.final[i])),
    )
    if source in (DATA, NO_VALUE, OVERRIDE) and isinstance(criterion, DataCriterion) and outcome.metric is not None:
        row.update(_metric_columns(result, outcome, criterion, outcome.metric, i))
    if source == JUDGEMENT:
        judgement = issue.judgements[criterion.id]
        row.update(judgement_score=judgement.score, rationale=judgement.rationale, evidence=judgement.evidence)
    if source == OVERRIDE:
        override = issue.overrides[criterion.id]
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
    if criterion.metric in ("rate_per_1000", "county_rank") and inputs.population_file is not None:
        source_rows += f"; {inputs.population_file} row {int(inputs.population_row[i])}"
    value = metric.value(i, criterion.decimals)
    band = int(outcome.band[i])
    rule_score: Cell
    if band >= 0:
        band_label, rule_score = criterion.bands[band].label, int(outcome.rule_score[i])
    elif criterion.if_no_value is not None:
        band_label, rule_score = "none (no value): if_no_value", criterion.if_no_value
    else:
        band_label, rule_score = "none (no value)", ""
    return {
        "metric": criterion.metric,
        "formula": criterion.expression.text if criterion.expression is not None else METRICS[criterion.metric][0],
        "inputs": describe_inputs(result, criterion, i),
        "source_rows": source_rows,
        "calculation": calculation(result, criterion, metric, i),
        "value": number(value) if value is not None else "no value",
        "band": band_label,
        "rule_score": rule_score,
    }


def describe_inputs(result: Result, criterion: DataCriterion, i: int) -> str:
    """The input values of one issue's metric, in words."""
    inputs = result.inputs
    links = inputs.link_lists(i)
    several = len(links["row"]) > 1
    if criterion.metric == "county_rank":
        return f"current {int(inputs.current[i])}; population {int(inputs.population[i])}; " + _peer_text(inputs, i)
    if criterion.metric == "county_position":
        positions = _positions(links)
        return f"county positions {positions} ({criterion.combine})" if several else f"county position {positions}"
    parts = []
    if criterion.metric in ("percent_change", "expression"):
        parts.append("previous missing" if inputs.previous_missing[i] else f"previous {int(inputs.previous[i])}")
    parts.append(f"current {int(inputs.current[i])}")
    if several:
        parts[-1] += " (summed over " + ", ".join(links["category"]) + ")"
    if criterion.metric == "rate_per_1000" or (
        criterion.expression is not None and "population" in criterion.expression.names
    ):
        parts.append(f"population {int(inputs.population[i])}")
    if criterion.total_category is not None:  # share_of_total
        total = int(inputs.totals[criterion.total_category][0][i])
        parts.append(f"{criterion.total_category} {total}")
    if criterion.metric == "harm_weighted":
        parts.append("weights " + ", ".join(f"{c} {criterion.weights.get(c)}" for c in links["category"]))
    return "; ".join(parts)


def _peer_text(inputs: Any, i: int) -> str:
    """Every area's rate for the case's issue (up to 20 areas; else their range)."""
    return _peer_words(tuple(peer_rates(inputs, i)))


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
    inputs = result.inputs
    value = metric.value(i, criterion.decimals)
    shown = number(value) if value is not None else "no value"
    places = f"rounded to {criterion.decimals} place{'s' if criterion.decimals != 1 else ''}"
    prev, cur = int(inputs.previous[i]), int(inputs.current[i])
    if criterion.metric == "percent_change":
        text = f"({cur} - {prev}) / {prev} x 100"
    elif criterion.metric == "rate_per_1000":
        text = f"{cur} / {int(inputs.population[i])} x 1000"
    elif criterion.total_category is not None:  # share_of_total
        text = f"{cur} / {int(inputs.totals[criterion.total_category][0][i])} x 100"
    elif criterion.metric == "harm_weighted":
        text = f"{int(metric.numerator[i])} / {int(metric.denominator[i])}"
    elif criterion.expression is not None:  # an expression metric
        return f"{criterion.expression.text} = {shown} ({places})"
    elif criterion.metric == "county_rank":
        peers = peer_rates(inputs, i)
        return f"position {shown} of {len(peers)} by rate per 1,000 (equal rates share a position)"
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
    return f"{text} = {_unrounded(exact, criterion.decimals)} -> {shown} ({places})"


def _unrounded(exact: Decimal, decimals: int) -> str:
    """The ratio to four more places than declared, truncated, with "..." if there is more."""
    shown = exact.quantize(Decimal(1).scaleb(-(decimals + 4)), rounding=ROUND_DOWN)
    return format(shown.normalize(), "f") if shown == exact else format(shown, "f") + "..."


def result_document(result: Result, provenance: Provenance) -> dict[str, Any]:
    """The whole result as one JSON-ready document: what ``score --format json`` writes and ``replay`` compares."""
    rules = result.rules
    rows = score_rows(result)
    return {
        "assessment": {k: v for k, v in vars(rules.assessment).items() if v is not None},
        "scale": [{"score": p.score, "meaning": p.meaning} for p in rules.scale],
        "criteria": [
            {"id": c.id, "name": c.name, "metric": c.metric if isinstance(c, DataCriterion) else None}
            for c in rules.criteria.values()
        ],
        "total": rules.total.describe(),
        "cutoff": number(rules.priority.cutoff),
        "max_priorities": rules.priority.max_priorities,
        "priorities": [r["issue_id"] for r in rows if r["priority"] == "yes"],
        "scores": rows,
        "audit": audit_rows(result),
        "provenance": provenance.as_dict(),
    }
