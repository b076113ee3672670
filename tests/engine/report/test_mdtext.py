"""engine/report/mdtext.py: any user text made inert in Markdown, checked with a real CommonMark parser.

For arbitrary text, the escaped text parses as one paragraph (heading, list item, table cell) holding nothing but
text, and that text is the text given, on one line, its control and invisible characters shown visibly.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from engine.report.mdtext import Markup, md_cell, md_text
from engine.visible import visible
from tests.conftest import examples

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])

#: Text with every Markdown-active character, block markers, line breaks and terminal controls in plenty.
ACTIVE = "\\`*_{}[]()#+-.!|<>&~=:;'\"/ \t\n\r\x1b\x07\x00\x7f\x85\u202e\u200b\u2028\ufeff"
HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(list(ACTIVE)),
        st.sampled_from(
            [
                "<script>alert(1)</script>",
                "[x](javascript:alert(1))",
                "![](http://evil/x.png)",
                "# heading",
                "1. ",
                "- ",
                "> ",
                "    ",
                "---",
                "===",
                "<http://evil>",
                "&lt;",
                "&#x41;",
                "`code`",
                "**b**",
                "_i_",
                "~~s~~",
                "\x1b]0;title\x07",
            ]
        ),
        st.text(max_size=3),
    ),
    max_size=12,
).map("".join)
TEXTS = st.one_of(st.text(), HOSTILE)


def expected(text: str) -> str:
    """What the text should read as: one line, controls shown visibly, no leading or trailing space."""
    return visible(re.sub(r"\r\n|[\r\n\u2028\u2029\x85]", " ", text).replace("\t", " ")).strip()


def inline_text(source: str, blocks: list[str]) -> str | None:
    """The text of the one inline run in ``source``, whose block tokens must be exactly ``blocks``; it must hold
    nothing but text (no link, image, emphasis, code or HTML)."""
    tokens = PARSER.parse(source)
    assert [t.type for t in tokens if t.type != "inline"] == blocks, source
    inline = [t for t in tokens if t.type == "inline"]
    if not inline:
        return None
    (run,) = inline
    assert {c.type for c in run.children or []} <= {"text", "softbreak"}, (source, run.children)
    return "".join("\n" if c.type == "softbreak" else c.content for c in run.children or [])


@settings(max_examples=examples(600))
@given(TEXTS)
def test_as_a_paragraph_it_is_the_text_and_nothing_else(text):
    shown = md_text(text)
    want = expected(text)
    assert "\n" not in shown
    if not want:
        assert PARSER.parse(shown) == []
        return
    assert inline_text(shown, ["paragraph_open", "paragraph_close"]) == want
    # after a paragraph's first line it cannot turn that line into a heading (=== or --- underline)
    assert inline_text("Intro\n" + shown, ["paragraph_open", "paragraph_close"]) == "Intro\n" + want


@settings(max_examples=examples(300))
@given(TEXTS)
def test_as_a_heading_or_list_item_it_is_the_text_and_nothing_else(text):
    shown, want = md_text(text), expected(text)
    assert inline_text("## " + shown, ["heading_open", "heading_close"]) == want
    item = ["bullet_list_open", "list_item_open", "paragraph_open", "paragraph_close", "list_item_close"]
    if want:
        assert inline_text("- " + shown, [*item, "bullet_list_close"]) == want


@settings(max_examples=examples(300))
@given(TEXTS, TEXTS)
def test_as_table_cells_it_is_the_text_and_nothing_else(first, second):
    source = f"| a | b |\n|---|---|\n| {md_cell(first)} | {md_cell(second)} |"
    tokens = PARSER.parse(source)
    cells = [t for t in tokens if t.type == "inline"][2:]
    assert len(cells) == 2, source  # still two cells: no | or line break got through
    for cell, text in zip(cells, (first, second), strict=True):
        assert {c.type for c in cell.children or []} <= {"text"}
        assert "".join(c.content for c in cell.children or []) == expected(text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Anti-social behaviour", "Anti-social behaviour"),
        ("Burglary\n# Not a heading", "Burglary \\# Not a heading"),
        ("# heading", "\\# heading"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("2020. A year", "2020\\. A year"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
        ("[x](javascript:alert(1))", "\\[x\\]\\(javascript:alert\\(1\\)\\)"),
        ("![](http://evil/x.png)", "\\!\\[\\]\\(http://evil/x.png\\)"),
        ("**bold** _it_ `code` ~~s~~", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~"),
        ("Drugs & Alcohol | County Lines", "Drugs &amp; Alcohol \\| County Lines"),
        ("a\\b", "a\\\\b"),
        ("\x1b[2Jclear\r", "\\\\x1b\\[2Jclear"),
        ("evil\u202etxt", "evil&lt;U+202E&gt;txt"),
        ("   indented code", "indented code"),
    ],
)
def test_hostile_text_exactly(text, shown):
    assert md_text(text) == shown


def test_cells_keep_leading_markers_and_markup_is_left_alone():
    assert md_cell("-3.2") == "-3.2"
    assert md_text("-3.2") == "\\-3.2"
    bold = Markup("**" + md_cell("A*B") + "**")
    assert md_cell(bold) == md_text(bold) == "**A\\*B**"
