"""engine.whatif.comparison: statuses, drivers and matching."""

from __future__ import annotations

from engine.load.datasets import load_datasets
from engine.load.overlay import parse_set_option
from engine.load.rules import load_rules
from engine.score.scoring import score
from engine.whatif.comparison import compare_results
from tests.conftest import DEFAULT_RULES, ROOT


def run(path, *options):
    rules = load_rules(path, [parse_set_option(o, n) for n, o in enumerate(options, start=1)])
    return score(rules, load_datasets(rules))


def test_statuses_and_order():
    comparison = compare_results(run(DEFAULT_RULES), run(DEFAULT_RULES, "priority.cutoff=26"), "cutoff 26")
    statuses = {i.issue_id: i.status for i in comparison.issues}
    assert statuses["substance_misuse"] == "leaves" and statuses["domestic_abuse"] == "stays in"
    assert comparison.issues[0].issue_id == "substance_misuse"  # changed first
    assert comparison.leaving() == ["substance_misuse"] and comparison.entering() == []
    assert comparison.summary() == (
        "1 of 6 issues change. Priorities: 6 before, 5 after; entering: none; leaving: substance_misuse."
    )


def test_drivers_name_the_criterion_and_its_value():
    comparison = compare_results(run(DEFAULT_RULES), run(DEFAULT_RULES, "criteria.trend.bands[3].from=15"), "t")
    driven = {i.issue_id: [c.describe() for c in i.drivers] for i in comparison.issues if i.drivers}
    assert driven == {
        "domestic_abuse": ["trend 5 -> 3 (value 11.4)"],
        "substance_misuse": ["trend 5 -> 3 (value 12.8)"],
    }


def test_year_on_year_matches_issues_and_shows_sources():
    comparison = compare_results(
        run(ROOT / "rules/sevenoaks-2019.yaml"), run(DEFAULT_RULES), "2020", match_names=True, labels=("Then", "Now")
    )
    asb = next(i for i in comparison.issues if i.issue_id == "anti_social_behaviour")
    assert (asb.total_before, asb.total_after) == (24, 28)
    assert [c.describe() for c in asb.drivers] == [
        "trend 3 -> 5 (judgement -> data 48.3)",
        "performance 1 -> 3 (data 2 -> override)",
    ]
