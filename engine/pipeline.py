"""The one way from a rule file to a result: load and check the rules, load and check their data, score.

Every command, replay, the officer's rule tests, the test helpers and the
benchmarks go through :func:`run` (or :func:`load` when they need the checked
inputs without scoring), so "what does this rule file give?" has one answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from engine.errors import InputError, Problem
from engine.load.datasets import ALL_AREAS
from engine.load.rules import IncompleteRules, load_rules
from engine.paths import default_rules

if TYPE_CHECKING:
    from engine.load.datasets import Dataset
    from engine.load.model import RuleSet
    from engine.load.overlay import Setting
    from engine.score.scoring import Result

#: Which areas to score: None (the assessment's own area), "all" (every area in the data), or a list of names.
Areas = None | str | list[str]


def parse_areas(text: str | None) -> Areas:
    """``--area`` as written: None, ``"all"``, or a comma-separated list of area names."""
    if text is None:
        return None
    if text.strip() == ALL_AREAS:
        return ALL_AREAS
    return [a.strip() for a in text.split(",") if a.strip()]


def load(
    rules: Path | str | None = None,
    settings: Sequence[Setting] = (),
    *,
    areas: Areas = None,
    allow_outside: bool = False,
    with_data: bool = True,
) -> tuple[RuleSet, dict[str, Dataset] | None]:
    """The checked rule set (``settings`` applied) and, unless ``with_data`` is False, its checked datasets.

    ``rules`` defaults to the bundled assessment. Raises
    :class:`~engine.errors.InputError` listing every problem found.
    """
    try:
        ruleset = load_rules(default_rules() if rules is None else Path(rules), settings, allow_outside=allow_outside)
    except IncompleteRules as exc:
        if not with_data or exc.sound is None:
            raise
        # One run, every independent problem: the data of the parts the rule file's problems leave untouched.
        raise InputError(exc.problems + data_problems(exc.sound, areas)) from None
    if not with_data:
        return ruleset, None
    from engine.load.datasets import load_data  # deferred: pandas is only needed once data is read

    return load_data(ruleset, default_areas(ruleset, areas))


def data_problems(ruleset: RuleSet, areas: Areas = None) -> list[Problem]:
    """Every problem of ``ruleset``'s data: its cells, what the rules name in it, and metrics with no value and no
    rule for it (what ``validate`` checks after the rules)."""
    from engine.load.datasets import load_data
    from engine.score.scoring import score

    try:
        ruleset, datasets = load_data(ruleset, default_areas(ruleset, areas))
        score(ruleset, datasets, default_areas(ruleset, areas))
    except InputError as exc:
        return exc.problems
    return []


def default_areas(rules: RuleSet, areas: Areas) -> Areas:
    """The areas to score: those asked for; else, when the assessment's ``area`` is ``all``, every area."""
    return ALL_AREAS if areas is None and rules.assessment.area == ALL_AREAS else areas


def run(
    rules: Path | str | None = None,
    settings: Sequence[Setting] = (),
    *,
    areas: Areas = None,
    allow_outside: bool = False,
) -> Result:
    """Load, check and score ``rules`` (default: the bundled assessment) for ``areas``."""
    from engine.score.scoring import score

    ruleset, datasets = load(rules, settings, areas=areas, allow_outside=allow_outside)
    assert datasets is not None  # with_data is True
    return score(ruleset, datasets, default_areas(ruleset, areas))
