"""The README tells the truth: its commands run and print what it shows; every shipped rule file validates.

Console blocks (```console) are run in a fresh copy of the project, in order, with
``cspscore`` meaning ``python -m cli``; what follows each ``$`` line is its exact
output (stdout and stderr together); that test is marked slow (CI runs it). The quick start's two commands, which build
a virtual environment, are run by CI itself (.ci/run); here their shown output and
their presence in .ci/run are checked.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", README, flags=re.S)


def console_steps() -> list[tuple[str, str]]:
    steps = []
    for block in blocks("console"):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            steps.append((command, output))
    return steps


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("readme") / "project"
    target.mkdir()
    for name in ("engine", "rules", "datasets", "schemas", "tests"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "cli.py", target / "cli.py")
    shared = ROOT.parent / "shared"
    if shared.is_dir():  # the README's ingest example reads ../shared/data, as CI has it beside the project
        (target.parent / "shared").symlink_to(shared)
    return target


def test_readme_has_console_examples():
    assert len(console_steps()) >= 6


@pytest.mark.slow  # one subprocess per README command (~15 s); CI runs it with `pytest -m slow`
@pytest.mark.skipif(not (ROOT.parent / "shared").is_dir(), reason="the README's examples read ../shared/data")
def test_readme_commands_print_what_the_readme_shows(copy: Path) -> None:
    # In order: later steps use files earlier ones made (a copied, edited rule file).
    for command, expected in console_steps():
        shell = re.sub(r"^cspscore ", f"{sys.executable} -m cli ", command)
        done = subprocess.run(
            ["bash", "-c", shell],
            cwd=copy,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(copy)},
        )
        assert done.stdout + done.stderr == expected, f"README command `{command}` printed:\n{done.stdout}{done.stderr}"


def test_quick_start_output_is_real(monkeypatch: pytest.MonkeyPatch) -> None:
    quick = blocks("sh")[0].strip()
    assert quick.endswith("cspscore score")
    shown = blocks("text")[0]
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli.main, ["score"])
    assert result.stdout == shown


def test_ci_runs_the_readme_commands() -> None:
    setup, tests = blocks("sh")[0].strip(), blocks("sh")[1].strip()
    ci = (ROOT / ".ci" / "run").read_text()
    assert tests in ci and setup in ci


@pytest.mark.parametrize(
    "rules",
    sorted(
        p
        for p in [*(ROOT / "rules").glob("*.yaml"), *(ROOT / "rules" / "examples").glob("*.yaml")]
        if not p.name.endswith(".tests.yaml")
    ),
    ids=lambda p: p.name,
)
def test_every_shipped_rule_file_validates(rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli.main, ["validate", str(rules.relative_to(ROOT))])
    assert result.exit_code == 0, result.output


def test_every_shipped_tests_file_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for path in sorted((ROOT / "rules").glob("*.tests.yaml")):
        result = CliRunner().invoke(cli.main, ["test", str(path.relative_to(ROOT))])
        assert result.exit_code == 0, result.output


def test_bundled_dataset_readme_keeps_the_licence_attribution() -> None:
    text = (ROOT / "datasets" / "sevenoaks-2020" / "README.md").read_text()
    assert "Open Government Licence v3.0" in text


def test_readme_message_examples_come_from_the_corpus() -> None:
    from .test_corpus import CASES, expected

    corpus = "".join(expected(case) for case in CASES)
    examples = blocks("text")[1]
    assert examples.count("\n") >= 10
    for line in examples.splitlines():
        assert line in corpus, line


def test_the_readme_exit_code_table_is_the_engines():
    from engine.errors import EXIT_MEANINGS

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Exit codes", 1)[1].split("###", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| code")]
    assert rows == [f"| {int(code)} | {meaning} |" for code, meaning in EXIT_MEANINGS.items()]


def test_cli_help_names_every_exit_code():
    import cli

    for code in (0, 1, 2, 3, 4):
        assert f"{code} " in cli.HELP.split("Exit codes:", 1)[1]


def test_the_readme_counts_the_corpus():
    count = sum(1 for case in (ROOT / "tests" / "corpus" / "bad").iterdir() if case.is_dir())
    assert f"`tests/corpus/bad/`, {count} cases" in README
