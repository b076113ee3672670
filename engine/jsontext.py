"""JSON text with exact numbers: the one encoder of every JSON output.

The standard library writes a :class:`~decimal.Decimal` only through a float, which loses the places a number
was declared with (``1.50`` becomes ``1.5``) and can carry binary noise. Here a ``Decimal`` is written as the
number it is, digit for digit (``format(value, "f")``: no exponent, every declared place kept), so a value
rounded to two places reads ``1.50`` in every output. Strings are escaped by the standard library's encoder
(the C one where available) with ``ensure_ascii=False``; booleans, ``None``, ints, lists and dicts are written
as ``json.dumps`` writes them. A float is a bug here (every number the engine computes is exact) and is refused.

:func:`dumps` indents as ``json.dumps(indent=2)`` does; :func:`line` writes one value on one line with
``", "`` and ``": "`` between items (one score row or audit entry of a national result per line).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

#: The standard library's string escaper (control characters escaped, the rest as UTF-8 text).
_string = json.encoder.encode_basestring


def number_text(value: Decimal | int) -> str:
    """An exact number as JSON writes it: every place it holds, no exponent (``1.50``, ``-3``, ``0.000001``)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a JSON number")
        text = format(value, "f")
        return text[1:] if value == 0 and text.startswith("-") else text  # -0.0 is 0.0
    return str(int(value))


def line(value: Any) -> str:
    """``value`` as JSON on one line."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is dict:
        return "{" + ", ".join(f"{_key(k)}: {line(v)}" for k, v in value.items()) + "}"
    return _scalar(value, kind) if kind is not list and kind is not tuple else "[" + ", ".join(map(line, value)) + "]"


def dumps(value: Any, level: int = 0) -> str:
    """``value`` as JSON indented two spaces a level, its first line ``level`` levels in (as nested text is)."""
    kind = type(value)
    if kind is dict and value:
        inner = "\n" + "  " * (level + 1)
        items = (f"{_key(k)}: {dumps(v, level + 1)}" for k, v in value.items())
        return "{" + inner + ("," + inner).join(items) + "\n" + "  " * level + "}"
    if (kind is list or kind is tuple) and value:
        inner = "\n" + "  " * (level + 1)
        return "[" + inner + ("," + inner).join(dumps(v, level + 1) for v in value) + "\n" + "  " * level + "]"
    return line(value)


def _key(key: Any) -> str:
    if type(key) is not str:
        raise TypeError(f"a JSON key must be text, not {type(key).__name__}")
    return _string(key)


def _scalar(value: Any, kind: type) -> str:
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is Decimal:
        return number_text(value)
    if isinstance(value, str):  # a subclass of str
        return _string(str(value))
    if isinstance(value, int) and not isinstance(value, bool):  # numpy-free subclasses of int
        return str(int(value))
    raise TypeError(f"{kind.__name__} is not written to JSON (numbers are exact: int or Decimal)")
