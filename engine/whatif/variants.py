"""``whatif``: score variants of a rule file (``--set``, ``--cutoff``, scenario files) against the rules as written.

Each variant is the base rule file with its settings applied and checked
exactly as a file written that way; each becomes one :class:`Comparison` with
the baseline. Scenario files that name a different base rule file are refused,
at their ``base:`` line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from engine.errors import InputError, Problem
from engine.load.overlay import Setting, parse_set_option
from engine.load.scenario import Scenario, load_scenario
from engine.paths import default_rules
from engine.pipeline import run
from engine.whatif.comparison import Comparison, compare_results


@dataclass(frozen=True)
class WhatIf:
    """The comparisons of each variant with the baseline, and the rule file they vary."""

    base: Path
    comparisons: list[Comparison]


def command_line_settings(sets: Sequence[str], cutoff: str | None) -> list[Setting]:
    """``--set PATH=VALUE`` options, then ``--cutoff N`` as ``priority.cutoff=N``, numbered as written."""
    settings = [parse_set_option(option, n) for n, option in enumerate(sets, start=1)]
    if cutoff is not None:
        settings.append(parse_set_option(f"priority.cutoff={cutoff}", len(sets) + 1))
    return settings


def whatif(
    rules: Path | None,
    sets: Sequence[str] = (),
    cutoff: str | None = None,
    scenario_files: Sequence[Path] = (),
    *,
    allow_outside: bool = False,
) -> WhatIf:
    """Compare the command line's settings (one variant) and each scenario file (one each) with the baseline.

    Without ``rules``, the base is the first scenario's ``base:``, else the bundled assessment.
    """
    settings = command_line_settings(sets, cutoff)
    scenarios = [load_scenario(path) for path in scenario_files]
    base = rules or next((s.base for s in scenarios if s.base is not None), None) or default_rules()
    _check_bases(base, scenarios)
    baseline = run(base, allow_outside=allow_outside)
    variants: list[tuple[str, tuple[Setting, ...]]] = []
    if settings:
        variants.append(("command line", tuple(settings)))
    variants.extend((f"{s.name} ({s.display})", s.settings) for s in scenarios)
    comparisons = []
    for name, variant in variants:
        result = run(base, variant, allow_outside=allow_outside)
        changes = tuple(change.describe() for change in result.rules.changes)
        comparisons.append(compare_results(baseline, result, name, changes))
    return WhatIf(base, comparisons)


def _check_bases(base: Path, scenarios: list[Scenario]) -> None:
    problems = [
        Problem(
            scenario.display,
            *scenario.base_position,
            "base",
            f"this scenario changes {scenario.base.name}, but the comparison is against {base.name}",
            "give the matching RULES, or none",
        )
        for scenario in scenarios
        if scenario.base is not None and scenario.base.resolve() != base.resolve()
    ]
    if problems:
        raise InputError(problems)
