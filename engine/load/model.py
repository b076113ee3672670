"""The typed form of a rule file. Only :mod:`engine.load.rules` builds these; everything else reads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine.load.expressions import Expression
from engine.load.yamlfile import Positions

#: metric name -> (formula shown in audits, smallest possible value, largest possible value).
#: ``None`` is unbounded. Bands must cover every value in this range exactly once.
METRICS: dict[str, tuple[str, Decimal | None, Decimal | None]] = {
    "percent_change": ("(current - previous) / previous x 100", Decimal(-100), None),
    "rate_per_1000": ("current / population x 1,000", Decimal(0), None),
    "share_of_total": ("current / current of the total category x 100", Decimal(0), None),
    "count": ("current", Decimal(0), None),
    "county_position": ("county position (1 = lowest)", Decimal(1), None),
    "county_rank": ("position by rate per 1,000 among the areas in the data (1 = lowest)", Decimal(1), None),
    "harm_weighted": ("sum of current x harm weight", Decimal(0), None),
    "poisson_z": ("2 x (sqrt(current) - sqrt(previous)): the change in standard errors of a Poisson count", None, None),
    "expression": ("the criterion's expression", None, None),
    "measure": ("a measure declared under `measures:`, combined over the issue's categories by its kind", None, None),
    "trend_slope": (
        "100 x slope / mean of the counts y over the latest N periods (x = 0 for the oldest), "
        "slope = (N x sum(xy) - sum(x) x sum(y)) / (N x sum(x^2) - sum(x)^2)",
        None,
        None,
    ),
    "change_over_periods": ("(last - first) / first x 100, over the latest N periods", Decimal(-100), None),
}

#: The metrics over several periods: a criterion using one says how many of the latest periods (``periods: N``).
PERIOD_METRICS = ("trend_slope", "change_over_periods")

#: The dataset shapes issues read counts from: two periods per row, or one row per period.
COUNT_SHAPES = ("crime_counts", "crime_series")

#: Why a metric can have no value, per metric: the reasons ``if_no_value`` may give a score each.
NO_VALUE_REASONS: dict[str, dict[str, str]] = {
    "percent_change": {
        "zero_to_zero": "the previous count is 0 and so is the current one",
        "zero_to_some": "the previous count is 0 and the current one is not",
        "missing": "a previous count is missing",
    },
    "rate_per_1000": {"zero_population": "the population is 0"},
    "share_of_total": {"zero_total": "the total category's count is 0"},
    "county_position": {"missing": "a county position is missing"},
    "poisson_z": {"missing": "a previous count is missing"},
    "expression": {
        "undefined": "the expression has no value (it divides by zero, overflows or takes a negative square root)"
    },
    "measure": {"missing": "a value of the measure is missing"},
    "trend_slope": {
        "zero_mean": "every count over the periods is 0, so there is no mean to compare the slope with",
        "missing": "a count of one of the periods is missing",
    },
    "change_over_periods": {
        "zero_to_zero": "the first period's count is 0 and so is the last one",
        "zero_to_some": "the first period's count is 0 and the last one is not",
        "missing": "the first or the last period's count is missing",
    },
}

#: how each metric may combine several categories of one issue; the first is the default.
COMBINE: dict[str, tuple[str, ...]] = {
    "percent_change": ("sum",),
    "rate_per_1000": ("sum",),
    "share_of_total": ("sum",),
    "count": ("sum",),
    "county_position": ("worst", "best"),
    "county_rank": ("sum",),
    "harm_weighted": ("sum",),
    "poisson_z": ("sum",),
    "expression": ("sum",),
    "measure": ("sum", "worst"),  # set by the measure's kind: a count is summed, a rate takes the worst
    "trend_slope": ("sum",),
    "change_over_periods": ("sum",),
}

#: names an ``expression`` metric can use, with their meaning (counts are summed over categories).
EXPRESSION_NAMES: dict[str, str] = {
    "previous": "the previous period's count",
    "current": "the current period's count",
    "population": "the area's population",
    "county_position": "the county position (worst of the categories)",
}

#: the kinds of a declared measure: how an issue made of several categories combines their values.
MEASURE_KINDS: dict[str, str] = {
    "count": "summed over the issue's categories",
    "rate": "the highest (worst) of the issue's categories",
}

#: how each measure kind combines an issue's categories (a criterion's ``combine``).
MEASURE_COMBINE: dict[str, str] = {"count": "sum", "rate": "worst"}


@dataclass(frozen=True)
class Measure:
    """A partner's own indicator, declared under ``measures:``: a column of ``crime_counts`` datasets.

    A ``count`` (deliberate fires, helpline calls) is summed over an issue's categories, as ``current`` is; a
    ``rate`` (a percentage, a rate) takes the highest of them, the worst, as county positions do. Values are
    decimals, held exactly.
    """

    id: str
    name: str
    kind: str = "count"
    meaning: str | None = None
    unit: str | None = None
    source: str | None = None

    @property
    def combine(self) -> str:
        """How an issue's categories combine: ``sum`` or ``worst``."""
        return MEASURE_COMBINE[self.kind]


@dataclass(frozen=True)
class Assessment:
    title: str
    partnership: str
    period: str
    area: str | None = None
    previous_period: str | None = None
    source: str | None = None


#: A score as the rule file writes it: a whole number, or a decimal such as 0.75 (never a float).
Score = int | Decimal

#: The most decimal places a scale point may have (0.125 is the finest: MoRiLE's multipliers need two).
SCORE_PLACES_MAX = 3


def plain_score(value: int | Decimal) -> Score:
    """A score as written, whole numbers as ints: ``1.0`` is 1, ``0.75`` stays a decimal."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value.normalize()
    return value


def score_units(score: Score, places: int) -> int:
    """``score`` as whole units of ``10**-places`` (exact: ``places`` covers every score on the scales)."""
    return int(Decimal(score).scaleb(places))


def score_value(units: int, places: int) -> Score:
    """The score that ``units`` of ``10**-places`` hold: an int when whole (3, not 3.00), else a decimal (0.75)."""
    if places == 0:
        return int(units)
    value = Decimal(int(units)).scaleb(-places)
    return int(value) if value == value.to_integral_value() else value.normalize()


@dataclass(frozen=True)
class ScalePoint:
    score: Score
    meaning: str


#: A band edge and the edge of the neighbouring band it touches: "from 10" meets "below 10".
TOUCHING = {"from": "below", "below": "from", "above": "to", "to": "above"}


@dataclass(frozen=True)
class Band:
    """Metric values from ``lower`` to ``upper`` score ``score``; ``None`` is unbounded."""

    index: int
    score: Score
    lower: Decimal | None
    lower_inclusive: bool
    upper: Decimal | None
    upper_inclusive: bool

    @property
    def label(self) -> str:
        """The band in the rule file's own words: ``from 5 below 10``."""
        parts = []
        if self.lower is not None:
            parts.append(f"{'from' if self.lower_inclusive else 'above'} {self.lower}")
        if self.upper is not None:
            parts.append(f"{'to' if self.upper_inclusive else 'below'} {self.upper}")
        return " ".join(parts) or "any value"


@dataclass(frozen=True)
class JudgementCriterion:
    """A criterion the partnership scores by judgement, issue by issue (no metric)."""

    id: str
    name: str
    description: str | None = None
    scale: tuple[ScalePoint, ...] = ()  # its own scale; empty: the assessment's

    @property
    def data_driven(self) -> bool:
        return False


#: How a county rank breaks ties between equal rates (pandas' rank methods): 3.4, 3.4 after 2 areas score
#: 3, 3 (min), 3.5, 3.5 (average), 4, 4 (max); dense leaves no gap after a tie (1, 1, 2).
TIE_METHODS = ("min", "average", "max", "dense")


@dataclass(frozen=True)
class RankRule:
    """How a ``county_rank`` orders areas: the tie method, the direction, and which areas it compares.

    ``order`` ``lowest_first`` gives position 1 to the lowest rate per 1,000 (today's default);
    ``highest_first`` to the highest. ``among`` names a group column of the population dataset
    (``group_<among>``): each area is then ranked only among the areas sharing its group. None: every area
    in the data.
    """

    ties: str = "min"
    order: str = "lowest_first"
    among: str | None = None

    def describe(self) -> str:
        """The rule in words, for the audit: ``equal rates share the lower position``."""
        first = "1 = the lowest rate" if self.order == "lowest_first" else "1 = the highest rate"
        ties = {
            "min": "equal rates share the better position",
            "average": "equal rates share the average of their positions",
            "max": "equal rates share the worse position",
            "dense": "equal rates share a position, with no gap after them",
        }[self.ties]
        return f"{first}; {ties}"


@dataclass(frozen=True)
class DataCriterion:
    """A criterion scored from data: a metric, rounded to ``decimals`` places, then banded."""

    id: str
    name: str
    metric: str
    decimals: int
    bands: tuple[Band, ...]
    description: str | None = None
    combine: str = "sum"
    if_no_value: Score | None = None  # None: a missing value is an error (unless if_no_value_for names its reason)
    if_no_value_for: dict[str, Score | None] = field(default_factory=dict)  # reason -> score (None: an error)
    total_category: str | None = None  # share_of_total only
    weights: dict[str, Decimal] = field(default_factory=dict)  # harm_weighted only
    expression: Expression | None = None  # expression only
    measure: str | None = None  # measure only: the declared measure's id
    rank: RankRule = RankRule()  # county_rank only
    periods: int | None = None  # trend_slope and change_over_periods only: how many of the latest periods
    scale: tuple[ScalePoint, ...] = ()  # its own scale; empty: the assessment's
    #: reasons whose score is ``to_be_agreed`` in ``if_no_value``: the data are still to come (a draft)
    pending_for: frozenset[str] = frozenset()
    data_needed: str | None = None  # what would supply the missing data (a file, a command), for drafts

    @property
    def data_driven(self) -> bool:
        return True

    def awaits_data(self, reason: str) -> bool:
        """Whether ``if_no_value`` says the score for ``reason`` is to be agreed once data arrive (a draft)."""
        return reason in self.pending_for

    def no_value_score(self, reason: str) -> Score | None:
        """The score when the metric has no value for ``reason`` (see :data:`NO_VALUE_REASONS`); None: an error
        (or, where :meth:`awaits_data`, a score still to be agreed)."""
        if self.if_no_value_for:
            return self.if_no_value_for.get(reason)
        return self.if_no_value


#: One scoring criterion: scored by judgement, or from data. Narrow with ``isinstance(c, DataCriterion)``.
Criterion = JudgementCriterion | DataCriterion


@dataclass(frozen=True)
class Judgement:
    score: Score
    rationale: str
    evidence: str


@dataclass(frozen=True)
class Override:
    score: Score
    reason: str
    agreed_by: str


@dataclass(frozen=True)
class IssueData:
    dataset: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class AreaEntries:
    """One area's own judgements and overrides of an issue (a ward panel's), replacing the issue's for that area."""

    judgements: dict[str, Judgement] = field(default_factory=dict)
    overrides: dict[str, Override] = field(default_factory=dict)


@dataclass(frozen=True)
class Issue:
    """An issue: its data, and the judgements and overrides recorded for it.

    ``judgements`` and ``overrides`` apply in every area scored; ``areas`` holds an area's own (a ward panel's
    judgement of its ward), which replace the issue's for that criterion in that area only. ``pending`` holds the
    judgements still ``to_be_agreed`` (a draft assessment): criterion -> what the note says.
    """

    id: str
    name: str
    data: IssueData | None = None
    judgements: dict[str, Judgement] = field(default_factory=dict)
    overrides: dict[str, Override] = field(default_factory=dict)
    areas: dict[str, AreaEntries] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)

    def judgement(self, criterion: str, area: str | None = None) -> Judgement | None:
        """The judgement of ``criterion`` in ``area``: the area's own, else the issue's; None if neither."""
        own = self.areas.get(area) if area is not None else None
        return (own.judgements.get(criterion) if own else None) or self.judgements.get(criterion)

    def override(self, criterion: str, area: str | None = None) -> Override | None:
        """The override of ``criterion`` in ``area``: the area's own, else the issue's; None if neither."""
        own = self.areas.get(area) if area is not None else None
        return (own.overrides.get(criterion) if own else None) or self.overrides.get(criterion)

    def entries(self) -> list[tuple[str | None, str, Judgement | Override]]:
        """Every judgement and override as (area or None for the issue's own, criterion, entry), in file order."""
        out: list[tuple[str | None, str, Judgement | Override]] = []
        for area, held in [(None, AreaEntries(self.judgements, self.overrides)), *self.areas.items()]:
            out += [(area, cid, j) for cid, j in held.judgements.items()]
            out += [(area, cid, o) for cid, o in held.overrides.items()]
        return out


@dataclass(frozen=True)
class Total:
    """How criterion scores combine: ``sum``, ``weighted_sum`` or ``expression``."""

    method: str = "sum"
    weights: dict[str, Decimal] = field(default_factory=dict)
    expression: Expression | None = None

    def describe(self) -> str:
        if self.method == "weighted_sum":
            return "weighted sum: " + " + ".join(f"{w} x {c}" for c, w in self.weights.items())
        if self.method == "expression" and self.expression is not None:
            return f"expression: {self.expression.text}"
        return "sum of the criterion scores"


@dataclass(frozen=True)
class PriorityRule:
    """An issue is a priority when its total is at least ``cutoff`` (and within ``max_priorities``)."""

    cutoff: Decimal
    max_priorities: int | None = None
    ties: str = "include_all"
    areas: dict[str, int] = field(default_factory=dict)  # area -> its own max_priorities (a ward panel's list)

    def limit_for(self, area: str | None) -> int | None:
        """The most priorities ``area`` may have: its own limit, else the assessment's (None: no limit)."""
        return self.areas.get(area, self.max_priorities) if area is not None else self.max_priorities


@dataclass(frozen=True)
class Derived:
    """A named intermediate result: an expression over criterion scores and earlier derived values.

    ``harm = physical + community + geographic``; ``risk = harm * likelihood``. Computed per case after the
    scores, shown in the scoring table and ``explain``; totals may use it. Held to ``decimals`` places.
    """

    id: str
    name: str
    expression: Expression
    decimals: int = 2


@dataclass(frozen=True)
class SheetLayout:
    """Where a dataset's table is in an ``.xlsx`` workbook, as the rule file declares it.

    A column is named by its letter (``C``: one to three capitals, as Excel shows them) or by its heading, the text
    of its cell in ``header_row`` (1-based, as Excel numbers rows). ``columns`` maps each of the dataset's column
    names (``category``, ``county_position``, a measure's id...) to its column; ``periods`` maps each period to the
    column holding its counts, oldest first (a ``crime_series`` becomes one row per category and period; a
    ``crime_counts`` dataset's one or two periods are its ``current``, or ``previous`` and ``current``). ``area``
    names the one area a sheet without an area column holds. The table runs from the row below the header to
    ``last_row``, or, without one, to the row before the first whose declared columns are all blank.
    """

    sheet: str
    header_row: int
    columns: tuple[tuple[str, str], ...]  # (dataset column, letter or heading), in rule-file order
    periods: tuple[tuple[str, str], ...] = ()  # (period, letter or heading), oldest first
    area: str | None = None
    last_row: int | None = None


@dataclass(frozen=True)
class DatasetRef:
    name: str
    path: Path
    display: str  # the path as the rule file wrote it, relative to the working folder
    shape: str
    source: str | None = None
    licence: str | None = None  # "OGL-3.0": reports carry the Open Government Licence attribution
    periods: tuple[str, ...] = ()  # crime_series only: its periods as declared, oldest first (empty: ordered as text)
    sheet: SheetLayout | None = None  # an .xlsx dataset's layout; None for a CSV file


@dataclass(frozen=True)
class Publication:
    """The public version of reports: counts from 1 to ``suppress_below - 1`` are shown as ``label`` and what is
    derived from them is left out (a count of 0 identifies no one and is shown)."""

    suppress_below: int
    label: str


@dataclass(frozen=True)
class RuleSet:
    """A loaded, checked rule file."""

    path: Path
    display: str
    sha256: str  # of the rule file's bytes
    assessment: Assessment
    scale: tuple[ScalePoint, ...]
    total: Total
    priority: PriorityRule
    datasets: dict[str, DatasetRef]
    criteria: dict[str, Criterion]
    issues: dict[str, Issue]
    positions: Positions
    changes: tuple[Any, ...] = ()  # overlay.Change: what settings changed from the file as written
    normalised_sha256: str = ""  # of the loaded values (settings applied), not of the bytes
    spellings: tuple[Any, ...] = ()  # errors.Problem notes: categories matched to the data's spelling
    derived: dict[str, Derived] = field(default_factory=dict)  # in the order they can be computed
    measures: dict[str, Measure] = field(default_factory=dict)  # a partner's own indicators, in rule-file order
    #: Scores are held in arrays as whole units of 10**-score_places: 0 unless a scale has a point such as 0.75.
    score_places: int = 0
    publication: Publication | None = None  # the `publication:` section, for report --public

    @property
    def data_criteria(self) -> dict[str, DataCriterion]:
        """The criteria scored from data, in rule-file order."""
        return {cid: c for cid, c in self.criteria.items() if isinstance(c, DataCriterion)}

    def scale_of(self, criterion: str) -> tuple[ScalePoint, ...]:
        """The scale a criterion is scored on: its own, else the assessment's."""
        found = self.criteria.get(criterion)
        return found.scale if found is not None and found.scale else self.scale

    def units(self, score: Score) -> int:
        """A score as the whole units score arrays hold (see :attr:`score_places`)."""
        return score_units(score, self.score_places)

    def score_of(self, units: Any) -> Score:
        """The score whole units of a score array hold: 3, or 0.75."""
        return score_value(int(units), self.score_places)

    def meaning(self, score: Score, criterion: str | None = None) -> str:
        """What a score means on the criterion's scale (the assessment's, without a criterion)."""
        scale = self.scale if criterion is None else self.scale_of(criterion)
        return next((p.meaning for p in scale if p.score == score), "")
