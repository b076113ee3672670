"""ingest and multi-area scoring from the command line."""

from __future__ import annotations

import json
import os
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
    result = invoke("score", "rules/kent-districts-2024.yaml", "--area", "all", "--wide")
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
    names = ["areas.csv", "crime.csv", "population.csv", "provenance.json", "series.csv"]
    assert sorted(p.name for p in out.iterdir()) == names
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


THREE = SHARED / "police-uk-2018-19-dorset-suffolk-south-wales"


@needs_shared
def test_three_forces_at_once_print_where_every_row_went(tmp_path: Path):
    out = tmp_path / "three"
    result = invoke(
        "ingest",
        "police-uk",
        "../shared/data/police-uk-2018-19-dorset-suffolk-south-wales",
        "--period",
        "2018-Q4=2018-10:2018-12",
        "--period",
        "2019-Q1=2019-01:2019-02",
        "--map",
        "Christchurch=Bournemouth",  # a declaration the test makes: Christchurch lies in two partnerships today
        "--population-for",
        "Waveney=116000",  # a declaration the test makes, not a published figure
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        "Rows: 111,640 read from 15 files of 3 forces (Dorset Police, South Wales Police, Suffolk Constabulary)\n"
        "  108,832 used (0 of them reported by one force but lying in another force's area, counted where they lie)\n"
        "      260 in areas of forces whose files were not read: Caerphilly 29, Newport 25, Powys 17, "
        "East Cambridgeshire 16, South Norfolk 16 and 65 more\n"
        "    2,548 without a location\n"
        "        0 outside the periods\n"
        "        0 of forces not selected (--force)\n"
        "        0 malformed\n"
        "        0 not assignable to one partnership\n"
        "        0 in unmapped districts, left out\n"
        "warning: no population for 3 partnerships: Bournemouth, Poole, Suffolk Coastal; their rates and positions "
        'are left blank (see areas.csv for why; declare one with --population-for "AREA=N")\n'
        f"Wrote {out}/crime.csv, {out}/population.csv, {out}/series.csv, {out}/areas.csv, {out}/provenance.json\n"
    )
    series = (out / "series.csv").read_text().splitlines()
    assert series[:3] == [
        "area,category,period,count",
        "Bournemouth,Anti-social behaviour,2018-Q4,2047",
        "Bournemouth,Anti-social behaviour,2019-Q1,1211",
    ]
    areas = (out / "areas.csv").read_text().splitlines()
    assert "Waveney,E22000278,Suffolk,116000,declared (--population-for[1])" in areas
    assert (out / "crime.csv").read_text().splitlines()[0] == (
        "area,category,previous,current,county_position,change,percent_change,rate_per_1000,published_national_position"
    )


def test_an_unmapped_district_stops_the_run_unless_allowed(tmp_path: Path):
    folder = tmp_path / "files"
    folder.mkdir()
    header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"
    rows = [
        ",2024-03,Kent Police,Kent Police,,,,E01,Sevenoaks 001A,Drugs,,",
        ",2024-03,Kent Police,Kent Police,,,,E01,Sevenoks 001A,Drugs,,",
    ]
    (folder / "2024-03-kent-street.csv").write_text("\n".join([header, *rows]) + "\n")
    out = tmp_path / "out"
    base = ["ingest", "police-uk", str(folder), "--current", "2024-03", "--out", str(out)]
    result = invoke(*base)
    assert result.exit_code == 1 and not out.exists()
    assert result.stderr == (
        f"{os.path.relpath(folder)}/2024-03-kent-street.csv:3:9: "
        "LSOA name: district `Sevenoks` (Kent Police, 1 row in the periods) is not a partnership or a district of any "
        "vintage since 2011\n"
        '    hint: did you mean `Sevenoaks`? declare its area with --map "Sevenoks=AREA", or leave its rows out with '
        "--allow-unmapped\n"
        "1 problem found; nothing was written.\n"
    )
    result = invoke(*base, "--allow-unmapped")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "Rows: 2 read from 1 file of 1 force (Kent Police)"
    assert (
        lines[1]
        == "  1 used (0 of them reported by one force but lying in another force's area, counted where they lie)"
    )
    assert lines[8] == "  1 in unmapped districts, left out: Sevenoks 1 (did you mean `Sevenoaks`?)"


def test_no_periods_is_a_usage_error(tmp_path: Path):
    result = invoke("ingest", "police-uk", str(tmp_path), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: give the periods: --current and --previous, or --period LABEL=FIRST:LAST\n")
