"""engine.ingest.police: real Kent files checked against an independent count, and synthetic files with every quirk."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from engine.errors import InputError
from engine.ingest.police import ingest_police_uk, months
from tests.conftest import ROOT

SHARED = ROOT.parent / "shared" / "data" / "police-uk-kent-2024"
POPULATION = ROOT / "datasets" / "reference" / "census-2021-population-by-area.csv"
LOOKUP = ROOT / "datasets" / "reference" / "lad-to-csp-to-pfa-dec-2019.csv"
HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"


def run(paths, current="2024-03:2024-04", previous="2024-01:2024-02", force=None):
    return ingest_police_uk(
        list(paths), months(current, "--current"), months(previous, "--previous"), POPULATION, LOOKUP, force
    )


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside the project")
def test_real_kent_files_match_an_independent_count():
    made = run([SHARED])
    expected: Counter = Counter()
    for path in sorted(SHARED.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as stream:
            for row in csv.DictReader(stream):
                lsoa = row["LSOA name"].strip()
                if not lsoa:
                    continue
                district = lsoa.rsplit(" ", 1)[0]
                period = "current" if row["Month"] in ("2024-03", "2024-04") else "previous"
                expected[(district, row["Crime type"], period)] += 1
    counts = made.counts
    for row in counts.itertuples():
        assert row.previous == expected[(row.area, row.category, "previous")], (row.area, row.category)
        assert row.current == expected[(row.area, row.category, "current")], (row.area, row.category)
    assert len(counts["area"].unique()) == 13 and len(counts["category"].unique()) == 14
    rows = made.provenance["rows"]
    assert rows["read"] == 14466 + 13953 + 15875 + 15727
    assert rows["used"] + rows["no_location"] + sum(rows["outside_force_districts"].values()) == rows["read"]
    assert set(rows["outside_force_districts"]) >= {"Bexley", "Bromley", "Tandridge", "Wealden"}
    sevenoaks = counts[(counts.area == "Sevenoaks") & (counts.category == "Burglary")].iloc[0]
    assert sevenoaks.rate_per_1000 == f"{sevenoaks.current * 1000 / 120500:.2f}"


def test_bundled_kent_dataset_is_what_the_documented_command_makes(tmp_path, monkeypatch):
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not beside the project")
    from click.testing import CliRunner

    import cli

    monkeypatch.chdir(ROOT)
    out = tmp_path / "kent-2024"
    result = CliRunner().invoke(
        cli.main,
        [
            "ingest",
            "police-uk",
            "../shared/data/police-uk-kent-2024",
            "--current",
            "2024-03:2024-04",
            "--previous",
            "2024-01:2024-02",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    for name in ("crime.csv", "population.csv"):
        assert (out / name).read_text() == (ROOT / "datasets" / "kent-2024" / name).read_text()
    made = json.loads((out / "provenance.json").read_text())
    bundled = json.loads((ROOT / "datasets" / "kent-2024" / "provenance.json").read_text())
    assert made["inputs"] == bundled["inputs"] and made["rows"] == bundled["rows"]


def write(folder: Path, name: str, rows: list[str]) -> Path:
    path = folder / name
    path.write_text(HEADER + "\n" + "".join(r + "\n" for r in rows))
    return path


def row(month, lsoa, crime, force="Kent Police"):
    return f",{month},{force},{force},0.1,51.2,On or near X,E01000001,{lsoa},{crime},,"


def test_synthetic_quirks(tmp_path: Path):
    write(
        tmp_path,
        "2024-01-kent-street.csv",
        [
            row("2024-01", "Sevenoaks 001A", "Burglary"),
            row("2024-01", "Shepway 003C", "Burglary"),  # renamed district
            row("2024-01", "", "Burglary"),  # no location
            row("2024-01", "Bexley 010A", "Burglary"),  # outside the force's districts
            "this,row,is,broken,with,too,many,cells,a,b,c,d,e,f,g",  # malformed
        ]
        + [row("2024-01", "Dover 002B", "Drugs")] * 20,
    )
    write(tmp_path, "2024-02-kent-street.csv", [row("2024-02", "Sevenoaks 001A", "Burglary")] * 2)  # implausibly small
    write(tmp_path, "2024-03-kent-street.csv", [row("2024-03", "Sevenoaks 001A", "Burglary")] * 22)
    write(tmp_path, "2024-03-surrey-street.csv", [row("2024-03", "Guildford 001A", "Burglary", "Surrey Police")])
    made = run([tmp_path], current="2024-03:2024-04", force="Kent Police")
    rows = made.provenance["rows"]
    assert rows["renamed_districts"] == {"Shepway": 1}
    assert rows["no_location"] == 1 and rows["outside_force_districts"] == {"Bexley": 1}
    assert rows["malformed"] == 1 and rows["other_force"] == 1
    counts = made.counts.set_index(["area", "category"])
    assert counts.loc[("Folkestone and Hythe", "Burglary"), "previous"] == 1
    assert (
        counts.loc[("Sevenoaks", "Burglary"), "previous"] == 3
        and counts.loc[("Sevenoaks", "Burglary"), "current"] == 22
    )
    assert made.warnings == [
        "month 2024-04 of the current period has no rows for this force: the period covers 2 months but counts only 1",
        "month 2024-02 has 2 rows, under half the median month (22): is a file incomplete?",
    ]


def test_several_forces_need_a_choice(tmp_path: Path):
    write(
        tmp_path,
        "a.csv",
        [row("2024-03", "Sevenoaks 001A", "Burglary"), row("2024-03", "Guildford 001A", "Burglary", "Surrey Police")],
    )
    with pytest.raises(InputError) as caught:
        run([tmp_path])
    assert str(caught.value.problems[0]) == (
        "FILES:1:1: the files hold several forces: Kent Police (1 rows), Surrey Police (1 rows)\n"
        "    hint: choose one with --force"
    )


def test_missing_column_and_bad_period(tmp_path: Path):
    (tmp_path / "2024-03-kent-street.csv").write_text("Month,Falls within,Crime type\n2024-03,Kent Police,Drugs\n")
    with pytest.raises(InputError) as caught:
        run([tmp_path])
    assert caught.value.problems[0].message == "missing column `LSOA name`"
    with pytest.raises(InputError) as caught:
        months("2024-13:2024-01", "--current")
    assert str(caught.value.problems[0]).startswith("--current:1:1: `2024-13:2024-01` is not a period of months")
