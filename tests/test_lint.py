"""cspscore lint: real weaknesses in the flawed example, none in the bundled Sevenoaks assessments.

Each check's own cases are in tests/engine/checks/test_lint.py.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import cli

from .conftest import ROOT


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


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
