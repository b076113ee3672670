"""Drafts: scores `to_be_agreed` give a range of totals, and a priority only where the range decides it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from engine.errors import InputError
from engine.pipeline import run
from tests.helpers import edit

ASB_CONCERN = """      concern:
        score: 5
        rationale: Residents raise it at every PACT meeting.
        evidence: PACT minutes 2023-24"""


def test_a_judgement_to_be_agreed_gives_a_range_and_leaves_the_priority_undecided(project: Path):
    edit(project / "rules.yaml", ASB_CONCERN, "      concern: {score: to_be_agreed, rationale: Ask the PACT panels}")
    result = run(project / "rules.yaml")
    asb = result.case("asb")
    assert result.draft and result.pending() == [(asb, "concern")]
    low, high = result.total(asb), result.total_max(asb)
    assert high - low == 5  # concern from 0 to 5
    assert bool(result.undecided[asb]) == (low < 10 <= high)


def test_missing_data_to_be_agreed_names_what_would_supply_it(project: Path):
    edit(
        project / "rules.yaml",
        "    metric: percent_change\n",
        "    metric: percent_change\n    if_no_value: to_be_agreed\n    data_needed: last year's counts\n",
    )
    (project / "data" / "crime.csv").write_text(
        "area,category,previous,current,county_position\n"
        "Testshire,Anti-social behaviour,,1150,3\n"
        "Testshire,Burglary residential,200,150,7\n"
        "Testshire,Burglary business,100,120,2\n",
        encoding="utf-8",
    )
    result = run(project / "rules.yaml")
    assert result.pending() == [(result.case("asb"), "trend")]
    table = CliRunner().invoke(cli.main, ["score", "rules.yaml"]).output
    assert "  trend: missing data; supply last year's counts: asb\n" in table
    assert "to be agreed" in table
    trace = CliRunner().invoke(cli.main, ["explain", "rules.yaml", "asb"]).output
    assert "2. Trend Increase: to be agreed (missing data; this assessment is a draft)" in trace
    assert "   Needed:    last year's counts" in trace


def test_an_issue_already_over_the_cutoff_at_its_lowest_is_a_priority_in_the_draft(project: Path):
    edit(project / "rules.yaml", ASB_CONCERN, "      concern: {score: to_be_agreed}")
    edit(project / "rules.yaml", "cutoff: 10", "cutoff: 5")
    result = run(project / "rules.yaml")
    asb = result.case("asb")
    assert result.total(asb) >= 5 and bool(result.priority[asb]) and not result.undecided[asb]
    rows = CliRunner().invoke(cli.main, ["score", "rules.yaml", "--format", "csv"]).output
    assert ",yes (draft)," in rows


def test_to_be_agreed_is_refused_for_an_areas_own_judgement(project: Path):
    edit(
        project / "rules.yaml",
        "  burglary:\n",
        "    areas:\n      Testshire:\n        judgements:\n          concern: {score: to_be_agreed}\n  burglary:\n",
    )
    with pytest.raises(InputError) as caught:
        run(project / "rules.yaml")
    assert [p.message for p in caught.value.problems] == [
        "an area's own judgement records a score; `to_be_agreed` belongs to the issue's own judgements"
    ]


@pytest.mark.parametrize("fmt", ["html", "markdown", "xlsx"])
def test_every_report_of_a_draft_says_what_is_to_be_agreed(project: Path, fmt: str):
    edit(project / "rules.yaml", ASB_CONCERN, "      concern: {score: to_be_agreed, rationale: Ask the PACT panels}")
    made = CliRunner().invoke(cli.main, ["report", "rules.yaml", "--format", fmt, "--out", f"report.{fmt}"])
    assert made.exit_code == 0, made.output
    if fmt != "xlsx":
        text = (project / f"report.{fmt}").read_text(encoding="utf-8")
        assert "DRAFT: 1 score still to be agreed" in text and "Ask the PACT panels" in text
