"""engine.ingest.police: real files of four forces checked against independent counts, and synthetic files with
every quirk: each row accounted for, no area counted twice, nothing guessed."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.errors import InputError
from tests.conftest import ROOT, examples

from .helpers import KENT, THREE, needs_shared, row, run, write

#: Written by hand from the ONS tables for this test, independently of the resolver: each district name the three
#: forces' files use for their own areas, and its partnership today. Christchurch is not in any table as one
#: partnership: it lies in Bournemouth, Christchurch and Poole, which holds two. The test DECLARES it Bournemouth
#: (--map "Christchurch=Bournemouth"), a declaration, not a fact.
PARTNERSHIP = {
    ("Dorset Police", "Bournemouth"): "Bournemouth",
    ("Dorset Police", "Christchurch"): "Bournemouth",  # declared
    ("Dorset Police", "Poole"): "Poole",
    ("Dorset Police", "East Dorset"): "Dorset",
    ("Dorset Police", "North Dorset"): "Dorset",
    ("Dorset Police", "Purbeck"): "Dorset",
    ("Dorset Police", "West Dorset"): "Dorset",
    ("Dorset Police", "Weymouth and Portland"): "Dorset",
    ("Suffolk Constabulary", "Ipswich"): "Ipswich",
    ("Suffolk Constabulary", "Babergh"): "Western Suffolk",
    ("Suffolk Constabulary", "Mid Suffolk"): "Western Suffolk",
    ("Suffolk Constabulary", "Forest Heath"): "Western Suffolk",
    ("Suffolk Constabulary", "St Edmundsbury"): "Western Suffolk",
    ("Suffolk Constabulary", "Suffolk Coastal"): "Suffolk Coastal",
    ("Suffolk Constabulary", "Waveney"): "Waveney",
    ("South Wales Police", "Bridgend"): "Bridgend",
    ("South Wales Police", "Cardiff"): "Cardiff",
    ("South Wales Police", "Swansea"): "Swansea",
    ("South Wales Police", "Neath Port Talbot"): "Neath Port Talbot",
    ("South Wales Police", "The Vale of Glamorgan"): "Vale of Glamorgan",
    ("South Wales Police", "Rhondda Cynon Taf"): "Cwm Taf",
    ("South Wales Police", "Merthyr Tydfil"): "Cwm Taf",
}
PERIODS = ("a=2018-10:2018-11", "b=2018-12:2019-01", "c=2019-02")
LABEL = {"2018-10": "a", "2018-11": "a", "2018-12": "b", "2019-01": "b", "2019-02": "c"}
DECLARED = ("Christchurch=Bournemouth",)


def independent_count(files: list[Path]) -> tuple[Counter, Counter]:
    """Rows per (partnership, crime type, period) by the csv module and the table above; and the other fates."""
    counts: Counter = Counter()
    fates: Counter = Counter()
    for path in files:
        with path.open(newline="", encoding="utf-8") as stream:
            records = csv.reader(stream)
            header = next(records)
            month, force, lsoa_name, crime = (
                header.index(c) for c in ("Month", "Falls within", "LSOA name", "Crime type")
            )
            for record in records:
                fates["read"] += 1
                lsoa = record[lsoa_name].strip()
                if not lsoa:
                    fates["no_location"] += 1
                    continue
                key = (record[force], lsoa.rsplit(" ", 1)[0])
                if key in PARTNERSHIP:
                    counts[(PARTNERSHIP[key], record[crime], LABEL[record[month]])] += 1
                    fates["used"] += 1
                else:  # every other name in these files lies in a force whose files are not given
                    fates["elsewhere"] += 1
    return counts, fates


def assert_one_row_per_key(made) -> None:
    """No output ever holds two rows for one area and category (or period)."""
    assert not made.counts.duplicated(["area", "category"]).any()
    assert not made.series.duplicated(["area", "category", "period"]).any()
    assert not made.population.duplicated(["area"]).any()
    assert not made.areas.duplicated(["area"]).any() and not made.areas.duplicated(["code"]).any()


def adds_up(rows: dict) -> bool:
    """The fates of the provenance's rows add up exactly to the rows read."""
    named = ("in_areas_of_forces_not_read", "not_assignable", "unmapped")
    plain = ("used", "no_location", "outside_periods", "forces_not_selected", "malformed")
    return sum(rows[k] for k in plain) + sum(sum(rows[k].values()) for k in named) == rows["read"]


@pytest.fixture(scope="module")
def three():
    return run([THREE], None, None, PERIODS, maps=DECLARED)


@needs_shared
def test_three_forces_in_one_call_match_an_independent_count(three):
    expected, fates = independent_count(sorted(THREE.glob("*.csv")))
    series = three.series
    assert set(series["area"]) == set(PARTNERSHIP.values())
    assert len(series) == len(set(series["area"])) * 14 * 3  # every partnership, crime type and period, once
    for record in series.itertuples():
        assert record.count == expected[(record.area, record.category, record.period)], record
    crime = three.counts.set_index(["area", "category"])
    for (area, category, period), n in expected.items():
        assert crime.loc[(area, category), {"b": "previous", "c": "current"}.get(period, "current")] >= 0
        if period in ("b", "c"):
            assert crime.loc[(area, category), "previous" if period == "b" else "current"] == n
    rows = three.provenance["rows"]
    assert rows["read"] == fates["read"] == 111_640
    assert rows["used"] == fates["used"] and rows["no_location"] == fates["no_location"]
    assert sum(rows["in_areas_of_forces_not_read"].values()) == fates["elsewhere"]
    assert rows["malformed"] == rows["outside_periods"] == rows["used_reported_by_another_force"] == 0
    assert rows["not_assignable"] == rows["unmapped"] == {}
    assert adds_up(rows)
    assert_one_row_per_key(three)


@needs_shared
def test_three_forces_resolve_old_names_and_say_how(three):
    districts = three.provenance["districts"]
    assert districts["Dorset Police"]["Christchurch"] == {
        "status": "resolved",
        "area": "Bournemouth",
        "rule": "declared",
        "rows": 1388,
    }
    assert districts["South Wales Police"]["The Vale of Glamorgan"]["area"] == "Vale of Glamorgan"
    assert districts["Suffolk Constabulary"]["St Edmundsbury"]["rule"] == "successor"
    assert districts["Dorset Police"]["West Dorset"]["area"] == "Dorset"
    assert three.provenance["declared"]["map"] == {"Christchurch": "Bournemouth"}
    assert three.provenance["force_areas"] == ["Dorset", "South Wales", "Suffolk"]


@needs_shared
def test_three_forces_positions_populations_and_national_columns(three):
    areas = three.areas.set_index("area")
    assert areas.loc["Western Suffolk", "population"] == 92_300 + 102_700 + 179_800  # Babergh, Mid and West Suffolk
    assert areas.loc["Cwm Taf", "population"] == 237_700 + 58_800  # Rhondda Cynon Taf and Merthyr Tydfil
    assert areas.loc["Cwm Taf", "code"] == "W14000023" and areas.loc["Cwm Taf", "force"] == "South Wales"
    lacking = sorted(areas[areas["population"].isna()].index)
    assert lacking == ["Bournemouth", "Poole", "Suffolk Coastal", "Waveney"]
    assert set(three.population["area"]) == set(areas.index) - set(lacking)
    assert list(three.population.columns) == ["area", "population", "source", "group_force"]
    crime = three.counts
    blank = crime[crime["area"].isin(lacking)]
    assert blank["rate_per_1000"].eq("").all() and blank["county_position"].isna().all()
    assert blank["published_national_position"].isna().all()
    burglary = crime[crime["category"] == "Burglary"].set_index("area")
    suffolk = burglary.loc[["Ipswich", "Western Suffolk"], "county_position"]
    assert sorted(suffolk) == [1, 2]  # ranked only among Suffolk's partnerships with a population
    ranked = burglary["published_national_position"].dropna()
    assert sorted(ranked) == list(range(1, len(ranked) + 1))  # across all areas of the three forces
    assert any(
        "no population for 4 partnerships: Bournemouth, Poole, Suffolk Coastal, Waveney" in w for w in three.warnings
    )


@needs_shared
def test_christchurch_without_a_declaration_is_an_error_naming_the_candidates():
    with pytest.raises(InputError) as caught:
        run([THREE / "2019-02-dorset-street.csv"], None, None, ("c=2019-02",))
    assert str(caught.value) == (
        f"{_shown(THREE / '2019-02-dorset-street.csv')}:1904:9: LSOA name: district `Christchurch` (Dorset Police, "
        "275 rows in the periods) lies in more than one partnership today: Bournemouth, Poole (through Bournemouth, "
        "Christchurch and Poole (E06000058))\n"
        '    hint: declare which with --map "Christchurch=Bournemouth" or --map "Christchurch=Poole" (or a --map CSV of '
        "district,area); it is never guessed"
    )


def _shown(path: Path) -> str:
    import os

    return os.path.relpath(path)


@needs_shared
def test_bundled_kent_dataset_is_what_the_documented_command_makes(tmp_path, monkeypatch):
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
            "--unit",
            "district",
            "--current",
            "2024-03:2024-04",
            "--previous",
            "2024-01:2024-02",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    for name in ("crime.csv", "population.csv", "series.csv", "areas.csv"):
        assert (out / name).read_text() == (ROOT / "datasets" / "kent-2024" / name).read_text(), name
    made = json.loads((out / "provenance.json").read_text())
    bundled = json.loads((ROOT / "datasets" / "kent-2024" / "provenance.json").read_text())
    assert made["inputs"] == bundled["inputs"] and made["rows"] == bundled["rows"]


@needs_shared
def test_kent_by_partnership_gives_the_bundled_district_figures():
    """Today's names: each Kent partnership's counts are its district's in datasets/kent-2024 (Dartford and
    Gravesham the two summed), every row accounted for."""
    made = run([KENT])
    bundled: Counter = Counter()
    with (ROOT / "datasets" / "kent-2024" / "crime.csv").open(newline="") as stream:
        for record in csv.DictReader(stream):
            area = "Dartford and Gravesham" if record["area"] in ("Dartford", "Gravesham") else record["area"]
            bundled[(area, record["category"], "previous")] += int(record["previous"])
            bundled[(area, record["category"], "current")] += int(record["current"])
    assert len(made.counts) == 12 * 14
    for record in made.counts.itertuples():
        assert record.previous == bundled[(record.area, record.category, "previous")]
        assert record.current == bundled[(record.area, record.category, "current")]
    rows = made.provenance["rows"]
    assert rows["used"] == 59_403 and rows["no_location"] == 601 and adds_up(rows)
    population = made.population.set_index("area")["population"]
    assert population["Dartford and Gravesham"] == 116_800 + 106_900
    assert_one_row_per_key(made)


@needs_shared
def test_month_folders_and_a_zip_archive_give_the_same_counts(tmp_path):
    dorset = sorted(THREE.glob("*-dorset-street.csv"))
    flat = run(dorset, None, None, PERIODS, maps=DECLARED)
    tree = tmp_path / "unpacked"
    for path in dorset:
        (tree / path.name[:7]).mkdir(parents=True)
        (tree / path.name[:7] / path.name).symlink_to(path)
        (tree / path.name[:7] / path.name.replace("street", "outcomes")).write_text("not read\n")
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zipped:
        for path in dorset:
            zipped.write(path, f"{path.name[:7]}/{path.name}")
    for made in (run([tree], None, None, PERIODS, maps=DECLARED), run([archive], None, None, PERIODS, maps=DECLARED)):
        assert made.series.equals(flat.series) and made.counts.equals(flat.counts)
        assert made.provenance["rows"] == flat.provenance["rows"]
        assert [i["sha256"] for i in made.provenance["inputs"] if "sha256" in i] == [
            i["sha256"] for i in flat.provenance["inputs"]
        ]
    skipped = [i for i in run([tree], None, None, PERIODS, maps=DECLARED).provenance["inputs"] if "skipped" in i]
    assert len(skipped) == 5 and skipped[0]["skipped"] == "not a street-level file"


def test_synthetic_quirks_each_row_one_fate(tmp_path: Path):
    write(
        tmp_path,
        "2024-01-kent-street.csv",
        [
            row("2024-01", "Sevenoaks 001A", "Burglary"),
            row("2024-01", "Shepway 003C", "Burglary"),  # renamed: Folkestone and Hythe
            row("2024-01", "", "Burglary"),  # no location
            row("2024-01", "Bexley 010A", "Burglary"),  # in the Met's area, whose files are not read
            "this,row,is,broken,with,too,many,cells,a,b,c,d,e,f,g",  # malformed: too many cells
            row("2023-13", "Dover 002B", "Drugs"),  # malformed: not a month
            row("2023-12", "Dover 002B", "Drugs"),  # outside the periods
        ]
        + [row("2024-01", "Dover 002B", "Drugs")] * 20,
    )
    write(tmp_path, "2024-02-kent-street.csv", [row("2024-02", "Sevenoaks 001A", "Burglary")] * 2)  # small month
    write(tmp_path, "2024-03-kent-street.csv", [row("2024-03", "Sevenoaks 001A", "Burglary")] * 22)
    write(tmp_path, "2024-03-surrey-street.csv", [row("2024-03", "Guildford 001A", "Burglary", "Surrey Police")])
    made = run([tmp_path], forces=("Kent Police",))
    rows = made.provenance["rows"]
    assert rows == {
        "read": 52,
        "used": 46,
        "used_reported_by_another_force": 0,
        "in_areas_of_forces_not_read": {"Bexley": 1},
        "no_location": 1,
        "outside_periods": 1,
        "forces_not_selected": 1,
        "malformed": 2,
        "not_assignable": {},
        "unmapped": {},
    }
    assert adds_up(rows)
    assert made.provenance["districts"]["Kent Police"]["Shepway"]["area"] == "Folkestone and Hythe"
    counts = made.counts.set_index(["area", "category"])
    assert counts.loc[("Folkestone and Hythe", "Burglary"), "previous"] == 1
    assert counts.loc[("Sevenoaks", "Burglary"), ["previous", "current"]].tolist() == [3, 22]
    assert len(made.counts) == 12 * 2  # every Kent partnership, each crime type seen, once
    assert made.warnings[:2] == [
        "Kent Police has no rows in month 2024-04 of period `2024-03 to 2024-04`: the period covers 2 months but "
        "counts only 1",
        "Kent Police has 2 rows in month 2024-02, under half its median month (22): is a file incomplete?",
    ]


def test_a_crime_over_the_border_counts_where_it_lies_when_that_force_is_read(tmp_path: Path):
    write(
        tmp_path,
        "2024-03-kent-street.csv",
        [row("2024-03", "Bexley 001A", "Drugs"), row("2024-03", "Dover 001A", "Drugs")],
    )
    met = "Metropolitan Police Service"
    write(tmp_path, "2024-03-metropolitan-street.csv", [row("2024-03", "Bexley 002B", "Drugs", met)])
    made = run([tmp_path], "2024-03", None)
    counts = made.counts.set_index(["area", "category"])["current"]
    assert counts[("Bexley", "Drugs")] == 2 and counts[("Dover", "Drugs")] == 1
    assert made.provenance["rows"]["used_reported_by_another_force"] == 1
    assert "previous" not in made.counts.columns  # one period: current counts only
    assert "published_national_position" in made.counts.columns
    assert_one_row_per_key(made)


def test_a_district_of_today_holding_several_partnerships_needs_an_lsoa_lookup(tmp_path: Path):
    thames = "Thames Valley Police"
    write(
        tmp_path,
        "2024-03-thames-valley-street.csv",
        [row("2024-03", "Buckinghamshire 001A", "Drugs", thames, "E01017001")] * 3
        + [row("2024-03", "Buckinghamshire 050C", "Drugs", thames, "E01017050")]
        + [row("2024-03", "Reading 001A", "Drugs", thames)],
    )
    made = run([tmp_path], "2024-03", None)
    assert made.provenance["rows"]["not_assignable"] == {"Buckinghamshire": 4}
    assert made.counts.set_index(["area", "category"])["current"][("Wycombe", "Drugs")] == 0
    assert made.warnings[-1] == (
        "4 rows in Buckinghamshire are not assignable: it holds 4 partnerships (Aylesbury Vale, Chiltern, South Bucks, "
        "Wycombe) and only an LSOA lookup can divide them (--lsoa-lookup); their counts leave them out"
    )
    lookup = tmp_path / "lsoa.csv"
    lookup.write_text(
        "LSOA21CD,LSOA21NM,CSP23CD\nE01017001,Buckinghamshire 001A,E22000318\n"
        "E01017050,Buckinghamshire 050C,E22000309\n"  # Reading: not one of Buckinghamshire's partnerships
    )
    made = run([tmp_path], "2024-03", None, lsoa_lookup=lookup)
    counts = made.counts.set_index(["area", "category"])["current"]
    assert counts[("Wycombe", "Drugs")] == 3 and counts[("Reading", "Drugs")] == 1
    assert made.provenance["rows"]["not_assignable"] == {"Buckinghamshire": 1}  # E01017050 is put outside it
    assert made.provenance["divided_by_lsoa"] == {"Buckinghamshire -> Wycombe": 3}
    assert_one_row_per_key(made)


def test_an_unmapped_district_is_an_error_unless_allowed(tmp_path: Path):
    path = write(
        tmp_path,
        "2024-03-kent-street.csv",
        [row("2024-03", "Dover 001A", "Drugs"), row("2024-03", "Sevenoks 002B", "Drugs")],
    )
    with pytest.raises(InputError) as caught:
        run([tmp_path], "2024-03", None)
    assert str(caught.value) == (
        f"{_shown(path)}:3:9: LSOA name: district `Sevenoks` (Kent Police, 1 row in the periods) is not a partnership "
        "or a district of any vintage since 2011\n"
        '    hint: did you mean `Sevenoaks`? declare its area with --map "Sevenoks=AREA", or leave its rows out with '
        "--allow-unmapped"
    )
    made = run([tmp_path], "2024-03", None, allow_unmapped=True)
    assert made.provenance["rows"]["unmapped"] == {"Sevenoks": 1} and adds_up(made.provenance["rows"])
    assert made.summary[-1] == "  1 in unmapped districts, left out: Sevenoks 1 (did you mean `Sevenoaks`?)"
    made = run([tmp_path], "2024-03", None, maps=("Sevenoks=Sevenoaks",))
    assert made.counts.set_index(["area", "category"])["current"][("Sevenoaks", "Drugs")] == 1


def test_files_outside_the_periods_are_listed_not_read_and_copies_are_read_once(tmp_path: Path):
    (tmp_path / "2023-01-kent-street.csv").write_bytes(b"\x00 not even text")
    write(tmp_path, "2024-03-kent-street.csv", [row("2024-03", "Dover 001A", "Drugs")])
    shutil.copy(tmp_path / "2024-03-kent-street.csv", tmp_path / "copy-2024-03-kent-street.csv")
    made = run([tmp_path], "2024-03", None)
    inputs = made.provenance["inputs"]
    assert inputs[0] == {
        "file": _shown(tmp_path / "2023-01-kent-street.csv"),
        "skipped": "month 2023-01 is outside every period",
    }
    assert inputs[1]["rows"] == 1 and inputs[2]["skipped"].startswith("the same bytes as ")
    assert made.provenance["rows"]["read"] == 1


def test_an_unreadable_file_is_named(tmp_path: Path):
    (tmp_path / "2024-03-kent-street.csv").write_text("Month,Falls within,Crime type\n2024-03,Kent Police,Drugs\n")
    (tmp_path / "2024-04-kent-street.csv").write_text("")
    with pytest.raises(InputError) as caught:
        run([tmp_path], "2024-03:2024-04", None)
    assert [p.message for p in caught.value.problems] == ["missing column `LSOA name`", "the file is empty"]


def test_district_unit_resolves_old_names_to_todays_districts(tmp_path: Path):
    dorset = "Dorset Police"
    write(
        tmp_path,
        "2019-01-dorset-street.csv",
        [row("2019-01", "Christchurch 001A", "Drugs", dorset), row("2019-01", "Poole 001A", "Drugs", dorset)]
        + [row("2019-01", "West Dorset 001A", "Drugs", dorset)],
    )
    made = run([tmp_path], "2019-01", None, unit="district")
    counts = made.counts.set_index("area")["current"]
    assert counts.to_dict() == {"Bournemouth, Christchurch and Poole": 2, "Dorset": 1}
    assert made.population.set_index("area")["population"].to_dict() == {
        "Bournemouth, Christchurch and Poole": 400_300,
        "Dorset": 379_600,
    }
    assert_one_row_per_key(made)


# Real rows of two months, split any way into files, folders, month folders and a zip: the same counts.
_SPLIT_ROWS = [
    row("2019-01", lsoa, crime, "Dorset Police")
    for lsoa in ("Poole 001A", "West Dorset 002B", "Christchurch 001A", "", "Bristol 001A")
    for crime in ("Drugs", "Robbery")
] + [
    row("2019-02", "Bournemouth 001A", "Burglary", "Dorset Police"),
    row("2019-02", "Purbeck 001A", "Drugs", "Dorset Police"),
]


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    parts=st.lists(st.integers(0, 3), min_size=len(_SPLIT_ROWS), max_size=len(_SPLIT_ROWS)),
    layout=st.sampled_from(["flat", "month folders", "zip"]),
)
def test_any_split_of_the_same_rows_gives_the_same_counts(tmp_path_factory, parts, layout):
    root = tmp_path_factory.mktemp("split")
    files: dict[tuple[int, str], list[str]] = {}
    for part, text in zip(parts, _SPLIT_ROWS, strict=True):
        files.setdefault((part, text.split(",")[1]), []).append(text)
    for (part, month), rows in files.items():
        folder = root / f"part{part}" / (month if layout == "month folders" else "")
        write(folder, f"{month}-dorset-street.csv", rows)
    given_paths = [root]
    if layout == "zip":
        archive = root.parent / f"{root.name}.zip"
        with zipfile.ZipFile(archive, "w") as zipped:
            for path in sorted(root.rglob("*.csv")):
                zipped.write(path, str(path.relative_to(root)))
        given_paths = [archive]
    made = run(given_paths, "2019-02", "2019-01", maps=DECLARED)
    counts = made.counts.set_index(["area", "category"])
    assert counts.loc[("Bournemouth", "Drugs"), "previous"] == 1  # Christchurch, declared
    assert counts.loc[("Poole", "Robbery"), "previous"] == 1 and counts.loc[("Dorset", "Drugs"), "previous"] == 1
    assert counts.loc[("Dorset", "Drugs"), "current"] == 1 and counts.loc[("Bournemouth", "Burglary"), "current"] == 1
    rows = made.provenance["rows"]
    assert (rows["read"], rows["used"], rows["no_location"]) == (12, 8, 2)
    assert rows["in_areas_of_forces_not_read"] == {"Bristol": 2} and adds_up(rows)
    assert_one_row_per_key(made)


def test_norfolk_with_its_typographic_apostrophe_in_the_census(tmp_path: Path):
    norfolk = "Norfolk Constabulary"
    write(
        tmp_path, "2019-01-norfolk-street.csv", [row("2019-01", "King's Lynn and West Norfolk 001A", "Drugs", norfolk)]
    )
    made = run([tmp_path], "2019-01", None)
    population = made.population.set_index("area")["population"]
    assert population["King's Lynn and West Norfolk"] == 154_300
    assert made.counts.set_index("area").loc["King's Lynn and West Norfolk", "current"] == 1


def test_a_force_asked_for_but_absent_and_a_run_that_counts_nothing(tmp_path: Path):
    write(tmp_path, "2024-03-kent-street.csv", [row("2024-03", "", "Drugs"), row("2024-03", "Bexley 001A", "Drugs")])
    with pytest.raises(InputError) as caught:
        run([tmp_path], "2024-03", None, forces=("Surrey Police",))
    assert str(caught.value) == (
        "--force:1:1: no rows of force `Surrey Police` in the periods\n    hint: forces found: Kent Police"
    )
    with pytest.raises(InputError) as caught:
        run([tmp_path], "2024-03", None)
    assert caught.value.problems[0].message == "no row in the periods could be counted in an area"
    assert "1 without a location" in caught.value.problems[0].hint
