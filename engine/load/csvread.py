"""A dataset's CSV text as whole columns, each data row with the line it starts on.

Two readers give the same result. A file without a quote character, a NUL byte or a lone carriage return — what
a spreadsheet writes for a table of names and numbers — has one record per line, so its lines are found with numpy
and its cells parsed by pyarrow's CSV reader in C++, never touching a row in Python: a million rows take well
under a second. Any other file is read a record at a time by :func:`engine.csvfile.parse_csv` (quoted cells may
span lines). Both leave out blank records (every cell empty or white space) and keep every other record's line.

Cells are returned as written (not yet trimmed), as pyarrow string arrays; the caller checks them a column at a
time (:mod:`engine.load.datasets`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.csvfile import parse_csv

#: Every character Python's ``str.strip()`` removes, so a trimmed cell means the same whichever reader read it
#: (``tests/engine/load/test_csvread.py`` checks the list against Python's own).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)


#: Bytes scanned at once for line ends.
_CHUNK = 1 << 23


@dataclass(frozen=True)
class CsvColumns:
    """A CSV file's header and its data rows' cells, a column at a time.

    ``lines`` holds each data row's line number (numpy int64). ``ragged`` lists ``(line, number of cells)`` of
    every data row whose length differs from the header's; then ``cells`` is empty, as no column can be formed.
    A table read from a workbook's ``sheet`` (:mod:`engine.load.xlsxread`) has each row's sheet row as its line
    and, in ``places``, each cell's sheet column (one numpy int64 array per header column; 0: no one cell).
    """

    header: list[str]
    lines: Any
    cells: list[Any] = field(default_factory=list)  # one pyarrow string (chunked) array per header column
    ragged: list[tuple[int, int]] = field(default_factory=list)
    sheet: str = ""
    places: list[Any] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.lines)


def read_columns(data: bytes, display: str) -> CsvColumns | None:
    """The records of a CSV file (``data``: UTF-8 already checked, without a byte-order mark), or None when
    it holds no record at all.

    Raises :class:`~engine.errors.InputError` where the text is not valid CSV (read record by record).
    """
    if b'"' in data or b"\x00" in data or data.count(b"\r") != data.count(b"\r\n"):
        return _by_records(data, display)
    return _by_lines(data, display)


def _by_records(data: bytes, display: str) -> CsvColumns | None:
    import numpy as np
    import pyarrow as pa

    lines, rows = parse_csv(data.decode("utf-8"), display)
    if not rows:
        return None
    header, body = rows[0], rows[1:]
    numbers = np.asarray(lines[1:], dtype=np.int64)
    lengths = np.fromiter(map(len, body), dtype=np.int64, count=len(body))
    ragged = _ragged(lengths, numbers, len(header))
    if ragged:
        return CsvColumns(header, numbers, ragged=ragged)
    columns = list(zip(*body, strict=True)) if body else [()] * len(header)
    return CsvColumns(header, numbers, [pa.chunked_array([column], type=pa.string()) for column in columns])


def _by_lines(data: bytes, display: str) -> CsvColumns | None:
    """The fast reader, for a file without quotes; falls back to the record reader for anything unusual (a
    first line without a name, a row of the wrong length), which then reports it with its line."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if not data:
        return None
    array = np.frombuffer(data, dtype=np.uint8)
    breaks = np.concatenate(  # a chunk at a time, so no mask as large as the file is ever held
        [np.flatnonzero(array[at : at + _CHUNK] == ord("\n")) + at for at in range(0, len(array), _CHUNK)]
    )
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(data)]))
    crlf = (ends > starts) & (array[np.maximum(ends - 1, 0)] == ord("\r"))
    # The parser skips empty lines itself (a CRLF line holding only its line end is empty), so its rows are
    # the other lines, in order.
    lines = np.flatnonzero(ends - crlf > starts)
    if len(lines) == 0:
        return None
    first = lines[0]
    header = data[starts[first] : ends[first] - crlf[first]].decode("utf-8").split(",")
    if not "".join(header).strip():
        return _by_records(data, display)
    names = [f"c{n}" for n in range(len(header))]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(int(starts[first + 1]) if first + 1 < len(starts) else len(data))),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(
                quote_char=False, double_quote=False, escape_char=False, newlines_in_values=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, check_utf8=False
            ),
        )
    except pa.ArrowInvalid:  # a row of another length (or only white space): placed by the record reader
        return _by_records(data, display)
    numbers = (lines[1:] + 1).astype(np.int64)
    if table.num_rows != len(numbers):  # pragma: no cover - two readings of one file disagree: read it again
        return _by_records(data, display)
    return _without_blank_rows(header, numbers, [table.column(name) for name in names])


def _without_blank_rows(header: list[str], numbers: Any, cells: list[Any]) -> CsvColumns:
    """The rows that are records: a row whose every cell is white space (``,,,``) is left out, as the record
    reader leaves it out."""
    import pyarrow.compute as pc

    blank = None
    for column in cells:
        empty = pc.equal(pc.utf8_trim(column, characters=WHITESPACE), "")
        blank = empty if blank is None else pc.and_(blank, empty)
        if not pc.any(blank).as_py():  # the usual answer, from the first column: no row is blank
            return CsvColumns(header, numbers, cells)
    keep = pc.invert(blank)
    return CsvColumns(header, numbers[keep.to_numpy(zero_copy_only=False)], [c.filter(keep) for c in cells])


def _ragged(lengths: Any, numbers: Any, width: int) -> list[tuple[int, int]]:
    import numpy as np

    return [(int(numbers[n]), int(lengths[n])) for n in np.flatnonzero(lengths != width)]
