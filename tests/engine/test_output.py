"""engine.output: atomic writes that never replace an input file."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest

from engine.output import OutputError, write_file, write_folder


def test_writes_and_replaces_atomically(tmp_path: Path):
    target = tmp_path / "out.txt"
    write_file(target, "one")
    write_file(target, "two")
    assert target.read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_failure_leaves_nothing_behind(tmp_path: Path):
    target = tmp_path / "out.txt"
    with mock.patch("os.replace", side_effect=OSError("disk full")), pytest.raises(OutputError):
        write_file(target, "text")
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_overwrite_an_input(tmp_path: Path):
    source = tmp_path / "rules.yaml"
    source.write_text("keep me")
    with pytest.raises(OutputError, match="it is an input file of this run"):
        write_file(source, "x", [source])
    with pytest.raises(OutputError, match="it is an input file of this run"):
        write_folder(tmp_path, {"rules.yaml": "x"}, [source])
    assert source.read_text() == "keep me"


def test_missing_folder_and_file_as_folder(tmp_path: Path):
    with pytest.raises(OutputError, match="does not exist"):
        write_file(tmp_path / "nope" / "out.txt", "x")
    (tmp_path / "file").write_text("")
    with pytest.raises(OutputError, match="it is a file, not a folder"):
        write_folder(tmp_path / "file", {"a.csv": ""})


def test_folder_is_created(tmp_path: Path):
    written = write_folder(tmp_path / "results", {"a.csv": "1", "b.csv": "2"})
    assert [p.read_text() for p in written] == ["1", "2"]
