"""Hostile resources: only regular files are read (a FIFO is refused by its stat, never opened), sizes are bounded,
running out of memory is a message and exit 1, and outputs are all or nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from engine import output
from engine.output import OutputError

from .conftest import MINI

FIFO = "is a named pipe (FIFO), not a regular file; only regular files are read"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "project"
    shutil.copytree(MINI, target)
    monkeypatch.chdir(target)
    return target


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args), prog_name="cspscore")


def fifo(path: Path) -> Path:
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    return path


def test_fifo_as_a_dataset_is_refused_without_blocking(project: Path):
    fifo(project / "data" / "crime.csv")
    result = invoke("score", "rules.yaml")
    assert result.exit_code == 1
    assert result.stderr == f"data/crime.csv:0:0: {FIFO}\n1 problem found; nothing was written.\n"


def test_fifo_as_a_rule_file_is_refused(project: Path):
    fifo(project / "pipe.yaml")
    result = invoke("validate", "pipe.yaml")
    assert result.exit_code == 1
    assert result.stderr == f"pipe.yaml:0:0: {FIFO}\n1 problem found; nothing was written.\n"


def test_fifo_as_a_tests_file_and_a_published_table_is_refused(project: Path):
    fifo(project / "pipe")
    tests = invoke("test", "pipe")
    assert tests.exit_code == 1 and f"pipe:0:0: {FIFO}" in tests.stderr
    published = invoke("reconcile", "rules.yaml", "--published", "pipe")
    assert published.exit_code == 1 and f"pipe:0:0: {FIFO}" in published.stderr


def test_dev_zero_as_a_dataset_is_refused(project: Path):
    rules = project / "rules.yaml"
    rules.write_text(rules.read_text().replace("file: data/crime.csv", "file: /dev/zero"))
    result = invoke("--allow-outside-data", "score", "rules.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        f"{os.path.relpath('/dev/zero')}:0:0: is a character device, not a regular file; only regular files are read\n"
        "1 problem found; nothing was written.\n"
    )


def test_a_dataset_over_the_size_limit_is_refused_before_reading(project: Path, monkeypatch: pytest.MonkeyPatch):
    from engine.load import datasets

    monkeypatch.setattr(datasets, "MAX_DATASET_BYTES", 100)
    result = invoke("score", "rules.yaml")
    size = (project / "data" / "crime.csv").stat().st_size
    assert result.exit_code == 1
    assert result.stderr == (
        f"data/crime.csv:1:1: file is too large ({size:,} bytes; the limit is 100)\n"
        "1 problem found; nothing was written.\n"
    )


def test_too_many_rows(project: Path, monkeypatch: pytest.MonkeyPatch):
    from engine.load import datasets

    monkeypatch.setattr(datasets, "MAX_DATASET_ROWS", 2)
    result = invoke("score", "rules.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "data/crime.csv:4:1: too many rows (3; the limit is 2)\n"
        "    hint: split the file or aggregate it (one row per area and category)\n"
        "1 problem found; nothing was written.\n"
    )


def test_out_of_memory_is_a_message_and_exit_1(project: Path, monkeypatch: pytest.MonkeyPatch):
    from engine import pipeline

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(pipeline, "run", exhausted)
    result = invoke("score", "rules.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: out of memory: the input is too large for this machine's memory "
        '(see the README, "Files, sizes and outputs", for the limits); nothing was written.\n'
    )


def test_a_failed_move_rolls_back_the_files_already_moved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "b.csv").write_text("old")
    real = os.replace
    moved: list[str] = []

    def failing(source: str, target: object) -> None:
        if str(target).endswith("c.csv"):
            raise OSError(28, "No space left on device")
        moved.append(str(target))
        real(source, target)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OutputError, match=r"cannot write .*c\.csv: No space left on device"):
        output.write_folder(tmp_path / "new", {"a.csv": "1", "c.csv": "3"})  # the new folder is removed again
    with pytest.raises(OutputError):
        output.write_folder(tmp_path, {"a.csv": "1", "b.csv": "2", "c.csv": "3"})
    monkeypatch.setattr(os, "replace", real)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.csv"]
    assert (tmp_path / "b.csv").read_text() == "old"  # the file replaced is put back


def test_an_unwritable_place_is_exit_1(project: Path):
    result = invoke("score", "rules.yaml", "--format", "json", "--out", "/proc/cspscore-result.json")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write /proc/cspscore-result.json: ")


SCRIPT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2_000_000_000, 2_000_000_000))
sys.argv = ["cspscore", "score", "rules.yaml"]
import cli
cli.main()
"""


@pytest.mark.slow
def test_a_million_rows_score_under_a_2_gb_address_space(project: Path):
    rows = ["area,category,previous,current,county_position"]
    rows += (project / "data" / "crime.csv").read_text().splitlines()[1:]
    rows += [f"Area {n:07d},Burglary residential,{n % 500},{n * 7 % 600},{n % 30 + 1}" for n in range(1_000_000)]
    (project / "data" / "crime.csv").write_text("\n".join(rows) + "\n")
    env = {**os.environ, "PYTHONPATH": str(Path(cli.__file__).parent)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0 or (done.returncode == 1 and "limit" in done.stderr), done.stderr
    assert done.returncode != 134


def test_fifo_among_police_files_is_refused(project: Path):
    (project / "police").mkdir()
    fifo(project / "police" / "2024-03-kent-street.csv")
    result = invoke(
        "ingest", "police-uk", "police", "--current", "2024-03:2024-03", "--previous", "2024-02:2024-02", "--out", "out"
    )
    assert result.exit_code == 1
    assert result.stderr == f"police/2024-03-kent-street.csv:0:0: {FIFO}\n1 problem found; nothing was written.\n"
    assert not (project / "out").exists()


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path):
    from tests.national import write_county

    write_county(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(cli.__file__).parent)}
    command = [sys.executable, "-m", "cli", "score", str(tmp_path / "rules.yaml"), "--area", "all", "--format", "json"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()  # as `| head -1` does, then goes away
        process.stdout.close()
        stderr = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert code == 1
    assert stderr == ""
