"""The ``crime_series`` shape: counts per area, category and period, put in period order.

A series file has one row per area, category and period; a blank ``count`` is a missing count. Its periods are
put in order once, when it is read (:func:`order_periods`): as the rule file declares them (``periods:``, oldest
first; a period in the file that the list lacks is an error, never dropped), or else as text, which is time order
only when every period is written the same way (``2018-19``, ``2019-20``): periods whose digits and separators
differ (``2019-20`` and ``2020/21``) are an error asking for ``periods:``.

Metrics read a series through :func:`by_category`: one row per area and category, like a ``crime_counts`` row,
with the latest period's count as ``current`` and the one before as ``previous`` (missing when its row is absent
or its count blank), so every metric of two periods reads a series unchanged. Beside them, every period's count
and line, counted back from the latest (:func:`count_column` ``(0)`` is the latest), which the metrics over N
periods read. :func:`periods_back` gives a ``crime_counts`` table the same columns for its two periods.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from engine.errors import Problem, allowed_list, did_you_mean
from engine.load.model import DatasetRef

#: Two periods are "written the same way" when they match with every digit taken as 9: 2018-19 and 2019-20.
_DIGIT = re.compile(r"[0-9]")
#: At most this many periods are named in a hint.
_HINT_PERIODS = 6


def count_column(back: int) -> str:
    """The column holding the count ``back`` periods before the latest (0: the latest): ``count#0``."""
    return f"count#{back}"


def row_column(back: int) -> str:
    """The column holding the file line of that period's row (0 where the area and category have no row for it)."""
    return f"row#{back}"


def order_periods(
    ref: DatasetRef, cells: Sequence[str], lines: Sequence[int], column: int
) -> tuple[tuple[str, ...], list[Problem]]:
    """The periods of a series, oldest first, and the problems that stop them being put in order.

    ``cells`` are the ``period`` cells (blank ones are reported elsewhere), ``lines`` their file lines and
    ``column`` the column's number. With declared periods, each period of the file must be one of them (each
    undeclared period is reported once, at its first row); without, all must be written the same way.
    """
    present = list(dict.fromkeys(c for c in cells if c))
    if ref.periods:
        return ref.periods, _undeclared(ref, cells, lines, column)
    shapes: dict[str, tuple[str, int]] = {}
    for cell, line in zip(cells, lines, strict=True):
        if cell:
            shapes.setdefault(_DIGIT.sub("9", cell), (cell, line))
    if len(shapes) <= 1:
        return tuple(sorted(present)), []
    (first, first_line), *others = shapes.values()
    listed = ", ".join(present[:_HINT_PERIODS]) + (", ..." if len(present) > _HINT_PERIODS else "")
    hint = f"declare their order in the rule file, oldest first: under datasets.{ref.name}, `periods: [{listed}]`"
    return (), [
        Problem(
            ref.display,
            line,
            column,
            "period",
            f"`{cell}` is written differently from `{first}` (line {first_line}), "
            "so the periods cannot be put in order as text",
            hint,
        )
        for cell, line in others
    ]


def _undeclared(ref: DatasetRef, cells: Sequence[str], lines: Sequence[int], column: int) -> list[Problem]:
    """Each period of the file that the rule file does not declare, at its first row, with how many rows have it."""
    first: dict[str, int] = {}
    rows: dict[str, int] = {}
    for cell, line in zip(cells, lines, strict=True):
        if cell and cell not in ref.periods:
            first.setdefault(cell, line)
            rows[cell] = rows.get(cell, 0) + 1
    problems = []
    for cell, line in first.items():
        more = f" ({rows[cell]} rows; this is the first)" if rows[cell] > 1 else ""
        hint = did_you_mean(cell, list(ref.periods)) or (
            f"declared: {allowed_list(ref.periods)}; if the file is right, add it to `periods:` (oldest first)"
        )
        problems.append(
            Problem(
                ref.display,
                line,
                column,
                "period",
                f"period `{cell}` is not among the periods declared for datasets.{ref.name}{more}",
                hint,
            )
        )
    return problems


def by_category(frame: Any, periods: tuple[str, ...]) -> Any:
    """One row per area and category (in order of first appearance) from a checked series ``frame``.

    Columns: ``area``, ``category``, ``previous`` and ``current`` (nullable: no row or a blank count),
    ``row`` (the latest period's line; 0 without one) and, for each period back from the latest,
    :func:`count_column` and :func:`row_column`.
    """
    import numpy as np
    import pandas as pd

    position = frame["period"].map({p: k for k, p in enumerate(periods)}).to_numpy(dtype=np.int64)
    back = len(periods) - 1 - position
    keyed = frame.assign(back=back)
    keys = keyed[["area", "category"]].drop_duplicates().reset_index(drop=True)
    index = pd.MultiIndex.from_frame(keys)
    counts = keyed.pivot(index=["area", "category"], columns="back", values="count").reindex(index)
    lines = keyed.pivot(index=["area", "category"], columns="back", values="row").reindex(index)
    columns: dict[str, Any] = {}
    for k in range(len(periods)):
        found = k in counts.columns
        columns[count_column(k)] = (
            counts[k].astype("Int64").to_numpy() if found else pd.array([pd.NA] * len(keys), dtype="Int64")
        )
        columns[row_column(k)] = lines[k].fillna(0).to_numpy(dtype=np.int64) if found else np.zeros(len(keys), int)
    wide = keys.assign(**columns)
    nothing = pd.array([pd.NA] * len(keys), dtype="Int64")
    return wide.assign(
        previous=wide[count_column(1)] if len(periods) > 1 else nothing,
        current=wide[count_column(0)] if periods else nothing,
        row=wide[row_column(0)] if periods else np.zeros(len(keys), dtype=np.int64),
    )


def periods_back(frame: Any, shape: str, depth: int) -> Any:
    """``frame`` (a dataset's rows by category) with :func:`count_column` and :func:`row_column` for the latest
    ``depth`` periods: a ``crime_counts`` table's two are ``current`` and ``previous`` on one row (without a
    ``previous`` column, not known); periods a dataset does not hold are absent (no count, line 0)."""
    import numpy as np
    import pandas as pd

    added: dict[str, Any] = {}
    for k in range(depth):
        if count_column(k) in frame.columns:
            continue
        source = {0: "current", 1: "previous"}.get(k) if shape == "crime_counts" else None
        if source is not None:  # a crime_counts row holds both periods (no previous column: not known)
            blank = pd.array([pd.NA] * len(frame), dtype="Int64")
            added[count_column(k)] = frame[source].astype("Int64") if source in frame.columns else blank
            added[row_column(k)] = frame["row"].astype(np.int64)
        else:
            added[count_column(k)] = pd.array([pd.NA] * len(frame), dtype="Int64")
            added[row_column(k)] = np.zeros(len(frame), dtype=np.int64)
    return frame.assign(**added) if added else frame
