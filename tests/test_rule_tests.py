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
