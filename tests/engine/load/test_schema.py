"""engine.load.schema: jsonschema's findings in plain English, at the right position."""

from __future__ import annotations

from engine.load.schema import describe, load_schema, schema_problems
from engine.load.yamlfile import parse_yaml


def problems(text: str) -> list[str]:
    data, positions = parse_yaml(text.encode(), "r.yaml")
    return [str(p) for p in schema_problems("rules", data, positions)]


def test_schemas_are_strict_about_unknown_keys():
    for name in ("rules", "crime_counts", "population"):
        assert load_schema(name)["additionalProperties"] is False


def test_describe():
    assert describe("abc") == 'the text "abc"'
    assert describe(None) == "empty"
    assert describe([1]) == "a list"


def test_several_problems_at_once_with_plain_words():
    text = (
        "assessment: {title: T, partnership: P, period: '2020', colour: red}\n"
        "scale: [{score: 1, meaning: low}, {score: 2.5, meaning: mid}]\n"
        "priority: {cutoff: '20'}\n"
        "criteria: {}\n"
        "issues: {a: {name: A}}\n"
    )
    assert problems(text) == [
        "r.yaml:1:56: assessment.colour: unknown key `colour`\n"
        "    hint: allowed keys here: title, partnership, area, period, previous_period, source",
        "r.yaml:2:43: scale[1].score: must be a whole number, not the number 2.5\n    hint: scores are whole numbers",
        'r.yaml:3:20: priority.cutoff: must be a number, not the text "20"\n'
        "    hint: write the number without quotes, units or thousands separators",
        "r.yaml:4:11: criteria: must have at least 1 entry",
    ]
