"""Problems found in rule files and datasets, and the one exception that carries them.

The engine never prints. Anything wrong with a user's input becomes a
:class:`Problem` (where, what, and a hint); a step that finds problems raises
:class:`InputError` with all of them at once. Only ``cli.py`` turns these into
text and exit codes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


class ExitCode:
    """Exit statuses of every ``cspscore`` command (documented in the README)."""

    OK = 0
    INVALID_INPUT = 1  # rules or data are wrong; the messages say where
    USAGE = 2  # the command line itself is wrong (click's convention)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file.

    ``line`` and ``column`` are 1-based; 0 means "the whole file". ``path`` is
    the key path inside a rule file (``criteria.trend.bands[2].score``) or the
    column name inside a dataset. Problems sort by file, then position.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = field(default="", compare=False)
    severity: str = field(default="error", compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        if self.severity != "error":
            text = f"{where}: {self.severity}: " + text[len(where) + 2 :]
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class InputError(Exception):
    """Rules or data cannot be used; ``problems`` lists every reason, sorted."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class HintedError(ValueError):
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
