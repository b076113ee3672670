"""The `datasets:` section: where each dataset's file is, and its shape.

Reading the files is :mod:`engine.load.datasets`'s job.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.load.model import DatasetRef
from engine.load.sections.collector import Collector
from engine.paths import data_root, display_path


def build_dataset(
    collector: Collector, name: str, raw: dict[str, Any], rule_file: Path, *, allow_outside: bool
) -> DatasetRef:
    """The dataset's reference, its path relative to ``rule_file``; outside the data root only if ``allow_outside``."""
    file = (rule_file.parent / raw["file"]).resolve()  # resolve() follows symlinks: they cannot lead out
    root = data_root(rule_file)
    if not allow_outside and not file.is_relative_to(root):
        collector.fail(
            ("datasets", name, "file"),
            f"{display_path(file)} is outside the rule file's folder tree ({display_path(root)})",
            "move the data beside the rules, or pass --allow-outside-data if you trust this rule file",
        )
    return DatasetRef(name, file, display_path(file), raw["shape"], raw.get("source"), raw.get("licence"))
