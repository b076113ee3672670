"""A dataset's table read from a sheet of an ``.xlsx`` workbook, as the columns a CSV file would give.

The rule file declares the layout (:class:`engine.load.model.SheetLayout`); this module finds the table, reads its
cells' values and turns each into the text a CSV file would hold, so the cells then go through exactly the checks
a CSV's do (:mod:`engine.load.datasets`). A number that is whole (``1511.0``) is written ``1511``; other numbers
as their shortest exact decimal; a date, an error value (``#DIV/0!``) or a formula without a saved value is a
problem naming its cell. Formulas are never calculated: the value Excel saved with the workbook is used, and the
cells holding one are listed in the account of the reading.

The workbook is opened read-only by openpyxl (imported here, only when a workbook is read), without its external
links; before that the zip's declared sizes are checked, so a small file that would unpack to gigabytes is refused
by limit, and a workbook holding macros is refused whatever its name.

Every row of the sheet is accounted for over the declared columns: rows above the header (titles), the header,
the rows used, blank rows, and the rows below the table (notes) — see :class:`SheetReading`.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from engine.errors import (
    CspscoreError,
    InputError,
    Problem,
    allowed_list,
    column_letter,
    did_you_mean,
    sheet_reference,
)
from engine.load.csvread import CsvColumns
from engine.load.model import DatasetRef, SheetLayout
from engine.load.sections.sheet import COLUMN_LETTERS, SAVE_AS_XLSX, column_number
from engine.load.yamlfile import KeyPath

#: The most bytes a workbook's parts may unpack to, together (a 2-million-row sheet is a few hundred MB of XML).
MAX_UNPACKED_BYTES = 1_000_000_000
#: The most rows read below the header: the data rows' limit plus room for notes.
MAX_SHEET_ROWS = 2_000_000 + 10_000
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class LayoutError(CspscoreError):
    """The declared layout does not fit the workbook: ``mistakes`` are (key path in the rule file, message,
    hint), for the caller to place at the rule file's keys."""

    def __init__(self, mistakes: list[tuple[KeyPath, str, str]]):
        super().__init__("; ".join(message for _, message, _ in mistakes))
        self.mistakes = mistakes


@dataclass(frozen=True)
class SheetReading:
    """What reading a sheet did with every row: for provenance and ``validate``.

    ``left_out`` is a list of (rows, reason) with rows written as Excel rows (``18-19``); ``formulas`` the cells
    whose value was computed by a formula in the workbook and saved with it (used as saved, never recalculated).
    """

    sheet: str
    header_row: int
    rows_read: int  # every row from the first to the last with content in the declared columns (so with the header)
    rows_used: int
    left_out: list[tuple[str, str]] = field(default_factory=list)
    formulas: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The account as JSON-ready values."""
        return {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_left_out": [{"rows": rows, "reason": reason} for rows, reason in self.left_out],
            "formula_cells_saved_values_used": list(self.formulas),
        }

    def describe(self) -> str:
        """One line: ``sheet 'Recorded crime': 14 rows read, 9 used; left out: rows 1-3 above the header ...``."""
        text = f"sheet {sheet_reference(self.sheet, 0, 0)}: {self.rows_read} rows read, {self.rows_used} used"
        if self.left_out:
            text += "; left out: " + "; ".join(f"{_rows_word(rows)} {reason}" for rows, reason in self.left_out)
        if self.formulas:
            text += f"; {len(self.formulas)} formula cells, their saved values used ({_listed(self.formulas)})"
        return text


@dataclass(frozen=True)
class SheetTable:
    """The table as columns (``columns.lines``: each data row's sheet row), the reader's own problems (cells that
    are dates, errors, or formulas without a saved value), and the account of the reading."""

    columns: CsvColumns
    problems: list[Problem]
    reading: SheetReading | None  # None for a CSV file's columns


def read_sheet(ref: DatasetRef, raw: bytes) -> SheetTable:
    """The declared table of the workbook ``raw``. Raises :class:`InputError` where the file is not a usable
    workbook, :class:`LayoutError` where the layout does not fit it."""
    layout = ref.sheet
    assert layout is not None  # only a dataset with a sheet layout is read here
    book, formulas = _open(ref, raw)
    try:
        if layout.sheet not in book.sheetnames:
            hint = did_you_mean(layout.sheet, book.sheetnames) or f"its sheets: {allowed_list(book.sheetnames)}"
            folded = [s for s in book.sheetnames if s.casefold() == layout.sheet.casefold()]
            if folded:
                hint = f"did you mean `{folded[0]}`? (letter case matters)"
            raise LayoutError([(("datasets", ref.name, "sheet"), f"{ref.display} has no sheet `{layout.sheet}`", hint)])
        sheet = book[layout.sheet]
        if not hasattr(sheet, "iter_rows"):
            raise LayoutError([(("datasets", ref.name, "sheet"), f"`{layout.sheet}` is a chart, not a sheet", "")])
        width = sheet.max_column or 0  # as saved: the sheet's last column
        sheet.reset_dimensions()  # the saved dimensions may be wrong: read the rows there are
        source = formulas[layout.sheet]
        source.reset_dimensions()
        return _Reader(ref, layout, sheet, source, _merged(source), width).read()
    finally:
        book.close()
        formulas.close()


def _open(ref: DatasetRef, raw: bytes) -> tuple[Any, Any]:
    """The workbook opened twice, read-only: for the values Excel saved, and for which cells are formulas."""
    import openpyxl

    def refuse(message: str, hint: str = f"save it as .xlsx ({SAVE_AS_XLSX})") -> InputError:
        return InputError([Problem(ref.display, 1, 1, "", message, hint)])

    if raw.startswith(_OLE2):
        raise refuse("this is not an .xlsx workbook: an Excel 97-2003 (.xls) or password-protected file")
    if not raw.startswith(_ZIP):
        raise refuse("this is not an .xlsx workbook")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse(
            "this .xlsx workbook is damaged (it cannot be unpacked)", "open it in Excel and save it again"
        ) from None
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise refuse(
            f"this workbook unpacks to {unpacked:,} bytes; the limit is {MAX_UNPACKED_BYTES:,}",
            "save the table alone in a workbook, or as CSV UTF-8",
        )
    if any(part.filename.lower().endswith("vbaproject.bin") for part in parts):
        raise refuse(
            "this workbook holds macros, which are never opened",
            f"save a copy without macros as .xlsx ({SAVE_AS_XLSX})",
        )
    try:
        values = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
        cells = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors...) for a damaged file
        raise refuse(
            f"this .xlsx workbook cannot be read ({type(exc).__name__})", "open it in Excel and save it again"
        ) from None
    return values, cells


def _merged(sheet: Any) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (first row, first column, last row, last column): read-only sheets do not
    give them, so the sheet's XML is scanned for its ``mergeCell`` elements."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    found: list[tuple[int, int, int, int]] = []
    for _, element in iterparse(sheet._get_source()):
        if element.tag == _MAIN + "mergeCell":
            low_col, low_row, high_col, high_row = range_boundaries(element.get("ref", ""))
            found.append((low_row, low_col, high_row, high_col))
        element.clear()
    return found


class _Reader:
    """One pass over the sheet's rows, classifying each and collecting the table's cells as text."""

    def __init__(self, ref: DatasetRef, layout: SheetLayout, sheet: Any, source: Any, merged: list[Any], width: int):
        self.ref = ref
        self.layout = layout
        self.sheet = sheet
        self.source = source
        self.merged = merged
        self.width = width  # the last column, as the workbook saved its dimensions (0: not saved)
        self.problems: list[Problem] = []
        self.formulas: list[str] = []
        self.names: dict[int, str] = {}  # sheet column number -> the dataset column its cells are

    def read(self) -> SheetTable:
        import numpy as np
        import pyarrow as pa

        layout = self.layout
        header = self._header_cells()
        columns = self._resolve(dict(layout.columns), header, "columns")
        periods = self._resolve(dict(layout.periods), header, "periods")
        wanted = sorted(set(columns.values()) | set(periods.values()))
        counted = (
            ("count",) * len(periods)
            if self.ref.shape == "crime_series"
            else ("previous", "current")[-len(periods) or 2 :]
        )
        self.names = {number: name for name, number in columns.items()}
        self.names.update(zip(periods.values(), counted, strict=False))
        low, high = wanted[0], wanted[-1]
        table_rows: list[int] = []
        cells: dict[int, list[str]] = {number: [] for number in wanted}
        account = _Account(layout.header_row)
        ended = False
        rows = zip(
            self.sheet.iter_rows(min_row=layout.header_row + 1, min_col=low, max_col=high),
            self.source.iter_rows(min_row=layout.header_row + 1, min_col=low, max_col=high),
            strict=False,  # two readings of one sheet: the same rows
        )
        for offset, (values, kinds) in enumerate(rows):
            row = layout.header_row + 1 + offset
            if offset >= MAX_SHEET_ROWS:
                raise InputError(
                    [
                        Problem(
                            self.ref.display,
                            row,
                            0,
                            "",
                            f"the sheet has more than {MAX_SHEET_ROWS:,} rows below its header",
                            "split the workbook or aggregate it (one row per area and category)",
                            sheet=layout.sheet,
                        )
                    ]
                )
            blank = all(values[n - low].value in (None, "") for n in wanted)
            if not blank:
                account.last = row
            if layout.last_row is not None:
                ended = row > layout.last_row
            elif blank and not ended:
                ended = True
                account.add(row, "blank: the end of the table")
                continue
            if ended:
                account.add(row, "blank" if blank else "below the table (notes)")
            elif blank:
                account.add(row, "blank")
            else:
                table_rows.append(row)
                account.used += 1
                for number in wanted:
                    cells[number].append(self._text(values[number - low], kinds[number - low], row, number))
        self._merges(table_rows, wanted)
        lines = np.asarray(table_rows, dtype=np.int64)
        names, text, places = self._columns(columns, periods, cells, lines)
        out = CsvColumns(
            names,
            np.tile(lines, len(periods)) if self.ref.shape == "crime_series" else lines,
            [pa.chunked_array([column], type=pa.string()) for column in text],
            sheet=layout.sheet,
            places=places,
        )
        reading = SheetReading(
            layout.sheet,
            layout.header_row,
            account.last,
            account.used,
            account.left_out(),
            self.formulas,
        )
        return SheetTable(out, self.problems, reading)

    def _columns(
        self, columns: dict[str, int], periods: dict[str, int], cells: dict[int, list[str]], lines: Any
    ) -> tuple[list[str], list[list[str]], list[Any]]:
        """The dataset's columns (names, cells, each cell's sheet column): a series repeats the table once per
        period, with the period's name and its column's counts."""
        import numpy as np

        rows = len(lines)
        copies = len(periods) if self.ref.shape == "crime_series" else 1
        names: list[str] = []
        text: list[list[str]] = []
        places: list[Any] = []

        def add(name: str, values: list[str], place: Any) -> None:
            names.append(name)
            text.append(values)
            places.append(np.asarray(place, dtype=np.int64))

        if self.layout.area is not None:
            add("area", [self.layout.area] * rows * copies, [0] * rows * copies)
        for name, number in columns.items():
            add(name, cells[number] * copies, [number] * rows * copies)
        if self.ref.shape == "crime_series":
            add("period", [p for p in periods for _ in range(rows)], [n for n in periods.values() for _ in range(rows)])
            add(
                "count",
                [c for n in periods.values() for c in cells[n]],
                [n for n in periods.values() for _ in range(rows)],
            )
        elif self.ref.shape == "crime_counts":
            for name, number in zip(("previous", "current")[2 - len(periods) :], periods.values(), strict=True):
                add(name, cells[number], [number] * rows)
        return names, text, places

    def _header_cells(self) -> dict[int, str]:
        """The header row's headings by column number (blank cells left out)."""
        found: dict[int, str] = {}
        for row in self.sheet.iter_rows(min_row=self.layout.header_row, max_row=self.layout.header_row):
            for number, cell in enumerate(row, start=1):
                if cell.value not in (None, ""):
                    found[number] = _number_text(cell.value) if not isinstance(cell.value, str) else cell.value.strip()
        return found

    def _resolve(self, references: dict[str, str], header: dict[int, str], section: str) -> dict[str, int]:
        """Each declared column's number: a letter's own, a heading's place in the header row."""
        layout = self.layout
        last = max(header, default=0)
        width = max(self.width, last)
        mistakes: list[tuple[KeyPath, str, str]] = []
        resolved: dict[str, int] = {}
        headings = list(header.values())
        for key, reference in references.items():
            here = ("datasets", self.ref.name, section, key)
            if COLUMN_LETTERS.fullmatch(reference):
                number = column_number(reference)
                if number > width:
                    mistakes.append(
                        (
                            here,
                            f"column {reference} is beyond the sheet's last column ({column_letter(width)})",
                            "a heading in capitals of up to three letters is read as a column letter: write the "
                            "column's letter",
                        )
                    )
                resolved[key] = number
                continue
            at = [number for number, heading in header.items() if heading == reference]
            if len(at) == 1:
                resolved[key] = at[0]
                continue
            where = f"row {layout.header_row} of sheet `{layout.sheet}`"
            if at:
                columns = " and ".join(column_letter(n) for n in at)
                mistakes.append((here, f"{where} has the heading `{reference}` twice ({columns})", "name it by letter"))
            elif not headings:
                mistakes.append((here, f"{where} is empty, so has no heading `{reference}`", "is header_row right?"))
            else:
                hint = did_you_mean(reference, headings) or f"its headings: {_listed([f'`{h}`' for h in headings])}"
                mistakes.append((here, f"{where} has no heading `{reference}`", hint))
        if mistakes:
            raise LayoutError(mistakes)
        return resolved

    def _text(self, cell: Any, kind: Any, row: int, number: int) -> str:
        """A cell's value as the text a CSV file would hold; "" (and a problem) for a value that is not data."""
        value = cell.value
        where = sheet_reference(self.layout.sheet, row, number)
        if getattr(kind, "data_type", None) == "f":
            if value is None:
                self._fail(
                    row,
                    number,
                    f"{_bare(where)} holds a formula with no saved value (formulas are never calculated here)",
                    "open the workbook in Excel and save it, so each formula's value is saved; or type the value in",
                )
                return ""
            self.formulas.append(_bare(where))
        if value is None:
            return ""
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, (datetime, date, time, timedelta)):
            shown = value.date() if isinstance(value, datetime) and value.time() == time() else value
            self._fail(row, number, f"{_bare(where)} holds a date or time ({shown}), not a number or text", _AS_NUMBER)
            return ""
        if isinstance(value, (int, float)):
            return _number_text(value)
        text = str(value)
        if getattr(cell, "data_type", None) == "e":
            self._fail(row, number, f"{_bare(where)} shows the error {text}", "correct the formula, or type the value")
            return ""
        return text

    def _merges(self, rows: list[int], wanted: list[int]) -> None:
        """A merged range covering a table cell other than its own top-left cell is a problem: that cell reads as
        blank, whatever the sheet shows."""
        if not rows:
            return
        first, last = rows[0], rows[-1]
        for top, left, bottom, right in self.merged:
            if bottom < first or top > last:
                continue
            covered = [n for n in wanted if left <= n <= right]
            hidden = [
                (r, n) for n in covered for r in range(max(top, first), min(bottom, last) + 1) if (r, n) != (top, left)
            ]
            if hidden:
                span = f"{column_letter(left)}{top}:{column_letter(right)}{bottom}"
                row, number = hidden[0]
                self._fail(
                    row,
                    number,
                    f"cells {span} are merged, so only {column_letter(left)}{top} holds a value",
                    "unmerge them and fill in each cell",
                )

    def _fail(self, row: int, number: int, message: str, hint: str = "") -> None:
        name = self.names.get(number, "")
        self.problems.append(Problem(self.ref.display, row, number, name, message, hint, sheet=self.layout.sheet))


_AS_NUMBER = "format the cell as Number or Text and type the value"


class _Account:
    """Rows left out, by reason, as runs of consecutive rows."""

    def __init__(self, header_row: int):
        self.used = 0
        self.last = header_row  # the last row with content in the declared columns
        self.runs: list[list[Any]] = []  # [first, last, reason]
        if header_row > 1:
            self.runs.append([1, header_row - 1, "above the header (titles)"])
        self.runs.append([header_row, header_row, "the header"])

    def add(self, row: int, reason: str) -> None:
        if self.runs and self.runs[-1][2] == reason and self.runs[-1][1] == row - 1:
            self.runs[-1][1] = row
        else:
            self.runs.append([row, row, reason])

    def left_out(self) -> list[tuple[str, str]]:
        """The runs up to the last row with content (the blank rows a sheet may run on with are not its rows)."""
        runs = [(a, min(b, self.last), reason) for a, b, reason in self.runs if a <= self.last]
        return [(f"{a}" if a == b else f"{a}-{b}", reason) for a, b, reason in runs]


def _number_text(value: Any) -> str:
    """A number as a CSV would hold it: whole numbers without ``.0``, others as their shortest exact decimal."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)


def _bare(reference: str) -> str:
    """A cell's reference without its sheet (``C7``): the message's place already names the sheet."""
    return reference.rsplit("!", 1)[-1]


def _rows_word(rows: str) -> str:
    return f"rows {rows}" if "-" in rows else f"row {rows}"


def _listed(items: list[str], most: int = 6) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")
