"""Hints for the YAML slips officers make most, recognised from PyYAML's error and the lines around it.

PyYAML says "mapping values are not allowed here" both for a colon in free text (``rationale: Police lead: CSP
supports ...``) and for a line indented further than the key before it; it says "expected <block end>" for a line
indented less than its siblings. Neither tells a person what to change. :func:`slip_hint` looks at the offending
line and its neighbours and says it in words: quote the text, or line this key up with its siblings (named by line
number, with their indentation). Tabs have their own hint in :mod:`engine.load.yamlfile`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from engine.text import yaml_quoted

#: A line holding a key: optional list dash, a plain key, a colon then a space or the end of the line.
_KEY_LINE = re.compile(r"(?P<indent> *)(?:- +)?(?P<key>[^\s:#'\"][^:#]*?):(?: +(?P<value>.*))?$")

#: The longest value quoted in full in a hint; a longer one is cut, as the hint only shows the form.
_SHOWN = 60


@dataclass(frozen=True)
class Slip:
    """Where a recognised slip is (1-based; it may be a line above the one PyYAML stopped at), the words for it
    (None: keep PyYAML's) and the hint."""

    line: int
    column: int
    problem: str | None
    hint: str


def slip_hint(lines: list[str], line: int, column: int, problem: str, context: tuple[int, int] | None) -> Slip | None:
    """The slip behind PyYAML's ``problem`` at ``line``:``column`` (1-based; ``context`` is where the enclosing
    block started), or None when it is not one this knows."""
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1]
    if problem.startswith("mapping values are not allowed here"):
        found = _KEY_LINE.match(text[: column - 1] + ":")
        if not found or found.group("value") is not None:
            return Slip(line, column, None, _colon_hint(text))
        # The colon ends the line's first key: the line is deeper than the one above, so one of them is misplaced.
        return _misplaced(lines, line)
    if problem.startswith("expected <block end>") and context is not None:
        # The line closes a block yet matches no level above it; it or the line above is misplaced.
        return _misplaced(lines, line)
    return None


def _misplaced(lines: list[str], line: int) -> Slip | None:
    """Of ``line`` and the content line above it, the one not indented by the file's usual step from its parent."""
    above = [n for n in range(line - 1, 0, -1) if _content(lines, n)]
    if not above:
        return None
    step = _usual_step(lines)
    previous = above[0]
    parent = _parent_indent(lines, previous)
    culprit, other = (previous, line) if _indent(lines[previous - 1]) - parent != step else (line, previous)
    if culprit == line and _indent(lines[line - 1]) - parent == step:
        culprit, other = line, previous  # neither stands out: blame the line PyYAML stopped at
    indent = _indent(lines[other - 1])
    if culprit == line and _indent(lines[line - 1]) > _indent(lines[previous - 1]):
        indent = _indent(lines[previous - 1])
    text = lines[culprit - 1]
    return Slip(
        culprit,
        _indent(text) + 1,
        f"this line is indented {_spaces(_indent(text))}, unlike the lines around it",
        _indentation_hint(lines, culprit, indent),
    )


def _usual_step(lines: list[str]) -> int:
    """How many spaces the file usually indents a level by (2 when it cannot tell)."""
    steps: Counter[int] = Counter()
    for number in range(1, len(lines) + 1):
        if _content(lines, number):
            step = _indent(lines[number - 1]) - _parent_indent(lines, number)
            if step > 0 and _indent(lines[number - 1]) > 0:
                steps[step] += 1
    return steps.most_common(1)[0][0] if steps else 2


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _colon_hint(text: str) -> str:
    """Quote the value that holds `: `, shown in the line's own words."""
    found = _KEY_LINE.match(text.rstrip())
    if not found or not found.group("value"):
        return "quote text that contains `: `"
    value = re.split(r" +#", found.group("value"), maxsplit=1)[0].rstrip()  # a ` #` starts a comment
    shown = value if len(value) <= _SHOWN else value[: _SHOWN - 4].rstrip() + " ..."
    return f"quote text that contains `: `, e.g. {found.group('key').strip()}: {yaml_quoted(shown)}"


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _content(lines: list[str], number: int) -> bool:
    """Whether line ``number`` (1-based) holds YAML rather than nothing or a comment."""
    stripped = lines[number - 1].strip()
    return bool(stripped) and not stripped.startswith("#")


def _parent_indent(lines: list[str], line: int) -> int:
    """The indentation of the nearest line above ``line`` that is indented less: the siblings' indentation."""
    own = _indent(lines[line - 1])
    for number in range(line - 1, 0, -1):
        if _content(lines, number) and _indent(lines[number - 1]) < own:
            return _indent(lines[number - 1])
    return 0


def _indentation_hint(lines: list[str], line: int, indent: int) -> str:
    """Line ``line`` against its siblings: the nearest lines of the same block indented ``indent`` spaces."""
    before = _block(lines, line, indent, -1)
    after = _block(lines, line, indent, +1)
    siblings = sorted(before[:1] + after[:1] if before and after else (before + after)[:2])
    if not siblings:
        return f"check the indentation of line {line}"
    spaces = _spaces(indent)
    if len(siblings) == 1:
        where = f"line {siblings[0]} is indented {spaces}"
    else:
        where = f"lines {siblings[0]} and {siblings[1]} are indented {spaces}"
    return f"check the indentation of line {line} against its siblings ({where})"


def _block(lines: list[str], line: int, indent: int, step: int) -> list[int]:
    """Lines indented exactly ``indent`` from ``line`` in direction ``step``, nearest first, until one indented
    less ends the block."""
    found = []
    number = line + step
    while 0 < number <= len(lines):
        if _content(lines, number):
            here = _indent(lines[number - 1])
            if here < indent:
                break
            if here == indent:
                found.append(number)
        number += step
    return found
