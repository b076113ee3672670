"""User text made inert in Markdown: it reads as the text it is, and can make no heading, list, link, image,
emphasis, code, table cell or HTML.

:func:`md_text` is for every string that comes from a user's files (issue, criterion, area and file names,
rationales, evidence, categories, data cells, draft text) wherever a Markdown writer places it: in a table cell,
a heading, a list item or a paragraph. It

- puts the text on one line: a line break or carriage return (``\\r\\n`` counting once) becomes a space, and
  leading and trailing spaces are dropped (Markdown drops them anyway);
- shows every other control and invisible character as text, as on a terminal (:func:`engine.visible.visible`:
  ``\\x1b``, ``<U+202E>``; a tab becomes a space);
- backslash-escapes every character that is active anywhere in a line: ``\\ ` * _ { } [ ] ( ) ! | ~ #``;
- writes ``< > &`` as the entities ``&lt; &gt; &amp;``, so no raw HTML, autolink or entity can be made;
- backslash-escapes a character that would start a block at the start of the text (``-``, ``+``, ``=``, or the
  ``.`` after leading digits: a list, setext underline or ordered list).

:func:`md_cell` does all but the last, for a table cell (never the start of a line: a row starts with ``|``).
A :class:`Markup` value is Markdown a writer has already made from escaped parts; both return it as it is.

CommonMark renders every backslash-escaped ASCII punctuation character and every entity as that character, so
the rendered text is the text given, one line of it.
"""

from __future__ import annotations

import re
from typing import Any

from engine.visible import visible

_ESCAPES = str.maketrans(
    {**{c: "\\" + c for c in "\\`*_{}[]()!|~#"}, "<": "&lt;", ">": "&gt;", "&": "&amp;", "\t": " "}
)
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029\x85]")
_LEADING_MARKER = re.compile(r"([+=-])|([0-9]+)\.")
#: Every character :func:`md_text` changes: a text without any is returned as it is.
_ACTIVE = re.compile(
    r"[\\`*_{}\[\]()!|~#<>&\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


class Markup(str):
    """Markdown a writer made itself, its user text already escaped (``**`` + :func:`md_text` (name) + ``**``)."""


def md_cell(value: Any) -> str:
    """``value`` as the text of a Markdown table cell that renders as exactly that text (see the module)."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    if not _ACTIVE.search(text) and text == text.strip():
        return text
    return visible(_LINE_BREAK.sub(" ", text).replace("\t", " ")).strip().translate(_ESCAPES)


def md_text(value: Any) -> str:
    """``value`` as Markdown text that renders as exactly that text, on one line, anywhere (see the module)."""
    if isinstance(value, Markup):
        return value
    shown = md_cell(value)
    marker = _LEADING_MARKER.match(shown)
    if marker is None:
        return shown
    if marker.group(1):
        return "\\" + shown
    return f"{marker.group(2)}\\{shown[marker.end(2) :]}"
