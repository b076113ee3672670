"""engine.load.categories: categories match ignoring case and spaces; the data's spelling is the one shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from engine.load.categories import category_key
from engine.pipeline import run
from tests.helpers import edit


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Anti-social behaviour", "anti-social  BEHAVIOUR", True),
        (" Burglary\tbusiness ", "Burglary business", True),
        ("Burglary business", "Burglary-business", False),
        ("Criminal damage and arson", "Criminal damage & arson", False),
    ],
)
def test_category_key(a: str, b: str, same: bool) -> None:
    assert (category_key(a) == category_key(b)) is same


def test_a_category_in_other_case_scores_and_is_shown_as_the_data_spells_it(project: Path) -> None:
    before = run(project / "rules.yaml")
    edit(
        project / "rules.yaml",
        "[Burglary residential, Burglary business]",
        "[burglary RESIDENTIAL, Burglary  business]",
    )
    after = run(project / "rules.yaml")
    assert after.rules.issues["burglary"].data.categories == ("Burglary residential", "Burglary business")
    assert after.total_units.tolist() == before.total_units.tolist()
    result = CliRunner().invoke(cli.main, ["score", "rules.yaml", "--format", "json"])
    assert "burglary RESIDENTIAL" not in result.stdout and "Burglary residential" in json.dumps(
        json.loads(result.stdout)
    )


def test_validate_notes_each_category_matched_to_the_data(project: Path) -> None:
    edit(project / "rules.yaml", "[Anti-social behaviour]", "[anti-social behaviour]")
    result = CliRunner().invoke(cli.main, ["validate", "rules.yaml"])
    assert result.exit_code == 0
    assert result.stderr == (
        "rules.yaml:65:20: note: issues.asb.data.categories[0]: category `anti-social behaviour` is spelled "
        "`Anti-social behaviour` in data/crime.csv; matched ignoring case and spaces, and shown as the data spells it\n"
        "    hint: write `Anti-social behaviour` to match the data exactly\n"
    )
    assert result.stdout == "rules.yaml: OK (rules and 2 datasets; 3 criteria, 3 issues)\n"


def test_a_category_the_data_lacks_is_still_an_error(project: Path) -> None:
    edit(project / "rules.yaml", "[Anti-social behaviour]", "[Anti social behaviour]")
    result = CliRunner().invoke(cli.main, ["validate", "rules.yaml"])
    assert result.exit_code == 1
    assert "category `Anti social behaviour` is not in data/crime.csv" in result.stderr
