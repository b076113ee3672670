"""engine/visible.py: control and invisible characters shown as text, idempotently."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.visible import visible, visible_line

CASES = [
    ("plain text", "plain text"),
    ("clear\x1b[2Jscreen", "clear\\x1b[2Jscreen"),
    ("title\x1b]0;pwned\x07", "title\\x1b]0;pwned\\x07"),
    ("red \x1b[31mtext\x1b[0m", "red \\x1b[31mtext\\x1b[0m"),
    ("over\rwrite", "over\\rwrite"),
    ("a\tb", "a b"),
    ("nul\x00 del\x7f", "nul\\x00 del\\x7f"),
    ("c1 \x9b2J \x85", "c1 \\x9b2J \\x85"),
    ("evil\u202etxt.exe", "evil<U+202E>txt.exe"),
    ("iso\u2066late\u2069", "iso<U+2066>late<U+2069>"),
    ("zero\u200bwidth\u200d", "zero<U+200B>width<U+200D>"),
    ("line\u2028para\u2029", "line<U+2028>para<U+2029>"),
    ("\ufeffbom", "<U+FEFF>bom"),
    ("Ynys Môn, 東京", "Ynys Môn, 東京"),
]


@pytest.mark.parametrize(("text", "shown"), CASES)
def test_visible(text, shown):
    assert visible(text) == shown
    assert visible_line(text) == shown


def test_visible_keeps_line_breaks_and_visible_line_shows_them():
    assert visible("one\ntwo\r\n") == "one\ntwo\\r\n"
    assert visible_line("one\ntwo\r\n") == "one\\ntwo\\r\\n"


def test_nothing_to_show_returns_the_same_string():
    text = "nothing to show here"
    assert visible(text) is text and visible_line(text) is text


#: Every character that must never reach a terminal raw (``\n`` aside).
UNSAFE = {
    *map(chr, range(0x20)),
    *map(chr, range(0x7F, 0xA0)),
    *map(chr, range(0x200B, 0x2010)),
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    "\u2028",
    "\u2029",
    "\ufeff",
} - {"\n"}
HOSTILE = st.text(st.sampled_from(sorted(UNSAFE | {"\n", "a", " ", "\\", "x", "<", "U", "+"})))


@given(st.one_of(st.text(), HOSTILE))
def test_shown_text_holds_no_control_or_invisible_character_and_is_shown_once(text):
    shown = visible(text)
    assert UNSAFE.isdisjoint(shown)
    assert visible(shown) == shown
    line = visible_line(text)
    assert "\n" not in line and visible_line(line) == line
