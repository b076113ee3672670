"""engine.checks.reconcile: published tables against computed scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.checks.reconcile import normalise, reconcile
from engine.errors import InputError
from engine.load.datasets import load_datasets
from engine.load.rules import load_rules
from engine.score.scoring import score
from tests.conftest import DEFAULT_RULES, ROOT

PUBLISHED = ROOT / "datasets" / "sevenoaks-2020"


@pytest.fixture(scope="module")
def result():
    rules = load_rules(DEFAULT_RULES)
    return score(rules, load_datasets(rules))


def test_normalise_tolerates_case_punctuation_and_including():
    assert normalise("Anti-Social Behaviour incl Environmental Crime*") == normalise(
        "anti social behaviour, including environmental crime"
    )


def test_table_6_agrees(result):
    found = reconcile(result, PUBLISHED / "published-table-6.csv")
    assert found.agrees and found.compared == 42 and found.issues == 6


def test_score_boxes_differ_from_table_6_cell_by_cell(result):
    found = reconcile(result, PUBLISHED / "published-score-boxes.csv")
    assert [(d.line, d.issue_id, d.column, str(d.published), str(d.computed)) for d in found.differences] == [
        (2, "serious_acquisitive", "volume", "3", "5"),
        (2, "serious_acquisitive", "harm", "5", "3"),
        (5, "safeguarding", "trend", "3", "5"),
        (5, "safeguarding", "volume", "3", "5"),
        (5, "safeguarding", "performance", "3", "1"),
        (5, "safeguarding", "total", "24", "26"),
        (7, "substance_misuse", "trend", "3", "5"),
        (7, "substance_misuse", "total", "22", "24"),
    ]
    assert found.summary() == "8 differences in 3 of 6 issues (42 cells compared)."


def test_text_totals_differ(result):
    found = reconcile(result, PUBLISHED / "published-text-totals.csv")
    assert [(d.issue_id, str(d.published)) for d in found.differences] == [
        ("anti_social_behaviour", "26"),
        ("safeguarding", "24"),
        ("substance_misuse", "22"),
    ]


def test_bad_published_tables_are_positioned(result, tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_text("issue,trnd,total\nDomestic Abuse,5,x\nNo such issue,1,2\n")
    with pytest.raises(InputError) as caught:
        reconcile(result, path)
    assert [p.message for p in caught.value.problems] == [
        f"`trnd` is not a criterion of {result.rules.display}",
        "`x` is not a number",
        f"no issue `No such issue` in {result.rules.display}",
    ]
    assert caught.value.problems[0].hint == "did you mean `trend`?"
    assert [(p.line, p.column) for p in caught.value.problems] == [(1, 2), (2, 3), (3, 1)]
