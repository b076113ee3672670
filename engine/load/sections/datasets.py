"""The `datasets:` section: where each dataset's file is, its shape, a series' declared periods, and a
workbook's layout (:mod:`engine.load.sections.sheet`).

Reading the files is :mod:`engine.load.datasets`'s job.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

from engine.load.model import DatasetRef
from engine.load.sections.collector import Collector
from engine.load.sections.sheet import build_sheet
from engine.paths import data_root, display_path


def build_dataset(
    collector: Collector,
    name: str,
    raw: dict[str, Any],
    rule_file: Path,
    *,
    allow_outside: bool,
    measures: Collection[str] = (),
) -> DatasetRef:
    """The dataset's reference, its path relative to ``rule_file``; outside the data root only if ``allow_outside``.

    ``measures`` are the rule file's measure ids, which a workbook's ``columns:`` may name.
    A file that does not exist is not called "outside": reading it reports it missing, with the path looked at,
    which is the real problem (a rule file copied elsewhere without its data).
    """
    file = (rule_file.parent / raw["file"]).resolve()  # resolve() follows symlinks: they cannot lead out
    root = data_root(rule_file)
    if not allow_outside and not file.is_relative_to(root) and os.path.lexists(file):
        collector.fail(
            ("datasets", name, "file"),
            f"{display_path(file)} is outside the rule file's folder tree ({display_path(root)})",
            "move the data beside the rules, or pass --allow-outside-data if you trust this rule file",
        )
    sheet = build_sheet(collector, name, raw, file, measures)
    if isinstance(raw.get("periods"), dict):  # a workbook's periods, mapped to their columns (checked with it)
        periods = tuple(p for p, _ in sheet.periods) if sheet is not None and raw["shape"] == "crime_series" else ()
    else:
        periods = _periods(collector, name, raw)
    return DatasetRef(
        name,
        file,
        display_path(file),
        raw["shape"],
        raw.get("source"),
        raw.get("licence"),
        periods=periods,
        sheet=sheet,
    )


def _periods(collector: Collector, name: str, raw: dict[str, Any]) -> tuple[str, ...]:
    """A series' declared periods as text, oldest first, each once (a year written as a number is its text)."""
    if "periods" not in raw:
        return ()
    here = ("datasets", name, "periods")
    if raw["shape"] != "crime_series":
        collector.fail(
            here,
            f"`periods` is only used with shape crime_series, not {raw['shape']}",
            "remove it: a crime_counts dataset holds two periods, previous and current",
            key=True,
        )
        return ()
    seen: dict[str, int] = {}
    for i, period in enumerate(raw["periods"]):
        text = str(period)
        if text in seen:
            collector.fail(here + (i,), f"period `{text}` is listed twice (first as item {seen[text]})")
        seen.setdefault(text, i)
    return tuple(seen)
