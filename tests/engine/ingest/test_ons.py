"""engine.ingest.ons: Table C2 as published, title rows, multi-line header, separators, [x] and all."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import InputError
from engine.ingest.ons import ingest_ons_csp, read_table
from tests.conftest import ROOT

TABLE = ROOT.parent / "shared" / "data" / "ons" / "recorded-crime-by-csp-ye-june-2025-table-c2.csv"
POPULATION = ROOT / "datasets" / "reference" / "census-2021-population-by-area.csv"
LOOKUP = ROOT / "datasets" / "reference" / "lad-to-csp-to-pfa-dec-2019.csv"


@pytest.mark.skipif(not TABLE.is_file(), reason="../shared/data is not beside the project")
def test_real_table_for_kent():
    made = ingest_ons_csp(TABLE, POPULATION, LOOKUP, force="Kent")
    counts = made.counts.set_index(["area", "category"])
    assert counts.loc[("Sevenoaks", "Total recorded crime (excluding fraud)"), "current"] == 6829
    assert counts.loc[("Dartford and Gravesham", "Theft offences"), "current"] == 7496
    population = made.population.set_index("area")["population"]
    assert population["Dartford and Gravesham"] == 116_800 + 106_900  # two districts, one partnership
    assert len(population) == 12
    assert made.provenance["rows"]["skipped_unassigned"] == 41 and made.provenance["rows"]["skipped_force_totals"] == 44
    burglary = made.counts[made.counts.category == "Residential burglary"].set_index("area")["county_position"]
    assert burglary["Tunbridge Wells"] == 1 and burglary["Sevenoaks"] == 12


SYNTHETIC = """"Table C2: title",,,,,,,
Some notes,,,,,,,
"Police Force
Area code","Police Force
Area name","Community Safety
Partnership code","Community Safety
Partnership name",Local Authority code,Local Authority name,"Total recorded crime
 (excluding fraud)",Robbery
E23000032,Kent,,,,,"1,234 ",5
E23000032,Kent,E22000144,Sevenoaks,E07000111,Sevenoaks,"6,829 ",[x]
E23000032,Kent,,Unassigned Kent,,,"2,037 ",1
E23000032,Kent,E22000138,Canterbury,E07000106,Canterbury,14603 ,2
"""


def test_synthetic_quirks(tmp_path: Path):
    path = tmp_path / "c2.csv"
    path.write_text(SYNTHETIC)
    table = read_table(path)
    assert table.offences == ["Total recorded crime (excluding fraud)", "Robbery"]
    assert table.skipped == {"force totals": 1, "unassigned": 1}
    made = ingest_ons_csp(path, POPULATION, LOOKUP)
    assert made.warnings == ["1 count is unavailable ([x]); those rows are left out"]
    assert sorted(made.counts["current"]) == [2, 6829, 14603]
    assert made.counts.iloc[0]["note"].startswith("Table C2 line 10 of ")


def test_bad_count_is_positioned(tmp_path: Path):
    path = tmp_path / "c2.csv"
    path.write_text(SYNTHETIC.replace("14603 ,2", "14603 ,two"))
    with pytest.raises(InputError) as caught:
        read_table(path)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column, problem.path, problem.message) == (12, 8, "Robbery", "`two` is not a count")
