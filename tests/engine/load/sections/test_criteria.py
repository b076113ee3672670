"""engine.load.sections.criteria (and rules_scale, rules_collector): a section builds on its own, recording problems."""

from __future__ import annotations

from engine.load.model import DataCriterion, JudgementCriterion
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
