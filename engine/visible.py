"""User text made safe to show on a terminal: every control or invisible character shown as visible text.

Names, rationales, data cells and file names come from files anyone may have written. Printed raw, an escape
sequence clears the screen, sets the window title or recolours the terminal, a carriage return overwrites what a
line said, and a bidirectional override or zero-width character makes text read differently from what it holds.

:func:`visible` keeps line breaks; :func:`visible_line` shows them too, for text that must stay on one line (a
table cell, one problem's message). Both are idempotent (their output holds only printable characters, ``\\n``
aside), so text shown twice reads the same, and both return the string itself when there is nothing to show. The
visible forms:

- a tab becomes one space;
- a carriage return is ``\\r``; a line break, in :func:`visible_line`, ``\\n``;
- any other C0 control (U+0000 to U+001F), DEL (U+007F) and every C1 control (U+0080 to U+009F) is ``\\xNN``
  with two lowercase hex digits: ESC is ``\\x1b``, BEL ``\\x07``;
- bidirectional embeddings and overrides (U+202A to U+202E), isolates (U+2066 to U+2069), zero-width and
  direction marks (U+200B to U+200F), the line and paragraph separators (U+2028, U+2029) and the byte-order mark
  or zero-width no-break space (U+FEFF) are ``<U+XXXX>``.
"""

from __future__ import annotations

import re

_SHOWN = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
_UNSAFE = re.compile(f"[\t{_SHOWN}]")
_UNSAFE_LINE = re.compile(f"[\t\n{_SHOWN}]")


def visible_form(char: str) -> str:
    """The visible text shown for one control or invisible character (the character itself for any other)."""
    code = ord(char)
    if char == "\t":
        return " "
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"\\x{code:02x}"
    if _UNSAFE.fullmatch(char):
        return f"<U+{code:04X}>"
    return char


def _shown(match: re.Match[str]) -> str:
    return visible_form(match.group())


def visible(text: str) -> str:
    """``text`` with every control and invisible character but ``\\n`` shown as visible text (see the module)."""
    return _UNSAFE.sub(_shown, text) if _UNSAFE.search(text) else text


def visible_line(text: str) -> str:
    """``text`` on one line: as :func:`visible`, and a line break shown as ``\\n``."""
    return _UNSAFE_LINE.sub(_shown, text) if _UNSAFE_LINE.search(text) else text
