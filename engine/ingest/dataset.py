"""The tables of an ingested dataset, from counts per area, crime type and period.

- ``crime`` (shape ``crime_counts``): per area and crime type, the latest two periods' counts (``previous``,
  ``current``), change, percentage change (1 place), rate per 1,000 (2 places) and county position; with more
  than one police force area also ``published_national_position``. Areas without a population have a blank rate
  and positions.
- ``series`` (shape ``crime_series``): per area, crime type and period, the count; periods oldest first.
- ``population`` (shape ``population``): the areas that have a population; with more than one force a
  ``group_force`` column (a rule file's ``rank: {among: force}`` then ranks within the force).
- ``areas``: every area with its code, police force area and population, or why it has none.

Every area of every force read has one row per crime type seen (0 where it had none), never two. County position:
per crime type, the rank of the rate per 1,000 (compared exactly to 6 places) among the force's areas that have a
population, 1 = lowest, equal rates sharing the lower position (1, 1, 3); national position the same among all.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from typing import Any

from engine.ingest.geography import Area
from engine.ingest.periods import Period
from engine.ingest.population import Population
from engine.ingest.reference import RANK_PLACES


@dataclass(frozen=True)
class Tables:
    """The dataset's frames."""

    crime: Any
    series: Any
    population: Any
    areas: Any


def build(
    areas: list[Area],
    categories: list[str],
    periods: list[Period],
    counts: Counter[tuple[str, str, str]],
    populations: dict[str, Population],
    national: bool,
) -> Tables:
    """The frames (see the module docstring); ``national`` adds the columns for more than one force."""
    import pandas as pd

    areas = sorted(areas, key=lambda a: a.name)
    cells = [(a, c) for a in areas for c in categories]
    crime = _crime(cells, periods, counts, populations, national)
    series = pd.DataFrame(
        [
            {"area": a.name, "category": c, "period": p.label, "count": counts[(a.code, c, p.label)]}
            for a, c in cells
            for p in periods
        ],
        columns=["area", "category", "period", "count"],
    )
    having = [a for a in areas if populations[a.code].value is not None]
    population = pd.DataFrame(
        {
            "area": [a.name for a in having],
            "population": [populations[a.code].value for a in having],
            "source": [populations[a.code].source for a in having],
        }
    )
    if national:
        population["group_force"] = [a.force for a in having]
    table = pd.DataFrame(
        {
            "area": [a.name for a in areas],
            "code": [a.code for a in areas],
            "force": [a.force for a in areas],
            "population": [populations[a.code].value for a in areas],
            "population_source": [populations[a.code].source for a in areas],
        }
    )
    table["population"] = table["population"].astype("Int64")
    return Tables(crime, series, population, table)


def _crime(
    cells: list[tuple[Area, str]],
    periods: list[Period],
    counts: Counter[tuple[str, str, str]],
    populations: dict[str, Population],
    national: bool,
) -> Any:
    import numpy as np
    import pandas as pd

    from engine.numbers import round_ratio

    current = np.array([counts[(a.code, c, periods[-1].label)] for a, c in cells], dtype=np.int64)
    people = np.array([populations[a.code].value or 0 for a, _ in cells], dtype=np.int64)
    rate, has_rate = round_ratio(current * 1000, people, 2)
    exact, _ = round_ratio(current * 1000, people, RANK_PLACES)
    frame = pd.DataFrame({"area": [a.name for a, _ in cells], "category": [c for _, c in cells]})
    if len(periods) > 1:
        frame["previous"] = [counts[(a.code, c, periods[-2].label)] for a, c in cells]
    frame["current"] = current
    frame["county_position"] = _positions([(a.force, c) for a, c in cells], exact, has_rate)
    if len(periods) > 1:
        previous = frame["previous"].to_numpy(dtype=np.int64)
        percent, defined = round_ratio((current - previous) * 100, previous, 1)
        frame["change"] = current - previous
        frame["percent_change"] = [f"{p / 10:.1f}" if ok else "" for p, ok in zip(percent, defined, strict=True)]
    frame["rate_per_1000"] = [f"{r / 100:.2f}" if ok else "" for r, ok in zip(rate, has_rate, strict=True)]
    if national:
        frame["published_national_position"] = _positions([("", c) for _, c in cells], exact, has_rate)
    return frame


def _positions(groups: list[tuple[str, str]], keys: Any, defined: Any) -> Any:
    """Rank of each key within its group, 1 = lowest, ties sharing the lower position; None where undefined."""
    import pandas as pd

    by_group: dict[tuple[str, str], list[int]] = {}
    for group, key, ok in zip(groups, keys, defined, strict=True):
        if ok:
            by_group.setdefault(group, []).append(int(key))
    for values in by_group.values():
        values.sort()
    out = [
        bisect_left(by_group[group], int(key)) + 1 if ok else None
        for group, key, ok in zip(groups, keys, defined, strict=True)
    ]
    return pd.array(out, dtype="Int64")
