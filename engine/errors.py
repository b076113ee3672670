"""Problems found in inputs, the engine's one exception hierarchy, and the exit-code table.

The engine never prints. Anything wrong with a user's input becomes a
:class:`Problem` (where, what, and a hint); a step that finds problems raises
:class:`InputError` with all of them at once. Every exception the engine raises
on purpose derives from :class:`CspscoreError` and carries the exit status it
means; only ``cli.py`` turns them into text and exit codes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from engine.visible import visible_line


class ExitCode(IntEnum):
    """Exit statuses of every ``cspscore`` command: the one table (the README's is tested against it)."""

    OK = 0
    INVALID_INPUT = 1
    USAGE = 2
    INTERNAL_ERROR = 3
    CHECK_FAILED = 4


#: What each exit status means, in the README's words.
EXIT_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success",
    ExitCode.INVALID_INPUT: (
        "invalid input: the rules, data or an option's value is wrong (every problem is listed on stderr), "
        "or the output cannot be written (also, quietly, when a command's output is piped to a reader that stops "
        "early, such as `head`)"
    ),
    ExitCode.USAGE: "the command line is wrong (unknown option, missing file, unknown issue)",
    ExitCode.INTERNAL_ERROR: (
        "internal error: a bug; the message says so, without a traceback (set `CSPSCORE_DEBUG=1` for one)"
    ),
    ExitCode.CHECK_FAILED: (
        "the check ran and found a difference or a failure: `reconcile` differences, `replay` not reproduced, "
        "`lint --strict` findings, failing rule tests"
    ),
}


class CspscoreError(Exception):
    """The base of every exception the engine raises on purpose; ``exit_code`` says what it means for a command."""

    exit_code: ExitCode = ExitCode.INVALID_INPUT


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file.

    ``line`` and ``column`` are 1-based; 0 means "the whole file". ``path`` is
    the key path inside a rule file (``criteria.trend.bands[2].score``) or the
    column name inside a dataset. Problems sort by file, then position. Its text shows every field on one line
    with control and invisible characters made visible (:func:`engine.visible.visible_line`): a message quotes
    values from the user's files.

    A problem in a workbook's cell has its ``sheet``: ``line`` is then the sheet's row and ``column`` its column
    number (0: the whole row), shown as Excel writes a reference, ``crime.xlsx:'Recorded crime'!C7`` (``!7:7`` for
    a row), so it can be pasted into Excel's Name Box.

    ``excerpt``, when given, is the text of the offending line: it is shown under the first line with a caret
    under ``column``, so a person sees the very character at fault.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = field(default="", compare=False)
    severity: str = field(default="error", compare=False)
    sheet: str = field(default="", compare=False)
    excerpt: str = field(default="", compare=False)

    @property
    def cell(self) -> str:
        """A workbook problem's place as Excel writes it (``'Recorded crime'!C7``); "" for a text file's."""
        if not self.sheet:
            return ""
        return sheet_reference(self.sheet, self.line, self.column)

    def __str__(self) -> str:
        where = f"{visible_line(self.file)}:" + (visible_line(self.cell) or f"{self.line}:{self.column}")
        message = visible_line(self.message)
        text = f"{where}: {visible_line(self.path)}: {message}" if self.path else f"{where}: {message}"
        if self.severity != "error":
            text = f"{where}: {self.severity}: " + text[len(where) + 2 :]
        if self.excerpt:
            text += "\n" + self.excerpt_lines()
        if self.hint:
            text += f"\n    hint: {visible_line(self.hint)}"
        return text

    def excerpt_lines(self) -> str:
        """The offending line and a caret under the column, each behind ``    | ``, the line shown visibly (the
        caret counts the characters as shown, so a control character shown as ``\\x1b`` does not shift it)."""
        shown = visible_line(self.excerpt)
        caret = len(visible_line(self.excerpt[: max(self.column - 1, 0)]))
        return f"    | {shown}\n    | {' ' * caret}^"


def sheet_reference(sheet: str, row: int, column: int) -> str:
    """Excel's reference to a cell (``Sheet1!C7``), a row (column 0: ``Sheet1!7:7``) or a sheet (row 0), the
    sheet's name quoted as Excel quotes it when it is not a plain word."""
    name = (
        sheet if sheet.replace("_", "a").isalnum() and not sheet[0].isdigit() else "'" + sheet.replace("'", "''") + "'"
    )
    if row <= 0:
        return name
    if column <= 0:
        return f"{name}!{row}:{row}"
    return f"{name}!{column_letter(column)}{row}"


def column_letter(number: int) -> str:
    """The letters of a 1-based column number, as Excel shows them: 1 is A, 27 AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class InputError(CspscoreError):
    """Rules or data cannot be used; ``problems`` lists every reason, sorted."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class HintedError(CspscoreError):
    """A value one part of the engine refuses; the caller places ``message`` and ``hint`` in a Problem."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """A "did you mean `x`?" hint for a misspelt name, or "" if nothing is close."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else ""


def allowed_list(choices: Iterable[object]) -> str:
    """Render allowed values for a message: ``a, b, c``."""
    return ", ".join(str(c) for c in choices)


def no_such_index(what: str, count: int, index: int) -> tuple[str, str]:
    """Message and hint for ``what[index]`` when ``what`` has ``count`` entries: the valid range, counted from 0.

    ``bands has 4 entries, [0] to [3], so there is no [4]`` with the hint that counting starts at 0, the slip
    behind most such paths (the fourth band is [3]).
    """
    if count == 0:
        return f"{what} has no entries, so there is no [{index}]", ""
    entries = "1 entry, [0]" if count == 1 else f"{count} entries, [0] to [{count - 1}]"
    hint = f"counting starts at 0: the first entry is [0]{'' if count == 1 else f', the last [{count - 1}]'}"
    return f"{what} has {entries}, so there is no [{index}]", hint
