"""Terminal text that fits a width: lines wrapped, tables narrowed, nothing cut.

``width`` is the number of columns a line may take, or None for no limit (``--wide``: every line as long as it
needs). The caller (cli.py) decides it; the engine never asks the terminal. Widths are measured as a terminal
shows text: wide (East Asian) characters take two columns, combining marks none. Text is wrapped at spaces (ids
in a table also after ``_`` and ``-``); a word longer than the line is broken, never dropped.

A table (:func:`fit_table`) is drawn in full when it fits; else with its short headers (each explained by a
legend line the caller prints), its one wrappable column wrapped over several lines; and when even that cannot
fit, as one wrapped record a row (``header: cell; header: cell``), so every cell is still shown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from engine.plaintable import simple_table
from engine.visible import visible_line

#: The narrowest a wrapped column is made before the table falls back to one record a row.
MIN_WRAPPED = 8

#: Prose breaks at spaces only (a path or command stays whole unless longer than a line); ids in a table's
#: wrapped column also after ``_`` and ``-``.
_WORDS = re.compile(r"\S+|\s+")
_ID_PARTS = re.compile(r"[^\s_\-]*[_\-]+|\S+|\s+")


def columns(text: str) -> int:
    """How many terminal columns ``text`` (one line) takes."""
    if text.isascii():
        return len(text)
    return sum(_char_columns(c) for c in text)


def _char_columns(c: str) -> int:
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def wrap(text: str, width: int | None, indent: str = "", hanging: str | None = None, *, ids: bool = False) -> list[str]:
    """``text`` (one line) in lines of at most ``width`` columns: the first starting ``indent``, the rest
    ``hanging`` (default: ``indent`` and as many spaces as ``text`` starts with), broken at spaces (with ``ids``,
    after ``_`` and ``-`` too). No limit: the line as it is."""
    line = indent + text
    if width is None or columns(line) <= width:
        return [line]
    if hanging is None:
        hanging = indent + " " * (len(text) - len(text.lstrip(" ")))
    if columns(hanging) > width // 2:  # a deep indent would leave too little room: wrap against the margin
        hanging = ""
    out: list[str] = []
    current = indent + text[: len(text) - len(text.lstrip(" "))]
    fresh = False  # just wrapped: spaces at the start of the new line are dropped
    for piece in (_ID_PARTS if ids else _WORDS).findall(text.lstrip(" ")):
        if piece.isspace():
            current += "" if fresh else piece
            continue
        if current.strip() and columns((current + piece).rstrip()) > width:
            out.append(current.rstrip())
            current = hanging
        current += piece
        fresh = False
        while columns(current.rstrip()) > width:  # a word longer than a whole line: broken, not dropped
            head, rest = _split_at(current, width)
            out.append(head.rstrip())
            current = hanging + rest
        fresh = current == hanging
    if current.strip():
        out.append(current.rstrip())
    return out


def _split_at(text: str, width: int) -> tuple[str, str]:
    """``text`` cut after its first ``width`` columns (at least one character)."""
    used = 0
    for n, c in enumerate(text):
        used += _char_columns(c)
        if used > width:
            return text[: max(n, 1)], text[max(n, 1) :]
    return text, ""


def wrap_lines(text: str, width: int | None) -> str:
    """Every line of ``text`` wrapped to ``width`` (see :func:`wrap`); the text's final newline kept."""
    if width is None:
        return text
    end = "\n" if text.endswith("\n") else ""
    lines = text[: len(text) - len(end)].split("\n")
    return "\n".join(part for line in lines for part in wrap(line, width)) + end


@dataclass(frozen=True)
class Fitted:
    """A table as drawn for a width, and whether its short headers are used (then print the legend)."""

    text: str
    short: bool


def fit_table(
    rows: Sequence[Sequence[object]],
    headers: Sequence[str],
    align: Sequence[str],
    width: int | None,
    *,
    short: Sequence[str] | None = None,
    wrapped: int | None = None,
    indent: str = "",
) -> Fitted:
    """The table drawn in at most ``width`` columns (after ``indent``): in full (see :mod:`engine.plaintable`)
    if it fits, else with the ``short`` headers and column ``wrapped`` wrapped, else one record a row."""
    full = simple_table(rows, headers, align)
    if width is None or max(map(columns, full.split("\n"))) + len(indent) <= width:
        return Fitted(full, False)
    room = width - len(indent)
    heads = list(short) if short is not None else list(headers)
    cells = [[visible_line("" if v is None else str(v)) for v in row] for row in rows]
    heads = [visible_line(h) for h in heads]
    drawn = _narrow(cells, heads, align, room, wrapped)
    if drawn is not None:
        return Fitted(drawn, short is not None)
    return Fitted(_records(cells, [visible_line(h) for h in headers], room, wrapped or 0), False)


def _narrow(
    cells: list[list[str]], heads: list[str], align: Sequence[str], room: int, wrapped: int | None
) -> str | None:
    """The table in ``room`` columns with column ``wrapped``'s cells wrapped; None if it cannot fit."""
    widths = [max([columns(h), *(columns(r[k]) for r in cells)]) for k, h in enumerate(heads)]
    spare = room - (sum(widths) + 2 * (len(heads) - 1))
    if spare < 0 and wrapped is not None:
        widths[wrapped] += spare
        if widths[wrapped] < min(MIN_WRAPPED, max(columns(heads[wrapped]), 1)) or widths[wrapped] < columns(
            heads[wrapped]
        ):
            return None
    elif spare < 0:
        return None
    lines = [*_line([[h] for h in heads], widths, align), "  ".join("-" * w for w in widths)]
    for row in cells:
        parts = [[c] if k != wrapped else wrap(c, widths[k], ids=True) for k, c in enumerate(row)]
        lines += _line(parts, widths, align)
    return "\n".join(lines)


def _line(parts: list[list[str]], widths: list[int], align: Sequence[str]) -> list[str]:
    """One row's lines: each cell's pieces one under another, padded to its column."""
    height = max(len(p) for p in parts)
    out = []
    for n in range(height):
        texts = []
        for k, piece in enumerate(parts):
            text = piece[n] if n < len(piece) else ""
            pad = " " * (widths[k] - columns(text))
            texts.append(pad + text if align[k] == "right" else text + pad)
        out.append("  ".join(texts).rstrip())
    return out


def _records(cells: list[list[str]], heads: list[str], room: int, lead: int) -> str:
    """One wrapped line a row: its ``lead`` cell (the issue), then ``header: cell`` for each other column."""
    lines = []
    for row in cells:
        rest = [f"{h}: {c}" for k, (h, c) in enumerate(zip(heads, row, strict=True)) if k != lead]
        lines += wrap(row[lead] + ": " + "; ".join(rest), room, hanging="    ")
    return "\n".join(lines)
