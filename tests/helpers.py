"""Small helpers for tests that edit the mini project."""

from __future__ import annotations

from pathlib import Path

from engine.pipeline import run as run_pipeline
from engine.score.scoring import Result


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in ``path`` with ``new``; fail loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(root: Path, rules: str = "rules.yaml") -> Result:
    """Load, check and score a rule file in ``root``."""
    return run_pipeline(root / rules)


def finals(result: Result, criterion: str) -> dict[str, int]:
    """Final scores of one criterion by issue id."""
    return {i: int(result.outcomes[criterion].final[n]) for n, i in enumerate(result.issue_ids)}
