"""engine.checks.explain: the trace answers "why this score" and its arithmetic adds up."""

from __future__ import annotations

import re
from pathlib import Path

from engine.checks.explain import explain, find_issue
from engine.load.datasets import load_datasets
from engine.load.rules import load_rules
from engine.score.scoring import score
from tests.conftest import DEFAULT_RULES
from tests.criterion_scales import use_criterion_scales
from tests.helpers import edit, run


def sevenoaks():
    rules = load_rules(DEFAULT_RULES)
    return score(rules, load_datasets(rules))


def test_find_issue_by_id_or_name():
    rules = load_rules(DEFAULT_RULES)
    assert find_issue(rules, "domestic_abuse") == "domestic_abuse"
    assert find_issue(rules, "domestic abuse") == "domestic_abuse"
    assert find_issue(rules, "Substance Misuse") == "substance_misuse"
    assert find_issue(rules, "nothing") is None


def test_every_explanation_adds_up_to_its_total():
    result = sevenoaks()
    for i, issue in enumerate(result.issue_ids):
        text = explain(result, issue)
        stated = [int(m) for m in re.findall(r"^\d+\. .*?: (\d+) \(", text, flags=re.M)]
        assert len(stated) == 6
        total_line = next(line for line in text.splitlines() if line.startswith("Total: "))
        assert (
            total_line == "Total: " + " + ".join(map(str, stated)) + f" = {sum(stated)} (sum of the criterion scores)"
        )
        assert sum(stated) == int(result.total(i))


def test_override_shows_rule_score_override_and_reason_side_by_side():
    text = explain(sevenoaks(), "anti_social_behaviour")
    assert (
        "5. Poor Performance compared to County/Most Similar Group: 3 (Slight impact/problem), "
        "by override (the data rule gave 1)" in text
    )
    assert "   Working:   county position 2" not in text
    assert "   Band:      from 1 to 4 -> score 1" in text
    assert "   Agreed by: Sevenoaks District CSP (Strategic Assessment 2020, Table 6)" in text


def test_not_a_priority_says_how_far_below(project: Path):
    text = explain(run(project), "burglary")
    assert text.endswith("Cutoff: 6 < 10, so this issue is NOT a priority (4 below the cutoff). Rank 3 of 3.\n")


def test_issue_without_data_says_so(project: Path):
    edit(project / "rules.yaml", "  cutoff: 10", "  cutoff: 9")
    text = explain(run(project), "scams")
    assert "Data: none; every criterion of this issue is a recorded judgement." in text
    assert text.endswith("Cutoff: 9 >= 9, so this issue IS a priority (exactly at the cutoff). Rank 2 of 3.\n")


def limited(project: Path, limit: int, ties: str = "include_all", tie: bool = False):
    """The mini project with cutoff 5 (every issue reaches it) and at most ``limit`` priorities.

    Totals: asb 15, scams 9, burglary 6; with ``tie``, scams and burglary both 8.
    """
    rules = project / "rules.yaml"
    edit(rules, "  cutoff: 10\n", f"  cutoff: 5\n  max_priorities: {limit}\n  ties: {ties}\n")
    if tie:
        edit(rules, "        score: 3\n        rationale: Raised", "        score: 5\n        rationale: Raised")
        edit(rules, "        score: 1\n        rationale: Few", "        score: 0\n        rationale: Few")
    return run(project)


def test_an_issue_alone_beyond_the_limit_is_not_said_to_be_tied(project: Path):
    result = limited(project, 1)
    assert explain(result, "scams").splitlines()[-1] == (
        "Cutoff: 9 >= 5, but this issue is NOT a priority: the rules allow at most 1 priority and at rank 2 "
        "it is beyond the limit. Rank 2 of 3."
    )
    assert explain(result, "burglary").splitlines()[-1] == (
        "Cutoff: 6 >= 5, but this issue is NOT a priority: the rules allow at most 1 priority and at rank 3 "
        "it is beyond the limit. Rank 3 of 3."
    )


def test_an_issue_tied_at_the_limit_names_the_tie_rule(project: Path):
    result = limited(project, 2, ties="exclude_all", tie=True)
    assert explain(result, "burglary").splitlines()[-1] == (
        "Cutoff: 8 >= 5, but this issue is NOT a priority: the rules allow at most 2 priorities and it is tied "
        "at the limit, where the rules leave out every tied issue (ties: exclude_all). Rank 2 of 3 (tied with scams)."
    )


def test_a_criterion_on_its_own_scale_shows_it_and_its_meanings(project: Path):
    use_criterion_scales(project)
    lines = explain(run(project), "asb").splitlines()
    assert lines[5] == "Scale: 0 = None, 1 = Low, 3 = Medium, 5 = High"
    assert lines[lines.index("1. Community Concern: 4 (Almost certain), by judgement") + 1] == (
        "   Scale:     1 = Rare, 2 = Possible, 3 = Likely, 4 = Almost certain"
    )
    assert lines[lines.index("2. Trend Increase: 5 (High), from the data") + 1].startswith("   Metric:")
    assert (
        lines[lines.index("3. Volume: 3 (Many), from the data") + 1]
        == "   Scale:     0 = None, 1 = Few, 2 = Some, 3 = Many"
    )


def test_a_criterion_scale_the_same_as_the_assessments_is_not_repeated(project: Path):
    same = "    scale: [{score: 0, meaning: None}, {score: 1, meaning: Low}, {score: 3, meaning: Medium}, {score: 5, meaning: High}]\n"
    edit(project / "rules.yaml", "    name: Community Concern\n", "    name: Community Concern\n" + same)
    text = explain(run(project), "asb")
    assert "1. Community Concern: 5 (High), by judgement\n   Rationale: " in text
    assert "   Scale:" not in text


def test_derived_values_are_steps_of_the_explanation(project):
    from engine.checks.explain import explain
    from engine.pipeline import run
    from tests.helpers import edit

    edit(
        project / "rules.yaml",
        "total:\n  method: sum\n",
        "derived:\n  harm: {name: Harm, expression: concern + trend}\n"
        "  risk: {name: Risk, expression: harm * volume / 2, decimals: 1}\n"
        "total:\n  method: expression\n  expression: risk\n",
    )
    result = run(project / "rules.yaml")
    lines = explain(result, "burglary").splitlines()
    assert "Derived: Harm: concern + trend = 3 + 0 = 3" in lines
    assert "Derived: Risk: harm * volume / 2 = 3 * 3 / 2 = 4.5" in lines
    assert "Total: risk with concern = 3, trend = 0, volume = 3, risk = 4.5 = 4.5" in lines
