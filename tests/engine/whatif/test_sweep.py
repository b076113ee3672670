"""engine.whatif.sweep: parsing --vary, shares, flip ranges, distinct lists, skipped scenarios."""

from __future__ import annotations

from decimal import Decimal

import pytest

from engine.errors import InputError
from engine.load.datasets import load_datasets
from engine.load.rules import load_rules
from engine.score.scoring import score
from engine.whatif.sweep import parse_vary, sweep
from tests.conftest import DEFAULT_RULES


@pytest.fixture(scope="module")
def baseline():
    rules = load_rules(DEFAULT_RULES)
    return score(rules, load_datasets(rules))


def test_parse_vary(baseline):
    axis = parse_vary(baseline.rules, "criteria.trend.bands[3].from=10:12:0.5", 1)
    assert [str(v) for v in axis.values] == ["10.0", "10.5", "11.0", "11.5", "12.0"]
    assert axis.parameter.linked == ((2, "below"),)


@pytest.mark.parametrize(
    "option, message",
    [
        (
            "priority.cutoff=20:10:1",
            "--vary[1]:1:17: priority.cutoff: START:STOP:STEP needs STEP above 0 and STOP at least START",
        ),
        (
            "priority.cutoff=NaN:10:1",
            "--vary[1]:1:17: priority.cutoff: START:STOP:STEP needs STEP above 0 and STOP at least START",
        ),
        (
            "priority.cutoff=a:b",
            "--vary[1]:1:17: priority.cutoff: `a:b` is not START:STOP:STEP\n    hint: e.g. 5:20:0.5",
        ),
        (
            "criteria.trend.bands[3].from=10:11:0.05",
            "--vary[1]:1:30: criteria.trend.bands[3].from: 10.05: 10.05 has more decimal places than the criterion's `decimals: 1`\n    hint: step by whole units of the criterion's precision",
        ),
        (
            "criteria.trend.decimals=0:2:1",
            "--vary[1]:1:1: criteria.trend.decimals: `criteria.trend.decimals` cannot be varied here\n    hint: sweeps vary the cutoff, band edges and scores, if_no_value, judgement and override scores, and weights; for other changes use whatif with --set or a scenario file",
        ),
        (
            "issues.safeguarding.judgements.harm.score=0:5:1",
            "--vary[1]:1:43: issues.safeguarding.judgements.harm.score: 2: 2 is not on the scale (allowed: 0, 1, 3, 5)",
        ),
    ],
)
def test_bad_vary(baseline, option, message):
    with pytest.raises(InputError) as caught:
        parse_vary(baseline.rules, option, 1)
    assert [str(p) for p in caught.value.problems] == [message]


def test_one_parameter_sweep_gives_flip_points(baseline):
    summary = sweep(baseline, [parse_vary(baseline.rules, "priority.cutoff=20:30:1", 1)])
    substance = baseline.case("substance_misuse")
    assert summary.runs is not None
    runs = summary.runs[substance]
    assert [(r.priority, str(r.first), str(r.last)) for r in runs] == [(True, "20", "24"), (False, "25", "30")]
    assert float(summary.share[substance]) == pytest.approx(5 / 11)
    assert summary.scenarios == 11 and summary.skipped == 0
    assert len(summary.lists) == 4  # all six; five; two (28s); none


def test_invalid_band_scenarios_are_skipped_and_counted(baseline):
    summary = sweep(baseline, [parse_vary(baseline.rules, "criteria.trend.bands[3].from=0:20:1", 1)])
    assert summary.skipped == 5  # 0 to 4 overlap "above 0 below 5"
    assert summary.example_skipped == "criteria.trend.bands[3].from=0"
    assert summary.runs is not None
    domestic = summary.runs[baseline.case("domestic_abuse")]
    assert [(r.priority, str(r.first), str(r.last)) for r in domestic] == [(True, "5", "20")]


def test_progress_is_reported_in_chunks(baseline):
    seen: list[int] = []
    sweep(baseline, [parse_vary(baseline.rules, "priority.cutoff=0:99:1", 1)], progress=seen.append, chunk=30)
    assert seen == [30, 30, 30, 10]


def test_two_parameter_grid(baseline):
    axes = [
        parse_vary(baseline.rules, "priority.cutoff=18:27:1", 1),
        parse_vary(baseline.rules, "criteria.trend.bands[3].from=10:15:0.1", 2),
    ]
    summary = sweep(baseline, axes)
    assert summary.scenarios == 10 * 51 and summary.runs is None
    assert sum(count for _, count in summary.lists) == summary.scenarios
    assert Decimal(str(summary.share[baseline.case("serious_acquisitive")])) == 1
