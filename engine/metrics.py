"""Compute each data-driven criterion's metric for every issue at once.

First the data rows feeding each issue are joined and aggregated (counts are
summed; county positions take the worst or best). Then each metric is a ratio
of whole numbers, rounded exactly to the criterion's ``decimals``
(:mod:`engine.numbers`), or an expression evaluated over whole columns.

Undefined values, by rule (documented in the README):

- percentage change with a previous count of 0: undefined;
- share of the total when the total category's count is 0: undefined;
- county position when any of the issue's categories has no position: undefined;
- an expression that divides by zero or takes the square root of a negative: undefined;
- an issue with no data: not computed (its criteria are judgements).

An undefined value scores the criterion's ``if_no_value``, is replaced by an
override, or else stops the run with a positioned error.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .datasets import Dataset
from .model import Criterion, RuleSet
from .numbers import round_float, round_ratio

UNDEFINED_BECAUSE = {
    "percent_change": "the previous count is 0, so the percentage change is undefined",
    "rate_per_1000": "the population is 0",
    "share_of_total": "the total category's count is 0",
    "count": "",
    "county_position": "a county position is missing",
    "harm_weighted": "",
    "expression": "the expression has no value (division by zero or a negative square root)",
}


@dataclass(frozen=True)
class IssueInputs:
    """The data behind every issue, one entry per issue in rule-file order.

    ``links`` has one row per issue and category: ``issue`` (its index),
    ``category``, ``previous``, ``current``, ``county_position``, ``row`` (line
    in the dataset file) and any ``published_`` columns.
    """

    issue_ids: tuple[str, ...]
    links: Any
    has_data: Any
    previous: Any
    current: Any
    position_worst: Any
    position_best: Any
    position_missing: Any
    population: int | None
    population_row: int | None
    population_file: str | None
    totals: dict[str, tuple[int, int | None]]  # category -> (current, row) of the area, per dataset


@dataclass(frozen=True)
class MetricValues:
    """One criterion's metric for every issue: exact units, definedness, and the ratio behind it."""

    units: Any
    defined: Any
    numerator: Any
    denominator: Any

    def value(self, i: int, decimals: int) -> Decimal | None:
        """Issue ``i``'s rounded metric as a decimal, or None if undefined."""
        if not self.defined[i]:
            return None
        return Decimal(int(self.units[i])).scaleb(-decimals)


def issue_inputs(rules: RuleSet, datasets: dict[str, Dataset]) -> IssueInputs:
    """Join each issue's categories to the data rows of the assessment's area and aggregate."""
    import numpy as np
    import pandas as pd

    ids = tuple(rules.issues)
    area = rules.assessment.area
    link_rows = [
        (n, issue.data.dataset, category)
        for n, issue in enumerate(rules.issues.values())
        if issue.data is not None
        for category in issue.data.categories
    ]
    pieces = []
    links = pd.DataFrame(link_rows, columns=["issue", "dataset", "category"])
    for name, dataset in datasets.items():
        if dataset.ref.shape != "crime_counts":
            continue
        frame = dataset.frame if area is None else dataset.frame[dataset.frame["area"] == area]
        if "county_position" not in frame.columns:
            frame = frame.assign(county_position=pd.array([pd.NA] * len(frame), dtype="Int64"))
        mine = links[links["dataset"] == name]
        pieces.append(mine.merge(frame.drop(columns=["area"]), on="category", how="left", sort=False))
    joined = (
        pd.concat(pieces, ignore_index=True)
        if pieces
        else links.assign(previous=0, current=0, county_position=pd.NA, row=0)
    )
    joined = joined.sort_values(["issue"], kind="stable").reset_index(drop=True)

    n = len(ids)
    grouped = joined.groupby("issue", sort=True)
    index = pd.RangeIndex(n)
    previous = grouped["previous"].sum().reindex(index, fill_value=0).to_numpy(dtype=np.int64)
    current = grouped["current"].sum().reindex(index, fill_value=0).to_numpy(dtype=np.int64)
    position = joined["county_position"].astype("Float64")
    worst = position.groupby(joined["issue"]).max().reindex(index).to_numpy(dtype=float, na_value=np.nan)
    best = position.groupby(joined["issue"]).min().reindex(index).to_numpy(dtype=float, na_value=np.nan)
    missing = position.isna().groupby(joined["issue"]).any().reindex(index, fill_value=False).to_numpy(dtype=bool)
    has_data = np.array([rules.issues[i].data is not None for i in ids], dtype=bool)

    population = population_row = population_file = None
    for dataset in datasets.values():
        if dataset.ref.shape == "population":
            frame = dataset.frame if area is None else dataset.frame[dataset.frame["area"] == area]
            if len(frame):
                population = int(frame["population"].iloc[0])
                population_row = int(frame["row"].iloc[0])
                population_file = dataset.ref.display
    totals: dict[str, tuple[int, int | None]] = {}
    for criterion in rules.criteria.values():
        if criterion.metric == "share_of_total":
            for dataset in datasets.values():
                frame = dataset.frame
                if dataset.ref.shape != "crime_counts":
                    continue
                hit = frame[
                    (frame["category"] == criterion.total_category) & ((frame["area"] == area) if area else True)
                ]
                if len(hit):
                    totals[criterion.total_category] = (int(hit["current"].iloc[0]), int(hit["row"].iloc[0]))
    return IssueInputs(
        ids,
        joined,
        has_data,
        previous,
        current,
        worst,
        best,
        missing,
        population,
        population_row,
        population_file,
        totals,
    )


def compute_metric(criterion: Criterion, inputs: IssueInputs) -> MetricValues:
    """The criterion's metric for every issue (undefined where the issue has no data)."""
    import numpy as np

    metric = criterion.metric
    n = len(inputs.issue_ids)
    ones = np.ones(n, dtype=np.int64)
    if metric == "expression":
        values = criterion.expression.evaluate(_expression_names(criterion, inputs))
        units, defined = round_float(values, criterion.decimals)
        return MetricValues(units, defined & inputs.has_data, values, ones)
    if metric == "percent_change":
        num, den = (inputs.current - inputs.previous) * 100, inputs.previous
    elif metric == "rate_per_1000":
        num, den = inputs.current * 1000, np.full(n, inputs.population or 0, dtype=np.int64)
    elif metric == "share_of_total":
        total = inputs.totals.get(criterion.total_category, (0, None))[0]
        num, den = inputs.current * 100, np.full(n, total, dtype=np.int64)
    elif metric == "count":
        num, den = inputs.current, ones
    elif metric == "county_position":
        chosen = inputs.position_worst if criterion.combine == "worst" else inputs.position_best
        ok = ~inputs.position_missing & ~np.isnan(chosen)
        num, den = np.where(ok, np.nan_to_num(chosen), 0).astype(np.int64), ok.astype(np.int64)
    elif metric == "harm_weighted":
        num, den = _harm_weighted(criterion, inputs)
    else:  # pragma: no cover - the schema allows no other metric
        raise ValueError(metric)
    units, defined = round_ratio(num, den, criterion.decimals)
    return MetricValues(units, defined & inputs.has_data, num, den)


def _expression_names(criterion: Criterion, inputs: IssueInputs) -> dict[str, Any]:
    import numpy as np

    n = len(inputs.issue_ids)
    position = np.where(inputs.position_missing, np.nan, inputs.position_worst)
    return {
        "previous": inputs.previous,
        "current": inputs.current,
        "population": np.full(n, np.nan if inputs.population is None else inputs.population, dtype=float),
        "county_position": position,
    }


def _harm_weighted(criterion: Criterion, inputs: IssueInputs) -> tuple[Any, Any]:
    """Sum of current x weight, in whole numbers: weights are scaled by 10**places."""
    import numpy as np
    import pandas as pd

    places = max((-w.as_tuple().exponent for w in criterion.weights.values()), default=0)
    places = max(places, 0)
    scaled = {c: int(w.scaleb(places)) for c, w in criterion.weights.items()}
    links = inputs.links
    weight = links["category"].map(scaled).fillna(0).astype(np.int64)
    weighted = (links["current"].astype(np.int64) * weight).groupby(links["issue"]).sum()
    num = weighted.reindex(pd.RangeIndex(len(inputs.issue_ids)), fill_value=0).to_numpy(dtype=np.int64)
    return num, np.full(len(num), 10**places, dtype=np.int64)
