"""Rule files read data only inside their own folder tree unless told otherwise; symlinks cannot lead out."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import cli
from engine.paths import data_root

from .conftest import MINI, ROOT


def test_data_root():
    assert data_root(ROOT / "rules" / "sevenoaks-2020.yaml") == ROOT
    assert data_root(ROOT / "rules" / "examples" / "flawed.yaml") == ROOT
    assert data_root(MINI / "rules.yaml") == MINI


def outside_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    shutil.move(project / "data", tmp_path / "elsewhere")
    text = (project / "rules.yaml").read_text().replace("file: data/", "file: ../elsewhere/")
    (project / "rules.yaml").write_text(text)
    return project


def test_datasets_outside_the_tree_need_the_flag(tmp_path: Path, monkeypatch):
    project = outside_project(tmp_path)
    monkeypatch.chdir(project)
    refused = CliRunner().invoke(cli.main, ["score", "rules.yaml"])
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == (
        "rules.yaml:26:11: datasets.crime.file: ../elsewhere/crime.csv is outside the rule file's folder tree (.)"
    )
    assert (
        "hint: move the data beside the rules, or pass --allow-outside-data if you trust this rule file"
        in refused.stderr
    )
    allowed = CliRunner().invoke(cli.main, ["--allow-outside-data", "score", "rules.yaml"])
    assert allowed.exit_code == 0, allowed.output


def test_symlinks_cannot_lead_out(tmp_path: Path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    shutil.move(project / "data", tmp_path / "elsewhere")
    (project / "data").symlink_to(tmp_path / "elsewhere")
    monkeypatch.chdir(project)
    refused = CliRunner().invoke(cli.main, ["validate", "rules.yaml"])
    assert refused.exit_code == 1
    assert "is outside the rule file's folder tree" in refused.stderr


def test_a_scenario_cannot_point_data_outside_either(tmp_path: Path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    shutil.copy(MINI / "data" / "crime.csv", tmp_path / "crime.csv")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli.main, ["whatif", "rules.yaml", "--set", "datasets.crime.file=../crime.csv"])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "--set[1]:1:21: datasets.crime.file: ../crime.csv is outside the rule file's folder tree"
    )


def test_a_missing_dataset_outside_the_tree_is_reported_missing_not_outside(tmp_path: Path, monkeypatch):
    # A rule file copied to another folder without its data: the data is missing, wherever it was meant to be.
    project = outside_project(tmp_path)
    shutil.rmtree(tmp_path / "elsewhere")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli.main, ["validate", "rules.yaml"])
    assert result.exit_code == 1
    assert result.stderr == (
        "rules.yaml:26:11: datasets.crime.file: dataset file not found: ../elsewhere/crime.csv\n"
        "    hint: paths are relative to the folder of the rule file\n"
        "rules.yaml:29:11: datasets.population.file: dataset file not found: ../elsewhere/population.csv\n"
        "    hint: paths are relative to the folder of the rule file\n"
        "2 problems found; nothing was written.\n"
    )


@pytest.mark.parametrize(
    "command",
    [
        ["--allow-outside-data", "score", "rules.yaml"],
        ["score", "--allow-outside-data", "rules.yaml"],
        ["score", "rules.yaml", "--allow-outside-data"],
        ["validate", "rules.yaml", "--allow-outside-data"],
        ["explain", "rules.yaml", "asb", "--allow-outside-data"],
    ],
)
def test_the_global_option_works_before_or_after_the_command_name(tmp_path: Path, monkeypatch, command):
    project = outside_project(tmp_path)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli.main, command)
    assert result.exit_code == 0, result.output
    # Given nowhere, it is not on: the flag of one run does not leak into the next.
    without = [word for word in command if word != "--allow-outside-data"]
    assert CliRunner().invoke(cli.main, without).exit_code == 1


def test_every_command_accepts_the_global_options():
    def commands(group: click.Group, prefix: tuple[str, ...] = ()):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from commands(command, prefix + (name,))
            else:
                yield prefix + (name,), command

    for name, command in commands(cli.main):
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        assert {"--allow-outside-data", "--version"} <= options, name
