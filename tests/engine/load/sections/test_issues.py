"""engine.load.sections.issues: judgements and overrides are checked against their own criterion's scale."""

from __future__ import annotations

from pathlib import Path

from engine.load.model import DatasetRef
from engine.load.sections.collector import Collector
from engine.load.sections.criteria import build_criterion
from engine.load.sections.issues import build_issue
from engine.load.sections.scale import build_scale
from engine.load.yamlfile import parse_yaml

TEXT = b"""scale: [{score: 0, meaning: none}, {score: 5, meaning: high}]
criteria:
  harm:
    name: Harm
  likelihood:
    name: Likelihood
    scale: [{score: 1, meaning: Rare}, {score: 2, meaning: Possible}, {score: 3, meaning: Likely}]
  volume:
    name: Volume
    metric: count
    decimals: 0
    scale: [{score: 1, meaning: Low}, {score: 2, meaning: High}]
    bands:
      - below: 10
        score: 1
      - from: 10
        score: 2
issues:
  asb:
    name: ASB
    data: {dataset: crime, categories: [ASB]}
    judgements:
      harm: {score: 5, rationale: r, evidence: e}
      likelihood: {score: 0, rationale: r, evidence: e}
    overrides:
      volume: {score: 5, reason: r, agreed_by: a}
  scams:
    name: Scams
    judgements:
      harm: {score: 3, rationale: r, evidence: e}
      likelihood: {score: 3, rationale: r, evidence: e}
      volume: {score: 2, rationale: r, evidence: e}
"""


def test_judgements_and_overrides_are_on_their_criterion_scale():
    data, positions = parse_yaml(TEXT, "r.yaml")
    collector = Collector(positions)
    build_scale(collector, data["scale"])
    criteria = {cid: build_criterion(collector, cid, raw) for cid, raw in data["criteria"].items()}
    datasets = {"crime": DatasetRef("crime", Path("crime.csv"), "crime.csv", "crime_counts")}
    issues = {iid: build_issue(collector, iid, raw, criteria, datasets) for iid, raw in data["issues"].items()}
    assert [str(p) for p in collector.problems] == [
        "r.yaml:24:27: issues.asb.judgements.likelihood.score: 0 is not on the scale of `likelihood` (allowed: 1, 2, 3)",
        "r.yaml:26:23: issues.asb.overrides.volume.score: 5 is not on the scale of `volume` (allowed: 1, 2)",
        "r.yaml:30:21: issues.scams.judgements.harm.score: 3 is not on the scale (allowed: 0, 5)",
    ]
    assert issues["scams"].judgements["likelihood"].score == 3  # on its own scale, though not on the assessment's
