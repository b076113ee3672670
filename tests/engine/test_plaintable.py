"""engine/plaintable.py draws exactly what tabulate's ``simple`` format draws, fast where it can."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from engine import plaintable
from engine.plaintable import simple_table
from engine.visible import visible_line
from tests.conftest import examples

ALIGNS = ["left", "right", "center"]

# Cells as the reports hold them: text (with odd whitespace, accents, wide and zero-width characters, escapes and
# line breaks, which go to tabulate itself), whole numbers, decimals and blanks.
cell = st.one_of(
    st.text(alphabet=st.sampled_from(list("ab Z09-+.*'|") + ["é", "ŵ", "中", "\u0301", "\u200b", "\t", "\n"])),
    st.text(alphabet="abc 123", max_size=12),
    st.integers(-1000, 100000),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-100, max_value=100),
    st.none(),
)


@st.composite
def tables(draw):
    width = draw(st.integers(1, 6))
    headers = draw(st.lists(st.text(alphabet="abcdef_ ", min_size=0, max_size=10), min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), min_size=0, max_size=8))
    aligns = draw(st.lists(st.sampled_from(ALIGNS), min_size=width, max_size=width))
    return headers, rows, aligns


@settings(max_examples=examples(400))
@given(tables())
def test_the_same_text_as_tabulate(table):
    """The same text as tabulate draws of the cells as they are shown (:func:`engine.visible.visible_line`)."""
    headers, rows, aligns = table
    shown = [["" if v is None else visible_line(str(v)) for v in row] for row in rows]
    expected = tabulate(
        shown, headers=[visible_line(h) for h in headers], tablefmt="simple", disable_numparse=True, colalign=aligns
    )
    assert simple_table(rows, headers, aligns) == expected


def test_plain_cells_never_reach_tabulate(monkeypatch):
    monkeypatch.setattr(plaintable, "_tabulate", lambda *a: pytest.fail("fell back to tabulate"))
    rows = [[1, " Ynys Môn ", Decimal("0.75"), None], [22, "Rhondda Cynon Taf", 3, "yes"]]
    assert simple_table(rows, ["rank", "area", "score", "priority"], ["right", "left", "right", "center"]) == (
        "  rank  area                 score   priority\n"
        "------  -----------------  -------  ----------\n"
        "     1  Ynys Môn              0.75\n"
        "    22  Rhondda Cynon Taf        3     yes"
    )


@pytest.mark.parametrize("odd", ["中文", "e\u0301", ""])
def test_anything_else_is_drawn_by_tabulate_itself(odd):
    rows = [[odd, 1]] if odd else []
    assert simple_table(rows, ["x", "y"], ["left", "right"]) == tabulate(
        rows, headers=["x", "y"], tablefmt="simple", disable_numparse=True, colalign=["left", "right"]
    )


def test_control_and_invisible_characters_are_shown_and_measured_as_shown():
    rows = [["a\nb", 1], ["\x1b[31mred\x1b[0m", 22], ["evil\u202eexe\u200b", 3], ["cr\rtab\t", 4]]
    assert simple_table(rows, ["x", "y"], ["left", "right"]) == (
        "x                          y\n"
        "-----------------------  ---\n"
        "a\\nb                       1\n"
        "\\x1b[31mred\\x1b[0m        22\n"
        "evil<U+202E>exe<U+200B>    3\n"
        "cr\\rtab                    4"
    )
