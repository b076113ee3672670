"""Scenario files: a named set of changes to a rule file, checked exactly like the rule file.

    scenario: Trend threshold 15%
    description: A rise counts as high only from 15%.
    base: ../rules/sevenoaks-2020.yaml      # optional; relative to this file
    set:
      criteria.trend.bands[3].from: 15      # moves the shared boundary with bands[2]

Problems a change causes are reported at its line in the scenario file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.errors import InputError, Problem
from engine.load.overlay import Setting, settings_from_mapping
from engine.load.schema import schema_problems
from engine.load.yamlfile import load_yaml
from engine.paths import display_path


@dataclass(frozen=True)
class Scenario:
    """A loaded scenario file."""

    name: str
    description: str | None
    base: Path | None
    settings: tuple[Setting, ...]
    display: str
    base_position: tuple[int, int] = (1, 1)  # where `base:` is written


def load_scenario(path: Path | str) -> Scenario:
    """Read and check a scenario file; raise :class:`InputError` with every problem."""
    path = Path(path)
    display = display_path(path)
    data, positions = load_yaml(path, display)
    if not isinstance(data, dict):
        raise InputError([positions.problem((), "a scenario file must be a mapping (scenario, set, ...)")])
    problems: list[Problem] = schema_problems("scenario", data, positions)
    if problems:
        raise InputError(problems)
    base = (path.parent / data["base"]).resolve() if "base" in data else None
    if base is not None and not base.is_file():
        raise InputError(
            [
                positions.problem(
                    ("base",), f"rule file not found: {display_path(base)}", "the path is relative to the scenario file"
                )
            ]
        )
    settings = settings_from_mapping(data["set"], positions, ("set",))
    return Scenario(data["scenario"], data.get("description"), base, tuple(settings), display, positions.of(("base",)))


def is_scenario(path: Path | str) -> bool:
    """Whether ``path`` is a scenario file (a mapping with ``scenario:`` and no ``assessment:``), not a rule file.
    A file that cannot be read is not: reading it as a rule file then reports why."""
    try:
        data, _ = load_yaml(Path(path), display_path(Path(path)))
    except (InputError, OSError):
        return False
    return isinstance(data, dict) and "scenario" in data and "assessment" not in data
