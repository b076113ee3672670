"""replay: a saved result reproduces exactly from its inputs, and a changed input is named."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

from .conftest import ROOT


@pytest.fixture
def saved(tmp_path: Path, monkeypatch) -> Path:
    for name in ("rules", "datasets"):
        shutil.copytree(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli.main, ["score", "rules/sevenoaks-2020.yaml", "--format", "json", "--out", "result.json"]
    )
    assert result.exit_code == 0, result.output
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def test_reproduces_exactly(saved: Path):
    result = invoke("replay", "result.json")
    assert result.exit_code == 0
    made = json.loads((saved / "result.json").read_text())["provenance"]["generated_at"]
    assert result.stdout == (
        f"Replaying result.json (made {made} by cspscore 0.1.0)\n"
        "  rules: rules/sevenoaks-2020.yaml: unchanged\n"
        "  dataset crime: datasets/sevenoaks-2020/crime-figures.csv: unchanged\n"
        "  dataset population: datasets/sevenoaks-2020/population.csv: unchanged\n"
        "Reproduced exactly.\n"
    )


def test_a_comment_changes_the_file_but_not_the_normalised_rules(saved: Path):
    rules = saved / "rules" / "sevenoaks-2020.yaml"
    rules.write_text(rules.read_text() + "# a comment\n")
    result = invoke("replay", "result.json")
    assert result.exit_code == 0
    assert (
        "  rules: rules/sevenoaks-2020.yaml: changed in comments or layout only: the rules read the same\n"
        in result.stdout
    )
    assert result.stdout.endswith("Reproduced exactly.\n")


def test_a_changed_dataset_is_named_with_what_it_changes(saved: Path):
    data = saved / "datasets" / "sevenoaks-2020" / "crime-figures.csv"
    data.write_text(data.read_text().replace("Sevenoaks,Drug Offences,156,176", "Sevenoaks,Drug Offences,156,170"))
    result = invoke("replay", "result.json")
    assert result.exit_code == 4
    assert "  dataset crime: datasets/sevenoaks-2020/crime-figures.csv: changed\n" in result.stdout
    assert "  differs: scores[substance_misuse].total: 24 then, 22 now\n" in result.stdout
    assert result.stdout.endswith("Not reproduced: the inputs changed\n")


def test_missing_input_and_not_a_result(saved: Path):
    (saved / "datasets" / "sevenoaks-2020" / "population.csv").unlink()
    result = invoke("replay", "result.json")
    assert result.exit_code == 4
    assert "  dataset population: datasets/sevenoaks-2020/population.csv: missing\n" in result.stdout
    assert result.stdout.endswith("Not reproduced: 1 input is missing\n")
    (saved / "other.json").write_text("[1, 2]")
    result = invoke("replay", "other.json")
    assert result.exit_code == 1
    assert result.stderr.startswith("other.json:1:1: this is not a result saved with `cspscore score --format json`")


def test_normalised_hash_ignores_layout():
    from engine.load.rules import load_rules

    a = load_rules(ROOT / "rules" / "sevenoaks-2020.yaml")
    assert len(a.normalised_sha256) == 64 and a.normalised_sha256 != a.sha256


@pytest.fixture
def saved_county(tmp_path: Path, monkeypatch) -> Path:
    for name in ("rules", "datasets"):
        shutil.copytree(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    args = ["score", "rules/kent-districts-2024.yaml", "--area", "all", "--format", "json", "--out", "county.json"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    return tmp_path


def test_a_result_of_every_area_reproduces_exactly(saved_county: Path):
    document = json.loads((saved_county / "county.json").read_text())
    assert len(document["areas"]) == 13
    result = invoke("replay", "county.json")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Replaying county.json (made {document['provenance']['generated_at']} by cspscore 0.1.0)\n"
        "  rules: rules/kent-districts-2024.yaml: unchanged\n"
        "  dataset crime: datasets/kent-2024/crime.csv: unchanged\n"
        "  dataset population: datasets/kent-2024/population.csv: unchanged\n"
        "Reproduced exactly.\n"
    )


def test_a_change_in_one_area_is_named_with_its_area(saved_county: Path):
    data = saved_county / "datasets" / "kent-2024" / "crime.csv"
    data.write_text(data.read_text().replace("Medway,Drugs,", "Medway,Drugs,1"))
    result = invoke("replay", "county.json")
    assert result.exit_code == 4
    differs = [line for line in result.stdout.splitlines() if line.startswith("  differs: ")]
    assert differs and all(" in Medway]." in line for line in differs)
    assert "  differs: audit[drugs.trend in Medway].inputs: " in result.stdout


def test_a_result_saved_before_per_area_blocks_still_replays(saved: Path):
    from engine.score.document import expanded_rows

    document = json.loads((saved / "result.json").read_text())
    scores, audit, priorities = expanded_rows(document)
    old = {k: v for k, v in document.items() if k not in ("areas", "issues")}
    old |= {"priorities": priorities, "scores": scores, "audit": audit}  # the layout results had before
    (saved / "old.json").write_text(json.dumps(old, ensure_ascii=False, indent=2))
    result = invoke("replay", "old.json")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("Reproduced exactly.\n")


def test_the_saved_paths_are_relative_to_the_result_and_the_rule_file(saved: Path):
    provenance = json.loads((saved / "result.json").read_text())["provenance"]
    assert provenance["rules"]["file"] == "rules/sevenoaks-2020.yaml"
    assert provenance["rules"]["relative_to"] == "result folder"
    assert [d["file"] for d in provenance["datasets"]] == [
        "../datasets/sevenoaks-2020/crime-figures.csv",
        "../datasets/sevenoaks-2020/population.csv",
    ]


def test_replays_from_another_folder(saved: Path, tmp_path_factory, monkeypatch):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    result = invoke("replay", str(saved / "result.json"))
    assert result.exit_code == 0, result.output
    assert f"  rules: {os.path.relpath(saved / 'rules' / 'sevenoaks-2020.yaml')}: unchanged\n" in result.stdout
    assert result.stdout.endswith("Reproduced exactly.\n")


def test_replays_after_the_whole_project_folder_moves(saved: Path, tmp_path_factory, monkeypatch):
    moved = tmp_path_factory.mktemp("moved") / "project"
    shutil.move(saved, moved)
    monkeypatch.chdir(moved / "rules")  # neither the folder it was made in nor the result's
    result = invoke("replay", "../result.json")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "  rules: sevenoaks-2020.yaml: unchanged",
        "  dataset crime: ../datasets/sevenoaks-2020/crime-figures.csv: unchanged",
        "  dataset population: ../datasets/sevenoaks-2020/population.csv: unchanged",
        "Reproduced exactly.",
    ]


def test_from_another_folder_a_missing_input_is_missing_and_a_changed_one_changed(
    saved: Path, tmp_path_factory, monkeypatch
):
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    (saved / "datasets" / "sevenoaks-2020" / "population.csv").unlink()
    crime = saved / "datasets" / "sevenoaks-2020" / "crime-figures.csv"
    crime.write_text(crime.read_text().replace("Sevenoaks,Drug Offences,156,176", "Sevenoaks,Drug Offences,156,170"))
    result = invoke("replay", str(saved / "result.json"))
    assert result.exit_code == 4
    assert "crime-figures.csv: changed\n" in result.stdout
    assert "population.csv: missing\n" in result.stdout
    assert result.stdout.endswith("Not reproduced: 1 input missing and 1 changed\n")


def test_a_result_printed_to_stdout_names_its_rule_file_from_the_working_folder(saved: Path):
    printed = invoke("score", "rules/sevenoaks-2020.yaml", "--format", "json")
    (saved / "out").mkdir()
    (saved / "out" / "printed.json").write_text(printed.stdout)
    provenance = json.loads(printed.stdout)["provenance"]
    assert provenance["rules"] | {"sha256": "", "normalised_sha256": ""} == {
        "file": "rules/sevenoaks-2020.yaml",
        "relative_to": "working folder",
        "sha256": "",
        "normalised_sha256": "",
    }
    result = invoke("replay", "out/printed.json")
    assert result.exit_code == 0, result.output


def test_a_result_naming_a_rule_file_outside_is_refused_without_looking(saved: Path, tmp_path_factory):
    document = json.loads((saved / "result.json").read_text())
    document["provenance"]["rules"]["file"] = "../../../../etc/passwd"
    (saved / "probe.json").write_text(json.dumps(document))
    result = invoke("replay", "probe.json")
    assert result.exit_code == 1
    assert "provenance.rules.file: " in result.stderr and "is outside the project, so it is not read" in result.stderr


def test_a_result_saved_with_every_path_relative_to_the_working_folder_still_replays(saved: Path):
    document = json.loads((saved / "result.json").read_text())
    provenance = document["provenance"]
    del provenance["rules"]["relative_to"]  # the layout results had before
    for dataset in provenance["datasets"]:
        dataset["file"] = dataset["file"].removeprefix("../")
    (saved / "earlier.json").write_text(json.dumps(document, ensure_ascii=False))
    result = invoke("replay", "earlier.json")
    assert result.exit_code == 0, result.output
