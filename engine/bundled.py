"""Where the shipped schemas, rule files and datasets live, installed or not.

In a source checkout (or an editable install) they are the top-level folders
``schemas/``, ``rules/`` and ``datasets/``. A wheel ships the same folders inside
the package as ``engine/_bundled/``, so the relative paths between a rule file
and its datasets are the same in both places.
"""

from __future__ import annotations

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


def default_rules() -> Path:
    """The bundled default assessment: Sevenoaks District CSP, 2020."""
    return bundled_root() / "rules" / DEFAULT_RULES
