"""An .xlsx workbook written directly: sheets of typed cells under a bold, frozen, filtered header, set up to print.

openpyxl builds an object for every cell and serialises it element by element, which made a national audit
(1.8 million cells) take a minute and a gigabyte; its write-only mode still builds a cell object and a style per
cell. This writes the few SpreadsheetML parts such a workbook needs straight into the zip, a row at a time, in
time and memory linear in the cells: text as inline strings, numbers as numbers under their column's number format
(``0``, ``0.00``, ``+0;-0;0``), booleans as booleans; lines above the table (title, partnership, period); the
header bold, wrapped, frozen (with the first columns, if asked), filtered and repeated on every printed page;
columns sized; long text wrapped, with the row made tall enough for it; a ``'`` prefix shown for text a
spreadsheet would otherwise read as a formula; cells filled and coloured by a :class:`Look`; each sheet
landscape on A4, fitted to one page wide if asked, its gridlines printed. Styles are collected as cells use them,
one entry per distinct look. The bytes depend only on the content (the zip entries carry a fixed date), so the
same result gives the same file.

Text is never a formula: a cell is a number (``int``, ``float``, ``Decimal``), a boolean or an inline string.
Characters XML cannot hold (control characters other than tab, line feed and carriage return) are left out.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

#: Text longer than this wraps in its cell, and no column is sized wider (unless a sheet says otherwise).
WIDE = 60
#: Text a spreadsheet would read as a formula: shown with a quote prefix.
FORMULA_START = ("=", "+", "-", "@")
#: The height of one line of 11-point text, in points.
LINE_HEIGHT = 15

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STAMP = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Look:
    """How a cell looks: its number format, fill (RRGGBB, None for none), bold, white text, size (points),
    wrapped text and the quote prefix (set for text that starts like a formula)."""

    number_format: str = "General"
    fill: str | None = None
    bold: bool = False
    white: bool = False
    size: int = 11
    wrap: bool = False
    quoted: bool = False


@dataclass(frozen=True)
class Styled:
    """A cell's value with its own look (a shaded score, a title); a plain value takes its column's look."""

    value: Any
    look: Look

    def __str__(self) -> str:  # its text, as a column's width measures it
        return str(self.value)


PLAIN = Look()
HEADER = Look(bold=True, wrap=True)


@dataclass(frozen=True)
class Sheet:
    """A sheet: its title, column names (the header row) and its columns' cells (one list per column).

    ``formats``: each column's number format for its numbers (default ``General``); ``above``: cells of the
    rows above the header (title, partnership, period); ``fit_width``: printed one page wide;
    ``freeze_columns``: how many first columns stay in view beside the frozen header; ``max_width``: the widest
    a column is sized (longer text wraps); ``header_width``: how much a column widens for its header (a longer
    header wraps).
    """

    title: str
    names: Sequence[str]
    columns: Sequence[Sequence[Any]]
    formats: Sequence[str] | None = None
    above: Sequence[Sequence[Any]] = ()
    fit_width: bool = False
    freeze_columns: int = 0
    max_width: int = WIDE
    header_width: int = WIDE

    @property
    def height(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    @property
    def header_row(self) -> int:
        """The header's row number (1-based): after the rows above and a blank row, if any."""
        return len(self.above) + 2 if self.above else 1


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The workbook as .xlsx bytes, its sheets in order (the first one open)."""
    buffer = io.BytesIO()
    styles = _Styles()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        _part(book, "[Content_Types].xml", _content_types(len(sheets)))
        _part(book, "_rels/.rels", _package_rels())
        _part(book, "docProps/app.xml", _app())
        _part(book, "docProps/core.xml", _core())
        _part(book, "xl/workbook.xml", _workbook(sheets))
        _part(book, "xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        for n, sheet in enumerate(sheets, start=1):
            info = zipfile.ZipInfo(f"xl/worksheets/sheet{n}.xml", _STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            with book.open(info, "w", force_zip64=True) as stream:
                for piece in _sheet_xml(sheet, styles):
                    stream.write(piece.encode("utf-8"))
        _part(book, "xl/styles.xml", styles.xml())  # last: it lists the looks the sheets used
    return buffer.getvalue()


def _part(book: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name, _STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    book.writestr(info, text.encode("utf-8"))


def column_letter(n: int) -> str:
    """The letters of the ``n``-th column (1-based): A, ..., Z, AA, ..."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def widths(sheet: Sheet) -> list[int]:
    """Each column's width: its longest cell as text (at most ``max_width``) or its name (at most
    ``header_width``), whichever is longer, plus 2."""
    return [
        max(min(len(name), sheet.header_width), min(max(map(len, map(str, column)), default=0), sheet.max_width)) + 2
        for name, column in zip(sheet.names, sheet.columns, strict=True)
    ]


def _value(value: Any) -> Any:
    return value.value if isinstance(value, Styled) else value


def lines(text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (a little narrower, since words
    do not break, and each line break counted)."""
    per_line = max(width - 4, 8)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


class _Styles:
    """The workbook's cell styles, one per distinct :class:`Look`, numbered in the order cells first use them."""

    def __init__(self) -> None:
        self.looks: dict[Look, int] = {PLAIN: 0}

    def index(self, look: Look) -> int:
        found = self.looks.get(look)
        if found is None:
            found = self.looks[look] = len(self.looks)
        return found

    def xml(self) -> str:
        formats = sorted({look.number_format for look in self.looks} - {"General"})
        format_ids = {code: 164 + n for n, code in enumerate(formats)} | {"General": 0}
        fonts = sorted({(look.bold, look.white, look.size) for look in self.looks})
        font_ids = {font: n for n, font in enumerate(fonts)}
        fills = sorted({look.fill for look in self.looks if look.fill})
        fill_ids = {fill: n + 2 for n, fill in enumerate(fills)}  # 0 and 1 are the two fills every workbook has
        xfs = []
        for look in self.looks:  # in index order (dicts keep insertion order)
            wrap = ' wrapText="1"' if look.wrap else ""
            quote = ' quotePrefix="1"' if look.quoted else ""
            font = font_ids[(look.bold, look.white, look.size)]
            fill = fill_ids.get(look.fill or "", 0)
            xfs.append(
                f'<xf numFmtId="{format_ids[look.number_format]}" fontId="{font}" fillId="{fill}" '
                f'borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" applyAlignment="1"{quote}>'
                f'<alignment vertical="top"{wrap}/></xf>'
            )
        number_formats = "".join(
            f'<numFmt numFmtId="{format_ids[code]}" formatCode="{escape(code, {chr(34): "&quot;"})}"/>'
            for code in formats
        )
        font_list = "".join(
            "<font>"
            + ("<b/>" if bold else "")
            + f'<sz val="{size}"/>'
            + ('<color rgb="FFFFFFFF"/>' if white else "")
            + '<name val="Calibri"/><family val="2"/></font>'
            for bold, white, size in fonts
        )
        fill_list = "".join(
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{fill}"/></patternFill></fill>' for fill in fills
        )
        return (
            f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(formats)}">{number_formats}</numFmts>' if formats else "")
            + f'<fonts count="{len(fonts)}">{font_list}</fonts>'
            + f'<fills count="{len(fills) + 2}"><fill><patternFill patternType="none"/></fill>'
            + f'<fill><patternFill patternType="gray125"/></fill>{fill_list}</fills>'
            + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            + f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            + "</styleSheet>"
        )


def _sheet_xml(sheet: Sheet, styles: _Styles) -> Iterable[str]:
    """The worksheet part, a block of rows at a time."""
    count = len(sheet.names)
    letters = [column_letter(n) for n in range(1, max(count, *(len(r) for r in sheet.above), 1) + 1)]
    head = sheet.header_row
    last_row = head + sheet.height
    last = f"{letters[count - 1] if count else 'A'}{last_row}"
    sized = widths(sheet)
    cols = "".join(f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>' for n, w in enumerate(sized, start=1))
    split = f'xSplit="{sheet.freeze_columns}" ' if sheet.freeze_columns else ""
    corner = f"{column_letter(sheet.freeze_columns + 1)}{head + 1}"
    fit = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if sheet.fit_width else ""
    yield (
        f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f"{fit}"
        f'<dimension ref="A1:{last}"/>'
        f'<sheetViews><sheetView workbookViewId="0"><pane {split}ySplit="{head}" topLeftCell="{corner}" '
        f'activePane="bottomRight" state="frozen"/><selection pane="bottomRight" activeCell="{corner}" '
        f'sqref="{corner}"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="{LINE_HEIGHT}"/>{"<cols>" + cols + "</cols>" if cols else ""}<sheetData>'
    )
    for r, cells in enumerate(sheet.above, start=1):
        looks = [v.look if isinstance(v, Styled) else PLAIN for v in cells]
        shown = "".join(_cell(f"{letters[n]}{r}", _value(v), looks[n], styles) for n, v in enumerate(cells))
        size = max(look.size for look in looks) if looks else 11
        height = f' ht="{round(size * 1.4)}" customHeight="1"' if size > 11 else ""  # a larger title's own height
        yield f'<row r="{r}"{height}>{shown}</row>'
    header_lines = max([1, *(lines(name, w) for name, w in zip(sheet.names, sized, strict=True) if len(name) > w - 2)])
    header = "".join(
        _text_cell(f"{letter}{head}", name, styles.index(HEADER))
        for letter, name in zip(letters, sheet.names, strict=False)
    )
    yield f'<row r="{head}"{_height(header_lines)}>{header}</row>'
    formats = list(sheet.formats) if sheet.formats is not None else ["General"] * count
    number_styles = [styles.index(Look(number_format=f)) for f in formats]
    wrapped, quoted = styles.index(Look(wrap=True)), styles.index(Look(quoted=True))
    both = styles.index(Look(wrap=True, quoted=True))
    spans = [w - 2 for w in sized]
    block: list[str] = []
    bodies: dict[str, str] = {}  # each distinct text's element, made once: audit texts repeat a great deal
    for r, values in enumerate(zip(*sheet.columns, strict=True), start=head + 1):
        tall = 1
        cells = []
        for letter, value, number_style, span in zip(letters, values, number_styles, spans, strict=False):
            kind = type(value)  # the common kinds by identity first: this loop runs once per cell
            if kind is str:
                if not value:
                    continue
                long = len(value) > span
                if long or "\n" in value:
                    tall = max(tall, lines(value, span + 2))
                if value.startswith(FORMULA_START):
                    style = both if long else quoted
                else:
                    style = wrapped if long else 0
                body = bodies.get(value)
                if body is None:
                    if len(bodies) > 100_000:
                        bodies.clear()
                    body = bodies[value] = _text_body(value)
                cells.append(
                    f'<c r="{letter}{r}" s="{style}" t="inlineStr">{body}</c>'
                    if style
                    else f'<c r="{letter}{r}" t="inlineStr">{body}</c>'
                )
            elif kind is int or kind is Decimal or kind is float:
                shown = format(value, "f") if kind is Decimal else repr(value)
                styled = f' s="{number_style}"' if number_style else ""
                cells.append(f'<c r="{letter}{r}"{styled}><v>{shown}</v></c>')
            elif kind is bool:
                cells.append(f'<c r="{letter}{r}" t="b"><v>{int(value)}</v></c>')
            elif kind is Styled:
                text, look = value.value, value.look
                if isinstance(text, str) and (len(text) > span or "\n" in text):
                    tall = max(tall, lines(text, span + 2))
                    look = replace(look, wrap=True)
                cells.append(_cell(f"{letter}{r}", text, look, styles))
            elif value is not None:
                cells.append(_cell(f"{letter}{r}", value, PLAIN, styles))
        block.append(f'<row r="{r}"{_height(tall)}>{"".join(cells)}</row>')
        if len(block) == 1000:
            yield "".join(block)
            block = []
    yield "".join(block)
    yield "</sheetData>"
    if sheet.height and count:
        yield f'<autoFilter ref="A{head}:{last}"/>'
    yield (
        '<printOptions gridLines="1"/>'
        '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.6" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape"'
        + (' fitToWidth="1" fitToHeight="0"' if sheet.fit_width else "")
        + "/><headerFooter><oddFooter>&amp;L&amp;A&amp;RPage &amp;P of &amp;N</oddFooter></headerFooter>"
        "</worksheet>"
    )


def _height(line_count: int) -> str:
    """A row's height attribute for text of ``line_count`` lines (nothing for one line)."""
    return f' ht="{line_count * LINE_HEIGHT}" customHeight="1"' if line_count > 1 else ""


def _cell(ref: str, value: Any, look: Look, styles: _Styles) -> str:
    """One cell with its own look: a number as a number, a boolean as a boolean, anything else as text (nothing
    for blank text; text that starts like a formula quote-prefixed)."""
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{styles.index(look)}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        shown = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return f'<c r="{ref}" s="{styles.index(look)}"><v>{shown}</v></c>'
    text = "" if value is None else str(value)
    if not text:
        return f'<c r="{ref}" s="{styles.index(look)}"/>' if look.fill else ""
    if text.startswith(FORMULA_START):
        look = replace(look, quoted=True)
    return _text_cell(ref, text, styles.index(look))


def _text_cell(ref: str, text: str, style: int) -> str:
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled} t="inlineStr">{_text_body(text)}</c>'


def _text_body(text: str) -> str:
    """An inline string's element: characters XML cannot hold left out, the rest escaped, spaces kept."""
    text = _ILLEGAL.sub("", text)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<is><t{space}>{escape(text)}</t></is>"


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{sheets}"
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>"
    )


def _package_rels() -> str:
    base = "http://schemas.openxmlformats.org"
    return (
        f'{_HEAD}<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{base}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/>'
        f'<Relationship Id="rId2" Type="{base}/package/2006/relationships/metadata/core-properties" '
        'Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{base}/officeDocument/2006/relationships/extended-properties" '
        'Target="docProps/app.xml"/>'
        "</Relationships>"
    )


def _app() -> str:
    return (
        f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>cspscore</Application></Properties>"
    )


def _core() -> str:
    return (
        f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>cspscore</dc:creator></cp:coreProperties>'
    )


def _workbook(sheets: Sequence[Sheet]) -> str:
    listed = "".join(
        f'<sheet name="{escape(s.title, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
        for n, s in enumerate(sheets, start=1)
    )
    names = []
    for n, s in enumerate(sheets):
        title = escape(s.title).replace("'", "''")
        head = s.header_row
        if s.height and s.names:
            names.append(
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
                f"'{title}'!$A${head}:${column_letter(len(s.names))}${head + s.height}</definedName>"
            )
        names.append(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">\'{title}\'!${head}:${head}</definedName>'
        )
    filters = "".join(names)
    return (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{listed}</sheets>{'<definedNames>' + filters + '</definedNames>' if filters else ''}"
        '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


def _workbook_rels(count: int) -> str:
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheets = "".join(
        f'<Relationship Id="rId{n}" Type="{kind}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_HEAD}<Relationships xmlns="{_PKG}">{sheets}'
        f'<Relationship Id="rId{count + 1}" Type="{kind}/styles" Target="styles.xml"/></Relationships>'
    )
