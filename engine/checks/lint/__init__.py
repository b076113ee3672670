"""Static checks of a valid rule file: weaknesses that are not errors but change what a score means.

Each check lives in its own module and is registered in :data:`CHECKS`, in id order; :func:`lint` runs them all on
a scored :class:`~engine.score.scoring.Result` and returns their findings sorted by position. Each finding has the
check's stable id and name, and a positioned warning (with a hint where there is a likely fix).

To add a check:

1. write a module here whose docstring says what the check finds and why it matters, with a ``run(result)``
   yielding findings built by ``CHECK.finding(result, path, message, hint)``, and
   ``CHECK = Check("L011", "some-name", "one line: what it finds and why it matters", run)``;
2. add ``CHECK`` to :data:`CHECKS` below, keeping the ids in order;
3. add a case that triggers it (and a near miss) to ``tests/engine/checks/test_lint.py``, and list it in the
   README's lint table; tests fail until both are done.
"""

from __future__ import annotations

from engine.checks.lint import (
    band_not_monotone,
    band_unreachable,
    category_spelling,
    criterion_irrelevant,
    cutoff,
    dataset_unused,
    derived_unused,
    evidence_placeholder,
    override_no_change,
    priority_on_one_judgement,
    threshold_on_data,
)
from engine.checks.lint.base import Check, Finding
from engine.score.scoring import Result

__all__ = ["CHECKS", "Check", "Finding", "lint"]

#: Every check, in id order.
CHECKS: tuple[Check, ...] = (
    band_unreachable.CHECK,
    band_not_monotone.CHECK,
    evidence_placeholder.CHECK,
    override_no_change.CHECK,
    criterion_irrelevant.CHECK,
    dataset_unused.CHECK,
    cutoff.UNREACHABLE,
    cutoff.ALWAYS_MET,
    threshold_on_data.CHECK,
    priority_on_one_judgement.CHECK,
    derived_unused.CHECK,
    category_spelling.CHECK,
)


def lint(result: Result) -> list[Finding]:
    """Every finding for the rules of ``result`` (scored against its data), sorted by position."""
    found = [finding for check in CHECKS for finding in check.run(result)]
    return sorted(found, key=lambda f: (f.problem, f.id))
