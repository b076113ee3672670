"""Checks of the rules against the data they read: one small named check per thing the data must hold.

Each check takes a :class:`DataContext` (the rule set, its datasets, the areas
to be scored, and lookups over the data built once) and returns the problems it
finds, located in the rule file. :func:`run_checks` runs :data:`AREA_CHECKS`
first and stops there if any fails (every other check reads the rows of the
areas to be scored), then :data:`CHECKS`, in order.

Every dataset here has already been read and checked against its shape, so the
columns a shape requires are present.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from engine.errors import Problem, allowed_list, did_you_mean
from engine.load.model import COUNT_SHAPES, PERIOD_METRICS, DataCriterion, RuleSet
from engine.load.series import count_column, row_column
from engine.load.yamlfile import KeyPath

if TYPE_CHECKING:
    from engine.load.datasets import Dataset  # at run time datasets imports this module


@dataclass
class DataContext:
    """What every data check reads: the rules, the datasets by name, and the areas to be scored.

    ``wanted`` is None when no area is named (neither by the rules nor by the
    caller): then each dataset must cover a single area. Otherwise its first area
    is the one whose categories an issue's categories are checked against. The
    lookups below are built on first use, once.
    """

    rules: RuleSet
    datasets: dict[str, Dataset]
    wanted: list[str] | None

    def problem(self, path: KeyPath, message: str, hint: str = "", *, key: bool = False) -> Problem:
        """A problem located at ``path`` in the rule file (at its key when ``key``)."""
        return self.rules.positions.problem(path, message, hint, key=key)

    @cached_property
    def counts(self) -> dict[str, Dataset]:
        """The count datasets (crime_counts and crime_series) by name."""
        return {name: d for name, d in self.datasets.items() if d.ref.shape in COUNT_SHAPES}

    @cached_property
    def populations(self) -> list[Dataset]:
        """The population datasets (a rate needs exactly one)."""
        return [d for d in self.datasets.values() if d.ref.shape == "population"]

    @cached_property
    def areas_of(self) -> dict[str, list[str]]:
        """Each dataset's areas, in the order they first appear."""
        import pandas as pd

        return {name: list(pd.unique(d.frame["area"].to_numpy())) for name, d in self.datasets.items()}

    @cached_property
    def categories_of(self) -> dict[str, list[str]]:
        """Each count dataset's categories, row by row (a series' by area and category): of the first wanted area,
        or of every row."""
        found = {}
        for name, dataset in self.counts.items():
            frame = dataset.counts
            rows = frame if self.wanted is None else frame[frame["area"] == self.wanted[0]]
            found[name] = list(rows["category"].to_numpy())
        return found

    @cached_property
    def pairs_of(self) -> dict[str, set[tuple[str, str]]]:
        """Each count dataset's (area, category) rows."""
        return {
            name: set(zip(d.counts["area"].to_numpy(), d.counts["category"].to_numpy(), strict=True))
            for name, d in self.counts.items()
        }

    @cached_property
    def series_of(self) -> dict[str, dict[tuple[str, str], tuple[list[int], list[int | None]]]]:
        """Each crime_series dataset's periods by (area, category): the line and the count of each period counted
        back from the latest (line 0: no row for that period; count None: a blank cell)."""
        import pandas as pd

        found = {}
        for name, dataset in self.counts.items():
            if dataset.ref.shape != "crime_series":
                continue
            table = dataset.counts
            depth = range(len(dataset.periods))
            lines = [table[row_column(k)].tolist() for k in depth]
            counts = [[None if pd.isna(c) else int(c) for c in table[count_column(k)]] for k in depth]
            found[name] = {
                (area, category): ([column[n] for column in lines], [column[n] for column in counts])
                for n, (area, category) in enumerate(zip(table["area"], table["category"], strict=True))
            }
        return found

    def series_pairs(
        self, name: str, category: str, *, every_area: bool = False
    ) -> list[tuple[str, list[int], list[int | None]]]:
        """The (area, lines, counts) of one category of series ``name`` in each area to be scored that has it (or in
        every area of the dataset), lines and counts as :attr:`series_of` gives them."""
        pairs = self.series_of[name]
        areas = self.areas_of[name] if every_area or self.wanted is None else self.wanted
        return [(a, *pairs[(a, category)]) for a in areas if (a, category) in pairs]

    def issue_categories(self) -> Iterator[tuple[KeyPath, str, str]]:
        """Every category an issue reads from a count dataset: its key path, the category, the dataset's name."""
        for iid, issue in self.rules.issues.items():
            if issue.data is None or issue.data.dataset not in self.counts:
                continue  # no data, or a dataset the rules already refused
            for i, category in enumerate(issue.data.categories):
                yield ("issues", iid, "data", "categories", i), category, issue.data.dataset

    def used_categories(self) -> list[tuple[str, str]]:
        """(issue id, category) for every category an issue reads, in rule-file order."""
        return [(iid, c) for iid, issue in self.rules.issues.items() if issue.data for c in issue.data.categories]

    def criteria_with(self, *metrics: str, reading: str = "") -> Iterator[tuple[str, DataCriterion]]:
        """The data criteria using one of ``metrics``, or with an expression reading the name ``reading``."""
        for cid, criterion in self.rules.data_criteria.items():
            reads = bool(reading) and criterion.expression is not None and reading in criterion.expression.names
            if criterion.metric in metrics or reads:
                yield cid, criterion


#: A data check: the problems it finds in the rules given the data.
DataCheck = Callable[[DataContext], list[Problem]]


def _and_more(names: Sequence[str]) -> str:
    """The first five of ``names``, and how many more."""
    return allowed_list(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


# -- areas ---------------------------------------------------------------------------


def area_chosen(context: DataContext) -> list[Problem]:
    """With no area named, each dataset must cover a single area (else: say which with `area:`)."""
    if context.wanted is not None:
        return []
    problems = []
    for name, present in context.areas_of.items():
        if len(present) > 1:
            problems.append(
                context.problem(
                    ("assessment",),
                    f"dataset `{name}` covers {len(present)} areas; say which with `area:`",
                    f"areas: {allowed_list(present[:10])}",
                )
            )
    return problems


def area_present(context: DataContext) -> list[Problem]:
    """Every area to be scored is in every dataset (up to five missing areas reported per dataset)."""
    area = context.rules.assessment.area
    problems = []
    for name, present in context.areas_of.items():
        dataset, have = context.datasets[name], set(present)
        for missing in [a for a in context.wanted or [] if a not in have][:5]:
            problems.append(
                context.problem(
                    ("assessment", "area") if missing == area else ("assessment",),
                    f"area `{missing}` is not in {dataset.ref.display}",
                    did_you_mean(missing, present)
                    or (f"areas there: {allowed_list(present[:10])}" if present else "the file has no data rows"),
                )
            )
    return problems


# -- categories ----------------------------------------------------------------------------


def categories_present(context: DataContext) -> list[Problem]:
    """Every category an issue reads is in its dataset (for the first area to be scored)."""
    where = f" for area {context.wanted[0]}" if context.wanted else ""
    problems = []
    for path, category, name in context.issue_categories():
        known = context.categories_of[name]
        if category not in known:
            dataset = context.counts[name]
            problems.append(
                context.problem(
                    path,
                    f"category `{category}` is not in {dataset.ref.display}{where}",
                    did_you_mean(category, known) or f"categories there: {allowed_list(known[:12])}",
                )
            )
    return problems


def categories_for_every_area(context: DataContext) -> list[Problem]:
    """A category found for the first area to be scored has a row for every other area to be scored too."""
    problems: list[Problem] = []
    if len(context.wanted or []) < 2:
        return problems  # the first area's categories are checked by categories_present
    for path, category, name in context.issue_categories():
        if category not in context.categories_of[name]:
            continue  # reported by categories_present
        pairs = context.pairs_of[name]
        lacking = [a for a in (context.wanted or [])[1:] if (a, category) not in pairs]
        if lacking:
            dataset = context.counts[name]
            problems.append(
                context.problem(
                    path, f"category `{category}` has no row in {dataset.ref.display} for {_and_more(lacking)}"
                )
            )
    return problems


# -- populations ---------------------------------------------------------------------------


def population_for_every_ranked_area(context: DataContext) -> list[Problem]:
    """County ranks compare every area in the crime data, so the population dataset must cover them all."""
    if len(context.populations) != 1:
        return []  # reported by population_for_rates
    population = context.populations[0]
    have = set(population.frame["area"].to_numpy())
    problems = []
    for cid, _ in context.criteria_with("county_rank"):
        for name, dataset in context.counts.items():
            lacking = [a for a in context.areas_of[name] if a not in have]
            if lacking:
                problems.append(
                    context.problem(
                        ("criteria", cid, "metric"),
                        f"county ranks compare every area in {dataset.ref.display}, but "
                        f"{population.ref.display} has no population for {_and_more(lacking)}",
                    )
                )
    return problems


def rank_groups_known(context: DataContext) -> list[Problem]:
    """A rank `among` a group reads the population dataset's `group_<name>` column, which every ranked area fills."""
    if len(context.populations) != 1:
        return []  # reported by population_for_rates
    population = context.populations[0]
    groups_of = population.groups()
    columns = list(groups_of)
    problems = []
    for cid, criterion in context.criteria_with("county_rank"):
        among = criterion.rank.among
        if among is None:
            continue
        here = ("criteria", cid, "rank", "among")
        if among not in groups_of:
            hint = did_you_mean(among, columns) or (
                f"groups there: {allowed_list(columns)}" if columns else f"add a column group_{among} to it"
            )
            problems.append(context.problem(here, f"{population.ref.display} has no column `group_{among}`", hint))
            continue
        lacking = [a for name in context.counts for a in context.areas_of[name] if not groups_of[among].get(a)]
        if lacking:
            problems.append(
                context.problem(
                    here,
                    f"ranks among `{among}` need every area's group, but {population.ref.display} gives none for "
                    f"{_and_more(list(dict.fromkeys(lacking)))}",
                    f"fill the group_{among} column for every area in the crime data",
                )
            )
    return problems


def population_for_rates(context: DataContext) -> list[Problem]:
    """A rate per 1,000 (or a county rank, or an expression reading `population`) needs one population dataset."""
    found = len(context.populations)
    if found == 1:
        return []
    return [
        context.problem(
            ("criteria", cid, "metric"),
            f"a rate per 1,000 needs exactly one population dataset; found {found}",
            "add a dataset with `shape: population`",
        )
        for cid, _ in context.criteria_with("rate_per_1000", "county_rank", reading="population")
    ]


# -- metric inputs ---------------------------------------------------------------------------


def county_position_column(context: DataContext) -> list[Problem]:
    """County positions (the metric, or an expression reading them) need the column in every dataset issues read."""
    read = sorted({issue.data.dataset for issue in context.rules.issues.values() if issue.data})
    lacking = [
        context.counts[name]
        for name in read
        if name in context.counts and "county_position" not in context.counts[name].counts.columns
    ]
    series_hint = "a crime_series dataset has no county positions: `county_rank` ranks areas from their own counts"
    return [
        context.problem(
            ("criteria", cid, "metric"),
            f"county positions are needed but {dataset.ref.display} has no `county_position` column",
            series_hint if dataset.ref.shape == "crime_series" else "",
        )
        for cid, _ in context.criteria_with("county_position", reading="county_position")
        for dataset in lacking
    ]


def measure_columns(context: DataContext) -> list[Problem]:
    """A criterion using a declared measure (its metric, or a name in its expression) needs the measure's column in
    every dataset issues read."""
    read = sorted({issue.data.dataset for issue in context.rules.issues.values() if issue.data})
    problems = []
    for cid, criterion in context.rules.data_criteria.items():
        if criterion.measure is not None:
            needed, key = [criterion.measure], "measure"
        elif criterion.expression is not None:
            needed, key = [m for m in context.rules.measures if m in criterion.expression.names], "expression"
        else:
            continue
        for mid in needed:
            for name in read:
                dataset = context.counts.get(name)
                if dataset is not None and dataset.ref.shape == "crime_series":
                    problems.append(
                        context.problem(
                            ("criteria", cid, key),
                            f"measure `{mid}` is needed but {dataset.ref.display} is a crime_series dataset, "
                            "which has no measure columns",
                            "measures are columns of crime_counts datasets",
                        )
                    )
                elif dataset is not None and mid not in dataset.frame.columns:
                    problems.append(
                        context.problem(
                            ("criteria", cid, key),
                            f"measure `{mid}` is needed but {dataset.ref.display} has no `{mid}` column",
                            f"add a `{mid}` column to {dataset.ref.display} (a blank cell is a missing value)",
                        )
                    )
    return problems


def share_total_category(context: DataContext) -> list[Problem]:
    """A share of the total names a total category that every count dataset has."""
    problems = []
    for cid, criterion in context.criteria_with("share_of_total"):
        total = criterion.total_category
        if total is None:
            continue  # the loader refuses share_of_total without `total_category`
        for name, dataset in context.counts.items():
            known = context.categories_of[name]
            if total not in known:
                problems.append(
                    context.problem(
                        ("criteria", cid, "total_category"),
                        f"category `{total}` is not in {dataset.ref.display}",
                        did_you_mean(total, known),
                    )
                )
    return problems


def harm_weights_known(context: DataContext) -> list[Problem]:
    """Every category given a harm weight is in the data."""
    known = {c for name in context.counts for c in context.categories_of[name]}
    return [
        context.problem(
            ("criteria", cid, "weights", category),
            f"category `{category}` is not in the data",
            did_you_mean(category, sorted(known)),
        )
        for cid, criterion in context.criteria_with("harm_weighted")
        for category in criterion.weights
        if category not in known
    ]


def harm_weights_complete(context: DataContext) -> list[Problem]:
    """Every category an issue reads has a harm weight."""
    return [
        context.problem(("criteria", cid, "weights"), f"category `{category}` (issue `{iid}`) has no harm weight")
        for cid, criterion in context.criteria_with("harm_weighted")
        for iid, category in context.used_categories()
        if category not in criterion.weights
    ]


# -- periods of a crime_series ---------------------------------------------------------------


def latest_period_counted(context: DataContext) -> list[Problem]:
    """Every category read from a crime_series dataset (by an issue, or as a share's total category) has a row with
    a count for the dataset's latest period, in every area to be scored (every area, when county ranks compare
    them): metrics read it as the current count. A blank count is reported at its cell."""
    ranked = any(context.criteria_with("county_rank"))
    read: list[tuple[KeyPath, str, str, str]] = [
        (path, category, name, f"issue `{path[1]}` reads it") for path, category, name in context.issue_categories()
    ]
    for cid, criterion in context.criteria_with("share_of_total"):
        if criterion.total_category is not None:
            read += [
                (("criteria", cid, "total_category"), criterion.total_category, name, f"`{cid}` reads it")
                for name in context.counts
            ]
    problems = []
    seen: set[tuple[str, str, str]] = set()
    for path, category, name, reader in read:
        dataset = context.counts[name]
        if dataset.ref.shape != "crime_series" or not dataset.periods:
            continue
        latest = dataset.periods[-1]
        count_at = list(dataset.frame.columns).index("count") + 1
        for area, lines, counts in context.series_pairs(name, category, every_area=ranked):
            if (name, area, category) in seen:
                continue
            seen.add((name, area, category))
            hint = f"every metric reads the latest period's count (as `current`): add the row for {latest}"
            if not lines[0]:
                problems.append(
                    context.problem(
                        path,
                        f"{area} / {category} has no row for {latest}, the latest period of {dataset.ref.display}",
                        hint,
                    )
                )
            elif counts[0] is None:
                problems.append(
                    Problem(
                        dataset.ref.display,
                        lines[0],
                        count_at,
                        "count",
                        f"the count of {area} / {category} for {latest}, the latest period, is blank, but {reader}",
                        "every metric reads the latest period's count (as `current`): fill it in",
                    )
                )
    return problems


def periods_for_trends(context: DataContext) -> list[Problem]:
    """A metric over N periods (trend_slope, change_over_periods) finds the latest N periods of every category an
    issue reads, in every area to be scored: a crime_series dataset must have a row for each (a blank count is a
    missing count, scored by `if_no_value`); a crime_counts dataset holds only two."""
    read = list(dict.fromkeys(name for _, _, name in context.issue_categories()))
    problems = []
    for cid, criterion in context.criteria_with(*PERIOD_METRICS):
        n = criterion.periods or 2
        for name in read:
            problems += _periods_lacking(context, cid, n, name)
    return problems


#: At most this many areas and categories lacking periods are named, per criterion and dataset.
_LACKING_SHOWN = 5


def _periods_lacking(context: DataContext, cid: str, n: int, name: str) -> list[Problem]:
    """What criterion ``cid`` (over ``n`` periods) lacks in dataset ``name``."""
    dataset = context.counts[name]
    here = ("criteria", cid, "periods")
    needs = f"`{cid}` needs the latest {n} periods"
    fewer = f"or use fewer periods (`periods:` on criteria.{cid})"
    if dataset.ref.shape == "crime_counts":
        if n <= 2:
            return []
        return [
            context.problem(
                here,
                f"{needs}, but datasets.{name} is a crime_counts dataset, which holds two (previous and current)",
                f"give the counts one row per area, category and period in a crime_series dataset, {fewer}",
            )
        ]
    periods = dataset.periods
    if len(periods) < n:
        return [
            context.problem(
                here,
                f"{needs}, but datasets.{name} has only {len(periods)} ({allowed_list(periods)})",
                f"add the earlier periods to {dataset.ref.display}, {fewer}",
            )
        ]
    wanted = periods[-n:]
    lacking = []
    categories = dict.fromkeys(c for _, c, d in context.issue_categories() if d == name)
    for category in categories:
        for area, lines, _ in context.series_pairs(name, category):
            have = [p for k, p in enumerate(reversed(periods[-n:])) if lines[k]][::-1]
            if len(have) < n:
                lacking.append((area, category, have))
    problems = []
    for area, category, have in lacking[:_LACKING_SHOWN]:
        missing = [p for p in wanted if p not in have]
        only = f"only {len(have)} of them ({allowed_list(have)})" if have else "none of them"
        problems.append(
            context.problem(
                here,
                f"{needs} ({wanted[0]} to {wanted[-1]}), but datasets.{name} has {only} for {area} / {category}",
                f"add the row{'s' if len(missing) > 1 else ''} for {allowed_list(missing)} to {dataset.ref.display}, "
                + fewer,
            )
        )
    if len(lacking) > _LACKING_SHOWN:
        problems.append(
            context.problem(
                here, f"... and {len(lacking) - _LACKING_SHOWN} more areas and categories lacking periods `{cid}` needs"
            )
        )
    return problems


#: Checks of the areas; if any fails, the other checks are not run.
def _data_areas(context: DataContext) -> list[str]:
    """Every area of the crime_counts datasets, in order."""
    return list(dict.fromkeys(a for name in context.counts for a in context.areas_of[name]))


def named_areas_present(context: DataContext) -> list[Problem]:
    """An area with its own judgements or its own limit must be an area of the data (never silently unused)."""
    named: list[tuple[KeyPath, str]] = [(("priority", "areas", a), a) for a in context.rules.priority.areas]
    named += [(("issues", iid, "areas", a), a) for iid, issue in context.rules.issues.items() for a in issue.areas]
    if not named:
        return []
    present = _data_areas(context)
    known = set(present)
    return [
        context.problem(
            path,
            f"area `{area}` is not in the data",
            did_you_mean(area, present) or f"areas in the data: {_and_more(present)}",
            key=True,
        )
        for path, area in named
        if area not in known
    ]


def judged_in_every_area(context: DataContext) -> list[Problem]:
    """An issue judged area by area has a judgement of each such criterion in every area scored."""
    scored = context.wanted if context.wanted is not None else _data_areas(context)
    problems = []
    for iid, issue in context.rules.issues.items():
        if not issue.areas:
            continue
        for cid, criterion in context.rules.criteria.items():
            if cid in issue.judgements or (isinstance(criterion, DataCriterion) and issue.data is not None):
                continue
            missing = [a for a in scored if issue.judgement(cid, a) is None]
            if missing:
                problems.append(
                    context.problem(
                        ("issues", iid, "areas"),
                        f"issue `{iid}` has no judgement of `{cid}` for {_and_more(missing)}",
                        f"add `{cid}:` under `judgements:` of each of these areas, "
                        "or a judgement of the issue itself for every area",
                        key=True,
                    )
                )
    return problems


AREA_CHECKS: tuple[DataCheck, ...] = (area_chosen, area_present, named_areas_present)

#: The checks run once the areas are known to be in the data, in order.
CHECKS: tuple[DataCheck, ...] = (
    judged_in_every_area,
    categories_present,
    categories_for_every_area,
    population_for_every_ranked_area,
    rank_groups_known,
    population_for_rates,
    county_position_column,
    measure_columns,
    share_total_category,
    harm_weights_known,
    harm_weights_complete,
    latest_period_counted,
    periods_for_trends,
)


def run_checks(context: DataContext) -> list[Problem]:
    """The problems of :data:`AREA_CHECKS`, or if there are none, of :data:`CHECKS`, in check order.

    (Not in position order: :class:`~engine.errors.InputError` sorts them.)
    """
    problems = [p for check in AREA_CHECKS for p in check(context)]
    if problems:
        return problems
    return [p for check in CHECKS for p in check(context)]
