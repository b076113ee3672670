"""engine.load.sections.criteria (and rules_scale, rules_collector): a section builds on its own, recording problems."""

from __future__ import annotations

from engine.load.model import DataCriterion, JudgementCriterion, ScalePoint
from engine.load.sections.collector import Collector
from engine.load.sections.criteria import build_criterion
from engine.load.sections.scale import build_scale
from engine.load.yamlfile import parse_yaml

TEXT = b"""scale: [{score: 0, meaning: none}, {score: 5, meaning: high}]
criteria:
  trend:
    name: Trend
    metric: count
    decimals: 0
    bands:
      - below: 10
        score: 0
      - from: 10
        below: 10
        score: 3
      - from: 10
        score: 5
"""


def collector_with_scale() -> tuple[Collector, dict]:
    data, positions = parse_yaml(TEXT, "r.yaml")
    collector = Collector(positions)
    build_scale(collector, data["scale"])
    return collector, data


def test_the_scale_section_teaches_the_collector_its_scores():
    collector, _ = collector_with_scale()
    assert collector.scores == [0, 5] and collector.problems == []


def test_criteria_check_scores_against_the_scale_and_bands_for_empty_ones():
    collector, data = collector_with_scale()
    criterion = build_criterion(collector, "trend", data["criteria"]["trend"])
    assert isinstance(criterion, DataCriterion) and [b.label for b in criterion.bands][1] == "from 10 below 10"
    assert [str(p) for p in collector.problems] == [
        "r.yaml:12:16: criteria.trend.bands[1].score: 3 is not on the scale (allowed: 0, 5)",
        "r.yaml:10:9: criteria.trend.bands[1]: band `from 10 below 10` contains no values",
    ]


def test_in_a_variant_an_empty_band_is_allowed():
    collector, data = collector_with_scale()
    build_criterion(collector, "trend", data["criteria"]["trend"], variant=True)
    assert [p.message for p in collector.problems] == ["3 is not on the scale (allowed: 0, 5)"]


def test_a_criterion_without_a_metric_is_judged():
    collector, _ = collector_with_scale()
    assert build_criterion(collector, "harm", {"name": "Harm"}) == JudgementCriterion("harm", "Harm")


OWN_SCALES = b"""scale: [{score: 0, meaning: none}, {score: 5, meaning: high}]
criteria:
  likelihood:
    name: Likelihood
    scale:
      - {score: 1, meaning: Rare}
      - {score: 2, meaning: Possible}
      - {score: 2, meaning: Likely}
      - {score: 4, meaning: Almost certain}
  trend:
    name: Trend
    metric: count
    decimals: 0
    if_no_value: 0
    scale: [{score: 1, meaning: Low}, {score: 2, meaning: High}]
    bands:
      - below: 10
        score: 0
      - from: 10
        score: 5
  change:
    name: Change
    metric: percent_change
    decimals: 0
    if_no_value: {zero_to_zero: 1, zero_to_some: 5, missing: error}
    scale: [{score: 1, meaning: Low}, {score: 2, meaning: High}]
    bands:
      - from: 0
        score: 2
      - below: 0
        score: 1
"""


def built(text: bytes) -> tuple[Collector, dict]:
    data, positions = parse_yaml(text, "r.yaml")
    collector = Collector(positions)
    build_scale(collector, data["scale"])
    criteria = {cid: build_criterion(collector, cid, raw) for cid, raw in data["criteria"].items()}
    return collector, criteria


def test_a_criterion_has_its_own_scale_each_score_once():
    collector, criteria = built(OWN_SCALES)
    likelihood = criteria["likelihood"]
    assert isinstance(likelihood, JudgementCriterion)
    assert likelihood.scale == (ScalePoint(1, "Rare"), ScalePoint(2, "Possible"), ScalePoint(4, "Almost certain"))
    assert criteria["trend"].scale == (ScalePoint(1, "Low"), ScalePoint(2, "High"))
    assert collector.scores == [0, 5]
    assert collector.own_scores == {"likelihood": [1, 2, 4], "trend": [1, 2], "change": [1, 2]}
    assert str(collector.problems[0]) == (
        "r.yaml:8:17: criteria.likelihood.scale[2].score: score 2 is listed twice on the scale of `likelihood`"
    )


def test_band_scores_and_if_no_value_are_checked_against_their_criterion_scale():
    collector, _ = built(OWN_SCALES)
    assert [str(p) for p in collector.problems] == [
        "r.yaml:8:17: criteria.likelihood.scale[2].score: score 2 is listed twice on the scale of `likelihood`",
        "r.yaml:14:18: criteria.trend.if_no_value: 0 is not on the scale of `trend` (allowed: 1, 2)",
        "r.yaml:18:16: criteria.trend.bands[0].score: 0 is not on the scale of `trend` (allowed: 1, 2)",
        "r.yaml:20:16: criteria.trend.bands[1].score: 5 is not on the scale of `trend` (allowed: 1, 2)",
        "r.yaml:25:50: criteria.change.if_no_value.zero_to_some: 5 is not on the scale of `change` (allowed: 1, 2)",
    ]


def test_without_its_own_scale_a_criterion_keeps_the_assessments_and_its_message():
    text = OWN_SCALES.replace(
        b"    if_no_value: 0\n    scale: [{score: 1, meaning: Low}, {score: 2, meaning: High}]\n", b""
    )
    collector, criteria = built(text.replace(b"score: 0\n", b"score: 3\n"))
    assert criteria["trend"].scale == () and "trend" not in collector.own_scores
    assert [str(p) for p in collector.problems] == [
        "r.yaml:8:17: criteria.likelihood.scale[2].score: score 2 is listed twice on the scale of `likelihood`",
        "r.yaml:16:16: criteria.trend.bands[0].score: 3 is not on the scale (allowed: 0, 5)",
        "r.yaml:23:50: criteria.change.if_no_value.zero_to_some: 5 is not on the scale of `change` (allowed: 1, 2)",
    ]
