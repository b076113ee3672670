"""engine.ingest.sources: files, folders searched recursively, zip archives read in place and checked first."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from engine.ingest.sources import MAX_RATIO, HashingReader, find

from .helpers import row, write


def test_folders_are_searched_recursively_for_street_files(tmp_path: Path):
    write(tmp_path, "2019-01/2019-01-kent-street.csv", [])
    write(tmp_path, "2019-02/deeper/2019-02-kent-street.csv", [])
    (tmp_path / "2019-01" / "2019-01-kent-outcomes.csv").write_text("x\n")
    (tmp_path / "README.txt").write_text("not a csv\n")
    found = find([tmp_path])
    assert [s.path.name for s in found.sources] == ["2019-01-kent-street.csv", "2019-02-kent-street.csv"]
    assert [s.month for s in found.sources] == ["2019-01", "2019-02"]
    assert [s["skipped"] for s in found.skipped] == ["not a street-level file"]
    assert find([tmp_path, tmp_path / "2019-01"]).sources == found.sources  # each file once


def test_a_file_named_is_read_whatever_its_name(tmp_path: Path):
    path = write(tmp_path, "kent.csv", [])
    assert [(s.path, s.month) for s in find([path]).sources] == [(path, None)]


def test_a_zip_is_read_in_place(tmp_path: Path):
    archive = tmp_path / "police.zip"
    text = "header\n" + row("2019-01", "Dover 001A", "Drugs") + "\n"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("2019-01/2019-01-kent-street.csv", text)
        zipped.writestr("2019-01/2019-01-kent-outcomes.csv", "x")
        zipped.writestr("nested.zip", "x")
    found = find([archive])
    [source] = found.sources
    assert source.display.endswith("police.zip/2019-01/2019-01-kent-street.csv") and source.month == "2019-01"
    with source.open() as stream:
        assert stream.read().decode() == text
    assert [s["skipped"] for s in found.skipped] == [
        "not a street-level file",
        "an archive inside the archive is not opened",
    ]
    assert list(tmp_path.iterdir()) == [archive]  # nothing extracted


@pytest.mark.parametrize(
    "name", ["../2019-01-kent-street.csv", "/etc/2019-01-kent-street.csv", "a\\..\\b-street.csv", "x\x01-street.csv"]
)
def test_a_member_with_an_unsafe_name_refuses_the_archive(tmp_path: Path, name):
    archive = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("2019-01-kent-street.csv", "x")
        zipped.writestr(zipfile.ZipInfo(name), "x")
    found = find([archive])
    assert found.sources == []
    assert found.problems[0].message.endswith(": the name is not a plain relative path")


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("2019-01-kent-street.csv", b"0" * (MAX_RATIO * 200_000))
    [problem] = find([archive]).problems
    assert "times its size (a zip bomb?)" in problem.message


def test_not_a_zip(tmp_path: Path):
    archive = tmp_path / "fake.zip"
    archive.write_text("hello")
    [problem] = find([archive]).problems
    assert problem.message.startswith("this is not a zip archive that can be read")


def test_the_hash_is_taken_as_the_bytes_are_read():
    data = b"some bytes\n" * 10_000
    stream = HashingReader(io.BytesIO(data))
    assert stream.read(5) == b"some "
    assert stream.read() == data[5:]
    assert stream.sha256() == hashlib.sha256(data).hexdigest() and stream.size == len(data)
    assert stream.head == data[: 64 << 10]
    with pytest.raises(OSError):
        HashingReader(io.BytesIO(data), limit=100).read()
