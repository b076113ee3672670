"""Static checks of a valid rule file: weaknesses that are not errors but change what a score means.

Each finding has a stable id, a severity and a position. The checks (documented in the README):

- ``L001 band-unreachable``: a band no metric value can reach (outside the metric's range, e.g. a county
  position above the number of areas in the data);
- ``L002 band-not-monotone``: a higher metric value scores lower than a lower one (every built-in metric
  is "higher is worse": a larger rise, rate, share, count, harm or a worse position);
- ``L003 evidence-placeholder``: a judgement whose evidence is a placeholder ("none", "n/a", "tbc", ...);
- ``L004 override-no-change``: an override that gives the score the data rule already gives;
- ``L005 criterion-irrelevant``: a criterion that cannot change any total (weight 0, or absent from the
  total's expression);
- ``L006 dataset-unused``: a dataset nothing reads;
- ``L007 cutoff-unreachable`` / ``L008 cutoff-always-met``: no issue could ever reach the cutoff, or every issue
  always does, whatever its scores;
- ``L009 threshold-on-data``: a band edge sits exactly on a metric value in the data, so the score depends on
  whether the edge is inclusive (fragile: a one-unit change of the data flips the band);
- ``L010 priority-on-one-judgement``: an issue whose priority status flips if one judgement moves by one step
  on the scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from engine.errors import Problem
from engine.load.bands import to_units, unit_range
from engine.load.model import METRICS
from engine.score.scoring import Result
from engine.score.totals import as_decimal, combine

PLACEHOLDERS = {"", "none", "n/a", "na", "-", "tbc", "tbd", "todo", "x", "?", "unknown"}


@dataclass(frozen=True)
class Finding:
    id: str
    name: str
    problem: Problem

    def __str__(self) -> str:
        """``file:line:col: warning: path: message [L001 band-unreachable]`` and the hint below."""
        head, _, hint = str(self.problem).partition("\n")
        return f"{head} [{self.id} {self.name}]" + (f"\n{hint}" if hint else "")


def lint(result: Result) -> list[Finding]:
    """Every finding for the rules of ``result`` (scored against its data), sorted by position."""
    rules = result.rules
    found: list[Finding] = []

    def add(code: str, name: str, path: tuple, message: str, hint: str = "") -> None:
        found.append(Finding(code, name, rules.positions.problem(path, message, hint, severity="warning")))

    areas = _area_count(result)
    for cid, criterion in rules.criteria.items():
        if not criterion.data_driven:
            continue
        _, low, high = METRICS[criterion.metric]
        if criterion.metric == "county_rank" and areas:  # ranks among the data's areas: at most their number
            high = Decimal(areas)
        for band in criterion.bands:
            r = unit_range(band, criterion.decimals)
            lo = None if low is None else to_units(low, criterion.decimals)
            hi = None if high is None else to_units(high, criterion.decimals)
            outside = (r.high is not None and lo is not None and r.high < lo) or (
                r.low is not None and hi is not None and r.low > hi
            )
            if outside:
                below = r.high is not None and lo is not None and r.high < lo
                what = (
                    f"the {criterion.metric.replace('_', ' ')} is at least {low}" if below else f"it is at most {high}"
                )
                add(
                    "L001",
                    "band-unreachable",
                    ("criteria", cid, "bands", band.index),
                    f"band `{band.label}` can never match: {what}",
                    "remove it or move its edges",
                )
        ordered = sorted(criterion.bands, key=lambda b: float("-inf") if b.lower is None else float(b.lower))
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after.score < before.score:
                add(
                    "L002",
                    "band-not-monotone",
                    ("criteria", cid, "bands", after.index),
                    f"band `{after.label}` scores {after.score}, less than the lower band `{before.label}` "
                    f"({before.score}): a higher {criterion.metric.replace('_', ' ')} scores lower",
                    "check the scores are in the intended order",
                )
    for iid, issue in rules.issues.items():
        for cid, judgement in issue.judgements.items():
            if judgement.evidence.strip().strip(".").casefold() in PLACEHOLDERS:
                add(
                    "L003",
                    "evidence-placeholder",
                    ("issues", iid, "judgements", cid, "evidence"),
                    f"the evidence for this judgement is a placeholder (`{judgement.evidence}`)",
                    "name the source an auditor can check",
                )
        for cid, override in issue.overrides.items():
            case = result.case(iid)
            outcome = result.outcomes[cid]
            if outcome.band[case] >= 0 and int(outcome.rule_score[case]) == override.score:
                add(
                    "L004",
                    "override-no-change",
                    ("issues", iid, "overrides", cid),
                    f"the override gives {override.score}, which the data rule already gives",
                    "remove the override",
                )
    total = rules.total
    for cid in rules.criteria:
        if total.method == "weighted_sum" and total.weights.get(cid, Decimal(1)) == 0:
            add("L005", "criterion-irrelevant", ("total", "weights", cid), f"weight 0: `{cid}` never changes a total")
        if total.method == "expression" and total.expression is not None and cid not in total.expression.names:
            add(
                "L005",
                "criterion-irrelevant",
                ("total", "expression"),
                f"`{cid}` is not in the total's expression, so it never changes a total",
            )
    used = {i.data.dataset for i in rules.issues.values() if i.data}
    rates = any(
        c.metric in ("rate_per_1000", "county_rank") or (c.expression and "population" in c.expression.names)
        for c in rules.data_criteria.values()
    )
    for name, ref in rules.datasets.items():
        if name not in used and not (ref.shape == "population" and rates):
            add("L006", "dataset-unused", ("datasets", name), f"dataset `{name}` is declared but nothing reads it")
    _cutoff(result, add)
    _on_data(result, add)
    _one_judgement(result, add)
    return sorted(found, key=lambda f: (f.problem, f.id))


def _area_count(result: Result) -> int:
    import pandas as pd

    areas: set[str] = set()
    for dataset in result.datasets.values():
        if dataset.ref.shape == "crime_counts":
            areas.update(pd.unique(dataset.frame["area"].to_numpy()))
    return len(areas)


def _cutoff(result: Result, add) -> None:
    """The highest and lowest total any issue could have, given the scale (and for weighted sums, weights)."""
    import numpy as np

    rules = result.rules
    scale = sorted(p.score for p in rules.scale)
    extremes = np.array([[scale[0]] * len(rules.criteria), [scale[-1]] * len(rules.criteria)], dtype=np.int64)
    totals = combine(rules.total, list(rules.criteria), extremes)
    values = [as_decimal(int(u), totals.places) for u, ok in zip(totals.units, totals.defined, strict=True) if ok]
    if not values:
        return
    lowest, highest = min(values), max(values)
    if highest < rules.priority.cutoff:
        add(
            "L007",
            "cutoff-unreachable",
            ("priority", "cutoff"),
            f"no issue can reach the cutoff {rules.priority.cutoff}: the highest possible total is {highest}",
        )
    if lowest >= rules.priority.cutoff:
        add(
            "L008",
            "cutoff-always-met",
            ("priority", "cutoff"),
            f"every issue always reaches the cutoff {rules.priority.cutoff}: the lowest possible total is {lowest}",
        )


def _on_data(result: Result, add) -> None:
    """Edges equal to a metric value in the data (once per boundary; not at the metric's own limits)."""
    for cid, outcome in result.outcomes.items():
        criterion = outcome.criterion
        if not criterion.data_driven or criterion.metric in ("county_position", "county_rank"):
            continue  # positions are whole numbers: every band edge is some position, by design
        _, low, high = METRICS[criterion.metric]
        limits = {to_units(x, criterion.decimals) for x in (low, high) if x is not None}
        values: dict[int, set[str]] = {}
        for i, (units, defined) in enumerate(zip(outcome.metric.units, outcome.metric.defined, strict=True)):
            if defined:
                values.setdefault(int(units), set()).add(result.issue_ids[i])
        seen: set[int] = set()
        for band in sorted(criterion.bands, key=lambda b: b.index):
            for edge, key in (
                (band.lower, "from" if band.lower_inclusive else "above"),
                (band.upper, "to" if band.upper_inclusive else "below"),
            ):
                units = None if edge is None else to_units(edge, criterion.decimals)
                if units is None or units in limits or units in seen or units not in values:
                    continue
                seen.add(units)
                add(
                    "L009",
                    "threshold-on-data",
                    ("criteria", cid, "bands", band.index, key),
                    f"edge {edge} equals the {criterion.metric.replace('_', ' ')} of "
                    f"{', '.join(sorted(values[units]))}: whether it is inclusive decides the score",
                    "fragile: a change of one unit in the data moves the issue to the next band",
                )


def _one_judgement(result: Result, add) -> None:
    import numpy as np

    from engine.whatif.grid import Column, evaluate, resolve

    rules = result.rules
    scale = sorted(p.score for p in rules.scale)
    for iid, issue in rules.issues.items():
        case = result.case(iid)
        for cid, judgement in issue.judgements.items():
            n = scale.index(judgement.score)
            neighbours = [Decimal(scale[m]) for m in (n - 1, n + 1) if 0 <= m < len(scale)]
            if not neighbours:
                continue
            parameter = resolve(rules, ("issues", iid, "judgements", cid, "score"))
            evaluation = evaluate(result, [parameter], [Column(neighbours, np.arange(len(neighbours)))])
            flips = [
                v for k, v in enumerate(neighbours) if bool(evaluation.priority[k, case]) != bool(result.priority[case])
            ]
            if flips:
                status = "a priority" if result.priority[case] else "not a priority"
                add(
                    "L010",
                    "priority-on-one-judgement",
                    ("issues", iid, "judgements", cid, "score"),
                    f"`{iid}` is {status} only because this judgement is {judgement.score}: "
                    f"{', '.join(str(v) for v in flips)} would change that",
                    "make sure the rationale and evidence carry the weight of the decision",
                )
