"""engine.load.yamlfile: positions, duplicate keys, YAML 1.1 traps, limits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from engine.errors import InputError
from engine.load.yamlfile import MAX_DEPTH, format_path, parse_yaml


def load(text: str):
    return parse_yaml(text.encode(), "f.yaml")


def messages(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load(text)
    return [str(p) for p in caught.value.problems]


def test_values_and_positions():
    value, positions = load("a:\n  b: [1, 2.50, x]\n  c: 'no'\n")
    assert value == {"a": {"b": [1, Decimal("2.50"), "x"], "c": "no"}}
    assert positions.of(("a", "b", 1)) == (2, 10)
    assert positions.of(("a", "c"), key=True) == (3, 3)
    assert positions.of(("a", "missing", 3)) == (2, 3)  # nearest known parent


def test_decimals_are_exact():
    value, _ = load("x: 14.95\ny: 1e3\n")
    assert value["x"] == Decimal("14.95") and isinstance(value["x"], Decimal)
    assert value["y"] == Decimal("1000")


def test_quoted_values_are_always_text():
    value, _ = load("a: '06037'\nb: \"no\"\nc: '1.50'\n")
    assert value == {"a": "06037", "b": "no", "c": "1.50"}


def test_sexagesimal_and_dates_stay_text():
    value, _ = load("t: 1:30\nd: 2020-10-01\n")
    assert value == {"t": "1:30", "d": "2020-10-01"}


@pytest.mark.parametrize("word", ["yes", "No", "on", "OFF", "y", "n"])
def test_yaml11_booleans_are_refused(word):
    assert messages(f"x: {word}\n") == [
        f"f.yaml:1:4: x: `{word}` is ambiguous (older YAML reads it as true/false)\n"
        f'    hint: write true or false, or put it in quotes ("{word}") if you mean the word'
    ]


def test_true_false_null():
    value, _ = load("a: true\nb: False\nc: ~\nd:\n")
    assert value == {"a": True, "b": False, "c": None, "d": None}


def test_leading_zero_is_refused():
    assert messages("code: 06037\n")[0].startswith("f.yaml:1:7: code: `06037` has a leading zero")


def test_duplicate_keys_all_reported():
    assert messages("a: 1\nb: 2\na: 3\nb: 4\n") == [
        "f.yaml:3:1: a: duplicate key `a` (first given on line 1)\n"
        "    hint: each key may appear only once in a mapping; remove or rename one of them",
        "f.yaml:4:1: b: duplicate key `b` (first given on line 2)\n"
        "    hint: each key may appear only once in a mapping; remove or rename one of them",
    ]


def test_billion_laughs_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    found = messages("\n".join(lines) + "\n")
    assert all("anchors and aliases" in m for m in found)


def test_merge_keys_and_tags_are_refused():
    assert "merge keys (<<) are not supported" in messages("a: {x: 1}\nb:\n  <<: {x: 1}\n")[0]
    assert (
        "the YAML tag `tag:yaml.org,2002:python/object:os.system` is not allowed"
        in messages("a: !!python/object:os.system {}\n")[0]
    )


def test_deep_nesting_is_refused():
    text = "x: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    assert any("nesting is too deep" in m for m in messages(text))


def test_bom_is_accepted_and_bad_bytes_are_located():
    value, _ = parse_yaml(b"\xef\xbb\xbfa: 1\n", "f.yaml")
    assert value == {"a": 1}
    with pytest.raises(InputError) as caught:
        parse_yaml(b"a: 1\nb: caf\xe9\n", "f.yaml")
    assert str(caught.value.problems[0]).startswith("f.yaml:2:7: byte 0xe9 is not UTF-8 text")


def test_tabs_get_a_hint():
    assert messages("a:\n\tb: 1\n")[0].endswith(
        "hint: indent with spaces; YAML does not allow tab characters for indentation"
    )


def test_huge_file_is_refused():
    with pytest.raises(InputError) as caught:
        parse_yaml(b"a: 1\n" * 500_000, "f.yaml")
    assert "file is too large" in caught.value.problems[0].message


def test_format_path():
    assert format_path(("criteria", "trend", "bands", 2, "score")) == "criteria.trend.bands[2].score"
    assert format_path(()) == ""
