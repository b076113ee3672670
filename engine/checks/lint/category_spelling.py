"""L012 category-spelling: an issue names a category in other case or spacing than its dataset does.

Categories match ignoring case and spaces (:mod:`engine.load.categories`), and outputs show the data's spelling,
so the score is right; but the rule file then reads differently from the data an auditor opens beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from engine.checks.lint.base import Check, Finding
from engine.score.scoring import Result


def run(result: Result) -> Iterator[Finding]:
    """A finding for each category the loader matched to the data's spelling (its notes, as warnings)."""
    for note in result.rules.spellings:
        yield Finding(CHECK.id, CHECK.name, replace(note, severity="warning"))


CHECK = Check(
    "L012",
    "category-spelling",
    "A category written in other case or spacing than the data's: matched, but the rule file reads differently.",
    run,
)
