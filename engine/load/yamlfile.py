"""Read a YAML file safely into plain values, remembering where every value came from.

PyYAML is only used to *compose* the document into nodes (SafeLoader; nothing is
constructed from tags). This module then builds the values itself so that:

- every key and value keeps its line and column (see :class:`Positions`);
- duplicate keys are errors (PyYAML would keep the last one silently);
- YAML 1.1's surprising conversions never happen: ``no``/``yes``/``on``/``off``
  are errors (write ``false``/``true`` or quote the word), ``06037`` is an error
  (quote a code, or drop the zero), ``1:30`` and ``2020-10-01`` stay text;
- numbers with a decimal point become :class:`decimal.Decimal`, so ``14.95`` is
  exactly 14.95; whole numbers become ``int``; a number outside the one number
  policy (:mod:`engine.limits`: ±1e12, 15 significant digits, 6 places) is an error;
- anchors, aliases, merge keys and custom tags are rejected, which also rules
  out "billion laughs" expansion;
- size and nesting are bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from engine import limits
from engine.errors import InputError, Problem
from engine.load.yamlslips import slip_hint
from engine.text import decode_utf8, read_regular
from engine.visible import visible_form

MAX_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000

KeyPath = tuple  # of str (mapping keys) and int (list indexes)

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
_DECIMAL = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
_SPECIAL_FLOATS = {".inf", "-.inf", "+.inf", ".nan"}
_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


def format_path(path: KeyPath) -> str:
    """``("criteria", "trend", "bands", 2)`` → ``criteria.trend.bands[2]``.

    A key with spaces, dots or other punctuation is quoted, as ``--set`` reads it back:
    ``issues.asb.areas."Bromley Town"``.
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            key = str(part)
            key = key if _PLAIN_KEY.fullmatch(key) else '"' + key.replace('"', '\\"') + '"'
            text += ("." if text else "") + key
    return text


#: A key written bare in a key path; any other is quoted.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass
class Positions:
    """Where each value (and each mapping key) of a loaded file starts, 1-based.

    A value changed by a setting (``--set`` or a scenario file) is located where
    the setting was written: ``files`` names that file for the path and all
    below it.
    """

    file: str
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    files: dict[KeyPath, str] = field(default_factory=dict)

    def locate(self, path: KeyPath, *, key: bool = False) -> tuple[str, int, int]:
        """File, line and column of ``path`` (of its key when ``key``), else of the nearest parent known."""
        path = tuple(path)
        if key and path in self.keys:
            found = path
            line, column = self.keys[path]
        else:
            found = path
            while found and found not in self.values:
                found = found[:-1]
            line, column = self.values.get(found, (1, 1))
            # A problem with something a setting changed inside (a band whose edge was set) is the setting's.
            inner = [k for k in self.files if k[: len(found)] == found and k != found]
            if inner and found not in self.files:
                found = inner[0]
                line, column = self.values[found]
        file = self.file
        for n in range(len(found), -1, -1):
            if found[:n] in self.files:
                file = self.files[found[:n]]
                break
        return file, line, column

    def of(self, path: KeyPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column of ``path`` (see :meth:`locate`)."""
        return self.locate(path, key=key)[1:]

    def place(self, path: KeyPath, file: str, line: int, column: int) -> None:
        """Record that ``path`` (and what is below it) now comes from ``file`` at line and column."""
        path = tuple(path)
        for known in [k for k in self.values if k[: len(path)] == path]:
            del self.values[known]
        self.values[path] = (line, column)
        self.keys.pop(path, None)
        self.files[path] = file

    def problem(
        self, path: KeyPath, message: str, hint: str = "", *, key: bool = False, severity: str = "error"
    ) -> Problem:
        """A :class:`Problem` located at ``path``."""
        file, line, column = self.locate(path, key=key)
        return Problem(file, line, column, format_path(path), message, hint, severity)


def read_bytes(path: Path, display: str) -> bytes:
    """The bytes of ``path``, or :class:`InputError` saying why it cannot be read."""
    try:
        return read_regular(path, display, MAX_BYTES)
    except FileNotFoundError:
        raise InputError([Problem(display, 0, 0, "", "file not found")]) from None
    except IsADirectoryError:
        raise InputError([Problem(display, 0, 0, "", "is a folder, not a file")]) from None
    except OSError as exc:
        raise InputError([Problem(display, 0, 0, "", f"cannot read the file: {exc.strerror}")]) from None


def load_yaml(path: Path, display: str | None = None) -> tuple[Any, Positions]:
    """Load ``path``; return its value and positions, or raise :class:`InputError`."""
    display = display or str(path)
    return parse_yaml(read_bytes(path, display), display)


def parse_yaml(raw: bytes, display: str, collect: list[Problem] | None = None) -> tuple[Any, Positions]:
    """Parse YAML bytes (see the module docstring for what is accepted).

    Problems that leave the document readable (a duplicate key, an ambiguous
    ``no``) are appended to ``collect`` when it is given, so the caller can
    report them with its own checks; otherwise they are raised. A document
    that cannot be read at all always raises :class:`InputError`.
    """
    if len(raw) > MAX_BYTES:
        raise InputError(
            [Problem(display, 1, 1, "", f"file is too large ({len(raw):,} bytes; the limit is {MAX_BYTES:,})")]
        )
    text = decode_utf8(raw, display, "save the file as UTF-8 (in Excel or Notepad: Save As, encoding UTF-8)")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"this is not valid YAML: {exc.problem or exc.context}"
        lines = text.splitlines()
        excerpt = lines[line - 1] if 0 < line <= len(lines) else ""
        if "\t" in excerpt:
            hint = "indent with spaces; YAML does not allow tab characters for indentation"
        else:
            context = exc.context_mark and (exc.context_mark.line + 1, exc.context_mark.column + 1)
            slip = slip_hint(lines, line, column, exc.problem or "", context)
            hint = slip.hint if slip else ""
            if slip:
                line, column, excerpt = slip.line, slip.column, lines[slip.line - 1]
                message = f"this is not valid YAML: {slip.problem}" if slip.problem else message
        raise InputError([Problem(display, line, column, "", message, hint, excerpt=excerpt)]) from None
    except yaml.reader.ReaderError as exc:  # a NUL or other control character: placed, and named visibly
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
        message = (
            f"this is not valid YAML: the control character {visible_form(chr(code))} (U+{code:04X}) is not allowed"
        )
        hint = (
            "remove it; a NUL byte often means the file was saved as UTF-16 or is not text"
            if code == 0
            else "delete it: a YAML file holds printable characters, tabs and line breaks only"
        )
        excerpt = text[before.rfind("\n") + 1 :].split("\n", 1)[0]
        raise InputError([Problem(display, line, column, "", message, hint, excerpt=excerpt)]) from None
    except yaml.YAMLError as exc:  # e.g. several documents in one file
        raise InputError([Problem(display, 1, 1, "", f"this is not valid YAML: {exc}")]) from None
    except RecursionError:
        raise InputError(
            [Problem(display, 1, 1, "", f"nesting is too deep (the limit is {MAX_DEPTH} levels)")]
        ) from None
    if node is None:
        raise InputError([Problem(display, 1, 1, "", "the file is empty")])
    builder = _Builder(Positions(display))
    value = builder.build(node, ())
    if builder.problems and collect is None:
        raise InputError(builder.problems)
    if collect is not None:
        collect.extend(builder.problems)
    return value, builder.positions


class _Builder:
    """Turns composed YAML nodes into values, collecting problems instead of stopping."""

    def __init__(self, positions: Positions):
        self.positions = positions
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.count = 0

    def fail(self, node: yaml.Node, path: KeyPath, message: str, hint: str = "") -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(self.positions.file, mark.line + 1, mark.column + 1, format_path(path), message, hint)
        )

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                self.fail(node, path, f"the file has too many values (the limit is {MAX_NODES:,})")
            return None
        if len(path) > MAX_DEPTH:
            self.fail(node, path, f"nesting is too deep (the limit is {MAX_DEPTH} levels)")
            return None
        if id(node) in self.seen:
            self.fail(node, path, "anchors and aliases (& and *) are not supported", "write the value out in full")
            return None
        self.seen.add(id(node))
        self.positions.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _STANDARD_TAGS:
            self.fail(node, path, f"the YAML tag `{node.tag}` is not allowed", "remove the `!` tag")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, path, "merge keys (<<) are not supported", "write the keys out in full")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, path, "a key must be a plain name, not a list or mapping")
                continue
            key = str(key_node.value)
            here = path + (key,)
            if key in result or key in first_line:
                self.fail(
                    key_node,
                    here,
                    f"duplicate key `{key}` (first given on line {first_line[key]})",
                    "each key may appear only once in a mapping; remove or rename one of them",
                )
                continue
            first_line[key] = key_node.start_mark.line + 1
            self.positions.keys[here] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, here)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        text = node.value
        if node.style is not None:  # quoted or block scalar: always text
            return text
        if text in _NULLS:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        if text.lower() in _YAML11_BOOLS:
            self.fail(
                node,
                path,
                f"`{text}` is ambiguous (older YAML reads it as true/false)",
                f'write true or false, or put it in quotes ("{text}") if you mean the word',
            )
            return text
        if _LEADING_ZERO.fullmatch(text):
            self.fail(
                node,
                path,
                f"`{text}` has a leading zero (older YAML reads it as an octal number)",
                f'put it in quotes ("{text}") if it is a code, or drop the leading zero if it is a number',
            )
            return text
        if text.lower() in _SPECIAL_FLOATS:
            self.fail(node, path, f"`{text}` is not a number this tool accepts", "use an ordinary number")
            return text
        if _INT.fullmatch(text) or _DECIMAL.fullmatch(text):
            value = Decimal(text)
            problem = limits.number_problem(value, text)
            if problem:
                self.fail(node, path, problem, limits.HINT)
                return text
            return int(value) if _INT.fullmatch(text) else value
        return text
