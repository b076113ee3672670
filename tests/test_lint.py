"""lint: real weaknesses in the flawed example, none in the bundled Sevenoaks assessments."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import cli
from engine.checks.lint import lint
from engine.load.datasets import load_datasets
from engine.load.overlay import parse_set_option
from engine.load.rules import load_rules
from engine.score.scoring import score

from .conftest import ROOT


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def findings(path, *options):
    rules = load_rules(path, [parse_set_option(o, n) for n, o in enumerate(options, start=1)])
    return [(f.id, f.problem.path) for f in lint(score(rules, load_datasets(rules)))]


def test_the_flawed_example_shows_every_planted_weakness():
    result = CliRunner().invoke(cli.main, ["lint", "rules/examples/flawed.yaml", "--strict"])
    assert result.exit_code == 4  # a check that found something, not invalid input
    ids = [line.rsplit("[", 1)[1].split()[0] for line in result.stdout.splitlines() if line.endswith("]")]
    assert ids == ["L005", "L006", "L009", "L002", "L001", "L003", "L004"]
    assert result.stdout.splitlines()[-1] == "rules/examples/flawed.yaml: 7 warnings."
    assert result.stdout.splitlines()[0] == (
        "rules/examples/flawed.yaml:22:14: warning: total.weights.concern: weight 0: `concern` never changes a "
        "total [L005 criterion-irrelevant]"
    )


@pytest.mark.parametrize("rules", ["rules/sevenoaks-2020.yaml", "rules/sevenoaks-2019.yaml"])
def test_bundled_sevenoaks_assessments_are_clean(rules):
    result = CliRunner().invoke(cli.main, ["lint", rules, "--strict"])
    assert (result.exit_code, result.stdout) == (0, f"{rules}: 0 warnings.\n")


def test_cutoff_unreachable_and_always_met():
    assert ("L007", "priority.cutoff") in findings(ROOT / "rules/sevenoaks-2020.yaml", "priority.cutoff=31")
    assert ("L008", "priority.cutoff") in findings(ROOT / "rules/sevenoaks-2020.yaml", "priority.cutoff=0")


def test_priority_resting_on_one_judgement():
    found = findings(ROOT / "rules/sevenoaks-2020.yaml", "priority.cutoff=24")
    assert ("L010", "issues.substance_misuse.judgements.community_concern.score") in found


def test_expression_totals_that_ignore_a_criterion():
    found = findings(ROOT / "tests/golden/impact-likelihood/rules.yaml", "total.expression=impact * 2")
    assert ("L005", "total.expression") in found
