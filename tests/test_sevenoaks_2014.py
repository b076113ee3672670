"""The Sevenoaks 2014-15 reconstruction: the plan's 8 priorities, and figures as the plan prints them."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

import cli

from .conftest import ROOT

RULES = "rules/sevenoaks-2014.yaml"
FIGURES = ROOT / "datasets" / "sevenoaks-2014" / "crime-figures.csv"

# "The 8 priorities, in no particular order, are:" (Annual Action Plan 2014-15, Priority Issues)
PLAN_PRIORITIES = {
    "anti_social_behaviour",
    "burglary",
    "theft_offences",
    "substance_misuse",
    "young_people",
    "vehicle_crime",
    "domestic_abuse",
    "road_safety",
}


def rows() -> dict[str, dict[str, str]]:
    with FIGURES.open(encoding="utf-8", newline="") as handle:
        return {row["category"]: row for row in csv.DictReader(handle)}


def change(row: dict[str, str]) -> float:
    previous, current = int(row["previous"]), int(row["current"])
    return round((current - previous) / previous * 100, 1)


def test_the_priorities_are_exactly_the_plans_eight(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli.main, ["score", RULES, "--format", "json"])
    assert result.exit_code == 0, result.output
    [area] = json.loads(result.stdout)["areas"]
    scores = area["scores"]
    priorities = {row["issue_id"] for row in scores if row["priority"] is True}
    assert priorities == PLAN_PRIORITIES
    assert {row["issue_id"] for row in scores} - priorities == {"theft_of_pedal_cycle"}


def test_burglary_dwelling_is_478_up_27_8_percent_and_3rd_highest_in_kent():
    row = rows()["Burglary Dwelling"]
    assert int(row["current"]) == 478 and change(row) == 27.8
    assert row["published_percent_change"] == "27.8"
    assert int(row["county_position"]) == 13 - 3  # "3rd highest" of 12 districts, 1 = lowest


def test_burglary_other_than_dwelling_is_789_up_30_6_percent():
    row = rows()["Burglary Other Than Dwelling"]
    assert int(row["current"]) == 789 and change(row) == 30.6


def test_vehicle_crime_figures_match_the_plan():
    figures = rows()
    tfmv, tomv = figures["Theft From a Motor Vehicle"], figures["Theft of a Motor Vehicle"]
    assert (int(tfmv["current"]), change(tfmv)) == (590, 12.2)
    assert (int(tomv["current"]), change(tomv)) == (215, -2.7)
    assert int(tfmv["current"]) + int(tomv["current"]) == 805  # "the District recording 805 crimes"


def test_printed_before_and_after_counts():
    figures = rows()
    assert (int(figures["Shoplifting"]["previous"]), int(figures["Shoplifting"]["current"])) == (359, 368)
    handling = figures["Theft and Handling of Stolen Goods"]
    assert (int(handling["previous"]), int(handling["current"])) == (1191, 1170)
    asb = figures["Anti-Social Behaviour"]
    assert int(asb["current"]) == 2297 and int(asb["previous"]) - int(asb["current"]) == 206
    assert change(asb) == -8.2
