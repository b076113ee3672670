"""Band metrics, apply judgements and overrides, combine into totals, apply the cutoff, rank.

Every step works on whole arrays over the issues. The result keeps everything
an audit needs: metric values, the band each issue fell in, the rule's score,
the judgement or override that replaced it, the final score.

Policies (documented in the README):

- Rank: by total, highest first; equal totals share the better rank (1, 1, 3).
  Rows are listed by rank, then in rule-file order.
- Priority: total >= cutoff, compared exactly. With ``max_priorities`` N, if
  more than N issues reach the cutoff, issues tied with the N-th total are all
  kept (``ties: include_all``) or all dropped (``ties: exclude_all``).
- A metric with no value scores the criterion's ``if_no_value``; if it has
  none, an override for that issue is required, else the run stops with an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .bands import band_index, to_units, unit_range
from .datasets import Dataset
from .errors import InputError, Problem
from .metrics import UNDEFINED_BECAUSE, IssueInputs, MetricValues, compute_metric, issue_inputs
from .model import Criterion, RuleSet
from .numbers import SNAP_PLACES, round_float

#: How each criterion's final score was set, per issue.
DATA, NO_VALUE, JUDGEMENT, OVERRIDE = "data", "no value", "judgement", "override"


@dataclass(frozen=True)
class CriterionOutcome:
    """One criterion across all issues (arrays indexed like ``Result.issue_ids``)."""

    criterion: Criterion
    metric: MetricValues | None
    band: Any  # index into criterion.bands, -1 where no band applied
    rule_score: Any  # score from the data rule; meaningful where source is data/no value/override
    source: tuple[str, ...]
    final: Any


@dataclass(frozen=True)
class Result:
    """A scored assessment. Pure data: render it with :mod:`engine.render` or :mod:`engine.explain`."""

    rules: RuleSet
    datasets: dict[str, Dataset]
    inputs: IssueInputs
    outcomes: dict[str, CriterionOutcome]
    total_units: Any
    total_places: int
    cutoff_units: int
    rank: Any
    reaches_cutoff: Any
    priority: Any

    @property
    def issue_ids(self) -> tuple[str, ...]:
        return self.inputs.issue_ids

    def total(self, i: int) -> Decimal:
        """Issue ``i``'s total as an exact decimal."""
        return _decimal(int(self.total_units[i]), self.total_places)

    def margin(self, i: int) -> Decimal:
        """How far issue ``i``'s total is above (+) or below (-) the cutoff."""
        return _decimal(int(self.total_units[i]) - self.cutoff_units, self.total_places)

    def order(self) -> list[int]:
        """Issue indexes by rank, then rule-file order."""
        return sorted(range(len(self.issue_ids)), key=lambda i: (int(self.rank[i]), i))


def _decimal(units: int, places: int) -> Decimal:
    value = Decimal(units).scaleb(-places)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def score(rules: RuleSet, datasets: dict[str, Dataset]) -> Result:
    """Score every issue of ``rules`` against ``datasets`` (both already checked).

    Raises :class:`InputError` when a metric has no value and the rules say
    nothing about what to do then.
    """
    import numpy as np

    inputs = issue_inputs(rules, datasets)
    problems: list[Problem] = []
    outcomes = {
        cid: _criterion_outcome(rules, datasets, criterion, inputs, problems)
        for cid, criterion in rules.criteria.items()
    }
    if problems:
        raise InputError(problems)
    scores = np.column_stack([outcomes[c].final for c in rules.criteria]).astype(np.int64)
    total_units, places = _combine(rules, scores, problems)
    if problems:
        raise InputError(problems)
    cutoff_places = max(-rules.priority.cutoff.as_tuple().exponent, 0)
    if cutoff_places > places:
        total_units = total_units * 10 ** (cutoff_places - places)
        places = cutoff_places
    cutoff_units = to_units(rules.priority.cutoff, places)
    rank = _rank(total_units)
    reaches = total_units >= cutoff_units
    priority = _limit(reaches, total_units, rules.priority.max_priorities, rules.priority.ties)
    return Result(rules, datasets, inputs, outcomes, total_units, places, cutoff_units, rank, reaches, priority)


def _criterion_outcome(
    rules: RuleSet, datasets: dict[str, Dataset], criterion: Criterion, inputs: IssueInputs, problems: list[Problem]
) -> CriterionOutcome:
    import numpy as np

    n = len(inputs.issue_ids)
    issues = list(rules.issues.values())
    metric = None
    band = np.full(n, -1, dtype=np.int64)
    rule_score = np.zeros(n, dtype=np.int64)
    source = [JUDGEMENT] * n
    if criterion.data_driven:
        metric = compute_metric(criterion, inputs)
        ranges = [unit_range(b, criterion.decimals) for b in criterion.bands]
        scores = np.array([b.score for b in criterion.bands], dtype=np.int64)
        found = band_index(np.where(metric.defined, metric.units, _placeholder(ranges)), ranges)
        band = np.where(metric.defined, found, -1)
        rule_score = np.where(band >= 0, scores[np.clip(band, 0, None)], criterion.if_no_value or 0)
        for i in np.flatnonzero(inputs.has_data):
            source[i] = DATA if metric.defined[i] else NO_VALUE
    final = rule_score.copy()
    for i, issue in enumerate(issues):
        judgement = issue.judgements.get(criterion.id)
        override = issue.overrides.get(criterion.id)
        if judgement is not None:
            final[i], source[i] = judgement.score, JUDGEMENT
        elif override is not None:
            final[i], source[i] = override.score, OVERRIDE
        elif source[i] == NO_VALUE and criterion.if_no_value is None:
            problems.append(_no_value_problem(rules, datasets, criterion, inputs, i))
    return CriterionOutcome(criterion, metric, band, rule_score, tuple(source), final)


def _placeholder(ranges: list[Any]) -> int:
    """A value inside the band table, used as a placeholder where a metric is undefined."""
    for r in ranges:
        if r.low is not None:
            return r.low
        if r.high is not None:
            return r.high
    return 0


def _no_value_problem(
    rules: RuleSet, datasets: dict[str, Dataset], criterion: Criterion, inputs: IssueInputs, i: int
) -> Problem:
    """Where and why a metric has no value: at the data row that causes it, when there is one."""
    issue = rules.issues[inputs.issue_ids[i]]
    hint = (
        f"set `if_no_value:` on criteria.{criterion.id} to the score to use, "
        f"or add `overrides: {criterion.id}:` to issue {issue.id} with a reason"
    )
    message = f"`{criterion.id}` cannot be computed for issue `{issue.id}`: {UNDEFINED_BECAUSE[criterion.metric]}"
    column = {"percent_change": "previous", "county_position": "county_position"}.get(criterion.metric)
    links = inputs.links[inputs.links["issue"] == i]
    if column == "county_position":
        links = links[links["county_position"].isna()]
    dataset = datasets.get(issue.data.dataset) if issue.data else None
    if column and dataset is not None and len(links):
        columns = list(dataset.frame.columns)
        number = columns.index(column) + 1 if column in columns else 1
        return Problem(dataset.ref.display, int(links["row"].iloc[0]), number, column, message, hint)
    return rules.positions.problem(("criteria", criterion.id, "metric"), message, hint)


def _combine(rules: RuleSet, scores: Any, problems: list[Problem]) -> tuple[Any, int]:
    """Totals as whole units of 10**-places, computed exactly."""
    import numpy as np

    total = rules.total
    if total.method == "sum":
        return scores.sum(axis=1), 0
    if total.method == "weighted_sum":
        places = max((max(-w.as_tuple().exponent, 0) for w in total.weights.values()), default=0)
        weights = np.array([int(total.weights[c].scaleb(places)) for c in rules.criteria], dtype=np.int64)
        return scores @ weights, places
    values = total.expression.evaluate({c: scores[:, k] for k, c in enumerate(rules.criteria)})
    units, defined = round_float(values, SNAP_PLACES)
    for i in np.flatnonzero(~defined):
        problems.append(
            rules.positions.problem(
                ("total", "expression"),
                f"the total has no value for issue `{list(rules.issues)[i]}` "
                "(division by zero or a negative square root)",
            )
        )
    return units, SNAP_PLACES


def _rank(total_units: Any) -> Any:
    """Competition ranking, highest total first: ties share the better rank (1, 1, 3)."""
    import numpy as np

    ascending = np.sort(total_units)
    higher = len(total_units) - np.searchsorted(ascending, total_units, side="right")
    return higher + 1


def _limit(reaches: Any, total_units: Any, limit: int | None, ties: str) -> Any:
    import numpy as np

    if limit is None or int(reaches.sum()) <= limit:
        return reaches.copy()
    candidates = np.sort(total_units[reaches])[::-1]
    boundary = candidates[limit - 1]
    above = reaches & (total_units > boundary)
    tied = reaches & (total_units == boundary)
    if int(above.sum()) + int(tied.sum()) <= limit or ties == "include_all":
        return above | tied
    return above
