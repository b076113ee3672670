"""ingest and multi-area scoring from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

from .conftest import ROOT

SHARED = ROOT.parent / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside the project")


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def test_score_every_kent_district_with_a_county_overview():
    result = invoke("score", "rules/kent-districts-2024.yaml", "--area", "all")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "13 areas. Rules: rules/kent-districts-2024.yaml"
    assert lines[3] == "County overview: totals by area (* = a priority; cutoff 20)"
    assert sum(1 for line in lines if line.startswith("Area: ")) == 13


def test_score_named_areas_as_csv():
    result = invoke("score", "rules/kent-districts-2024.yaml", "--area", "Sevenoaks,Medway", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert rows[0].startswith("area,issue_id,issue,")
    assert {r.split(",")[0] for r in rows[1:]} == {"Sevenoaks", "Medway"}


def test_unknown_area():
    result = invoke("score", "rules/kent-districts-2024.yaml", "--area", "Sevenoak")
    assert result.exit_code == 1
    assert "area `Sevenoak` is not in datasets/kent-2024/crime.csv" in result.stderr
    assert "did you mean `Sevenoaks`?" in result.stderr


def test_explain_a_district_traces_back_to_the_dataset_rows():
    result = invoke("explain", "rules/kent-districts-2024.yaml", "acquisitive", "--area", "Medway")
    assert result.exit_code == 0, result.output
    assert "Area: Medway." in result.stdout
    assert "Rows:      datasets/kent-2024/crime.csv rows" in result.stdout
    assert "every area's rate per 1,000:" in result.stdout


@needs_shared
def test_ingest_police_uk_writes_a_dataset_with_provenance(tmp_path: Path):
    out = tmp_path / "kent"
    result = invoke(
        "ingest",
        "police-uk",
        str(SHARED / "police-uk-kent-2024"),
        "--current",
        "2024-03:2024-04",
        "--previous",
        "2024-01:2024-02",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["crime.csv", "population.csv", "provenance.json"]
    provenance = json.loads((out / "provenance.json").read_text())
    assert [len(i["sha256"]) for i in provenance["inputs"]] == [64] * 4
    assert provenance["rows"]["no_location"] > 0


@needs_shared
def test_ingest_ons_csp(tmp_path: Path):
    out = tmp_path / "csp"
    table = SHARED / "ons" / "recorded-crime-by-csp-ye-june-2025-table-c2.csv"
    result = invoke("ingest", "ons-csp", str(table), "--force", "Kent", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "crime.csv").read_text().splitlines()[0] == "area,category,current,county_position,rate_per_1000,note"


def test_ingest_bad_period(tmp_path: Path):
    result = invoke(
        "ingest",
        "police-uk",
        str(tmp_path),
        "--current",
        "2024-3",
        "--previous",
        "2024-01:2024-02",
        "--out",
        str(tmp_path / "o"),
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("--current:1:1: `2024-3` is not a period of months")
    assert not (tmp_path / "o").exists()
