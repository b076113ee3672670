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
