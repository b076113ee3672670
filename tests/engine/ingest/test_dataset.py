"""engine.ingest.dataset: one row per area and crime type, exact rates, positions within the force and across all."""

from __future__ import annotations

from collections import Counter

from engine.ingest.dataset import build
from engine.ingest.geography import Area
from engine.ingest.periods import build as periods
from engine.ingest.population import Population

A, B, C = Area("1", "Alpha", "North"), Area("2", "Beta", "North"), Area("3", "Gamma", "South")


def test_positions_ties_and_an_area_without_a_population():
    spans = periods("2024-02", "2024-01", [])
    now, before = spans[1].label, spans[0].label
    counts = Counter(
        {("1", "Drugs", now): 10, ("2", "Drugs", now): 20, ("3", "Drugs", now): 5, ("1", "Drugs", before): 8}
    )
    people = {"1": Population(1000, "x"), "2": Population(2000, "x"), "3": Population(None, "why not")}
    tables = build([C, B, A], ["Drugs", "Theft"], spans, counts, people, national=True)
    crime = tables.crime
    assert list(crime.columns) == [
        "area",
        "category",
        "previous",
        "current",
        "county_position",
        "change",
        "percent_change",
        "rate_per_1000",
        "published_national_position",
    ]
    drugs = crime[crime.category == "Drugs"].set_index("area")
    assert drugs["rate_per_1000"].tolist() == ["10.00", "10.00", ""]
    assert drugs["county_position"].fillna(0).tolist() == [1, 1, 0]  # equal rates share the lower position; none
    assert drugs.loc["Alpha", "percent_change"] == "25.0" and drugs.loc["Beta", "percent_change"] == ""
    theft = crime[crime.category == "Theft"]
    assert theft["current"].tolist() == [0, 0, 0]  # every area, every crime type seen, once
    assert len(tables.series) == 3 * 2 * 2
    assert tables.population["area"].tolist() == ["Alpha", "Beta"]
    assert tables.areas.set_index("area").loc["Gamma", "population_source"] == "why not"
