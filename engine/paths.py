"""Paths: where the shipped schemas, rule files and datasets live, and how messages show a path.

In a source checkout (or an editable install) they are the top-level folders
``schemas/``, ``rules/`` and ``datasets/``. A wheel ships the same folders inside
the package as ``engine/_bundled/``, so the relative paths between a rule file
and its datasets are the same in both places.
"""

from __future__ import annotations

import os
from pathlib import Path

_HERE = Path(__file__).resolve().parent
DEFAULT_RULES = "sevenoaks-2020.yaml"


def bundled_root() -> Path:
    """The folder holding ``schemas/``, ``rules/`` and ``datasets/``."""
    packaged = _HERE / "_bundled"
    if (packaged / "schemas").is_dir():
        return packaged
    return _HERE.parent


def schema_path(name: str) -> Path:
    """Path of ``schemas/<name>.schema.json``."""
    return bundled_root() / "schemas" / f"{name}.schema.json"


def output_schema_path(name: str) -> Path:
    """Path of ``schemas/output/<name>.schema.json``: the shape of a JSON output (score, comparisons, sweep, ...)."""
    return bundled_root() / "schemas" / "output" / f"{name}.schema.json"


def default_rules() -> Path:
    """The bundled default assessment: Sevenoaks District CSP, 2020."""
    return bundled_root() / "rules" / DEFAULT_RULES


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the working folder when it is below it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def relative_to(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder`` (both resolved), with ``/`` between parts, as results record paths so that
    they still hold when the whole project folder moves (absolute when there is no relative path)."""
    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return path.resolve().as_posix()


def data_root(rule_file: Path) -> Path:
    """The folder tree a rule file may read datasets from: its own folder, or the folder holding its `rules/` folder.

    So ``rules/sevenoaks-2020.yaml`` may read ``datasets/...`` beside ``rules/``, and a
    rule file anywhere else reads only below its own folder.
    """
    folder = rule_file.resolve().parent
    for candidate in (folder, *folder.parents):
        if candidate.name == "rules":
            return candidate.parent
    return folder
