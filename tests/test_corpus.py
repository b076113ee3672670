"""The bad-input corpus, kept as files: tests/corpus/bad/<case>/ holds

- ``files/``: files laid over a copy of tests/corpus/mini (the broken rule file, dataset, scenario...);
- ``command``: the cspscore arguments, run in that copy;
- ``expected``: the exact stderr;
- ``exit``: the exit status;
- ``xfail`` (only for a known bug): one line saying what the engine does wrong. ``expected`` and
  ``exit`` then hold what it should do, and the case must fail until the bug is fixed (strict
  xfail); delete the file with the fix.

Each case must print exactly its expected message, exit as expected, print nothing on stdout, and
leave no output or temporary file behind. Regenerate a case by editing its files and expected
message by hand: the messages are part of the product.
"""

from __future__ import annotations

import contextlib
import shlex
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

from .conftest import MINI

CORPUS = Path(__file__).resolve().parent / "corpus" / "bad"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


@contextlib.contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    """Fail (raise) if the block runs longer than ``seconds``: generous, a guard against hangs, not a timing."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError(f"the command ran for over {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def expected(case: str) -> str:
    return (CORPUS / case / "expected").read_text(encoding="utf-8")


def with_known_bugs(cases: list[str]) -> list:
    """The cases as parameters; a case with an ``xfail`` file is a strict xfail with that file's reason."""
    params = []
    for case in cases:
        bug = CORPUS / case / "xfail"
        marks = [pytest.mark.xfail(strict=True, reason=bug.read_text(encoding="utf-8").strip())] if bug.exists() else []
        params.append(pytest.param(case, marks=marks, id=case))
    return params


def test_corpus_is_large():
    assert len(CASES) >= 80


@pytest.mark.parametrize("case", with_known_bugs(CASES))
def test_case(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    overlay = CORPUS / case / "files"
    if overlay.is_dir():
        shutil.copytree(overlay, project, dirs_exist_ok=True)
    before = {p.relative_to(project) for p in project.rglob("*")}
    monkeypatch.chdir(project)
    command = shlex.split((CORPUS / case / "command").read_text())
    with hang_guard(60):  # a hang fails the case instead of blocking the run
        result = CliRunner().invoke(cli.main, command, prog_name="cspscore")
    assert not isinstance(result.exception, TimeoutError), result.exception
    assert result.stderr == expected(case)
    assert result.exit_code == int((CORPUS / case / "exit").read_text())
    assert result.exit_code != 0 and result.stdout == ""
    assert "Traceback" not in result.output
    assert {p.relative_to(project) for p in project.rglob("*")} == before  # nothing written, nothing left over
