"""JSON Schema validation of loaded YAML, reported as positioned plain-English problems.

The schemas are data under ``schemas/``. jsonschema finds what is wrong; this
module says it in an officer's words and points at the line and column.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from typing import Any

from engine.errors import Problem, allowed_list, did_you_mean
from engine.load.yamlfile import Positions
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
    import jsonschema  # deferred: only validation needs it

    validator = jsonschema.Draft202012Validator(load_schema(name))
    problems: list[Problem] = []
    for error in validator.iter_errors(data):
        problems.extend(_translate(error, positions))
    return sorted(set(problems))


def _translate(error: Any, positions: Positions) -> list[Problem]:
    path = tuple(error.absolute_path)
    kind = error.validator
    value = error.validator_value
    instance = error.instance
    schema = error.schema

    if kind == "additionalProperties" and isinstance(instance, dict):
        known = list(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        found = []
        for key in instance:
            if key in known or any(p.search(key) for p in patterns):
                continue
            hint = did_you_mean(key, known) or (f"allowed keys here: {allowed_list(known)}" if known else "")
            found.append(positions.problem(path + (key,), f"unknown key `{key}`", hint, key=True))
        return found
    if kind == "required":
        return [
            positions.problem(path, f"missing required key `{key}`")
            for key in value
            if isinstance(instance, dict) and key not in instance
        ]
    if "propertyNames" in error.schema_path:
        return [
            positions.problem(
                path + (instance,),
                f"`{instance}` is not a valid id",
                "use lower-case letters, digits and underscores, starting with a letter (e.g. anti_social_behaviour)",
                key=True,
            )
        ]
    if kind == "type":
        wanted = value if isinstance(value, list) else [value]
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        hint = ""
        if ("number" in wanted or "integer" in wanted) and isinstance(instance, str):
            hint = "write the number without quotes, units or thousands separators"
        if "integer" in wanted and isinstance(instance, Decimal):
            hint = "scores are whole numbers"
        if wanted == ["string"] and isinstance(instance, (int, Decimal)) and not isinstance(instance, bool):
            hint = f'put it in quotes to use it as text: "{instance}"'
        if wanted == ["string"] and isinstance(instance, bool):
            hint = "put it in quotes to use it as text"
        return [positions.problem(path, f"must be {words}, not {describe(instance)}", hint)]
    if kind == "enum":
        hint = did_you_mean(instance, [str(v) for v in value])
        return [
            positions.problem(path, f"{describe(instance)} is not allowed here (allowed: {allowed_list(value)})", hint)
        ]
    if kind == "minimum":
        return [positions.problem(path, f"must be at least {value}, not {instance}")]
    if kind == "maximum":
        return [positions.problem(path, f"must be at most {value}, not {instance}")]
    if kind == "minItems":
        return [positions.problem(path, f"must list at least {value} item{'s' if value != 1 else ''}")]
    if kind == "minProperties":
        return [positions.problem(path, f"must have at least {value} entr{'ies' if value != 1 else 'y'}")]
    if kind == "minLength":
        return [positions.problem(path, "must not be empty")]
    if kind == "maxLength":
        return [positions.problem(path, f"is too long ({len(instance):,} characters; the limit is {value:,})")]
    if kind == "anyOf" and path and path[-1] == "if_no_value":
        return [positions.problem(path, f"must be `error` or a score on the scale, not {describe(instance)}")]
    return [positions.problem(path, f"{describe(instance)} is not allowed here ({error.message})")]
