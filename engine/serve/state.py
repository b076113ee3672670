"""The live assessment behind the pages: scored once, re-scored when the rule file or a dataset changes on disk.

Each request asks :meth:`LiveAssessment.current` for the latest :class:`Snapshot`. The files' modification
times and sizes are compared (a few ``stat`` calls); when they changed, the rules are loaded and scored again.
A file that became invalid does not lose the page: the last valid result stays, marked ``stale``, with every
problem of the file on disk (``file:line:column: key.path: message`` and hint) for the page to list.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import InputError, Problem

#: How long files must stay unchanged before they are read again, and the longest wait for that (seconds).
SETTLE_STEP = 0.15
SETTLE_LIMIT = 2.0
#: What identifies a file's contents cheaply: (modification time in ns, size); None when it cannot be read.
Stamp = tuple[int, int] | None


@dataclass(frozen=True)
class Snapshot:
    """What the pages show: ``result`` (None until the file has been valid once), ``problems`` of the file on disk
    (empty when it is valid), ``stale`` when the result is older than the file, and ``version``, which changes
    whenever any of these does (the page polls it to follow edits)."""

    result: Any  # engine.score.scoring.Result | None
    problems: tuple[Problem, ...]
    version: int
    stale: bool = False
    files: tuple[str, ...] = field(default=())


class LiveAssessment:
    """A rule file, scored for ``areas``, kept up to date with the files on disk. Safe to share between threads."""

    def __init__(self, rules: Path, areas: Any = None, allow_outside: bool = False) -> None:
        self.rules = rules
        self.areas = areas
        self.allow_outside = allow_outside
        self._lock = threading.Lock()
        self._stamps: dict[Path, Stamp] = {}
        self._snapshot = Snapshot(None, (), 0)

    def current(self) -> Snapshot:
        """The latest snapshot, re-scoring first if any input file changed since the last one (once the files
        have stopped changing: see :meth:`_settle`)."""
        with self._lock:
            if not self._stamps:
                self._reload()
            elif self._changed():
                self._settle()
                self._reload()
            return self._snapshot

    def _settle(self) -> None:
        """Wait until the watched files stop changing (at most :data:`SETTLE_LIMIT` seconds). An editor or a
        script saving a file may truncate it and write it in two steps; reading between them would show a
        passing "the file is empty" and reload the page twice."""
        deadline = time.monotonic() + SETTLE_LIMIT
        before = {path: _stamp(path) for path in self._stamps}
        while time.monotonic() < deadline:
            time.sleep(SETTLE_STEP)
            now = {path: _stamp(path) for path in self._stamps}
            if now == before:
                return
            before = now

    def _changed(self) -> bool:
        return any(_stamp(path) != stamp for path, stamp in self._stamps.items())

    def _reload(self) -> None:
        from engine.pipeline import run

        previous = self._snapshot
        watched = [self.rules]
        try:
            result = run(self.rules, areas=self.areas, allow_outside=self.allow_outside)
        except InputError as exc:
            watched += [path for path in self._stamps if path != self.rules]  # keep watching the data too
            self._snapshot = Snapshot(
                previous.result, tuple(exc.problems), previous.version + 1, stale=previous.result is not None
            )
        else:
            watched += [ref.path for ref in result.rules.datasets.values()]
            files = tuple(ref.display for ref in result.rules.datasets.values())
            self._snapshot = Snapshot(result, (), previous.version + 1, files=(result.rules.display, *files))
        self._stamps = {path: _stamp(path) for path in watched}


def _stamp(path: Path) -> Stamp:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)
