"""The two CSV readers of engine.load.csvread: the fast line reader and the record reader give the same columns
and the same line numbers, for every file the fast reader accepts."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import InputError
from engine.load import csvread
from engine.load.csvread import WHITESPACE, CsvColumns, read_columns
from tests.conftest import examples


def plain(result: CsvColumns | None) -> tuple | None:
    """A reading as plain Python values, to compare."""
    if result is None:
        return None
    return (
        result.header,
        [int(n) for n in result.lines],
        [column.to_pylist() for column in result.cells],
        result.ragged,
    )


def both(data: bytes) -> tuple[tuple | None, tuple | None]:
    return plain(csvread._by_lines(data, "f.csv")), plain(csvread._by_records(data, "f.csv"))


def test_whitespace_is_exactly_what_str_strip_removes():
    python = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert WHITESPACE == python


def test_a_plain_file_is_read_with_each_row_on_its_line():
    data = b"area,category,current\n\nKent,Burglary,5\r\n,,\n  \nKent,Robbery,7"
    result = read_columns(data, "f.csv")
    assert plain(result) == (
        ["area", "category", "current"],
        [3, 6],
        [["Kent", "Kent"], ["Burglary", "Robbery"], ["5", "7"]],
        [],
    )
    assert plain(result) == both(data)[1]


def test_cells_are_returned_as_written_with_their_spaces():
    assert plain(read_columns(b"a,b\n x , y\n", "f.csv")) == (["a", "b"], [2], [[" x "], [" y"]], [])


def test_a_row_of_another_length_is_placed_on_its_line():
    result = read_columns(b"a,b\n1,2\n1,2,3\n\n4\n", "f.csv")
    assert result is not None
    assert result.ragged == [(3, 3), (5, 1)]
    assert result.cells == []


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\r\n", b" , \n,,\n", b'""\n'])
def test_a_file_without_a_record_reads_as_none(data: bytes):
    assert read_columns(data, "f.csv") is None


def test_quoted_cells_spanning_lines_keep_the_line_their_record_starts_on():
    data = b'area,note\nKent,"two\nlines"\nMedway,one\n'
    assert plain(read_columns(data, "f.csv")) == (
        ["area", "note"],
        [2, 4],
        [["Kent", "Medway"], ["two\nlines", "one"]],
        [],
    )


def test_a_header_only_file_has_empty_columns():
    assert plain(read_columns(b"area,category\n", "f.csv")) == (["area", "category"], [], [[], []], [])


def test_invalid_csv_is_placed_by_the_record_reader():
    with pytest.raises(InputError) as caught:
        read_columns(b'a,b\n"x"y,2\n', "f.csv")
    assert caught.value.problems[0].line == 2


#: Cells made of what separates, pads and fills real files: names, digits, every kind of white space.
_CELL = st.text(alphabet=st.sampled_from(["a", "1", " ", "\t", "\xa0", "\u3000", "é", "-", "\x0b"]), max_size=4)


@st.composite
def unquoted_files(draw: st.DrawFn) -> bytes:
    width = draw(st.integers(1, 4))
    rows = draw(st.lists(st.lists(_CELL, min_size=1, max_size=5), max_size=8))
    rows = [[*row, *[""] * width][:width] if draw(st.booleans()) else row for row in rows]
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [",".join(row) for row in rows]
    lines = [line for n, line in enumerate(lines) for line in ([line, ""] if n % 3 == 2 else [line])]
    return (ending.join(lines) + draw(st.sampled_from(["", ending]))).encode("utf-8")


@settings(max_examples=examples(600), deadline=None)
@given(unquoted_files())
def test_the_fast_reader_agrees_with_the_record_reader(data: bytes):
    fast, records = both(data)
    assert fast == records
