"""Plain-text tables exactly as ``tabulate(..., tablefmt="simple", disable_numparse=True)`` draws them, fast.

tabulate deduces a type for every cell and measures every cell through several layers of calls, which made a
350-area scoring table take seconds. :func:`simple_table` draws the same table with one pass over the cells
when every cell is single-line text whose width is its length (printable, no ANSI escapes, no wide or
zero-width characters), and hands anything else to tabulate itself, so the output is always tabulate's.

Every header and cell is first put on one line with its control and invisible characters shown as text
(:func:`engine.visible.visible_line`), so widths are measured on what the terminal will show and no cell can
move the cursor, break a row or reorder its text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from engine.visible import visible_line

#: tabulate's padding: a column is at least as wide as its header plus this.
MIN_PADDING = 2


def simple_table(rows: Sequence[Sequence[Any]], headers: Sequence[str], colalign: Sequence[str] | None = None) -> str:
    """``rows`` under ``headers``, columns aligned ``left``/``right``/``center`` (default ``left``), separated by
    two spaces, a dashed rule under the header: tabulate's ``simple`` format without number parsing."""
    aligns = list(colalign) if colalign is not None else ["left"] * len(headers)
    texts = [["" if v is None else str(v) for v in row] for row in rows]
    everything = " ".join([*headers, *(" ".join(t) for t in texts)])
    if visible_line(everything) is not everything:  # some cell holds a control or invisible character: rare
        headers = [visible_line(str(h)) for h in headers]
        texts = [[visible_line(v) for v in row] for row in texts]
    rows = texts
    if (
        not texts
        or any(len(t) != len(headers) for t in texts)
        or len(aligns) != len(headers)
        or not set(aligns) <= {"left", "right", "center"}
    ):
        return _tabulate(rows, headers, colalign)
    plain = "\t".join([*headers, *("\t".join(t) for t in texts)])
    if not _narrow(plain):
        return _tabulate(rows, headers, colalign)
    columns = [[cell.strip() for cell in column] for column in zip(*texts, strict=True)]
    widths = [max(len(h) + MIN_PADDING, *map(len, c)) for h, c in zip(headers, columns, strict=True)]
    padded = [_pad(column, width, align) for column, width, align in zip(columns, widths, aligns, strict=True)]
    head = "  ".join(_pad([h], w, a)[0] for h, w, a in zip(headers, widths, aligns, strict=True)).rstrip()
    lines = [head, "  ".join("-" * w for w in widths)]
    lines += ["  ".join(cells).rstrip() for cells in zip(*padded, strict=True)]
    return "\n".join(lines)


def _pad(column: list[str], width: int, align: str) -> list[str]:
    if align == "right":
        return [s.rjust(width) for s in column]
    if align == "center":
        return [format(s, f"^{width}") for s in column]  # str.format's centring (not str.center's), as tabulate
    return [s.ljust(width) for s in column]


def _narrow(text: str) -> bool:
    """Whether every character of ``text`` (cells joined by tabs) is one column wide on a terminal."""
    if text.isascii():
        return all(c.isprintable() or c == "\t" for c in set(text))
    return all(_one_column(c) for c in set(text))


@lru_cache(maxsize=4096)
def _one_column(c: str) -> bool:
    if c == "\t":
        return True
    if not c.isprintable() or unicodedata.combining(c):
        return False
    return unicodedata.category(c) not in ("Mn", "Me", "Cf") and unicodedata.east_asian_width(c) not in ("W", "F")


def _tabulate(rows: Sequence[Sequence[Any]], headers: Sequence[str], colalign: Sequence[str] | None) -> str:
    from tabulate import tabulate

    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True, colalign=colalign)
