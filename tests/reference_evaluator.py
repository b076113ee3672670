"""A straightforward evaluator: one scenario, one case, one criterion at a time, in exact decimals.

It is the oracle for the vectorised path (:mod:`engine.whatif.grid`): the tests require
both to agree on every scenario, and ``bench/`` reports how much faster the
vectorised path is. It shares no arithmetic with it: metric values are
recomputed from the data rows with fractions, rounded with ``decimal``, and
banded by comparing decimals with each band's inclusive or exclusive edges.
(Expression metrics and county ranks are taken from the result as computed.)
Trends over several periods are recomputed from each period's count in the
data rows: the least-squares slope by its textbook formula over fractions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from engine.load.model import METRICS, Band, Criterion, DataCriterion
from engine.score.scoring import JUDGEMENT, OVERRIDE, Result
from engine.whatif.grid import Column, Parameter


@dataclass(frozen=True)
class ReferenceOutcome:
    """Per scenario: scores[case][criterion], totals[case], priority[case], and whether the bands were valid."""

    scores: list[list[list[int]]]
    totals: list[list[Decimal]]
    priority: list[list[bool]]
    valid: list[bool]


def reference_evaluate(result: Result, parameters: list[Parameter], columns: list[Any]) -> ReferenceOutcome:
    """Evaluate every scenario (see :func:`engine.whatif.grid.evaluate` for the meaning of the arguments)."""
    columns = [Column.of(c) for c in columns]
    k = len(columns[0]) if columns else 1
    sums = _case_sums(result)
    out = ReferenceOutcome([], [], [], [])
    for s in range(k):
        values = {p: col.values[int(col.index[s])] for p, col in zip(parameters, columns, strict=True)}
        scores, totals, valid = _scenario(result, values, sums)
        out.scores.append(scores)
        out.totals.append(totals)
        out.priority.append(_priorities(result, totals, values))
        out.valid.append(valid)
    return out


def _case_sums(result: Result) -> list[dict[str, Any]]:
    """Per case: summed previous/current, positions and weights' categories, and each period's count back from the
    latest (None: missing in some category), by walking the data rows."""
    import pandas as pd

    trends = any(c.metric in ("trend_slope", "change_over_periods") for c in result.rules.data_criteria.values())
    depth = sum(1 for c in result.inputs.links.columns if c.startswith("count#")) if trends else 0
    sums = [
        {"previous": 0, "missing": False, "current": 0, "positions": [], "categories": [], "periods": [0] * depth}
        for _ in result.issue_ids
    ]
    for record in result.inputs.links.to_dict("records"):
        entry = sums[int(record["case"])]
        for back in range(depth):
            count = record[f"count#{back}"]
            known = entry["periods"][back]
            entry["periods"][back] = None if known is None or pd.isna(count) else known + int(count)
    for row in result.inputs.links.itertuples(index=False):
        entry = sums[int(row.case)]
        if pd.isna(row.previous):
            entry["missing"] = True
        else:
            entry["previous"] += int(row.previous)
        entry["current"] += int(row.current)
        position = row.county_position
        entry["positions"].append(None if pd.isna(position) else int(position))
        entry["categories"].append((row.category, int(row.current)))
    return sums


def _scenario(result: Result, values: dict[Parameter, Decimal], sums: list[dict[str, Any]]) -> tuple[Any, Any, bool]:
    rules = result.rules
    criteria = {cid: _variant(c, values) for cid, c in rules.criteria.items()}
    valid = all(_covers_once(c) for c in criteria.values() if c.data_driven)
    scores = []
    for case, issue_id in enumerate(result.issue_ids):
        row = []
        for cid, criterion in criteria.items():
            outcome = result.outcomes[cid]
            source = outcome.source[case]
            cells = [v for p, v in values.items() if p.kind == "cell" and p.issue == issue_id and p.criterion == cid]
            if cells:
                row.append(int(cells[-1]))
                continue
            if source in (JUDGEMENT, OVERRIDE):
                kind = "judgement" if source == JUDGEMENT else "override"
                chosen = [v for p, v in values.items() if p.kind == kind and p.issue == issue_id and p.criterion == cid]
                base = outcome.final[case]
                row.append(int(chosen[-1]) if chosen else int(base))
                continue
            value = _metric(result, criterion, case, sums[case])
            row.append(_band_score(criterion, value, _reason(result, criterion, case, sums[case])))
        scores.append(row)
    totals = [_total(result, row, values) for row in scores]
    return scores, totals, valid


def _variant(criterion: Criterion, values: dict[Parameter, Decimal]) -> Criterion:
    if not isinstance(criterion, DataCriterion):
        return criterion
    bands = list(criterion.bands)
    if_no_value = criterion.if_no_value
    if_no_value_for = dict(criterion.if_no_value_for)
    for parameter, value in values.items():
        if parameter.criterion != criterion.id:
            continue
        if parameter.kind == "band_score":
            bands[parameter.band] = replace(bands[parameter.band], score=int(value))
        if parameter.kind == "if_no_value" and parameter.reason is not None:
            if_no_value_for[parameter.reason] = int(value)
        elif parameter.kind == "if_no_value":
            if_no_value = int(value)
        if parameter.kind == "edge":
            for index, edge in ((parameter.band, parameter.edge), *parameter.linked):
                bands[index] = _move(bands[index], edge, value)
    return replace(criterion, bands=tuple(bands), if_no_value=if_no_value, if_no_value_for=if_no_value_for)


def _move(band: Band, edge: str, value: Decimal) -> Band:
    if edge in ("from", "above"):
        return replace(band, lower=value, lower_inclusive=edge == "from")
    return replace(band, upper=value, upper_inclusive=edge == "to")


def _contains(band: Band, value: Decimal) -> bool:
    if band.lower is not None and (value < band.lower or (value == band.lower and not band.lower_inclusive)):
        return False
    return not (band.upper is not None and (value > band.upper or (value == band.upper and not band.upper_inclusive)))


def _covers_once(criterion: Criterion) -> bool:
    """Every value the metric can take (on its decimal grid) lies in exactly one band, checked at each edge."""
    step = Decimal(1).scaleb(-criterion.decimals)
    _, low, high = METRICS[criterion.metric]
    points = set()
    for band in criterion.bands:
        for edge in (band.lower, band.upper):
            if edge is not None:
                points.update({edge - step, edge, edge + step})
    points.update({low if low is not None else Decimal(-(10**15)), high if high is not None else Decimal(10**15)})
    inside = [p for p in points if (low is None or p >= low) and (high is None or p <= high)]
    return all(sum(_contains(b, p) for b in criterion.bands) == 1 for p in inside)


def _reason(result: Result, criterion: Criterion, case: int, sums: dict[str, Any]) -> str:
    """Why the metric has no value, worked out from the data rows (or taken from the result for float metrics)."""
    metric = criterion.metric
    if metric == "percent_change":
        if sums["missing"]:
            return "missing"
        return "zero_to_zero" if sums["current"] == 0 else "zero_to_some"
    if metric in ("expression", "poisson_z", "county_rank"):
        return str(result.outcomes[criterion.id].metric.reason[case])
    if metric in ("trend_slope", "change_over_periods"):
        counts = _periods(criterion, sums)
        if metric == "trend_slope":
            return "missing" if None in counts else "zero_mean"
        if counts[0] is None or counts[-1] is None:
            return "missing"
        return "zero_to_zero" if counts[-1] == 0 else "zero_to_some"
    return {"rate_per_1000": "zero_population", "share_of_total": "zero_total", "county_position": "missing"}.get(
        metric, ""
    )


def _metric(result: Result, criterion: Criterion, case: int, sums: dict[str, Any]) -> Decimal | None:
    metric = criterion.metric
    if metric in ("expression", "county_rank", "poisson_z"):
        return result.outcomes[criterion.id].metric.value(case, criterion.decimals)
    previous, current = sums["previous"], sums["current"]
    if metric == "percent_change":
        ratio = None if previous == 0 or sums["missing"] else Fraction(current - previous, previous) * 100
    elif metric == "rate_per_1000":
        population = int(result.inputs.population[case])
        ratio = None if population == 0 else Fraction(current * 1000, population)
    elif metric == "share_of_total":
        total = int(result.inputs.totals[criterion.total_category][0][case])
        ratio = None if total == 0 else Fraction(current * 100, total)
    elif metric == "count":
        ratio = Fraction(current)
    elif metric in ("trend_slope", "change_over_periods"):
        ratio = _trend(criterion, _periods(criterion, sums))
    elif metric == "county_position":
        positions = sums["positions"]
        if not positions or None in positions:
            ratio = None
        else:
            ratio = Fraction(max(positions) if criterion.combine == "worst" else min(positions))
    else:  # harm_weighted
        ratio = sum((Fraction(str(criterion.weights.get(c, 0))) * n for c, n in sums["categories"]), Fraction(0))
    if ratio is None:
        return None
    scaled = ratio * 10**criterion.decimals
    units = math.floor(abs(scaled) + Fraction(1, 2))  # half away from zero
    return Decimal(units if scaled >= 0 else -units).scaleb(-criterion.decimals)


def _periods(criterion: Criterion, sums: dict[str, Any]) -> list[int | None]:
    """The counts of the criterion's latest N periods, oldest first."""
    return list(reversed(sums["periods"][: criterion.periods]))


def _trend(criterion: Criterion, counts: list[int | None]) -> Fraction | None:
    """The slope of the least-squares line through (x, count), x = 0, 1, ..., as a percentage of the mean count;
    or the percentage change from the first count to the last."""
    if criterion.metric == "change_over_periods":
        first, last = counts[0], counts[-1]
        return None if first is None or last is None or first == 0 else Fraction(last - first, first) * 100
    if None in counts or sum(counts) == 0:
        return None
    n = len(counts)
    mean_x = Fraction(n - 1, 2)
    mean_y = Fraction(sum(counts), n)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(counts)) / sum((x - mean_x) ** 2 for x in range(n))
    return slope / mean_y * 100


def _band_score(criterion: Criterion, value: Decimal | None, reason: str) -> int:
    if value is None:
        return criterion.no_value_score(reason) or 0
    for band in criterion.bands:
        if _contains(band, value):
            return band.score
    return 0


def _total(result: Result, row: list[int], values: dict[Parameter, Decimal]) -> Decimal:
    total = result.rules.total
    if total.method == "sum":
        return Decimal(sum(row))
    if total.method == "weighted_sum":
        weights = dict(total.weights)
        for parameter, value in values.items():
            if parameter.kind == "weight":
                weights[parameter.criterion] = value
        return sum((Decimal(s) * weights[c] for s, c in zip(row, result.rules.criteria, strict=True)), Decimal(0))
    names: dict[str, Any] = dict(zip(result.rules.criteria, row, strict=True))
    if result.rules.derived:  # derived values as the engine holds them (rounded to their places), case by case
        import numpy as np

        from engine.score.totals import derive

        for did, found in derive(result.rules.derived, list(result.rules.criteria), np.array([row])).items():
            names[did] = float(found.value(0)) if found.defined[0] else float("nan")
    value = float(total.expression.evaluate(names))
    return Decimal(repr(value)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def _priorities(result: Result, totals: list[Decimal], values: dict[Parameter, Decimal]) -> list[bool]:
    rules = result.rules
    cutoffs = [v for p, v in values.items() if p.kind == "cutoff"]
    cutoff = cutoffs[-1] if cutoffs else rules.priority.cutoff
    reaches = [t >= cutoff for t in totals]
    limit = rules.priority.max_priorities
    if limit is None:
        return reaches
    out = list(reaches)
    for area in set(int(a) for a in result.inputs.case_area):
        cases = [i for i in range(len(totals)) if int(result.inputs.case_area[i]) == area and reaches[i]]
        if len(cases) <= limit:
            continue
        ordered = sorted((totals[i] for i in cases), reverse=True)
        boundary = ordered[limit - 1]
        above = [i for i in cases if totals[i] > boundary]
        tied = [i for i in cases if totals[i] == boundary]
        keep = set(above) | (
            set(tied) if len(above) + len(tied) <= limit or rules.priority.ties == "include_all" else set()
        )
        for i in cases:
            out[i] = i in keep
    return out
