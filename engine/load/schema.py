"""JSON Schema validation of loaded YAML, reported as positioned plain-English problems.

The schemas are data under ``schemas/``. jsonschema finds what is wrong; this
module says it in an officer's words and points at the line and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

from engine.errors import Problem, allowed_list, did_you_mean
from engine.load.yamlfile import KeyPath, Positions
from engine.paths import schema_path

_TYPE_WORDS = {
    "object": "a mapping of keys to values",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The JSON Schema ``schemas/<name>.schema.json`` as a dict."""
    return json.loads(schema_path(name).read_text(encoding="utf-8"))


def describe(value: Any) -> str:
    """How a value looks to the person who wrote it: ``text "abc"``, ``the number 3``."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'the text "{shown}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def schema_problems(name: str, data: Any, positions: Positions) -> list[Problem]:
    """Every way ``data`` breaks schema ``name``, located in its file."""
    return problems_against(load_schema(name), data, positions)


def problems_against(schema: dict[str, Any], data: Any, positions: Positions) -> list[Problem]:
    """Every way ``data`` breaks ``schema`` (a JSON Schema as a dict), located, sorted and without repeats."""
    import jsonschema  # deferred: only validation needs it

    validator = jsonschema.Draft202012Validator(schema)
    problems: list[Problem] = []
    for error in validator.iter_errors(data):
        problems.extend(_translate(error, positions))
    return sorted(set(problems))


#: Turns one jsonschema error (located at a key path) into the problems it means.
Translator = Callable[[Any, KeyPath, Positions], list[Problem]]


def _translate(error: Any, positions: Positions) -> list[Problem]:
    path = tuple(error.absolute_path)
    # A bad mapping key fails inside `propertyNames` (its `pattern`), whatever the validator kind.
    # Checked before the table, except that unknown and missing keys keep their own words; those two
    # kinds never fire inside `propertyNames`, which only ever sees a key's text.
    if error.validator not in ("additionalProperties", "required") and "propertyNames" in error.schema_path:
        return _bad_id(error, path, positions)
    translate = TRANSLATORS.get(error.validator, _fallback)
    return translate(error, path, positions)


def _bad_id(error: Any, path: KeyPath, positions: Positions) -> list[Problem]:
    return [
        positions.problem(
            path + (error.instance,),
            f"`{error.instance}` is not a valid id",
            "use lower-case letters, digits and underscores, starting with a letter (e.g. anti_social_behaviour)",
            key=True,
        )
    ]


def _fallback(error: Any, path: KeyPath, positions: Positions) -> list[Problem]:
    """Any kind without its own words: jsonschema's message, after how the value looks."""
    return [positions.problem(path, f"{describe(error.instance)} is not allowed here ({error.message})")]


def _additional_properties(error: Any, path: KeyPath, positions: Positions) -> list[Problem]:
    """One problem per unknown key, at the key, with the closest known key or the list of known ones."""
    if not isinstance(error.instance, dict):
        return _fallback(error, path, positions)
    known = list(error.schema.get("properties", {}))
    patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
    found = []
    for key in error.instance:
        if key in known or any(p.search(key) for p in patterns):
            continue
        hint = did_you_mean(key, known) or (f"allowed keys here: {allowed_list(known)}" if known else "")
        found.append(positions.problem(path + (key,), f"unknown key `{key}`", hint, key=True))
    return found


def _required(error: Any, path: KeyPath, positions: Positions) -> list[Problem]:
    """One problem per missing key, at the mapping that lacks it."""
    if not isinstance(error.instance, dict):
        return []
    return [
        positions.problem(path, f"missing required key `{key}`")
        for key in error.validator_value
        if key not in error.instance
    ]


def _type(error: Any, path: KeyPath, positions: Positions) -> list[Problem]:
    """What kind of value is wanted, in words, with a hint for the usual slips (quotes, decimals)."""
    value = error.validator_value
    wanted: list[str] = value if isinstance(value, list) else [value]
    words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
    instance = error.instance
    return [positions.problem(path, f"must be {words}, not {describe(instance)}", _type_hint(wanted, instance))]


def _type_hint(wanted: list[str], instance: Any) -> str:
    # The cases are exclusive: at most one applies.
    if ("number" in wanted or "integer" in wanted) and isinstance(instance, str):
        return "write the number without quotes, units or thousands separators"
    if wanted == ["string"] and isinstance(instance, (int, Decimal)) and not isinstance(instance, bool):
        return f'put it in quotes to use it as text: "{instance}"'
    if wanted == ["string"] and isinstance(instance, bool):
        return "put it in quotes to use it as text"
    return ""


def _enum(error: Any, path: KeyPath, positions: Positions) -> list[Problem]:
    """The allowed values, and the closest of them."""
    value, instance = error.validator_value, error.instance
    hint = did_you_mean(instance, [str(v) for v in value])
    return [positions.problem(path, f"{describe(instance)} is not allowed here (allowed: {allowed_list(value)})", hint)]


def _minimum(error: Any, path: KeyPath, positions: Positions) -> list[Problem]:
    """The smallest allowed number."""
    return [positions.problem(path, f"must be at least {error.validator_value}, not {error.instance}")]


def _maximum(error: Any, path: KeyPath, positions: Positions) -> list[Problem]:
    """The largest allowed number."""
    return [positions.problem(path, f"must be at most {error.validator_value}, not {error.instance}")]


def _min_items(error: Any, path: KeyPath, positions: Positions) -> list[Problem]:
    """The fewest items a list may have."""
    value = error.validator_value
    return [positions.problem(path, f"must list at least {value} item{'s' if value != 1 else ''}")]


def _min_properties(error: Any, path: KeyPath, positions: Positions) -> list[Problem]:
    """The fewest entries a mapping may have."""
    value = error.validator_value
    return [positions.problem(path, f"must have at least {value} entr{'ies' if value != 1 else 'y'}")]


def _min_length(error: Any, path: KeyPath, positions: Positions) -> list[Problem]:
    """Text that must not be empty (every minimum length in the schemas is 1)."""
    return [positions.problem(path, "must not be empty")]


def _max_length(error: Any, path: KeyPath, positions: Positions) -> list[Problem]:
    """Text over its length limit, with its length."""
    value, instance = error.validator_value, error.instance
    return [positions.problem(path, f"is too long ({len(instance):,} characters; the limit is {value:,})")]


def _any_of(error: Any, path: KeyPath, positions: Positions) -> list[Problem]:
    """The `anyOf`s of the rules: ``if_no_value`` (`error`, `to_be_agreed`, a score, or one of those per reason)
    and a judgement's ``score`` (a score, or `to_be_agreed`)."""
    if path and path[-1] == "if_no_value":
        return [
            positions.problem(
                path,
                "must be `error`, `to_be_agreed`, a score on the scale, or a score per reason, "
                f"not {describe(error.instance)}",
            )
        ]
    if len(path) >= 2 and path[-2] == "if_no_value":
        return [
            positions.problem(
                path, f"must be `error`, `to_be_agreed` or a score on the scale, not {describe(error.instance)}"
            )
        ]
    if path and path[-1] == "score":
        return [
            positions.problem(
                path,
                f"must be a score on the scale or `to_be_agreed`, not {describe(error.instance)}",
                "write the number without quotes",
            )
        ]
    return _fallback(error, path, positions)


#: jsonschema validator kind -> its translator; a kind not listed gets :func:`_fallback`.
TRANSLATORS: dict[str, Translator] = {
    "additionalProperties": _additional_properties,
    "required": _required,
    "type": _type,
    "enum": _enum,
    "minimum": _minimum,
    "maximum": _maximum,
    "minItems": _min_items,
    "minProperties": _min_properties,
    "minLength": _min_length,
    "maxLength": _max_length,
    "anyOf": _any_of,
}
