"""Band metrics, apply judgements and overrides, combine into totals, apply the cutoff, rank.

Every step works on whole arrays over the cases (one case is one issue in one
area; a single-area assessment has one case per issue). The result keeps
everything an audit needs: metric values, the band each case fell in, the
rule's score, the judgement or override that replaced it, the final score.

Policies (documented in the README):

- Rank: within each area, by total, highest first; equal totals share the
  better rank (1, 1, 3). Cases are listed by area, rank, then rule-file order.
- Priority: total >= cutoff, compared exactly. With ``max_priorities`` N, if
  more than N issues of an area reach the cutoff, issues tied with the N-th
  total are all kept (``ties: include_all``) or all dropped (``ties: exclude_all``).
- A metric with no value scores the criterion's ``if_no_value``; if it has
  none, an override for that issue is required, else the run stops with an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from engine.errors import InputError, Problem
from engine.load.bands import band_index, to_units, unit_range
from engine.load.datasets import Dataset
from engine.load.model import (
    PERIOD_METRICS,
    Criterion,
    DataCriterion,
    Issue,
    Judgement,
    Override,
    RuleSet,
    Score,
    score_units,
)
from engine.load.series import count_column, row_column
from engine.score.metrics import (
    UNDEFINED_BECAUSE,
    IssueInputs,
    MetricValues,
    compute_metric,
    expression_trouble,
    issue_inputs,
)
from engine.score.totals import DerivedValues, as_decimal, combine, decimal_places, derive, total_troubles
from engine.score.trends import periods_read

if TYPE_CHECKING:
    from engine.numbers import BoolArray, IntArray, ObjectArray

#: How each criterion's final score was set, per case.
DATA, NO_VALUE, JUDGEMENT, OVERRIDE = "data", "no value", "judgement", "override"
#: A score still to be agreed (a draft): a judgement ``to_be_agreed``, or data ``if_no_value: to_be_agreed`` awaits.
PENDING = "to be agreed"


@dataclass(frozen=True)
class CriterionOutcome:
    """One criterion across all cases (arrays indexed like ``Result.issue_ids``)."""

    criterion: Criterion
    metric: MetricValues | None  # None for a judgement criterion
    band: IntArray  # index into criterion.bands, -1 where no band applied
    rule_score: IntArray  # score from the data rule; meaningful where source is data/no value/override
    source: ObjectArray  # DATA, NO_VALUE, JUDGEMENT or OVERRIDE per case
    final: IntArray  # scores in whole units of 10**-rules.score_places (read them with Result.score)


@dataclass(frozen=True)
class Result:
    """A scored assessment. Pure data: render it with :mod:`engine.report` or :mod:`engine.checks.explain`."""

    rules: RuleSet
    datasets: dict[str, Dataset]
    inputs: IssueInputs
    outcomes: dict[str, CriterionOutcome]
    total_units: IntArray  # per case, in units of 10**-total_places
    total_places: int
    cutoff_units: int
    rank: IntArray
    reaches_cutoff: BoolArray
    priority: BoolArray
    derived: dict[str, DerivedValues] = field(default_factory=dict)  # each derived value per case, in rule order
    #: a draft's highest possible total per case: every score to be agreed at the top of its scale (None: no draft)
    total_max_units: Any = None
    #: per case: a draft whose priority depends on the scores to be agreed (lowest total below the cutoff, highest
    #: at or above it); its ``total`` is the lowest possible
    undecided: Any = None

    @property
    def draft(self) -> bool:
        """Whether some score is still to be agreed."""
        return self.total_max_units is not None

    def pending(self) -> list[tuple[int, str]]:
        """Every (case, criterion) still to be agreed, in case order then rule-file order."""
        import numpy as np

        cells = [(int(i), cid) for cid, o in self.outcomes.items() for i in np.flatnonzero(o.source == PENDING)]
        order = {cid: n for n, cid in enumerate(self.outcomes)}
        return sorted(cells, key=lambda cell: (cell[0], order[cell[1]]))

    def total_max(self, i: int) -> Decimal:
        """Case ``i``'s highest possible total (its total when nothing is to be agreed)."""
        units = self.total_units[i] if self.total_max_units is None else self.total_max_units[i]
        return as_decimal(int(units), self.total_places)

    @property
    def issue_ids(self) -> tuple[str, ...]:
        """The issue of each case."""
        return self.inputs.issue_ids

    @property
    def areas(self) -> tuple[str | None, ...]:
        """The areas scored, in order."""
        return self.inputs.areas

    def score(self, criterion: str, i: int) -> Score:
        """Case ``i``'s final score for ``criterion``, as written on its scale: 3, or 0.75."""
        return self.rules.score_of(self.outcomes[criterion].final[i])

    def rule_score(self, criterion: str, i: int) -> Score:
        """The score case ``i``'s data rule gives ``criterion`` (before any override)."""
        return self.rules.score_of(self.outcomes[criterion].rule_score[i])

    def area_of(self, i: int) -> str | None:
        return self.inputs.areas[int(self.inputs.case_area[i])]

    def case(self, issue_id: str, area: str | None = None) -> int:
        """The case index of an issue (in ``area``, or the first area scored)."""
        area_index = 0 if area is None else self.inputs.areas.index(area)
        return area_index * len(self.rules.issues) + list(self.rules.issues).index(issue_id)

    def area_cases(self, i: int) -> range:
        """The cases of case ``i``'s area: an area's cases are contiguous, one per issue in rule-file order."""
        n = len(self.rules.issues)
        start = int(self.inputs.case_area[i]) * n
        return range(start, start + n)

    def total(self, i: int) -> Decimal:
        """Case ``i``'s total as an exact decimal."""
        return as_decimal(int(self.total_units[i]), self.total_places)

    def margin(self, i: int) -> Decimal:
        """How far case ``i``'s total is above (+) or below (-) the cutoff."""
        return as_decimal(int(self.total_units[i]) - self.cutoff_units, self.total_places)

    def order(self) -> list[int]:
        """Case indexes by area, then rank, then rule-file order."""
        import numpy as np

        return [int(i) for i in np.lexsort((np.arange(len(self.rank)), self.rank, self.inputs.case_area))]


def score(rules: RuleSet, datasets: dict[str, Dataset], areas: list[str] | str | None = None) -> Result:
    """Score every issue of ``rules`` against ``datasets`` (both already checked).

    ``areas`` lists the areas to score (each gets every issue); by default the
    assessment's area. Raises :class:`InputError` when a metric has no value
    and the rules say nothing about what to do then.
    """
    import numpy as np

    inputs = issue_inputs(rules, datasets, areas)
    problems: list[Problem] = []
    outcomes = {
        cid: _criterion_outcome(rules, datasets, criterion, inputs, problems)
        for cid, criterion in rules.criteria.items()
    }
    if problems:
        raise InputError(problems)
    scores = np.column_stack([outcomes[c].final for c in rules.criteria]).astype(np.int64)
    derived = derive(rules.derived, list(rules.criteria), scores, rules.score_places)
    totals = combine(rules.total, list(rules.criteria), scores, derived_values=derived, places=rules.score_places)
    highest = _draft_highest(rules, outcomes, scores)
    if not totals.defined.all():
        why = total_troubles(rules.total, list(rules.criteria), scores, derived, rules.score_places)
    for i in np.flatnonzero(~totals.defined):
        problems.append(
            rules.positions.problem(
                ("total", "expression"),
                f"the total has no value for issue `{inputs.issue_ids[i]}`: "
                f"{why[i] or 'its value is too large to hold to 6 decimal places (beyond ±1e9)'}",
            )
        )
    if problems:
        raise InputError(problems)
    # A cutoff written with more places than the totals (20.5 against whole sums) is compared at its own precision.
    totals = totals.rescaled(decimal_places([rules.priority.cutoff]))
    total_units, places = totals.units, totals.places
    cutoff_units = to_units(rules.priority.cutoff, places)
    assert cutoff_units is not None  # places covers the cutoff's own decimal places
    group = inputs.case_area
    rank = grouped_rank(total_units, group)
    reaches = total_units >= cutoff_units
    priority = limit_priorities(reaches, total_units, group, area_limits(rules, inputs.areas), rules.priority.ties)
    total_max_units = undecided = None
    if highest is not None:
        total_max_units = highest.rescaled(places).units
        undecided = ~reaches & (total_max_units >= cutoff_units)
    return Result(
        rules,
        datasets,
        inputs,
        outcomes,
        total_units,
        places,
        cutoff_units,
        rank,
        reaches,
        priority,
        derived,
        total_max_units,
        undecided,
    )


def _draft_highest(rules: RuleSet, outcomes: dict[str, CriterionOutcome], scores: IntArray) -> Any:
    """A draft's highest possible totals (every score to be agreed at the top of its scale), or None if no draft.

    A sum or non-negative weighted sum is highest there; an expression total is evaluated at that corner too.
    """
    import numpy as np

    pending = np.column_stack([outcomes[c].source == PENDING for c in rules.criteria])
    if not pending.any():
        return None
    top = np.array([max(rules.units(p.score) for p in rules.scale_of(c)) for c in rules.criteria], dtype=np.int64)
    high = np.where(pending, top[None, :], scores)
    derived = derive(rules.derived, list(rules.criteria), high, rules.score_places)
    return combine(rules.total, list(rules.criteria), high, derived_values=derived, places=rules.score_places)


def _criterion_outcome(
    rules: RuleSet, datasets: dict[str, Dataset], criterion: Criterion, inputs: IssueInputs, problems: list[Problem]
) -> CriterionOutcome:
    import numpy as np

    n = len(inputs.issue_ids)
    metric = None
    band = np.full(n, -1, dtype=np.int64)
    rule_score = np.zeros(n, dtype=np.int64)
    source = np.full(n, JUDGEMENT, dtype=object)
    if isinstance(criterion, DataCriterion):
        metric = compute_metric(criterion, inputs)
        ranges = [unit_range(b, criterion.decimals) for b in criterion.bands]
        scores = np.array([rules.units(b.score) for b in criterion.bands], dtype=np.int64)
        found = band_index(np.where(metric.defined, metric.units, _placeholder(ranges)), ranges)
        band = np.where(metric.defined, found, -1)
        rule_score = np.where(
            band >= 0, scores[np.clip(band, 0, None)], no_value_scores(criterion, metric.reason, rules.score_places)
        )
        source[inputs.has_data] = np.where(metric.defined, DATA, NO_VALUE)[inputs.has_data]
    final = rule_score.copy()
    lowest = min(rules.units(p.score) for p in rules.scale_of(criterion.id))
    if isinstance(criterion, DataCriterion) and metric is not None and criterion.pending_for:
        awaiting = (source == NO_VALUE) & np.isin(metric.reason, list(criterion.pending_for))
        source[awaiting], final[awaiting] = PENDING, lowest
    for k, issue in enumerate(rules.issues.values()):
        if criterion.id in issue.pending:  # to be agreed: the lowest score on its scale until then (a draft)
            source[inputs.case_issue == k], final[inputs.case_issue == k] = PENDING, lowest
    area_index = {area: n for n, area in enumerate(inputs.areas) if area is not None}
    for k, issue in enumerate(rules.issues.values()):
        # A judgement scores a judgement criterion; an override replaces a data rule's score. One issue has one or
        # none; an area's own (a ward panel's) then replaces the issue's in that area.
        for area, entered in _entered(issue, criterion.id):
            mine = inputs.case_issue == k
            if area is not None:
                if area not in area_index:
                    continue  # an area not scored in this run (the data checks know it exists)
                mine &= inputs.case_area == area_index[area]
            final[mine] = rules.units(entered.score)
            source[mine] = JUDGEMENT if isinstance(entered, Judgement) else OVERRIDE
    if isinstance(criterion, DataCriterion) and metric is not None:
        unscored = [r for r in set(metric.reason[source == NO_VALUE]) if criterion.no_value_score(r) is None]
        for i in np.flatnonzero((source == NO_VALUE) & np.isin(metric.reason, unscored)):
            problems.append(_no_value_problem(rules, datasets, criterion, inputs, int(i), str(metric.reason[i])))
    return CriterionOutcome(criterion, metric, band, rule_score, source, final)


def _entered(issue: Issue, criterion: str) -> list[tuple[str | None, Judgement | Override]]:
    """The issue's own judgement or override of ``criterion`` (area None), then each area's own, in that order."""
    return [(area, entry) for area, cid, entry in issue.entries() if cid == criterion]


def no_value_scores(criterion: DataCriterion, reasons: ObjectArray, places: int = 0) -> IntArray:
    """Per case, the score ``if_no_value`` gives for why the metric has no value (0 where none is given).

    In whole units of ``10**-places``, as score arrays hold scores (see ``RuleSet.score_places``).
    """
    import numpy as np

    scores = np.zeros(len(reasons), dtype=np.int64)
    for reason in set(reasons) - {""}:
        scores[reasons == reason] = score_units(criterion.no_value_score(reason) or 0, places)
    return scores


def _placeholder(ranges: list[Any]) -> int:
    """A value inside the band table, used where a metric is undefined."""
    for r in ranges:
        if r.low is not None:
            return r.low
        if r.high is not None:
            return r.high
    return 0


def _no_value_problem(
    rules: RuleSet, datasets: dict[str, Dataset], criterion: DataCriterion, inputs: IssueInputs, i: int, reason: str
) -> Problem:
    """Where and why a metric has no value (for ``reason``): at the blank cell that causes it, when there is one."""
    issue = rules.issues[inputs.issue_ids[i]]
    hint = (
        f"set `if_no_value:` on criteria.{criterion.id} to the score to use, "
        f"or add `overrides: {criterion.id}:` to issue {issue.id} with a reason"
    )
    why = criterion.metric
    if reason == "missing" and f"{why}_missing" in UNDEFINED_BECAUSE:
        why = f"{why}_missing"
    because = expression_trouble(criterion, inputs, i) if why == "expression" else UNDEFINED_BECAUSE[why]
    message = f"`{criterion.id}` cannot be computed for issue `{issue.id}`: {because}"
    dataset = datasets.get(issue.data.dataset) if issue.data else None
    cell = _blank_cell(criterion, inputs, i, dataset) if dataset is not None else None
    if cell is not None:
        assert dataset is not None
        column, line = cell
        columns = list(dataset.frame.columns)
        number = columns.index(column) + 1 if column in columns else 1
        return Problem(dataset.ref.display, line, number, column, message, hint)
    return rules.positions.problem(("criteria", criterion.id, "metric"), message, hint)


#: The column whose blank cell makes each metric have no value, in a crime_counts dataset.
_BLANK_COLUMN = {
    "percent_change": "previous",
    "county_position": "county_position",
    "trend_slope": "previous",
    "change_over_periods": "previous",
}


def _blank_cell(criterion: DataCriterion, inputs: IssueInputs, i: int, dataset: Dataset) -> tuple[str, int] | None:
    """The column and line of the first blank cell that left case ``i``'s metric without a value, if one did.

    In a crime_series dataset, the ``count`` of the oldest period read that has a row but no count (else the
    oldest period's count: a base of 0); in a crime_counts dataset, the metric's column (:data:`_BLANK_COLUMN`, or
    the measure's), at its first blank cell (else its first row).
    """
    links = inputs.links_of(i)
    if dataset.ref.shape == "crime_series":
        if criterion.metric not in ("percent_change", *PERIOD_METRICS):
            return None
        backs = periods_read(criterion)
        for back in backs:
            blank = links[count_column(back)].isna() & (links[row_column(back)] > 0)
            if blank.any():
                return "count", int(links[row_column(back)][blank].iloc[0])
        rows = links[row_column(backs[0])]  # no blank: the base period's count (a 0) is the cause
        return ("count", int(rows[rows > 0].iloc[0])) if (rows > 0).any() else None
    column = criterion.measure if criterion.metric == "measure" else _BLANK_COLUMN.get(criterion.metric)
    if column is None or not len(links):
        return None
    if links[column].isna().any():
        links = links[links[column].isna()]
    return column, int(links["row"].iloc[0])


def grouped_rank(total_units: Any, group: Any) -> Any:
    """Competition ranking within each group, highest total first: ties share the better rank (1, 1, 3)."""
    import numpy as np

    order = np.lexsort((-total_units, group))
    sorted_group, sorted_total = group[order], total_units[order]
    n = len(order)
    position = np.arange(n)
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = sorted_group[1:] != sorted_group[:-1]
    new_value = new_group.copy()
    new_value[1:] |= sorted_total[1:] != sorted_total[:-1]
    group_start = np.maximum.accumulate(np.where(new_group, position, 0))
    value_start = np.maximum.accumulate(np.where(new_value, position, 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = value_start - group_start + 1
    return rank


def area_limits(rules: RuleSet, areas: Sequence[str | None]) -> list[int | None]:
    """The most priorities each area scored may have (its own ``priority.areas`` limit, else the assessment's)."""
    return [rules.priority.limit_for(area) for area in areas]


def limit_priorities(reaches: Any, total_units: Any, group: Any, limits: Sequence[int | None], ties: str) -> Any:
    """Apply each group's (area's) limit, ``limits[group]`` (None: no limit), with the declared tie rule.

    ``reaches`` and ``total_units`` are per case, or [scenario, case] arrays (engine.whatif.grid): the
    same rule, evaluated for every scenario at once.
    """
    import numpy as np

    if all(limit is None for limit in limits):
        return reaches.copy()
    single = reaches.ndim == 1
    r_all, t_all = (reaches[None, :], total_units[None, :]) if single else (reaches, total_units)
    priority = r_all.copy()
    for g in np.unique(group):
        limit = limits[int(g)]
        if limit is None:
            continue
        cols = group == g
        r, t = r_all[:, cols], t_all[:, cols]
        over = r.sum(axis=1) > limit
        if not over.any():
            continue
        masked = np.where(r, t, np.iinfo(np.int64).min)
        boundary = np.sort(masked, axis=1)[:, ::-1][:, limit - 1]  # the limit-th highest total
        above = r & (t > boundary[:, None])
        tied = r & (t == boundary[:, None])
        fits = (above.sum(axis=1) + tied.sum(axis=1)) <= limit
        keep = np.where((fits | (ties == "include_all"))[:, None], above | tied, above)
        priority[:, cols] = np.where(over[:, None], keep, r)
    return priority[0] if single else priority
