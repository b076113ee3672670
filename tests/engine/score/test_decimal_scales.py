"""Scales with decimal points (MoRiLE's 0.5 / 0.75 / 1): held exactly as whole units, shown as written."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from engine.errors import InputError
from engine.load.overlay import parse_set_option
from engine.pipeline import run
from engine.whatif.grid import evaluate, resolve
from tests.helpers import edit

#: The mini project's scale gains 0.25 and 2.5; burglary's concern judgement becomes 2.5, a trend band 0.25.
DECIMAL_SCALE = (
    "  - score: 0.25\n    meaning: Trace\n  - score: 1\n    meaning: Low\n  - score: 2.5\n    meaning: Some\n"
)


def _decimal_project(project: Path) -> None:
    edit(project / "rules.yaml", "  - score: 1\n    meaning: Low\n", DECIMAL_SCALE)
    edit(project / "rules.yaml", "      concern:\n        score: 3\n", "      concern:\n        score: 2.5\n")
    edit(project / "rules.yaml", "      - to: 0\n        score: 0\n", "      - to: 0\n        score: 0.25\n")


def test_decimal_points_are_held_exactly_and_read_back_as_written(project: Path) -> None:
    _decimal_project(project)
    result = run(project / "rules.yaml")
    assert result.rules.score_places == 2
    burglary = result.case("burglary")
    assert result.score("concern", burglary) == Decimal("2.5")
    assert result.score("trend", burglary) == Decimal("0.25")  # burglary's counts fall: the band `to 0`
    assert result.score("volume", burglary) == 3  # whole scores stay ints
    assert result.total(burglary) == Decimal("2.5") + Decimal("0.25") + result.score("volume", burglary)


def test_a_weighted_sum_of_decimal_scores_is_exact(project: Path) -> None:
    _decimal_project(project)
    edit(
        project / "rules.yaml", "method: sum", "method: weighted_sum\n  weights: {concern: 0.1, trend: 0.2, volume: 1}"
    )
    result = run(project / "rules.yaml")
    burglary = result.case("burglary")
    assert result.total(burglary) == Decimal("0.25") + Decimal("0.05") + result.score("volume", burglary)


def test_a_judgement_between_two_points_is_refused(project: Path) -> None:
    _decimal_project(project)
    edit(project / "rules.yaml", "        score: 2.5\n", "        score: 2.4\n")
    with pytest.raises(InputError) as caught:
        run(project / "rules.yaml")
    assert [p.message for p in caught.value.problems] == ["2.4 is not on the scale (allowed: 0, 0.25, 1, 2.5, 3, 5)"]


def test_a_written_1_point_0_is_the_whole_score_1(project: Path) -> None:
    edit(project / "rules.yaml", "      concern:\n        score: 3\n", "      concern:\n        score: 1.0\n")
    result = run(project / "rules.yaml")
    assert result.rules.score_places == 0
    assert result.score("concern", result.case("burglary")) == 1


def test_the_grid_agrees_with_scoring_on_decimal_points(project: Path) -> None:
    _decimal_project(project)
    result = run(project / "rules.yaml")
    parameter = resolve(result.rules, ("issues", "burglary", "judgements", "concern", "score"))
    values = [Decimal("0.25"), Decimal("2.5"), Decimal(5)]
    evaluation = evaluate(result, [parameter], [values])
    for k, value in enumerate(values):
        again = run(project / "rules.yaml", [parse_set_option(f"{parameter.text}={value}", 1)])
        totals = [Decimal(int(u)).scaleb(-evaluation.places) for u in evaluation.total_units[k]]
        assert totals == [again.total(i) for i in range(len(again.issue_ids))]


def test_json_and_csv_show_decimal_scores_as_numbers(project: Path) -> None:
    _decimal_project(project)
    document = json.loads(CliRunner().invoke(cli.main, ["score", "rules.yaml", "--format", "json"]).output)
    burglary = next(r for r in document["areas"][0]["scores"] if r["issue_id"] == "burglary")
    assert (burglary["concern"], burglary["trend"]) == (2.5, 0.25)
    assert [p["score"] for p in document["scale"]] == [0, 0.25, 1, 2.5, 3, 5]
    table = CliRunner().invoke(cli.main, ["score", "rules.yaml", "--format", "csv"]).output
    assert "burglary,Burglary,2.5,0.25," in table


def test_explain_shows_a_decimal_score_and_its_meaning(project: Path) -> None:
    _decimal_project(project)
    trace = CliRunner().invoke(cli.main, ["explain", "rules.yaml", "burglary"]).output
    assert "1. Community Concern: 2.5 (Some), by judgement" in trace
    assert "Band:      to 0 -> score 0.25" in trace
