"""The bad-input corpus, kept as files: tests/corpus/bad/<case>/ holds

- ``files/``: files laid over a copy of tests/corpus/mini (the broken rule file, dataset, scenario...);
- ``command``: the cspscore arguments, run in that copy;
- ``expected``: the exact stderr;
- ``exit``: the exit status.

Each case must print exactly its expected message, exit as expected, print nothing on stdout, and
leave no output or temporary file behind. Regenerate a case by editing its files and expected
message by hand: the messages are part of the product.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

from .conftest import MINI

CORPUS = Path(__file__).resolve().parent / "corpus" / "bad"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def expected(case: str) -> str:
    return (CORPUS / case / "expected").read_text(encoding="utf-8")


def test_corpus_is_large():
    assert len(CASES) >= 80


@pytest.mark.parametrize("case", CASES)
def test_case(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    overlay = CORPUS / case / "files"
    if overlay.is_dir():
        shutil.copytree(overlay, project, dirs_exist_ok=True)
    before = {p.relative_to(project) for p in project.rglob("*")}
    monkeypatch.chdir(project)
    command = shlex.split((CORPUS / case / "command").read_text())
    result = CliRunner().invoke(cli.main, command, prog_name="cspscore")
    assert result.stderr == expected(case)
    assert result.exit_code == int((CORPUS / case / "exit").read_text())
    assert result.exit_code != 0 and result.stdout == ""
    assert "Traceback" not in result.output
    assert {p.relative_to(project) for p in project.rglob("*")} == before  # nothing written, nothing left over
