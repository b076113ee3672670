"""engine.load.stages, through the pipeline: every independent problem in one run, never a consequence twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import InputError, Problem
from engine.load.stages import consequence, unit_of, without
from engine.pipeline import load
from tests.helpers import edit


def messages(project: Path, *, with_data: bool = True) -> list[str]:
    with pytest.raises(InputError) as caught:
        load(project / "rules.yaml", with_data=with_data)
    return [f"{p.line}: {p.path}: {p.message}" for p in caught.value.problems]


def test_a_broken_criterion_hides_neither_the_issues_nor_the_data_but_is_not_blamed_twice(project: Path):
    edit(project / "rules.yaml", "    metric: rate_per_1000\n", "    metric: rate_per_100\n")  # schema
    edit(
        project / "rules.yaml",
        "        score: 3\n        rationale: Raised",
        "        score: 2\n        rationale: Raised",
    )
    edit(project / "rules.yaml", "[Anti-social behaviour]", "[Anti-social behavior]")  # data
    assert messages(project) == [
        "49: criteria.volume.metric: "
        'the text "rate_per_100" is not allowed here (allowed: percent_change, rate_per_1000, share_of_total, count, '
        "county_position, county_rank, harm_weighted, poisson_z, expression, measure, trend_slope, "
        "change_over_periods)",
        "65: issues.asb.data.categories[0]: category `Anti-social behavior` is not in data/crime.csv for area Testshire",
        "78: issues.burglary.judgements.concern.score: 2 is not on the scale (allowed: 0, 1, 3, 5)",
    ]


def test_a_broken_dataset_section_is_not_read_and_its_users_are_not_blamed(project: Path):
    edit(project / "rules.yaml", "    shape: crime_counts\n", "    shape: crime_count\n")
    edit(
        project / "rules.yaml",
        "        score: 3\n        rationale: Raised",
        "        score: 2\n        rationale: Raised",
    )
    found = messages(project)
    assert [m.split(":")[0:2] for m in found] == [
        ["27", " datasets.crime.shape"],
        ["78", " issues.burglary.judgements.concern.score"],
    ]


def test_a_problem_everything_relies_on_stops_the_later_stages(project: Path):
    edit(project / "rules.yaml", "  cutoff: 10\n", "  cutoff: ten\n")
    edit(
        project / "rules.yaml",
        "        score: 3\n        rationale: Raised",
        "        score: 2\n        rationale: Raised",
    )
    assert messages(project) == ['22: priority.cutoff: must be a number, not the text "ten"']


def test_rules_only_stops_before_the_data(project: Path):
    edit(
        project / "rules.yaml",
        "        score: 3\n        rationale: Raised",
        "        score: 2\n        rationale: Raised",
    )
    edit(project / "rules.yaml", "[Anti-social behaviour]", "[Anti-social behavior]")
    assert messages(project, with_data=False) == [
        "78: issues.burglary.judgements.concern.score: 2 is not on the scale (allowed: 0, 1, 3, 5)"
    ]


@pytest.mark.parametrize(
    "path, unit",
    [
        (("criteria", "trend", "bands", 2, "from"), ("criteria", "trend")),
        (("issues", "asb", "judgements", "concern", "score"), ("issues", "asb", "judgements", "concern")),
        (
            ("issues", "asb", "areas", "Town", "overrides", "trend"),
            ("issues", "asb", "areas", "Town", "overrides", "trend"),
        ),
        (("issues", "asb", "data", "categories", 0), ("issues", "asb")),
        (("datasets", "crime", "file"), ("datasets", "crime")),
        (("priority", "cutoff"), None),
        (("criteria",), None),
        ((), None),
    ],
)
def test_unit_of(path, unit):
    assert unit_of(path) == unit


def test_a_broken_judgement_of_a_sound_criterion_is_held_pending_and_of_an_unknown_one_left_out():
    data = {
        "criteria": {"concern": {}},
        "issues": {"asb": {"judgements": {"concern": {"score": 4}, "trnd": {"score": 3}}}},
    }
    left = without(data, {("issues", "asb", "judgements", "concern"), ("issues", "asb", "judgements", "trnd")})
    assert left["issues"]["asb"]["judgements"] == {
        "concern": {"score": "to_be_agreed", "rationale": "", "evidence": ""}
    }
    assert data["issues"]["asb"]["judgements"]["concern"] == {"score": 4}  # the original is untouched


def test_consequences_name_a_left_out_part_where_it_is_used():
    broken = {("datasets", "crime"), ("issues", "asb", "judgements", "concern")}
    assert consequence(Problem("r", 1, 1, "issues.x.data.dataset", "there is no dataset `crime`"), broken)
    assert consequence(Problem("r", 1, 1, "issues.asb", "issue `asb` has no score for criterion `concern`"), broken)
    assert not consequence(Problem("r", 1, 1, "issues.bur", "issue `bur` has no score for criterion `concern`"), broken)
