"""A Word document to paste into the Strategic Assessment: Table 6, the priorities, draft text, scale, provenance.

For each area (one section each when several were scored, each starting on a new page): the title, partnership,
area and data period; Table 6 (:mod:`engine.report.table6`, the rows the workbook's Scores sheet shows too) as a
real Word table, its header row the criteria's display names, repeated on every page, each score cell shaded by
its level as in the HTML report (the number always there); last year's total and the change with ``--previous``;
the priority list; the draft "Priority Ranking" paragraphs (:mod:`engine.report.narrative`), each marked as a
draft for the officer to edit. Then, once: the scale (and each criterion's own), and a provenance note (engine
version, rules file and its SHA-256, each dataset's file, SHA-256 and rows, when it was generated). Sections are
landscape A4 when Table 6 has more than :data:`PORTRAIT_COLUMNS` columns.

Every text from rule and data files goes into Word as text runs (python-docx escapes it; characters XML cannot
hold are left out), never as fields or formulas. The file's bytes depend only on the content and the provenance's
timestamp: the zip entries carry a fixed date and the document's created and modified times are the provenance's.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from engine.numbers import number, plural
from engine.report.narrative import DRAFT_LABEL, Draft
from engine.report.table6 import DARK, SCORE, SHADES, TEXT, AreaTable, Table6, shown
from engine.score.audit import Provenance, draft_lines
from engine.score.scoring import Result

#: Table 6 with more columns than this is printed on a landscape page.
PORTRAIT_COLUMNS = 8
#: Marks each draft paragraph's heading, so no draft is pasted as if it were agreed text.
DRAFT_MARK = "DRAFT"

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_STAMP = (1980, 1, 1, 0, 0, 0)
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def document_bytes(
    result: Result, provenance: Provenance, drafts: list[Draft], table: Table6, version: str = ""
) -> bytes:
    """The Word document (.docx bytes) of ``result``: ``table`` is its Table 6 (:func:`engine.report.table6.table6`,
    with last year's totals when a previous result was given), ``drafts`` its draft paragraphs and ``version``
    which version it is, public or full (:func:`engine.report.public.version_line`; "" to say nothing). It holds
    no counts and no names of who agreed, so the public version differs only in saying so.

    The body is written as WordprocessingML text and parsed once into python-docx's default template: its
    paragraph-by-paragraph API looks for the insertion point among every element already there, so a national
    result's 35,000 paragraphs took minutes."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import parse_xml

    document = docx.Document()
    section = document.sections[0]
    usable = _page(section, len(table.columns) > PORTRAIT_COLUMNS, WD_ORIENT)
    draft = draft_lines(result)
    drafted: dict[str | None, list[Draft]] = {}
    for d in drafts:
        drafted.setdefault(d.area, []).append(d)
    end = document.element.body[-1]  # the section's properties, which stay last
    for n, area in enumerate(table.areas):  # an area at a time: the text of only one is held at once
        parts = _area(table, area, drafted.get(area.area, []), draft, usable, new_page=n > 0, version=version)
        if n == len(table.areas) - 1:
            parts += _scale(result) + _provenance(provenance)
        for element in list(parse_xml(f"<w:body {_W}>{''.join(parts)}</w:body>")):
            end.addprevious(element)
    core = document.core_properties
    core.title = _text(f"{table.title}: {table.partnership}")
    core.author = core.last_modified_by = "cspscore"
    core.created = core.modified = datetime.fromisoformat(provenance.generated_at.replace("Z", "+00:00"))
    core.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_dates(buffer.getvalue())


def _page(section: Any, landscape: bool, orient: Any) -> int:
    """A4, landscape when asked, with narrow margins so Table 6 has the width; returns the width between the
    margins in twentieths of a point (Word's table unit)."""
    from docx.shared import Mm

    long, short = Mm(297), Mm(210)
    section.orientation = orient.LANDSCAPE if landscape else orient.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    return int((long if landscape else short) - 2 * Mm(15)) // 635  # 635 EMU to a twip


def _p(text: str, style: str = "", bold: bool = False, italic: bool = False, new_page: bool = False) -> str:
    """One paragraph's XML: ``style`` a style id of the template (Title, Heading1, ListBullet), one run of
    ``text`` (escaped)."""
    properties = (f'<w:pStyle w:val="{style}"/>' if style else "") + ("<w:pageBreakBefore/>" if new_page else "")
    look = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    content = escape(_text(text))
    space = ' xml:space="preserve"' if content != content.strip() else ""
    return (
        f"<w:p>{f'<w:pPr>{properties}</w:pPr>' if properties else ''}<w:r>{f'<w:rPr>{look}</w:rPr>' if look else ''}"
        f"<w:t{space}>{content}</w:t></w:r></w:p>"
    )


def _area(
    table: Table6,
    area: AreaTable,
    drafts: list[Draft],
    draft: list[str],
    usable: int,
    new_page: bool,
    version: str = "",
) -> list[str]:
    """One area's part (from a new page, but the first): header lines, Table 6, priorities, draft paragraphs."""
    parts = [_p(table.title, "Title", new_page=new_page), _p(table.partnership)]
    if area.area is not None:
        parts.append(_p(f"Area: {area.area}", bold=True))
    period = f"Data period: {table.period}"
    if table.previous_period:
        period += f" (last year's totals: {table.previous_period})"
    parts.append(_p(period))
    if version:
        parts.append(_p(version, italic=True))
    if draft:
        parts.append(_p(draft[0], bold=True))
        parts += [_p(line.strip(), "ListBullet") for line in draft[1:]]
    parts += [_p("Table 6: scoring of issues", "Heading1"), _table(table, area, usable)]
    parts.append(
        _p(
            f"An issue is a priority when its total is at least {number(table.cutoff)}. Shading: the darker the "
            "cell, the higher the score on its scale; the number is always shown.",
            italic=True,
        )
    )
    parts.append(_p("Priorities", "Heading1"))
    total = next(n for n, c in enumerate(table.columns) if c.key == "total")
    chosen = [row for row in area.rows if row.priority]
    if not chosen:
        parts.append(_p("None: no issue reaches the cutoff."))
    for n, row in enumerate(chosen, start=1):  # numbered as text: Word's list numbering would run on across areas
        parts.append(_p(f"{n}. {row.values[1]} ({shown(row.values[total], table.columns[total])})"))
    parts += [_p("Priority ranking: draft text", "Heading1"), _p(DRAFT_LABEL, bold=True)]
    for d in drafts:
        parts += [_p(f"{DRAFT_MARK}: {d.title}", bold=True), _p(d.text)]
    return parts


def _table(table: Table6, area: AreaTable, usable: int) -> str:
    """Table 6 as a Word table: a header row of display names repeated on every page, scores shaded.

    Written as text (python-docx's cell-by-cell API costs about a millisecond a cell: 180,000 cells nationally)."""
    columns = table.columns
    issue_width = usable * 3 // 10  # the issue's name wraps in under a third of the width; the numbers share the rest
    other = (usable - issue_width) // max(len(columns) - 1, 1)
    widths = [issue_width if c.key == "issue" else other for c in columns]
    parts = [
        f'<w:tbl {_W}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
        'w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",  # repeated on every page
        *(_cell_xml(c.header, w, "EEEEEE", bold=True, centred=False) for c, w in zip(columns, widths, strict=True)),
        "</w:tr>",
    ]
    for row in area.rows:
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for column, value, level, width in zip(columns, row.values, row.shades, widths, strict=True):
            scored = column.kind == SCORE and level is not None
            parts.append(
                _cell_xml(
                    shown(value, column),
                    width,
                    SHADES[level] if scored and level is not None else None,
                    bold=scored or (column.key == "issue" and row.priority),
                    centred=column.kind != TEXT,
                    white=scored and level in DARK,
                )
            )
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _cell_xml(
    text: str, width: int, fill: str | None, bold: bool = False, centred: bool = True, white: bool = False
) -> str:
    """One table cell's XML: its width, fill, and one 9-point run of ``text`` (escaped)."""
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    run = ("<w:b/>" if bold else "") + ('<w:color w:val="FFFFFF"/>' if white else "") + '<w:sz w:val="18"/>'
    align = '<w:jc w:val="center"/>' if centred else ""
    content = escape(_text(text))
    space = ' xml:space="preserve"' if content != content.strip() else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr><w:p><w:pPr><w:spacing w:before="0" '
        f'w:after="0"/>{align}</w:pPr><w:r><w:rPr>{run}</w:rPr><w:t{space}>{content}</w:t></w:r></w:p></w:tc>'
    )


def _scale(result: Result) -> list[str]:
    """The scale, and each criterion's own scale."""
    rules = result.rules
    parts = [_p("Scale", "Heading1")]
    parts += [_p(f"{number(point.score)}: {point.meaning}", "ListBullet") for point in rules.scale]
    for criterion in rules.criteria.values():
        if criterion.scale:
            parts.append(_p(f"{criterion.name} has its own scale:"))
            parts += [_p(f"{number(point.score)}: {point.meaning}", "ListBullet") for point in criterion.scale]
    return parts


def _provenance(provenance: Provenance) -> list[str]:
    """One paragraph an auditor can check the numbers against: engine, rules and datasets with their SHA-256."""
    datasets = "; ".join(
        f"{d['name']}: {d['file']} (SHA-256 {d['sha256']}, {plural(int(d['rows']), 'row')})"
        for d in provenance.datasets
    )
    text = (
        f"Scored by cspscore {provenance.engine_version} on {provenance.generated_at} from the rules in "
        f"{provenance.rules_file} (SHA-256 {provenance.rules_sha256})"
        + (f" and the datasets {datasets}" if datasets else "")
        + ". Every score can be traced with `cspscore explain` and the workbook's Audit sheet."
    )
    return [_p("Provenance", "Heading1"), _p(text)]


def _text(text: str) -> str:
    """Text Word can hold: characters XML cannot (control characters but tab and line feed) left out."""
    return _ILLEGAL.sub("", text)


def _fixed_dates(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01, so the same content gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, _STAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
