"""engine.report.narrative: draft Priority Ranking paragraphs."""

from __future__ import annotations

from engine.load.datasets import load_datasets
from engine.load.rules import load_rules
from engine.report.narrative import drafts
from engine.score.scoring import score
from engine.whatif.comparison import compare_results
from tests.conftest import DEFAULT_RULES, ROOT


def run(path):
    rules = load_rules(path)
    return score(rules, load_datasets(rules))


def test_with_last_year():
    now = run(DEFAULT_RULES)
    last = compare_results(run(ROOT / "rules/sevenoaks-2019.yaml"), now, "previous", match_names=True)
    found = {d.issue_id: d.text for d in drafts(now, last)}
    assert found["domestic_abuse"].startswith(
        "Domestic Abuse scored a total of 26 in last year's Strategic Assessment and scores 26 this year. "
        "It remains a priority for the forthcoming year. Level of Harm (5): "
    )
    assert found["substance_misuse"].startswith(
        "Substance Misuse scored a total of 22 in last year's Strategic Assessment but, due to higher scores for "
        "Trend Increase (3 to 5), scores 24 this year. It remains a priority for the forthcoming year."
    )


def test_without_last_year_and_below_the_cutoff(project):
    found = {d.issue_id: d.text for d in drafts(run(project / "rules.yaml"))}
    assert found["burglary"] == (
        "Burglary scores 6 this year. It is not a priority this year (the cutoff is 10). "
        "Community Concern (3): Raised in the residents' survey."
    )
    assert found["asb"].startswith(
        "Anti-Social Behaviour scores 15 this year. It is a priority for the forthcoming year"
    )


def limit_to(project, limit: int, ties: str = "include_all", tie: bool = False):
    """The mini project with cutoff 5 (every issue reaches it) and at most ``limit`` priorities.

    Totals: Anti-Social Behaviour 15, Scams 9, Burglary 6; with ``tie``, Scams and Burglary both 8.
    """
    from tests.helpers import edit

    rules = project / "rules.yaml"
    edit(rules, "  cutoff: 10\n", f"  cutoff: 5\n  max_priorities: {limit}\n  ties: {ties}\n")
    if tie:
        edit(rules, "        score: 3\n        rationale: Raised", "        score: 5\n        rationale: Raised")
        edit(rules, "        score: 1\n        rationale: Few", "        score: 0\n        rationale: Few")
    return {d.issue_id: d.text for d in drafts(run(rules))}


def test_an_issue_over_the_maximum_names_the_limit_and_its_rank(project):
    found = limit_to(project, 1)
    assert found["scams"].startswith(
        "Scams scores 9 this year. It reaches the cutoff of 5 but is not a priority: "
        "at most 1 issue is a priority and it ranks 2nd. Community Concern (5): "
    )
    assert found["burglary"].startswith(
        "Burglary scores 6 this year. It reaches the cutoff of 5 but is not a priority: "
        "at most 1 issue is a priority and it ranks 3rd. Community Concern (3): "
    )


def test_an_issue_left_out_by_the_tie_rule_says_so(project):
    found = limit_to(project, 2, ties="exclude_all", tie=True)
    assert found["burglary"].startswith(
        "Burglary scores 8 this year. It reaches the cutoff of 5 but is not a priority: at most 2 issues are "
        "priorities and it ranks 2nd, tied at the limit with Scams; the rules leave out every issue tied at the "
        "limit (ties: exclude_all). Community Concern (5): "
    )
