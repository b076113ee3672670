"""engine.checks.lint: every registered check, triggered (and nearly triggered) by a small edit of the mini project."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pytest

from engine.checks.lint import CHECKS, lint
from engine.load.datasets import load_datasets
from engine.load.overlay import parse_set_option
from engine.load.rules import load_rules
from engine.score.scoring import score
from tests.conftest import ROOT
from tests.helpers import edit, run


class Case(NamedTuple):
    """Edits of the mini project's rules.yaml, and every finding of check ``id`` they give (none: a near miss)."""

    id: str
    edits: list[tuple[str, str]]
    expected: list[str]


RATE_BANDS = "metric: rate_per_1000"
OVERRIDE = """        evidence: Residents' survey 2023
    overrides:
      trend:
        score: {score}
        reason: Agreed at the board.
        agreed_by: CSP board"""

CASES = {
    "county rank above the number of areas, and below 1": Case(
        "L001",
        [(RATE_BANDS, "metric: county_rank")],
        [
            "rules.yaml:52:9: warning: criteria.volume.bands[0]: band `below 1` can never match: the county rank is at least 1 [L001 band-unreachable]\n"
            "    hint: remove it or move its edges",
            "rules.yaml:57:9: warning: criteria.volume.bands[2]: band `from 5` can never match: it is at most 1 [L001 band-unreachable]\n"
            "    hint: remove it or move its edges",
        ],
    ),
    "every band of a rate can match": Case("L001", [], []),
    "a change over periods below -100": Case(
        "L001",
        [
            ("metric: percent_change", "metric: change_over_periods\n    periods: 2"),
            (
                "      - to: 0\n        score: 0\n",
                "      - below: -100\n        score: 1\n      - from: -100\n        to: 0\n        score: 0\n",
            ),
        ],
        [
            "rules.yaml:41:9: warning: criteria.trend.bands[0]: band `below -100` can never match: the change over periods is at least -100 [L001 band-unreachable]\n"
            "    hint: remove it or move its edges",
        ],
    ),
    "a trend slope has no lower limit": Case(
        "L001",
        [
            ("metric: percent_change", "metric: trend_slope\n    periods: 2"),
            (
                "      - to: 0\n        score: 0\n",
                "      - below: -1000\n        score: 1\n      - from: -1000\n        to: 0\n        score: 0\n",
            ),
        ],
        [],
    ),
    "a higher rate scoring lower": Case(
        "L002",
        [("      - from: 5\n        score: 5", "      - from: 5\n        score: 1")],
        [
            "rules.yaml:57:9: warning: criteria.volume.bands[2]: band `from 5` scores 1, less than the lower band `from 1 below 5` (3): a higher rate per 1000 scores lower [L002 band-not-monotone]\n"
            "    hint: check the scores are in the intended order"
        ],
    ),
    "a higher rate scoring the same": Case(
        "L002", [("      - from: 5\n        score: 5", "      - from: 5\n        score: 3")], []
    ),
    "evidence `TBC.`": Case(
        "L003",
        [("evidence: PACT minutes 2023-24", "evidence: TBC.")],
        [
            "rules.yaml:70:19: warning: issues.asb.judgements.concern.evidence: the evidence for this judgement is a placeholder (`TBC.`) [L003 evidence-placeholder]\n"
            "    hint: name the source an auditor can check"
        ],
    ),
    "evidence naming a report to come": Case("L003", [("evidence: PACT minutes 2023-24", "evidence: TBC report")], []),
    "an override giving the band's score": Case(
        "L004",
        [("        evidence: Residents' survey 2023", OVERRIDE.format(score=0))],
        [
            "rules.yaml:83:9: warning: issues.burglary.overrides.trend: the override gives 0, which the data rule already gives [L004 override-no-change]\n"
            "    hint: remove the override"
        ],
    ),
    "an override changing the band's score": Case(
        "L004", [("        evidence: Residents' survey 2023", OVERRIDE.format(score=3))], []
    ),
    "weight 0": Case(
        "L005",
        [("method: sum", "method: weighted_sum\n  weights: {concern: 1, trend: 0, volume: 1}")],
        [
            "rules.yaml:20:32: warning: total.weights.trend: weight 0: `trend` never changes a total [L005 criterion-irrelevant]"
        ],
    ),
    "a criterion missing from the expression": Case(
        "L005",
        [("method: sum", "method: expression\n  expression: concern + trend")],
        [
            "rules.yaml:20:15: warning: total.expression: `volume` is not in the total's expression, so it never changes a total [L005 criterion-irrelevant]"
        ],
    ),
    "a criterion the expression reads through a derived value": Case(
        "L005",
        [
            (
                "method: sum",
                "method: expression\n  expression: base + volume\nderived:\n  base: {name: Base, expression: concern + trend}",
            )
        ],
        [],
    ),
    "every weight above 0": Case(
        "L005", [("method: sum", "method: weighted_sum\n  weights: {concern: 1, trend: 2, volume: 1}")], []
    ),
    "a population no metric needs": Case(
        "L006",
        [(RATE_BANDS, "metric: count")],
        [
            "rules.yaml:29:5: warning: datasets.population: dataset `population` is declared but nothing reads it [L006 dataset-unused]"
        ],
    ),
    "a crime dataset no issue names": Case(
        "L006",
        [("  population:\n", "  spare:\n    file: data/crime.csv\n    shape: crime_counts\n  population:\n")],
        [
            "rules.yaml:29:5: warning: datasets.spare: dataset `spare` is declared but nothing reads it [L006 dataset-unused]"
        ],
    ),
    "a population the rates read": Case("L006", [], []),
    "cutoff above the highest total": Case(
        "L007",
        [("cutoff: 10", "cutoff: 16")],
        [
            "rules.yaml:22:11: warning: priority.cutoff: no issue can reach the cutoff 16: the highest possible total is 15 [L007 cutoff-unreachable]"
        ],
    ),
    "cutoff at the highest total": Case("L007", [("cutoff: 10", "cutoff: 15")], []),
    "cutoff at the lowest total": Case(
        "L008",
        [("cutoff: 10", "cutoff: 0")],
        [
            "rules.yaml:22:11: warning: priority.cutoff: every issue always reaches the cutoff 0: the lowest possible total is 0 [L008 cutoff-always-met]"
        ],
    ),
    "cutoff above the lowest total": Case("L008", [("cutoff: 10", "cutoff: 1")], []),
    "an edge on Anti-Social Behaviour's rise of 15.0%": Case(
        "L009",
        [],
        [
            "rules.yaml:43:16: warning: criteria.trend.bands[1].below: edge 15 equals the percent change of asb: whether it is inclusive decides the score [L009 threshold-on-data]\n"
            "    hint: fragile: a change of one unit in the data moves the issue to the next band"
        ],
    ),
    "an edge one unit away from the data": Case("L009", [("below: 15", "below: 15.1"), ("from: 15", "from: 15.1")], []),
    "a judgement one step from the cutoff": Case(
        "L010",
        [("cutoff: 10", "cutoff: 5")],
        [
            "rules.yaml:78:16: warning: issues.burglary.judgements.concern.score: `burglary` is a priority only because this judgement is 3: 1 would change that [L010 priority-on-one-judgement]\n"
            "    hint: make sure the rationale and evidence carry the weight of the decision"
        ],
    ),
    "no judgement one step from the cutoff": Case("L010", [("cutoff: 10", "cutoff: 12")], []),
    "a derived value nothing uses": Case(
        "L011",
        [("total:\n  method: sum\n", "derived:\n  harm: {expression: concern + trend}\ntotal:\n  method: sum\n")],
        [
            "rules.yaml:19:9: warning: derived.harm: derived value `harm` is shown but never changes a total [L011 derived-unused]\n"
            "    hint: use it in the total's expression, or remove it"
        ],
    ),
    "a derived value the total uses": Case(
        "L011",
        [
            (
                "total:\n  method: sum\n",
                "derived:\n  harm: {expression: concern + trend}\ntotal:\n  method: expression\n  expression: harm + volume\n",
            )
        ],
        [],
    ),
    "a category in other case and spacing than the data's": Case(
        "L012",
        [("[Anti-social behaviour]", "[anti-social  Behaviour]")],
        [
            "rules.yaml:65:20: warning: issues.asb.data.categories[0]: category `anti-social  Behaviour` is spelled "
            "`Anti-social behaviour` in data/crime.csv; matched ignoring case and spaces, and shown as the data spells "
            "it [L012 category-spelling]\n"
            "    hint: write `Anti-social behaviour` to match the data exactly"
        ],
    ),
    "a category spelled as the data spells it": Case("L012", [], []),
}


@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
def test_check_finds_exactly(project: Path, case: Case) -> None:
    for old, new in case.edits:
        edit(project / "rules.yaml", old, new)
    found = [str(f) for f in lint(run(project)) if f.id == case.id]
    assert found == case.expected


def test_every_check_has_a_case_that_triggers_it() -> None:
    assert {c.id for c in CASES.values() if c.expected} == {c.id for c in CHECKS}


def test_the_registry_is_in_id_order_with_one_line_docs() -> None:
    assert [c.id for c in CHECKS] == [f"L{n:03}" for n in range(1, len(CHECKS) + 1)]
    assert len({c.name for c in CHECKS}) == len(CHECKS)
    for check in CHECKS:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", check.name), check.name
        assert check.doc and "\n" not in check.doc and check.doc.endswith("."), check.id


def test_the_readme_lists_every_check() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Lint", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| (L\d{3}) ([a-z-]+) \|", section, flags=re.M)
    assert listed == [(c.id, c.name) for c in CHECKS]


def findings(path: Path, *options: str) -> list[tuple[str, str]]:
    rules = load_rules(path, [parse_set_option(o, n) for n, o in enumerate(options, start=1)])
    return [(f.id, f.problem.path) for f in lint(score(rules, load_datasets(rules)))]


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("at_root")
def test_cutoff_unreachable_and_always_met() -> None:
    assert ("L007", "priority.cutoff") in findings(ROOT / "rules/sevenoaks-2020.yaml", "priority.cutoff=31")
    assert ("L008", "priority.cutoff") in findings(ROOT / "rules/sevenoaks-2020.yaml", "priority.cutoff=0")


@pytest.mark.usefixtures("at_root")
def test_priority_resting_on_one_judgement() -> None:
    found = findings(ROOT / "rules/sevenoaks-2020.yaml", "priority.cutoff=24")
    assert ("L010", "issues.substance_misuse.judgements.community_concern.score") in found


@pytest.mark.usefixtures("at_root")
def test_expression_totals_that_ignore_a_criterion() -> None:
    found = findings(ROOT / "tests/golden/impact-likelihood/rules.yaml", "total.expression=impact * 2")
    assert ("L005", "total.expression") in found


def test_the_extreme_totals_use_each_criterions_own_scale(project: Path) -> None:
    """concern 1-4, trend 0-5, volume 0-3: at most 12 in all, so a cutoff of 13 can never be reached."""
    from tests.criterion_scales import use_criterion_scales

    use_criterion_scales(project)
    edit(project / "rules.yaml", "cutoff: 10", "cutoff: 13")
    found = [str(f).splitlines()[0] for f in lint(run(project)) if f.id == "L007"]
    assert found == [
        "rules.yaml:22:11: warning: priority.cutoff: no issue can reach the cutoff 13: the highest possible "
        "total is 12 [L007 cutoff-unreachable]"
    ]
    edit(project / "rules.yaml", "cutoff: 13", "cutoff: 12")
    assert [f for f in lint(run(project)) if f.id == "L007"] == []
