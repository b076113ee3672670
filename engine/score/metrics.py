"""Compute each data-driven criterion's metric for every case at once.

A *case* is one issue in one area; a single-area assessment has one case per
issue, in rule-file order. First the data rows feeding each case are joined
and aggregated (counts are summed; county positions take the worst or best).
Then each metric is a ratio of whole numbers, rounded exactly to the
criterion's ``decimals`` (:mod:`engine.numbers`), or an expression evaluated
over whole columns.

Undefined values, by rule (documented in the README):

- percentage change with a previous count of 0, or a missing previous count
  (blank, or no ``previous`` column) in any of the issue's categories: undefined;
- share of the total when the total category's count is 0: undefined;
- county position when any of the issue's categories has no position: undefined;
- a trend over several periods (:mod:`engine.score.trends`) when a count it reads is missing, or from a zero
  base (every count 0 for ``trend_slope``; a first count of 0 for ``change_over_periods``): undefined;
- an expression that divides by zero or takes the square root of a negative: undefined;
- an issue with no data: not computed (its criteria are judgements).

An undefined value scores the criterion's ``if_no_value``, is replaced by an
override, or else stops the run with a positioned error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from engine.load.datasets import MEASURE_PLACES, Dataset
from engine.load.model import COUNT_SHAPES, NO_VALUE_REASONS, PERIOD_METRICS, DataCriterion, RankRule, RuleSet
from engine.load.series import count_column, periods_back
from engine.numbers import round_float, round_ratio
from engine.score import trends
from engine.score.totals import decimal_places
from engine.stats import poisson_z

if TYPE_CHECKING:
    from engine.numbers import BoolArray, FloatArray, IntArray, ObjectArray

UNDEFINED_BECAUSE = {
    "percent_change": "the previous count is 0, so the percentage change is undefined",
    "percent_change_missing": "a previous count is missing, so the percentage change is undefined",
    "rate_per_1000": "the population is 0",
    "share_of_total": "the total category's count is 0",
    "count": "",
    "county_position": "a county position is missing",
    "county_rank": "",
    "harm_weighted": "",
    "expression": "the expression has no value (it divides by zero, overflows or takes a negative square root)",
    "poisson_z": "a previous count is missing, so the change cannot be tested",
    "measure": "a value of the measure is missing",
    "trend_slope": "every count over the periods is 0, so the trend has no mean to compare with",
    "trend_slope_missing": "a count of one of the periods is missing, so the trend cannot be computed",
    "change_over_periods": "the first period's count is 0, so the percentage change is undefined",
    "change_over_periods_missing": "the first or the last period's count is missing, so the percentage change "
    "is undefined",
}

#: County ranks compare rates per 1,000 rounded to this many places (exactly), so equal rates tie.
RANK_PLACES = 6
#: The rank rule of a county_rank that declares none: lowest rate first, ties share the better position.
DEFAULT_RANK = RankRule()


@dataclass(frozen=True)
class IssueInputs:
    """The data behind every case, as columns.

    ``links`` has one row per case and category: ``case`` (its index),
    ``issue`` (index into the rules' issues), ``area``, ``dataset``,
    ``category``, ``previous``, ``current``, ``county_position``, ``row`` (the
    line in the dataset file; a series' latest period's), any ``published_``
    columns, and each period's count and line counted back from the latest
    (:func:`engine.load.series.count_column`, ``row_column``). ``peers`` is the
    same for every area the data holds, which county ranks compare against.
    ``period_counts`` holds per case the counts of the latest periods the
    metrics read (:func:`engine.score.trends.depth` of them), oldest first and
    summed over categories; ``period_missing`` whether any category's is missing.
    """

    areas: tuple[str | None, ...]
    issue_ids: tuple[str, ...]
    case_area: IntArray
    case_issue: IntArray
    links: Any  # pandas.DataFrame
    peers: Any  # pandas.DataFrame, or None without county ranks
    has_data: BoolArray
    previous: IntArray
    previous_missing: BoolArray
    current: IntArray
    position_worst: FloatArray  # NaN where missing
    position_best: FloatArray
    position_missing: BoolArray
    population: IntArray
    population_row: IntArray
    population_file: str | None
    populations: dict[str | None, int]
    groups: dict[str, dict[str, str]]  # group name (population column group_<name>) -> area -> its group
    totals: dict[str, tuple[IntArray, IntArray]]  # total category -> (current, row) per case
    period_counts: IntArray  # [case, period], oldest first: the last column is the latest period (current)
    period_missing: BoolArray  # [case, period]: a count of some category is missing (blank, or no previous column)
    #: measure id -> (value in units of 10**-MEASURE_PLACES, missing) per case, combined by the measure's kind;
    #: only the measures a criterion uses
    measures: dict[str, tuple[IntArray, BoolArray]] = field(default_factory=dict)

    def measure_value(self, mid: str, case: int) -> Decimal | None:
        """Case ``case``'s value of measure ``mid`` (combined over its categories), exactly; None if missing."""
        units, missing = self.measures[mid]
        return None if missing[case] else measure_decimal(int(units[case]))

    def links_of(self, case: int) -> Any:
        """The data rows of one case."""
        rows = self._rows_by_case.get(int(case))
        return self.links.iloc[rows] if rows is not None else self.links.iloc[0:0]

    @cached_property
    def _rows_by_case(self) -> dict[int, Any]:
        return {int(k): v for k, v in self.links.groupby("case").indices.items()}

    def rows_of(self, case: int) -> list[int]:
        """The positions in :attr:`links` of one case's data rows."""
        rows = self._rows_by_case.get(int(case))
        return [] if rows is None else rows.tolist()

    @cached_property
    def link_cells(self) -> tuple[list[str], Any]:
        """:attr:`links` as its column names and an array of Python objects, each cell as a row of the frame
        holds it (read once, for showing many cases' rows)."""
        return list(self.links.columns), self.links.to_numpy(dtype=object)

    def link_lists(self, case: int) -> dict[str, list[Any]]:
        """One case's data rows as plain lists (category, row, county_position, current), cheap to read repeatedly."""
        return self._link_lists.get(int(case), {"category": [], "row": [], "county_position": [], "current": []})

    @cached_property
    def _link_lists(self) -> dict[int, dict[str, list[Any]]]:
        names = ("category", "row", "county_position", "current")
        columns = {c: self.links[c].tolist() for c in names}
        blank = {c: self.links[c].isna().tolist() for c in names}  # a column at a time, not a cell at a time
        return {
            case: {c: [None if blank[c][i] else columns[c][i] for i in rows] for c in names}
            for case, rows in self._rows_by_case.items()
        }

    def peer_lists(self, rule: RankRule = DEFAULT_RANK) -> dict[tuple[int, str], list[tuple[str, Decimal, Decimal]]]:
        """Per (issue index, group): (area, rate per 1,000, position) of each area compared, by position (audit)."""
        if rule not in self._peer_lists:
            table = self.ranked(rule).sort_values(["issue", "group", "rank", "area"])
            out: dict[tuple[int, str], list[tuple[str, Decimal, Decimal]]] = {}
            columns = (table[c] for c in ("issue", "group", "area", "rate", "rank"))
            for issue, group, area, rate, rank in zip(*columns, strict=True):
                out.setdefault((int(issue), str(group)), []).append(
                    (area, Decimal(int(rate)).scaleb(-RANK_PLACES).normalize(), Decimal(str(rank)).normalize())
                )
            self._peer_lists[rule] = out
        return self._peer_lists[rule]

    @cached_property
    def _peer_lists(self) -> dict[RankRule, dict[tuple[int, str], list[tuple[str, Decimal, Decimal]]]]:
        return {}

    @cached_property
    def peer_table(self) -> Any:
        """Every area's rate per 1,000 per issue: columns issue, area, current, rate (units); computed once."""
        return _peer_table(self)

    def ranked(self, rule: RankRule) -> Any:
        """:attr:`peer_table` with each area's ``group`` and ``rank`` under ``rule`` (computed once per rule)."""
        if rule not in self._ranked:
            self._ranked[rule] = _ranked(self, rule)
        return self._ranked[rule]

    @cached_property
    def _ranked(self) -> dict[RankRule, Any]:
        return {}


@dataclass(frozen=True)
class MetricValues:
    """One criterion's metric for every case: exact units, definedness, and the ratio behind it."""

    units: IntArray  # whole units of 10**-decimals (object dtype holding Python ints if int64 could overflow)
    defined: BoolArray
    numerator: Any  # IntArray, or FloatArray for an expression
    denominator: IntArray
    reason: ObjectArray  # why there is no value (see NO_VALUE_REASONS), "" where there is one

    def value(self, i: int, decimals: int) -> Decimal | None:
        """Case ``i``'s rounded metric as a decimal, or None if undefined."""
        if not self.defined[i]:
            return None
        return Decimal(int(self.units[i])).scaleb(-decimals)


def measure_decimal(units: int) -> Decimal:
    """A measure's value held as whole units of 10**-MEASURE_PLACES, as the decimal the file gave: 23.5."""
    value = Decimal(units).scaleb(-MEASURE_PLACES).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def units_column(mid: str) -> str:
    """The column of the link frame holding measure ``mid``'s exact units (beside its cells as written)."""
    return f"{mid}#units"


def used_measures(rules: RuleSet) -> list[str]:
    """The declared measures some data criterion reads (its metric, or a name in its expression), in file order."""
    used = set()
    for criterion in rules.data_criteria.values():
        if criterion.measure is not None:
            used.add(criterion.measure)
        if criterion.expression is not None:
            used.update(criterion.expression.names)
    return [mid for mid in rules.measures if mid in used]


def scored_areas(rules: RuleSet, datasets: dict[str, Dataset], areas: list[str] | str | None) -> list[str | None]:
    """The areas to score: those asked for ("all": every area), else the assessment's area, else the data's only."""
    from engine.load.datasets import resolve_areas

    areas = resolve_areas(datasets, areas)
    if areas:
        return list(areas)
    if rules.assessment.area is not None:
        return [rules.assessment.area]
    for dataset in datasets.values():
        found = list(dict.fromkeys(dataset.frame["area"]))
        if found:
            return found[:1]
    return [None]


def _link_frame(rules: RuleSet, datasets: dict[str, Dataset], areas: Sequence[str | None]) -> Any:
    """One row per (area, issue, category) with the data row joined on (a series' row by area and category)."""
    import pandas as pd

    issues = list(rules.issues.values())
    base = pd.DataFrame(
        [
            (k, issue.data.dataset, category)
            for k, issue in enumerate(issues)
            if issue.data is not None
            for category in issue.data.categories
        ],
        columns=["issue", "dataset", "category"],
    )
    grid = pd.DataFrame({"area": areas}).merge(base, how="cross")
    depth = trends.depth(rules)
    pieces = []
    for name, dataset in datasets.items():
        if dataset.ref.shape not in COUNT_SHAPES:
            continue
        frame = dataset.counts
        for optional in ("county_position", "previous"):
            if optional not in frame.columns:
                frame = frame.assign(**{optional: pd.array([pd.NA] * len(frame), dtype="Int64")})
        for mid in rules.measures:  # the exact values, aligned by row label; NA where the column is absent
            units = dataset.measures.get(mid)
            blank = pd.Series(pd.array([pd.NA] * len(frame), dtype="Int64"), index=frame.index)
            frame = frame.assign(**{units_column(mid): blank if units is None else units})
        if dataset.ref.shape == "crime_series" or depth > 2:  # a crime_counts row's two are previous and current
            frame = periods_back(frame, dataset.ref.shape, depth)
        mine = grid[grid["dataset"] == name]
        if areas == [None]:  # no area named anywhere: the data holds one area, whatever it is called
            pieces.append(mine.merge(frame.drop(columns=["area"]), on="category", how="left", sort=False))
        else:
            pieces.append(mine.merge(frame, on=["area", "category"], how="left", sort=False))
    if not pieces:
        units = {units_column(mid): pd.NA for mid in rules.measures}
        empty = grid.assign(previous=0, current=0, county_position=pd.NA, row=0, **units)
        return periods_back(empty, "crime_counts", depth)
    return pd.concat(pieces, ignore_index=True)


def issue_inputs(rules: RuleSet, datasets: dict[str, Dataset], areas: list[str] | str | None = None) -> IssueInputs:
    """Join each case's categories to its area's data rows and aggregate, over whole columns."""
    import numpy as np
    import pandas as pd

    chosen = scored_areas(rules, datasets, areas)
    n_issues = len(rules.issues)
    ids = tuple(rules.issues) * len(chosen)
    case_area = np.repeat(np.arange(len(chosen)), n_issues)
    case_issue = np.tile(np.arange(n_issues), len(chosen))
    n = len(ids)

    links = _link_frame(rules, datasets, chosen)
    if chosen == [None]:
        area_code = np.zeros(len(links), dtype=np.int64)
    else:
        area_code = pd.Categorical(links["area"], categories=chosen).codes.astype(np.int64)
    links["case"] = area_code * n_issues + links["issue"].to_numpy(dtype=np.int64)
    links = links.sort_values(["case"], kind="stable").reset_index(drop=True)

    columns = _aggregate(links, n)
    period_counts, period_missing = _period_columns(links, n, trends.depth(rules), columns)
    has_data = np.array([issue.data is not None for issue in rules.issues.values()], dtype=bool)[case_issue]

    populations, rows, population_file = _populations(datasets, chosen)
    groups = _groups(datasets)
    population = np.array([populations.get(a, 0) for a in chosen], dtype=np.int64)[case_area]
    population_row = np.array([rows.get(a, 0) for a in chosen], dtype=np.int64)[case_area]

    totals = {}
    for criterion in rules.data_criteria.values():
        if criterion.metric == "share_of_total" and criterion.total_category is not None:
            totals[criterion.total_category] = _category_totals(criterion.total_category, datasets, chosen, case_area)
    return IssueInputs(
        areas=tuple(chosen),
        issue_ids=ids,
        case_area=case_area,
        case_issue=case_issue,
        links=links,
        peers=_peers(rules, datasets, chosen, links),
        has_data=has_data,
        **columns,
        population=population,
        population_row=population_row,
        population_file=population_file,
        populations=populations,
        groups=groups,
        totals=totals,
        period_counts=period_counts,
        period_missing=period_missing,
        measures={mid: _measure_column(links, mid, rules.measures[mid].kind, n) for mid in used_measures(rules)},
    )


def _aggregate(links: Any, n: int) -> dict[str, Any]:
    """Per case (``n`` of them): counts summed over categories, whether any previous count is missing, and the
    worst and best county position (missing if any category's is)."""
    import numpy as np
    import pandas as pd

    index = pd.RangeIndex(n)
    grouped = links.groupby("case", sort=True)
    position = links["county_position"].astype("Float64")
    by_case = position.groupby(links["case"])
    return {
        "previous": grouped["previous"].sum().reindex(index, fill_value=0).to_numpy(dtype=np.int64),
        "previous_missing": (
            links["previous"].isna().groupby(links["case"]).any().reindex(index, fill_value=False).to_numpy(dtype=bool)
        ),
        "current": grouped["current"].sum().reindex(index, fill_value=0).to_numpy(dtype=np.int64),
        "position_worst": by_case.max().reindex(index).to_numpy(dtype=float, na_value=np.nan),
        "position_best": by_case.min().reindex(index).to_numpy(dtype=float, na_value=np.nan),
        "position_missing": (
            position.isna().groupby(links["case"]).any().reindex(index, fill_value=False).to_numpy(dtype=bool)
        ),
    }


def _period_columns(links: Any, n: int, depth: int, aggregated: dict[str, Any]) -> tuple[Any, Any]:
    """Per case (``n`` of them) and each of the latest ``depth`` periods, oldest first: the counts summed over the
    case's categories, and whether any of them is missing (blank, or not known).

    Two periods are the ``previous`` and ``current`` already ``aggregated`` (:func:`_aggregate`); more are summed
    from the link frame's columns of each period back from the latest."""
    import numpy as np
    import pandas as pd

    if depth <= 2:
        counts = np.column_stack([aggregated["previous"], aggregated["current"]])
        return counts, np.column_stack([aggregated["previous_missing"], np.zeros(n, dtype=bool)])

    index = pd.RangeIndex(n)
    counts = np.zeros((n, depth), dtype=np.int64)
    missing = np.zeros((n, depth), dtype=bool)
    by_case = links["case"]
    for back in range(depth):  # one column per period, each over every case at once
        column = links[count_column(back)].astype("Int64")
        counts[:, depth - 1 - back] = column.groupby(by_case).sum().reindex(index, fill_value=0).to_numpy(np.int64)
        gaps = column.isna().groupby(by_case).any().reindex(index, fill_value=False)
        missing[:, depth - 1 - back] = gaps.to_numpy(dtype=bool)
    return counts, missing


def _measure_column(links: Any, mid: str, kind: str, n: int) -> tuple[Any, Any]:
    """Per case (``n`` of them): a measure's units summed (a count) or the highest (a rate) over the case's
    categories, and whether any category's value is missing (then the case has none)."""
    import numpy as np
    import pandas as pd

    index = pd.RangeIndex(n)
    column = links[units_column(mid)].astype("Int64")
    by_case = column.groupby(links["case"])
    combined = by_case.sum() if kind == "count" else by_case.max()
    missing = column.isna().groupby(links["case"]).any().reindex(index, fill_value=True).to_numpy(dtype=bool)
    units = combined.reindex(index).fillna(0).to_numpy(dtype=np.int64)
    return np.where(missing, 0, units), missing


def _populations(
    datasets: dict[str, Dataset], chosen: list[str | None]
) -> tuple[dict[str | None, int], dict[str | None, int], str | None]:
    """Population and its file line per area, and the population file (the one ``population`` dataset, if any)."""
    populations: dict[str | None, int] = {}
    rows: dict[str | None, int] = {}
    population_file = None
    for dataset in datasets.values():
        if dataset.ref.shape == "population":
            populations = dict(zip(dataset.frame["area"], (int(p) for p in dataset.frame["population"]), strict=True))
            rows = dict(zip(dataset.frame["area"], (int(r) for r in dataset.frame["row"]), strict=True))
            population_file = dataset.ref.display
    if chosen == [None] and len(populations) == 1:  # no area named: the one population is the data's area
        populations[None] = next(iter(populations.values()))
        rows[None] = next(iter(rows.values()))
    return populations, rows, population_file


def _groups(datasets: dict[str, Dataset]) -> dict[str, dict[str, str]]:
    """The population dataset's group columns: name (without ``group_``) -> area -> group (blank: no group)."""
    return next((d.groups() for d in datasets.values() if d.ref.shape == "population"), {})


def _peers(rules: RuleSet, datasets: dict[str, Dataset], chosen: list[str | None], links: Any) -> Any:
    """The data rows of every area, for county ranks (the scored cases' rows when they are every area)."""
    if not any(c.metric == "county_rank" for c in rules.data_criteria.values()):
        return None
    everywhere = _all_areas(datasets)
    return links if set(everywhere) == set(chosen) else _link_frame(rules, datasets, everywhere)


def _all_areas(datasets: dict[str, Dataset]) -> list[str]:
    import pandas as pd

    found: dict[str, None] = {}
    for dataset in datasets.values():
        if dataset.ref.shape in COUNT_SHAPES:
            found.update(dict.fromkeys(pd.unique(dataset.frame["area"].to_numpy())))
    return list(found)


def _category_totals(category: str, datasets: dict[str, Dataset], areas: list[Any], case_area: Any) -> tuple[Any, Any]:
    import numpy as np

    current = {a: 0 for a in areas}
    line = {a: 0 for a in areas}
    for dataset in datasets.values():
        if dataset.ref.shape not in COUNT_SHAPES:
            continue
        hits = dataset.counts[dataset.counts["category"] == category]
        for area, value, row in zip(hits["area"], hits["current"], hits["row"], strict=True):
            key = None if areas == [None] else area
            if key in current:
                current[key], line[key] = int(value), int(row)
    return (
        np.array([current[a] for a in areas], dtype=np.int64)[case_area],
        np.array([line[a] for a in areas], dtype=np.int64)[case_area],
    )


def compute_metric(criterion: DataCriterion, inputs: IssueInputs) -> MetricValues:
    """The criterion's metric for every case (undefined where the issue has no data), with why it has no value."""
    import numpy as np

    ones = np.ones(len(inputs.issue_ids), dtype=np.int64)
    if criterion.metric in ("expression", "poisson_z"):  # float statistics: snapped, then rounded
        if criterion.expression is not None:
            values = criterion.expression.evaluate(_expression_names(inputs))
        else:
            values = poisson_z(np.where(inputs.previous_missing, np.nan, inputs.previous), inputs.current)
        units, defined = round_float(values, criterion.decimals)
        defined = defined & inputs.has_data
        return MetricValues(units, defined, values, ones, _reasons(criterion, inputs, defined))
    num, den = _RATIOS[criterion.metric](criterion, inputs)
    units, defined = round_ratio(num, den, criterion.decimals)
    defined = defined & inputs.has_data
    return MetricValues(units, defined, num, den, _reasons(criterion, inputs, defined))


def _reasons(criterion: DataCriterion, inputs: IssueInputs, defined: BoolArray) -> ObjectArray:
    """Per case, why the metric has no value (a key of NO_VALUE_REASONS), or "" where it has one (or no data)."""
    import numpy as np

    reasons = np.full(len(defined), "", dtype=object)
    undefined = ~defined & inputs.has_data
    known = list(NO_VALUE_REASONS.get(criterion.metric, {}))
    if criterion.metric == "percent_change":
        zero = undefined & (inputs.previous == 0)
        reasons[zero & (inputs.current == 0)] = "zero_to_zero"
        reasons[zero & (inputs.current != 0)] = "zero_to_some"
        reasons[undefined & inputs.previous_missing] = "missing"  # a blank previous count outweighs the others
    elif criterion.metric in PERIOD_METRICS:
        trends.no_value_reasons(criterion, inputs, undefined, reasons)
    elif known:
        reasons[undefined] = known[0]
    return reasons


def _percent_change(criterion: DataCriterion, inputs: IssueInputs) -> tuple[IntArray, IntArray]:
    import numpy as np

    return (inputs.current - inputs.previous) * 100, np.where(inputs.previous_missing, 0, inputs.previous)


def _rate_per_1000(criterion: DataCriterion, inputs: IssueInputs) -> tuple[IntArray, IntArray]:
    return inputs.current * 1000, inputs.population


def _share_of_total(criterion: DataCriterion, inputs: IssueInputs) -> tuple[IntArray, IntArray]:
    assert criterion.total_category is not None  # the loader requires one for this metric
    return inputs.current * 100, inputs.totals[criterion.total_category][0]


def _count(criterion: DataCriterion, inputs: IssueInputs) -> tuple[IntArray, IntArray]:
    import numpy as np

    return inputs.current, np.ones(len(inputs.current), dtype=np.int64)


def _county_position(criterion: DataCriterion, inputs: IssueInputs) -> tuple[IntArray, IntArray]:
    """The worst (or best) position; a missing one makes the denominator 0, so the value is undefined."""
    import numpy as np

    chosen = inputs.position_worst if criterion.combine == "worst" else inputs.position_best
    ok = ~inputs.position_missing & ~np.isnan(chosen)
    return np.where(ok, np.nan_to_num(chosen), 0).astype(np.int64), ok.astype(np.int64)


def _county_rank(criterion: DataCriterion, inputs: IssueInputs) -> tuple[IntArray, IntArray]:
    """Positions in halves (an average of two tied positions is x.5), so the ratio is exact: 2 x position / 2."""
    import numpy as np

    return county_ranks(inputs, criterion.rank), np.full(len(inputs.current), 2, dtype=np.int64)


def _peer_table(inputs: IssueInputs) -> Any:
    """Every area's rate per 1,000, per issue: columns issue, area, current, rate (units of 10**-RANK_PLACES)."""
    import numpy as np

    summed = inputs.peers.groupby(["issue", "area"], sort=True)["current"].sum().reset_index()
    population = summed["area"].map(inputs.populations).fillna(0).astype(np.int64).to_numpy()
    rate, _ = round_ratio(summed["current"].to_numpy(dtype=np.int64) * 1000, population, RANK_PLACES)
    summed["rate"] = rate
    return summed


def _ranked(inputs: IssueInputs, rule: RankRule) -> Any:
    """The peer table with ``group`` (the area's group under ``rule.among``; "" for every area) and ``rank``.

    Ranks are taken within each issue and group, over exact rates, by the rule's tie method and direction.
    """
    table = inputs.peer_table.copy()
    table["group"] = "" if rule.among is None else table["area"].map(inputs.groups.get(rule.among, {})).fillna("")
    ascending = rule.order == "lowest_first"
    table["rank"] = table.groupby(["issue", "group"])["rate"].rank(method=rule.ties, ascending=ascending)
    return table


def peer_rates(inputs: IssueInputs, case: int, rule: RankRule = DEFAULT_RANK) -> list[tuple[str, Decimal, Decimal]]:
    """For the audit: (area, rate per 1,000, position) of every area this case is ranked among, by position."""
    area = inputs.areas[int(inputs.case_area[case])]
    group = "" if rule.among is None else inputs.groups.get(rule.among, {}).get(str(area), "")
    return inputs.peer_lists(rule).get((int(inputs.case_issue[case]), group), [])


def county_ranks(inputs: IssueInputs, rule: RankRule = DEFAULT_RANK) -> Any:
    """Each case's position, times 2, among the areas it is compared with by rate per 1,000 of its issue.

    Rates are compared exactly after rounding to :data:`RANK_PLACES` places; ``rule`` says how ties
    share positions (by default the better one: 1, 1, 3), which end is position 1, and which areas
    are compared (every area in the data, or those of the case's group). Doubled so that an average
    of two positions stays a whole number. Computed from every area's own data, so a scenario that
    changes data changes the ranks.
    """
    import numpy as np
    import pandas as pd

    ranked = inputs.ranked(rule)
    cases = pd.DataFrame({"issue": inputs.case_issue, "area": np.array(inputs.areas, dtype=object)[inputs.case_area]})
    found = cases.merge(ranked[["issue", "area", "rank"]], on=["issue", "area"], how="left", sort=False)
    return np.rint(found["rank"].fillna(0).to_numpy(dtype=float) * 2).astype(np.int64)


def expression_trouble(criterion: DataCriterion, inputs: IssueInputs, i: int) -> str:
    """Why an expression criterion has no value for case ``i``, in the words of the cause."""
    if criterion.expression is None:
        return UNDEFINED_BECAUSE[criterion.metric]
    found = criterion.expression.why_undefined(_expression_names(inputs))
    why = found[i] if len(found) > 1 else found[0]
    return why or "the expression's value is too large to hold to its decimal places"


def _expression_names(inputs: IssueInputs) -> dict[str, Any]:
    import numpy as np

    return {
        "previous": np.where(inputs.previous_missing, np.nan, inputs.previous),
        "current": inputs.current,
        "population": np.where(inputs.population > 0, inputs.population, np.nan),
        "county_position": np.where(inputs.position_missing, np.nan, inputs.position_worst),
        **{
            mid: np.where(missing, np.nan, units.astype(float) / 10**MEASURE_PLACES)
            for mid, (units, missing) in inputs.measures.items()
        },
    }


def _harm_weighted(criterion: DataCriterion, inputs: IssueInputs) -> tuple[IntArray, IntArray]:
    """Sum of current x weight, in whole numbers: weights are scaled by 10**places."""
    import numpy as np
    import pandas as pd

    places = decimal_places(criterion.weights.values())
    scaled = {c: int(w.scaleb(places)) for c, w in criterion.weights.items()}
    links = inputs.links
    weight = links["category"].map(scaled).fillna(0).astype(np.int64)
    weighted = (links["current"].astype(np.int64) * weight).groupby(links["case"]).sum()
    num = weighted.reindex(pd.RangeIndex(len(inputs.issue_ids)), fill_value=0).to_numpy(dtype=np.int64)
    return num, np.full(len(num), 10**places, dtype=np.int64)


def _measure(criterion: DataCriterion, inputs: IssueInputs) -> tuple[IntArray, IntArray]:
    """The declared measure's units over 10**MEASURE_PLACES; a missing value makes the denominator 0 (no value)."""
    import numpy as np

    assert criterion.measure is not None  # the loader requires one for this metric
    units, missing = inputs.measures[criterion.measure]
    return units, np.where(missing, 0, 10**MEASURE_PLACES).astype(np.int64)


#: Each built-in ratio metric as (numerator, denominator) over whole columns of whole numbers.
_RATIOS: dict[str, Callable[[DataCriterion, IssueInputs], tuple[IntArray, IntArray]]] = {
    "percent_change": _percent_change,
    "rate_per_1000": _rate_per_1000,
    "share_of_total": _share_of_total,
    "count": _count,
    "county_position": _county_position,
    "county_rank": _county_rank,
    "harm_weighted": _harm_weighted,
    "measure": _measure,
    "trend_slope": trends.trend_slope,
    "change_over_periods": trends.change_over_periods,
}
