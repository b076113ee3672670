"""engine.load.overlay: key paths, settings from the command line, shared band boundaries."""

from __future__ import annotations

import pytest

from engine.errors import InputError
from engine.load.overlay import apply_settings, parse_path, parse_set_option
from engine.load.rules import load_rules
from engine.load.yamlfile import parse_yaml
from tests.conftest import DEFAULT_RULES


@pytest.mark.parametrize(
    "text, path",
    [
        ("priority.cutoff", ("priority", "cutoff")),
        ("criteria.trend.bands[3].from", ("criteria", "trend", "bands", 3, "from")),
        ('criteria.harm.weights."Burglary Residential"', ("criteria", "harm", "weights", "Burglary Residential")),
        ("scale[0].score", ("scale", 0, "score")),
    ],
)
def test_parse_path(text, path):
    assert parse_path(text) == path


@pytest.mark.parametrize("text", ["", "[0]", "a..b", "a[x]", 'a."b'])
def test_malformed_paths(text):
    with pytest.raises(ValueError):
        parse_path(text)


def test_set_option_values_are_strict_yaml():
    assert parse_set_option("priority.cutoff=22", 1).value == 22
    assert str(parse_set_option("criteria.trend.bands[3].from=12.5", 1).value) == "12.5"
    with pytest.raises(InputError) as caught:
        parse_set_option("assessment.title=no", 2)
    assert str(caught.value.problems[0]).startswith("--set[2]:1:18: assessment.title: `no` is ambiguous")


def settings(*options):
    return [parse_set_option(o, n) for n, o in enumerate(options, start=1)]


def test_moving_an_edge_moves_the_shared_boundary():
    rules = load_rules(DEFAULT_RULES, settings("criteria.trend.bands[2].below=15"))
    assert [b.label for b in rules.criteria["trend"].bands] == ["to 0", "above 0 below 5", "from 5 below 15", "from 15"]
    assert [c.describe() for c in rules.changes] == [
        "criteria.trend.bands[2].below: 10 -> 15",
        "criteria.trend.bands[3].from: 10 -> 15 (moved with it: shared boundary)",
    ]


def test_setting_both_edges_explicitly_moves_no_other():
    with pytest.raises(InputError) as caught:
        load_rules(DEFAULT_RULES, settings("criteria.trend.bands[2].below=12", "criteria.trend.bands[3].from=15"))
    assert [p.message for p in caught.value.problems] == [
        "no band covers values from 12.0 to 14.9: change `bands[3].from` (line 1) to 12, "
        "or `bands[2].below` (--set[1], line 1) to 15"
    ]


def test_problems_a_setting_causes_are_reported_at_the_setting():
    with pytest.raises(InputError) as caught:
        load_rules(
            DEFAULT_RULES, settings("criteria.trend.bands[3].from=3", "issues.domestic_abuse.judgements.harm.score=4")
        )
    assert [str(p) for p in caught.value.problems] == [
        "--set[1]:1:30: criteria.trend.bands[3]: overlaps bands[1]: both cover values from 3.0 to 4.9: "
        "change `bands[3].from` (line 1) to 5, or `bands[1].below` (rules/sevenoaks-2020.yaml, line 63) to 3\n"
        "    hint: the metric is rounded to 1 decimal place before banding",
        "--set[2]:1:45: issues.domestic_abuse.judgements.harm.score: 4 is not on the scale (allowed: 0, 1, 3, 5)",
    ]


@pytest.mark.parametrize(
    "option, message",
    [
        (
            "criteria.trnd.bands[3].from=15",
            "--set[1]:1:29: criteria.trnd.bands[3].from: there is no `trnd` in criteria\n    hint: did you mean `trend`?",
        ),
        (
            "criteria.trend.bands[9].from=15",
            "--set[1]:1:30: criteria.trend.bands[9].from: criteria.trend.bands has 4 entries, [0] to [3], so there is "
            "no [9]\n    hint: counting starts at 0: the first entry is [0], the last [3]",
        ),
        (
            "trend.bands[3].from=15",
            "--set[1]:1:21: trend.bands[3].from: there is no `trend` in the rule file\n"
            "    hint: did you mean `criteria.trend.bands[3].from`?",
        ),
        (
            "cutoff=15",
            "--set[1]:1:8: cutoff: there is no `cutoff` in the rule file\n    hint: did you mean `priority.cutoff`?",
        ),
        (
            "criteria.trend.bands.from=15",
            "--set[1]:1:27: criteria.trend.bands.from: criteria.trend.bands is a list: use [0] to [3], not .from",
        ),
        (
            "priority.cutoff.value=1",
            "--set[1]:1:23: priority.cutoff.value: priority.cutoff is a single value, so it has no `value`",
        ),
        (
            "criteria.trend.bands[3].frm=15",
            "--set[1]:1:29: criteria.trend.bands[3].frm: unknown key `frm`\n    hint: did you mean `from`?",
        ),
    ],
)
def test_bad_paths(option, message):
    with pytest.raises(InputError) as caught:
        load_rules(DEFAULT_RULES, settings(option))
    assert [str(p) for p in caught.value.problems] == [message]


def test_apply_leaves_the_original_alone():
    data, positions = parse_yaml(b"priority:\n  cutoff: 20\n", "r.yaml")
    changed, changes = apply_settings(data, positions, settings("priority.cutoff=22"))
    assert data["priority"]["cutoff"] == 20 and changed["priority"]["cutoff"] == 22
    assert positions.locate(("priority", "cutoff")) == ("--set[1]", 1, 17)
