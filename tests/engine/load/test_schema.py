"""engine.load.schema: jsonschema's findings in plain English, at the right position."""

from __future__ import annotations

from typing import Any

import pytest

from engine.load.schema import TRANSLATORS, describe, load_schema, problems_against, schema_problems
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
        "scale: [{score: 1, meaning: low}, {score: '2', meaning: mid}]\n"
        "priority: {cutoff: '20'}\n"
        "criteria: {}\n"
        "issues: {a: {name: A}}\n"
    )
    assert problems(text) == [
        "r.yaml:1:56: assessment.colour: unknown key `colour`\n"
        "    hint: allowed keys here: title, partnership, area, period, previous_period, source",
        'r.yaml:2:43: scale[1].score: must be a number, not the text "2"\n'
        "    hint: write the number without quotes, units or thousands separators",
        'r.yaml:3:20: priority.cutoff: must be a number, not the text "20"\n'
        "    hint: write the number without quotes, units or thousands separators",
        "r.yaml:4:11: criteria: must have at least 1 entry",
    ]


# -- every translator, with the exact message and hint -------------------------------------------------------

#: (validator kind, schema, YAML snippet, the problems as printed). Every kind in TRANSLATORS, the
#: `propertyNames` special case and the fallback for kinds without their own words.
TRANSLATIONS = [
    (
        "additionalProperties",
        {"properties": {"name": {}}, "additionalProperties": False},
        "naem: x\n",
        ["r.yaml:1:1: naem: unknown key `naem`\n    hint: did you mean `name`?"],
    ),
    (
        "additionalProperties",
        {"properties": {"name": {}, "title": {}}, "additionalProperties": False},
        "colour: red\n",
        ["r.yaml:1:1: colour: unknown key `colour`\n    hint: allowed keys here: name, title"],
    ),
    (
        "additionalProperties",
        {"patternProperties": {"^published_": {}}, "additionalProperties": False},
        "published_rate: 1\nrate: 2\n",
        ["r.yaml:2:1: rate: unknown key `rate`"],
    ),
    (
        "required",
        {"properties": {"a": {"required": ["name", "title"]}}},
        "a: {name: x}\n",
        ["r.yaml:1:4: a: missing required key `title`"],
    ),
    (
        "type",
        {"properties": {"cutoff": {"type": "number"}}},
        "cutoff: '20'\n",
        [
            'r.yaml:1:9: cutoff: must be a number, not the text "20"\n'
            "    hint: write the number without quotes, units or thousands separators"
        ],
    ),
    (
        "type",
        {"properties": {"decimals": {"type": "integer"}}},
        "decimals: 2.5\n",
        ["r.yaml:1:11: decimals: must be a whole number, not the number 2.5"],
    ),
    (
        "type",
        {"properties": {"name": {"type": "string"}}},
        "name: 2020\n",
        ['r.yaml:1:7: name: must be text, not the number 2020\n    hint: put it in quotes to use it as text: "2020"'],
    ),
    (
        "type",
        {"properties": {"name": {"type": "string"}}},
        "name: true\n",
        ["r.yaml:1:7: name: must be text, not true\n    hint: put it in quotes to use it as text"],
    ),
    (
        "type",
        {"properties": {"bands": {"type": ["array", "null"]}}},
        "bands: {a: 1}\n",
        ["r.yaml:1:8: bands: must be a list or empty, not a mapping"],
    ),
    (
        "enum",
        {"properties": {"method": {"enum": ["sum", "weighted_sum"]}}},
        "method: sume\n",
        [
            'r.yaml:1:9: method: the text "sume" is not allowed here (allowed: sum, weighted_sum)\n'
            "    hint: did you mean `sum`?"
        ],
    ),
    (
        "minimum",
        {"properties": {"decimals": {"minimum": 0}}},
        "decimals: -1\n",
        ["r.yaml:1:11: decimals: must be at least 0, not -1"],
    ),
    (
        "maximum",
        {"properties": {"decimals": {"maximum": 6}}},
        "decimals: 7\n",
        ["r.yaml:1:11: decimals: must be at most 6, not 7"],
    ),
    (
        "minItems",
        {"properties": {"bands": {"minItems": 1}}},
        "bands: []\n",
        ["r.yaml:1:8: bands: must list at least 1 item"],
    ),
    (
        "minItems",
        {"properties": {"scale": {"minItems": 2}}},
        "scale: [1]\n",
        ["r.yaml:1:8: scale: must list at least 2 items"],
    ),
    (
        "minProperties",
        {"properties": {"criteria": {"minProperties": 1}}},
        "criteria: {}\n",
        ["r.yaml:1:11: criteria: must have at least 1 entry"],
    ),
    (
        "minProperties",
        {"properties": {"set": {"minProperties": 2}}},
        "set: {a: 1}\n",
        ["r.yaml:1:6: set: must have at least 2 entries"],
    ),
    (
        "minLength",
        {"properties": {"title": {"minLength": 1}}},
        "title: ''\n",
        ["r.yaml:1:8: title: must not be empty"],
    ),
    (
        "maxLength",
        {"properties": {"title": {"maxLength": 1000}}},
        "title: " + "x" * 1200 + "\n",
        ["r.yaml:1:8: title: is too long (1,200 characters; the limit is 1,000)"],
    ),
    (
        "anyOf",
        {"properties": {"if_no_value": {"anyOf": [{"const": "error"}, {"type": "integer"}]}}},
        "if_no_value: none\n",
        [
            'r.yaml:1:14: if_no_value: must be `error`, `to_be_agreed`, a score on the scale, or a score per reason, not the text "none"'
        ],
    ),
    (
        "anyOf",  # any other anyOf has no words of its own
        {"properties": {"x": {"anyOf": [{"const": "a"}, {"type": "integer"}]}}},
        "x: b\n",
        ["r.yaml:1:4: x: the text \"b\" is not allowed here ('b' is not valid under any of the given schemas)"],
    ),
    (
        "propertyNames",
        {"properties": {"issues": {"propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"}}}},
        "issues: {Bad Id: 1}\n",
        [
            'r.yaml:1:10: issues."Bad Id": `Bad Id` is not a valid id\n'
            "    hint: use lower-case letters, digits and underscores, starting with a letter (e.g. anti_social_behaviour)"
        ],
    ),
    (
        "fallback",
        {"properties": {"step": {"multipleOf": 5}}},
        "step: 7\n",
        ["r.yaml:1:7: step: the number 7 is not allowed here (7 is not a multiple of 5)"],
    ),
]


@pytest.mark.parametrize(
    ("kind", "schema", "text", "expected"), TRANSLATIONS, ids=[f"{c[0]}-{n}" for n, c in enumerate(TRANSLATIONS)]
)
def test_translation(kind: str, schema: dict[str, Any], text: str, expected: list[str]) -> None:
    data, positions = parse_yaml(text.encode(), "r.yaml")
    assert [str(p) for p in problems_against(schema, data, positions)] == expected


def test_every_translator_has_a_case():
    assert {case[0] for case in TRANSLATIONS} == set(TRANSLATORS) | {"propertyNames", "fallback"}


def test_translations_in_the_rules_schema_are_placed_at_the_value():
    text = (
        "assessment: {title: T, partnership: P, period: '2020'}\n"
        "scale: [{score: 0, meaning: none}, {score: 1, meaning: low}]\n"
        "priority: {cutoff: 1, ties: include_al}\n"
        "criteria: {c: {name: C, metric: count, if_no_value: maybe}}\n"
        "issues: {a: {name: A, data: {dataset: crime, categories: []}}}\n"
    )
    assert problems(text) == [
        'r.yaml:3:29: priority.ties: the text "include_al" is not allowed here (allowed: include_all, exclude_all)\n'
        "    hint: did you mean `include_all`?",
        'r.yaml:4:53: criteria.c.if_no_value: must be `error`, `to_be_agreed`, a score on the scale, or a score per reason, not the text "maybe"',
        "r.yaml:5:58: issues.a.data.categories: must list at least 1 item",
    ]
