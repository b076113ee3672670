"""engine.load.rules: the typed rule set, and meaning checks the corpus does not cover."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from engine.errors import InputError
from engine.load.rules import load_rules
from tests.conftest import DEFAULT_RULES
from tests.criterion_scales import use_criterion_scales
from tests.helpers import edit

RULES = "rules.yaml"


def messages(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_rules(path)
    return [str(p) for p in caught.value.problems]


def test_bundled_rules_load_typed():
    rules = load_rules(DEFAULT_RULES)
    assert rules.priority.cutoff == Decimal(20)
    assert [p.score for p in rules.scale] == [0, 1, 3, 5]
    trend = rules.criteria["trend"]
    assert (
        trend.data_driven
        and trend.decimals == 1
        and [b.label for b in trend.bands] == ["to 0", "above 0 below 5", "from 5 below 10", "from 10"]
    )
    assert not rules.criteria["harm"].data_driven
    assert rules.issues["serious_acquisitive"].data.categories[0] == "Burglary Residential"
    assert rules.issues["serious_acquisitive"].overrides["trend"].score == 5
    assert rules.datasets["crime"].path.name == "crime-figures.csv"


def test_metric_keys_need_a_metric(project: Path):
    edit(project / RULES, "    name: Community Concern\n", "    name: Community Concern\n    decimals: 1\n")
    assert messages(project / RULES) == [
        "rules.yaml:35:5: criteria.concern.decimals: `decimals` needs a metric: without one, `concern` is scored by "
        "judgement\n    hint: add `metric:` (percent_change, rate_per_1000, share_of_total, count, county_position, county_rank, "
        "harm_weighted, poisson_z, expression, measure, trend_slope, change_over_periods) or remove `decimals`"
    ]


def test_metric_specific_keys(project: Path):
    edit(project / RULES, "    metric: rate_per_1000\n", "    metric: share_of_total\n    weights: {a: 1}\n")
    assert messages(project / RULES) == [
        "rules.yaml:49:13: criteria.volume.metric: metric share_of_total needs `total_category`",
        "rules.yaml:50:5: criteria.volume.weights: `weights` is only used with metric harm_weighted",
    ]


def test_combine_must_suit_the_metric(project: Path):
    edit(project / RULES, "    metric: rate_per_1000\n", "    metric: rate_per_1000\n    combine: worst\n")
    assert messages(project / RULES) == [
        "rules.yaml:50:14: criteria.volume.combine: metric rate_per_1000 cannot combine categories by `worst` "
        "(allowed: sum)"
    ]


def test_if_no_value_must_be_on_the_scale(project: Path):
    edit(project / RULES, "    metric: rate_per_1000\n", "    metric: rate_per_1000\n    if_no_value: 2\n")
    assert messages(project / RULES) == [
        "rules.yaml:50:18: criteria.volume.if_no_value: 2 is not on the scale (allowed: 0, 1, 3, 5)"
    ]


def test_band_that_contains_nothing(project: Path):
    edit(
        project / RULES,
        "      - from: 15\n",
        "      - from: 15\n        below: 15\n        score: 5\n      - from: 15\n",
    )
    assert (
        messages(project / RULES)[0]
        == "rules.yaml:45:9: criteria.trend.bands[2]: band `from 15 below 15` contains no values"
    )


def test_ties_without_limit(project: Path):
    edit(project / RULES, "  cutoff: 10\n", "  cutoff: 10\n  ties: include_all\n")
    assert messages(project / RULES) == ["rules.yaml:23:3: priority.ties: `ties` only applies with `max_priorities`"]


def test_duplicate_category_in_an_issue(project: Path):
    edit(project / RULES, "[Burglary residential, Burglary business]", "[Burglary residential, Burglary residential]")
    assert messages(project / RULES) == [
        "rules.yaml:75:42: issues.burglary.data.categories[1]: category `Burglary residential` is listed twice (first as item 0)"
    ]


def test_expression_bands_both_open_below_overlap(project: Path):
    # Used to stop with a TypeError: the two bands' missing lower edges were compared as numbers.
    edit(
        project / RULES,
        "    metric: rate_per_1000\n    decimals: 1\n    bands:\n      - below: 1\n        score: 1\n      - from: 1\n",
        "    metric: expression\n    expression: current\n    decimals: 1\n    bands:\n      - below: 1\n        score: 1\n"
        "      - below: 2\n        score: 1\n      - from: 1\n",
    )
    assert messages(project / RULES) == [
        "rules.yaml:55:9: criteria.volume.bands[1]: overlaps bands[0]: both cover values below 1.0\n"
        "    hint: the metric is rounded to 1 decimal place before banding",
        "rules.yaml:57:9: criteria.volume.bands[2]: overlaps bands[1]: both cover values from 1.0 to 1.9: "
        "change `bands[2].from` (line 57) to 2, or `bands[1].below` (line 55) to 1\n"
        "    hint: the metric is rounded to 1 decimal place before banding",
    ]


def test_criteria_on_their_own_scales_load(project: Path):
    use_criterion_scales(project)
    rules = load_rules(project / RULES)
    assert [p.score for p in rules.scale_of("concern")] == [1, 2, 3, 4]
    assert [p.score for p in rules.scale_of("volume")] == [0, 1, 2, 3]
    assert rules.scale_of("trend") == rules.scale and rules.criteria["trend"].scale == ()
    assert rules.meaning(4, "concern") == "Almost certain" and rules.meaning(3, "trend") == "Medium"
    assert [b.score for b in rules.data_criteria["volume"].bands] == [1, 2, 3]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "        score: 4\n        rationale: Residents",
            "        score: 0\n        rationale: Residents",
            [
                "rules.yaml:78:16: issues.asb.judgements.concern.score: 0 is not on the scale of `concern` (allowed: 1, 2, 3, 4)"
            ],
        ),
        (
            "  burglary:\n",
            "    overrides:\n      volume:\n        score: 5\n        reason: r\n        agreed_by: a\n  burglary:\n",
            [
                "rules.yaml:83:16: issues.asb.overrides.volume.score: 5 is not on the scale of `volume` (allowed: 0, 1, 2, 3)"
            ],
        ),
        (
            "        score: 3\n\nissues:",
            "        score: 5\n\nissues:",
            [
                "rules.yaml:68:16: criteria.volume.bands[2].score: 5 is not on the scale of `volume` (allowed: 0, 1, 2, 3)"
            ],
        ),
        (
            "    metric: rate_per_1000\n",
            "    metric: rate_per_1000\n    if_no_value: 5\n",
            ["rules.yaml:60:18: criteria.volume.if_no_value: 5 is not on the scale of `volume` (allowed: 0, 1, 2, 3)"],
        ),
        (
            "    metric: rate_per_1000\n",
            "    metric: rate_per_1000\n    if_no_value: {zero_population: 4}\n",
            [
                "rules.yaml:60:36: criteria.volume.if_no_value.zero_population: 4 is not on the scale of `volume` "
                "(allowed: 0, 1, 2, 3)"
            ],
        ),
        (
            "        score: 3\n        rationale: Reports",
            "        score: 4\n        rationale: Reports",
            ["rules.yaml:99:16: issues.scams.judgements.trend.score: 4 is not on the scale (allowed: 0, 1, 3, 5)"],
        ),
        (
            "{score: 2, meaning: Possible}",
            "{score: 1, meaning: Possible}",
            [
                "rules.yaml:37:17: criteria.concern.scale[1].score: score 1 is listed twice on the scale of `concern`",
                "rules.yaml:88:16: issues.burglary.judgements.concern.score: 2 is not on the scale of `concern` "
                "(allowed: 1, 3, 4)",
            ],
        ),
    ],
    ids=["judgement", "override", "band-score", "if-no-value", "if-no-value-for-a-reason", "assessment-scale", "twice"],
)
def test_every_score_of_a_criterion_is_on_its_own_scale(project: Path, old: str, new: str, expected: list[str]):
    use_criterion_scales(project)
    edit(project / RULES, old, new)
    assert messages(project / RULES) == expected


def test_periods_belong_to_a_series_and_to_the_metrics_over_periods(project: Path):
    edit(project / RULES, "    shape: crime_counts\n", "    shape: crime_counts\n    periods: [2023, 2024]\n")
    edit(project / RULES, "    metric: percent_change\n", "    metric: trend_slope\n")
    edit(project / RULES, "    metric: rate_per_1000\n", "    metric: rate_per_1000\n    periods: 3\n")
    assert messages(project / RULES) == [
        "rules.yaml:28:5: datasets.crime.periods: `periods` is only used with shape crime_series, not crime_counts\n"
        "    hint: remove it: a crime_counts dataset holds two periods, previous and current",
        "rules.yaml:38:13: criteria.trend.metric: metric trend_slope needs `periods`: how many of the latest periods "
        "it uses (at least 2)",
        "rules.yaml:51:5: criteria.volume.periods: `periods` is only used with metric trend_slope or "
        "change_over_periods",
    ]


def test_a_series_declares_each_period_once_as_text(project: Path):
    edit(project / RULES, "    shape: crime_counts\n", "    shape: crime_series\n    periods: [2023, '2024', 2023]\n")
    assert messages(project / RULES) == [
        "rules.yaml:28:29: datasets.crime.periods[2]: period `2023` is listed twice (first as item 0)"
    ]
    edit(project / RULES, "[2023, '2024', 2023]", "[2023, '2024']")
    assert load_rules(project / RULES).datasets["crime"].periods == ("2023", "2024")
    edit(project / RULES, "    metric: percent_change\n", "    metric: trend_slope\n    periods: 1\n")
    assert messages(project / RULES) == ["rules.yaml:39:14: criteria.trend.periods: must be at least 2, not 1"]
