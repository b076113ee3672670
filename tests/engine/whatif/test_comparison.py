"""engine.whatif.comparison: statuses, drivers and matching."""

from __future__ import annotations

import shutil
from pathlib import Path

from engine import pipeline
from engine.load.datasets import load_datasets
from engine.load.overlay import parse_set_option
from engine.load.rules import load_rules
from engine.score.scoring import score
from engine.whatif.comparison import compare_results
from tests.conftest import DEFAULT_RULES, ROOT
from tests.helpers import edit


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


def this_year(project: Path) -> Path:
    """Next year's rule file for the mini project: `asb` renamed `anti_social_behaviour` (same name but for
    case and punctuation) with concern down to 3; `burglary` renamed `housebreaking` with a new name; `scams` gone."""
    path = project / "this-year.yaml"
    shutil.copy(project / "rules.yaml", path)
    edit(
        path, "  asb:\n    name: Anti-Social Behaviour\n", "  anti_social_behaviour:\n    name: Anti-social behaviour\n"
    )
    edit(path, "score: 5\n        rationale: Residents", "score: 3\n        rationale: Residents")
    edit(path, "  burglary:\n    name: Burglary\n", "  housebreaking:\n    name: Housebreaking\n")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  scams:\n")], encoding="utf-8")
    return path


def test_year_on_year_matches_renamed_ids_by_name(project: Path):
    then, now = pipeline.run(project / "rules.yaml"), pipeline.run(this_year(project))
    comparison = compare_results(then, now, "this year", match_names=True, labels=("Then", "Now"))
    assert [(i.issue_id, i.name, i.status, i.total_before, i.total_after) for i in comparison.issues] == [
        ("anti_social_behaviour", "Anti-social behaviour", "stays in", 15, 13),
        ("housebreaking", "Housebreaking", "new", None, 6),
        ("burglary", "Burglary", "dropped", 6, None),
        ("scams", "Scams", "dropped", 9, None),
    ]
    matched = comparison.issues[0]
    assert [c.describe() for c in matched.drivers] == ["concern 5 -> 3 (judgement)"]
    assert [(c.criterion_id, c.before, c.after) for c in matched.criteria] == [
        ("concern", 5, 3),
        ("trend", 5, 5),
        ("volume", 5, 5),
    ]
    assert comparison.summary() == (
        "4 of 4 issues change. Priorities: 1 before, 1 after; entering: none; leaving: none."
    )


def test_without_name_matching_a_renamed_id_is_new_and_the_old_id_dropped(project: Path):
    then, now = pipeline.run(project / "rules.yaml"), pipeline.run(this_year(project))
    statuses = {i.issue_id: i.status for i in compare_results(then, now, "ids only").issues}
    assert statuses == {
        "anti_social_behaviour": "new",
        "housebreaking": "new",
        "asb": "dropped",
        "burglary": "dropped",
        "scams": "dropped",
    }
