"""engine.whatif.rulediff: rule differences between two sides, each tied to the changes it caused; and the
comparison's entering and leaving lists counting new and removed issues."""

from __future__ import annotations

import shutil
from pathlib import Path

from engine import pipeline
from engine.whatif.comparison import compare_results
from tests.conftest import DEFAULT_RULES
from tests.engine.whatif.test_comparison import run
from tests.helpers import edit


def described(*options: str) -> list[str]:
    comparison = compare_results(run(DEFAULT_RULES), run(DEFAULT_RULES, *options), "variant")
    return [d.describe() for d in comparison.rule_changes]


def test_a_band_edge_moved_with_its_neighbour_is_one_difference_tied_to_the_scores_it_moved():
    assert described("criteria.trend.bands[3].from=15") == [
        "criteria.trend.bands[3].from 10 -> 15 (with bands[2].below): trend of domestic_abuse 5 -> 3, "
        "total 26 -> 24; trend of substance_misuse 5 -> 3, total 24 -> 22"
    ]


def test_a_cutoff_move_names_the_issues_it_moved_across():
    assert described("priority.cutoff=25") == [
        "priority.cutoff 20 -> 25: substance_misuse total 24, leaves the priorities"
    ]


def test_a_limit_names_the_issues_it_left_out():
    assert described("priority.max_priorities=2", "priority.ties=exclude_all") == [
        "priority.max_priorities (not set) -> 2: domestic_abuse total 26, leaves the priorities; safeguarding "
        "total 26, leaves the priorities; doorstep_crimes_scams total 26, leaves the priorities; substance_misuse "
        "total 24, leaves the priorities"
    ]


def test_a_judgement_score_is_tied_to_its_own_issue_and_a_change_that_moves_nothing_says_so():
    assert described("issues.substance_misuse.judgements.community_concern.score=0", "priority.cutoff=19") == [
        "priority.cutoff 20 -> 19: no score or priority changes",
        "issues.substance_misuse.judgements.community_concern.score 5 -> 0: community_concern of substance_misuse "
        "5 -> 0, total 24 -> 19",
    ]


def test_a_weight_is_tied_to_the_totals_it_moved(project: Path):
    edit(
        project / "rules.yaml",
        "total:\n  method: sum",
        "total:\n  method: weighted_sum\n  weights: {concern: 1, trend: 1, volume: 1}",
    )
    heavier = project / "heavier.yaml"
    shutil.copy(project / "rules.yaml", heavier)
    edit(heavier, "concern: 1,", "concern: 2,")
    comparison = compare_results(pipeline.run(project / "rules.yaml"), pipeline.run(heavier), "heavier")
    assert [d.path for d in comparison.rule_changes] == ["total.weights.concern"]
    moved = comparison.rule_changes[0].effects
    assert {e.issue.issue_id for e in moved} == {i.issue_id for i in comparison.issues if i.criteria[0].before}


def test_new_and_removed_issues_enter_and_leave(project: Path):
    now = project / "now.yaml"
    shutil.copy(project / "rules.yaml", now)
    edit(now, "  burglary:\n    name: Burglary\n", "  housebreaking:\n    name: Housebreaking\n")
    for path in (project / "rules.yaml", now):
        edit(path, "cutoff: 10", "cutoff: 5")
    comparison = compare_results(pipeline.run(project / "rules.yaml"), pipeline.run(now), "now")
    assert comparison.entering() == ["housebreaking"]
    assert comparison.leaving() == ["burglary"]
    assert comparison.summary() == (
        "2 of 4 issues change. Priorities: 3 before, 3 after; entering: housebreaking (new issue); "
        "leaving: burglary (removed)."
    )
