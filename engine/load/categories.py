"""Category names matched between a rule file and its data without regard to case or spacing.

An officer types ``Anti-Social Behaviour`` where police.uk writes ``Anti-social behaviour``; both mean the same
category. A category an issue names matches a data category whose words are the same once case is ignored and
runs of white space count as one space (:func:`category_key`). The data's spelling is the canonical one: the
rule set is rewritten to it, so every output shows the data's words, and each rewritten name is a note
(``severity="note"``) that ``validate`` prints and ``lint`` reports. Two categories of one dataset that differ only
so, in one area, could not be told apart: :func:`ambiguous_categories` makes that an error.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.errors import Problem
from engine.load.model import COUNT_SHAPES, RuleSet

if TYPE_CHECKING:
    from engine.load.datasets import Dataset


def category_key(name: str) -> str:
    """What two spellings of one category share: the words, case folded, single-spaced."""
    return " ".join(name.split()).casefold()


def matched_categories(rules: RuleSet, datasets: Mapping[str, Dataset]) -> RuleSet:
    """``rules`` with every issue category that matches its dataset's only by :func:`category_key` spelled as
    the data spells it, and a note for each in ``rules.spellings``. Names the data lacks stay as written (the
    data checks report them)."""
    import pandas as pd

    spellings: dict[str, dict[str, str]] = {}  # dataset -> key -> the data's spelling (the first met)
    notes: list[Problem] = []
    issues = dict(rules.issues)
    for iid, issue in rules.issues.items():
        dataset = datasets.get(issue.data.dataset) if issue.data else None
        if issue.data is None or dataset is None or dataset.ref.shape not in COUNT_SHAPES:
            continue
        if issue.data.dataset not in spellings:
            names = [str(n) for n in pd.unique(dataset.frame["category"].to_numpy())]
            spellings[issue.data.dataset] = {}
            for name in names:
                spellings[issue.data.dataset].setdefault(category_key(name), name)
        exact = spellings[issue.data.dataset]
        written = issue.data.categories
        canonical = tuple(exact.get(category_key(c), c) for c in written)
        if canonical == written:
            continue
        for i, (was, now) in enumerate(zip(written, canonical, strict=True)):
            if was != now:
                notes.append(
                    rules.positions.problem(
                        ("issues", iid, "data", "categories", i),
                        f"category `{was}` is spelled `{now}` in {dataset.ref.display}; matched ignoring case and "
                        "spaces, and shown as the data spells it",
                        f"write `{now}` to match the data exactly",
                        severity="note",
                    )
                )
        issues[iid] = replace(issue, data=replace(issue.data, categories=canonical))
    if not notes:
        return rules
    return replace(rules, issues=issues, spellings=tuple(notes))


def ambiguous_categories(datasets: Mapping[str, Dataset]) -> list[Problem]:
    """An error for each pair of categories of one count dataset and one area that differ only in case or spacing
    (``Burglary`` and ``burglary``): the rules could not say which they mean."""
    problems = []
    for dataset in datasets.values():
        if dataset.ref.shape not in COUNT_SHAPES:
            continue
        frame: Any = dataset.frame
        # One row per distinct area and category (a few thousand even for national data), not per row.
        pairs = frame.drop_duplicates(["area", "category"])
        first: dict[tuple[str, str], tuple[str, int]] = {}
        for area, category, row in zip(pairs["area"], pairs["category"], pairs["row"], strict=True):
            key = (str(area), category_key(str(category)))
            seen = first.setdefault(key, (str(category), int(row)))
            if seen[0] != str(category):
                problems.append(
                    Problem(
                        dataset.ref.display,
                        int(row),
                        _category_column(dataset.ref.path),
                        "category",
                        f"categories `{seen[0]}` (line {seen[1]}) and `{category}` differ only in case or spacing "
                        f"in area {area}",
                        "categories are matched ignoring case and spaces; give them one spelling, or merge the rows",
                    )
                )
    return problems


def _category_column(path: Path) -> int:
    """The category column's position in the file's header (1-based; 0 if it cannot be read again)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            header = next(csv.reader([file.readline()]), [])
    except (OSError, UnicodeDecodeError):
        return 0
    names = [h.strip() for h in header]
    return names.index("category") + 1 if "category" in names else 0
