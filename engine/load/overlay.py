"""Change a rule file without editing it: settings addressed by key path.

A setting is ``PATH = VALUE`` where PATH is written the way messages print it:
``priority.cutoff``, ``criteria.trend.bands[3].from``,
``issues.safeguarding.judgements.trend.score``, ``total.weights.harm``. A key
with spaces or dots is quoted: ``criteria.harm.weights."Burglary Residential"``.
Settings come from ``--set`` on the command line or from a scenario file; each
keeps the position where it was written, so any problem it causes is reported
there.

Moving a band edge moves the shared boundary: when band 3 starts ``from: 10``
and band 2 ends ``below: 10``, setting either to 15 moves both, so the bands
still cover every value exactly once. The moved neighbour is listed among the
changes.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from engine.errors import InputError, Problem, did_you_mean, no_such_index
from engine.load.model import TOUCHING
from engine.load.yamlfile import KeyPath, Positions, format_path, parse_yaml

_SEGMENT = re.compile(r'"([^"]+)"|([^.\[\]"]+)|\[(\d+)\]')


@dataclass(frozen=True)
class Setting:
    """One change: ``path`` gets ``value``; written in ``file`` at ``line``/``column`` (of the value)."""

    path: KeyPath
    value: Any
    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Change:
    """A change applied to a rule file, for reports: the path, its old and new value, and why."""

    path: KeyPath
    old: Any
    new: Any
    linked: bool = False  # moved because a neighbouring band edge moved

    def describe(self) -> str:
        old = "(not set)" if self.old is None else self.old
        text = f"{format_path(self.path)}: {old} -> {self.new}"
        return text + " (moved with it: shared boundary)" if self.linked else text


def parse_path(text: str) -> KeyPath:
    """``criteria.trend.bands[3].from`` -> ``("criteria", "trend", "bands", 3, "from")``; ValueError if malformed."""
    parts: list[str | int] = []
    position = 0
    text = text.strip()
    while position < len(text):
        if parts and text[position] == ".":
            position += 1
        match = _SEGMENT.match(text, position)
        if not match or (match.group(3) is not None and not parts):
            raise ValueError(f"`{text}` is not a key path (at character {position + 1})")
        quoted, plain, index = match.groups()
        parts.append(int(index) if index is not None else (quoted or plain).strip())
        position = match.end()
    if not parts:
        raise ValueError("the key path is empty")
    return tuple(parts)


def parse_set_option(option: str, number: int) -> Setting:
    """A ``--set PATH=VALUE`` option (the ``number``-th); the value is read as strict YAML."""
    source = f"--set[{number}]"
    path_text, equals, value_text = option.partition("=")
    if not equals:
        raise InputError([Problem(source, 1, 1, "", f"`{option}` has no `=`", "write --set PATH=VALUE")])
    try:
        path = parse_path(path_text)
    except ValueError as exc:
        raise InputError([Problem(source, 1, 1, "", str(exc), "e.g. criteria.trend.bands[3].from")]) from None
    column = len(path_text) + 2
    value = _read_value(value_text, source, column, format_path(path))
    return Setting(path, value, source, 1, column)


def _read_value(text: str, source: str, column: int, path: str) -> Any:
    prefix = "value: "
    try:
        data, _ = parse_yaml((prefix + text).encode(), source)
    except InputError as exc:
        shifted = [
            Problem(p.file, p.line, max(p.column - len(prefix), 1) + column - 1, path, p.message, p.hint)
            for p in exc.problems
        ]
        raise InputError(shifted) from None
    return data["value"]


def settings_from_mapping(raw: dict[str, Any], positions: Positions, base: KeyPath) -> list[Setting]:
    """Settings written as ``PATH: VALUE`` entries of a mapping (a scenario file's ``set``)."""
    found = []
    problems = []
    for text, value in raw.items():
        try:
            path = parse_path(text)
        except ValueError as exc:
            problems.append(positions.problem(base + (text,), str(exc), key=True))
            continue
        file, line, column = positions.locate(base + (text,))
        found.append(Setting(path, value, file, line, column))
    if problems:
        raise InputError(problems)
    return found


def apply_settings(data: Any, positions: Positions, settings: list[Setting]) -> tuple[Any, list[Change]]:
    """A copy of ``data`` with ``settings`` applied; ``positions`` is updated in place.

    Every path's parents must exist (a new last key is allowed: the schema
    then checks it). Raises :class:`InputError` with every bad path at once.
    """
    data = copy.deepcopy(data)
    changes: list[Change] = []
    problems: list[Problem] = []
    explicit = {s.path for s in settings}
    for setting in settings:
        where = Problem(setting.file, setting.line, setting.column, format_path(setting.path), "")
        parent, last, message, hint = _walk(data, setting.path)
        if message:
            problems.append(_at(where, message, hint))
            continue
        old = parent[last] if isinstance(parent, list) or last in parent else None
        parent[last] = copy.deepcopy(setting.value)
        positions.place(setting.path, setting.file, setting.line, setting.column)
        changes.append(Change(setting.path, old, setting.value))
        for linked in _shared_boundary(data, setting.path, old, explicit):
            band = _get(data, linked[:-1])
            band[linked[-1]] = copy.deepcopy(setting.value)
            positions.place(linked, setting.file, setting.line, setting.column)
            changes.append(Change(linked, old, setting.value, linked=True))
    if problems:
        raise InputError(problems)
    return data, changes


def _at(where: Problem, message: str, hint: str) -> Problem:
    return Problem(where.file, where.line, where.column, where.path, message, hint)


def _get(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _walk(data: Any, path: KeyPath) -> tuple[Any, Any, str, str]:
    """The container holding the last key of ``path``, that key, and a message if the path is wrong."""
    node = data
    for depth, part in enumerate(path):
        here = format_path(path[:depth]) or "the rule file"
        last = depth == len(path) - 1
        if isinstance(node, dict):
            if not isinstance(part, str):
                return None, None, f"{here} is a mapping: use .key, not [{part}]", ""
            if part not in node and depth == 0 and _full_path(data, path):
                # A key of a section written without the section (`cutoff` for `priority.cutoff`).
                return None, None, f"there is no `{part}` in {here}", _full_path(data, path)
            if part not in node and not last:
                return None, None, f"there is no `{part}` in {here}", did_you_mean(part, list(node))
            if last:
                return node, part, "", ""
        elif isinstance(node, list):
            if not isinstance(part, int):
                return None, None, f"{here} is a list: use [0] to [{len(node) - 1}], not .{part}", ""
            if part >= len(node):
                return None, None, *no_such_index(here, len(node), part)
            if last:
                return node, part, "", ""
        else:
            return None, None, f"{here} is a single value, so it has no `{part}`", ""
        node = node[part]
    return None, None, "the key path is empty", ""


def _full_path(data: dict[str, Any], path: KeyPath) -> str:
    """ "did you mean `criteria.trend.bands[3]`?" for a path written without its section (``trend.bands[3]``): the
    section of the rule file that holds the path's first key, when exactly one does."""
    sections = [key for key, value in data.items() if isinstance(value, dict) and path[0] in value]
    return f"did you mean `{format_path((sections[0], *path))}`?" if len(sections) == 1 else ""


def _shared_boundary(data: Any, path: KeyPath, old: Any, explicit: set[KeyPath]) -> list[KeyPath]:
    """The neighbouring band edge that touched the edge at ``path`` (see the module docstring)."""
    if (
        len(path) != 5
        or path[0] != "criteria"
        or path[2] != "bands"
        or path[4] not in TOUCHING
        or old is None
        or not isinstance(data.get("criteria", {}).get(path[1], {}).get("bands"), list)
    ):
        return []
    partner = TOUCHING[path[4]]
    bands = data["criteria"][path[1]]["bands"]
    found = [
        ("criteria", path[1], "bands", i, partner)
        for i, band in enumerate(bands)
        if i != path[3] and isinstance(band, dict) and band.get(partner) == old
    ]
    return [p for p in found if p not in explicit] if len(found) == 1 else []
