"""cspscore test: officer-written expectations and generated boundary cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

from .conftest import ROOT


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def test_the_bundled_tests_pass():
    result = invoke("test", "rules/sevenoaks-2020.tests.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "13 passed, 0 failed"


def test_a_failing_expectation_names_its_line_and_both_values(tmp_path: Path):
    tests = tmp_path / "rules" / "x.tests.yaml"
    tests.parent.mkdir()
    tests.write_text(
        f"rules: {ROOT / 'rules' / 'sevenoaks-2020.yaml'}\n"
        "tests:\n"
        "  - name: wrong total\n"
        "    issue: domestic_abuse\n"
        "    expect: {total: 27, scores: {harm: 3}}\n"
        "  - name: 4.9% scores 1\n"
        "    criterion: trend\n"
        "    metric: 4.9\n"
        "    expect: {score: 1}\n"
    )
    result = invoke("--allow-outside-data", "test", str(tests))
    assert result.exit_code == 4
    lines = result.stdout.splitlines()
    assert lines[0] == "FAIL wrong total"
    assert lines[1].endswith(":3: expected total 27, got 26; expected harm 3, got 5")
    assert lines[2:] == ["PASS 4.9% scores 1", "1 passed, 1 failed"]


@pytest.mark.slow  # runs every generated case of every bundled rule file (~8 s); CI runs it
def test_generated_boundary_cases_pass_against_the_rules_they_came_from(tmp_path: Path):
    generated = invoke("test", "rules/sevenoaks-2020.yaml", "--generate")
    assert generated.exit_code == 0
    assert "  - name: trend 10.1 scores 5\n    criterion: trend\n    metric: 10.1\n" in generated.stdout
    path = ROOT / "rules" / "_generated.tests.yaml"
    try:
        path.write_text(generated.stdout)
        result = invoke("test", str(path.relative_to(ROOT)))
    finally:
        path.unlink()
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].endswith(" passed, 0 failed")


def test_malformed_tests_file(tmp_path: Path):
    path = tmp_path / "bad.tests.yaml"
    path.write_text("tests:\n  - name: x\n    issue: a\n    criterion: b\n    expect: {totl: 3}\n")
    result = invoke("test", str(path))
    assert result.exit_code == 1
    assert "a test names either an `issue` or a `criterion`" in result.stderr


def test_expression_and_harm_weighted_criteria_are_tested_from_their_own_figures(project: Path):
    from tests.helpers import edit

    rules = project / "rules.yaml"
    edit(
        rules,
        "    metric: percent_change\n    decimals: 1\n",
        "    metric: harm_weighted\n    decimals: 1\n    weights:\n      Anti-social behaviour: 0.5\n"
        "      Burglary residential: 2.5\n      Burglary business: 10\n",
    )
    edit(
        rules,
        "    metric: rate_per_1000\n    decimals: 1\n",
        "    metric: expression\n    expression: (current - previous) / previous * 100\n    decimals: 1\n",
    )
    (project / "rules.tests.yaml").write_text(
        "tests:\n"
        "  - name: a rise from 100 to 115 scores 5\n"
        "    criterion: volume\n"
        "    data: {previous: 100, current: 115}\n"
        "    expect: {score: 5}\n"
        "  - name: a rise with no previous count\n"
        "    criterion: volume\n"
        "    data: {current: 115}\n"
        "    expect: {score: 5}\n"
        "  - name: 3 burglaries and 2 business burglaries weigh 27.5\n"
        "    criterion: trend\n"
        "    data: {counts: {Burglary residential: 3, Burglary business: 2}}\n"
        "    expect: {score: 5}\n"
        "  - name: an unweighted category\n"
        "    criterion: trend\n"
        "    data: {counts: {Robbery: 2}}\n"
        "    expect: {score: 0}\n"
        "  - name: a weighted sum below 15 scores 3\n"
        "    criterion: trend\n"
        "    data: {counts: {Burglary residential: 2}}\n"
        "    expect: {score: 5}\n"
    )
    result = invoke("test", "rules.tests.yaml")
    assert result.exit_code == 4
    assert result.stdout.splitlines() == [
        "PASS a rise from 100 to 115 scores 5",
        "FAIL a rise with no previous count",
        "     rules.tests.yaml:6: the test's `data` does not give `previous`, which the metric needs",
        "PASS 3 burglaries and 2 business burglaries weigh 27.5",
        "FAIL an unweighted category",
        "     rules.tests.yaml:14: `Robbery` has no harm weight in `trend` "
        "(weights: Anti-social behaviour, Burglary residential, Burglary business)",
        "FAIL a weighted sum below 15 scores 3",
        "     rules.tests.yaml:18: expected score 5 for harm_weighted 5.0, got 3",
        "2 passed, 3 failed",
    ]


def test_a_trend_is_tested_from_its_counts_per_period(tmp_path: Path):
    tests = tmp_path / "rules" / "trend.tests.yaml"
    tests.parent.mkdir()
    tests.write_text(
        f"rules: {ROOT / 'rules' / 'examples' / 'three-year-trend.yaml'}\n"
        "tests:\n"
        "  - name: a rise of 10 a year on a mean of 100 is 10 % a year, High\n"
        "    criterion: trend\n"
        "    data: {counts: [90, 100, 110]}\n"
        "    expect: {score: 5}\n"
        "  - name: burglary's one-year jump is a Low trend\n"
        "    criterion: trend\n"
        "    data: {counts: [190, 178, 155, 145, 166]}\n"
        "    expect: {score: 1}\n"
        "  - name: an unknown first year scores the five-year change Medium\n"
        "    criterion: long_run\n"
        "    data: {counts: [null, 180, 170, 165, 190]}\n"
        "    expect: {score: 3}\n"
        "  - name: too few counts\n"
        "    criterion: trend\n"
        "    data: {counts: [100, 110]}\n"
        "    expect: {score: 5}\n"
        "  - name: shoplifting\n"
        "    issue: shoplifting\n"
        "    expect: {total: 13, scores: {trend: 5, long_run: 5}}\n"
    )
    result = invoke("--allow-outside-data", "test", str(tests))
    assert result.exit_code == 4, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] + lines[5:] == [
        "PASS a rise of 10 a year on a mean of 100 is 10 % a year, High",
        "PASS burglary's one-year jump is a Low trend",
        "PASS an unknown first year scores the five-year change Medium",
        "FAIL too few counts",
        "PASS shoplifting",
        "4 passed, 1 failed",
    ]
    assert lines[4].endswith(
        "trend.tests.yaml:15: `data.counts` gives 2 counts, but `trend` reads the latest 3 periods "
        "(give one count per period, oldest first, e.g. [155, 145, 166])"
    )
