"""engine.ingest.geography: the partnership table read as ONS publishes it, and the questions asked of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import InputError
from engine.ingest.geography import load_geography, read_csp_table, read_lookup
from engine.ingest.reference import CSP_TABLE, reference_table
from tests.conftest import ROOT

SHARED_TABLE = ROOT.parent / "shared" / "data" / "ons" / CSP_TABLE


def test_the_bundled_table_is_the_shared_one_unaltered():
    if not SHARED_TABLE.is_file():
        pytest.skip("../shared/data is not beside the project")
    assert reference_table(CSP_TABLE).read_bytes() == SHARED_TABLE.read_bytes()


def test_todays_partnerships():
    csps = read_csp_table(reference_table(CSP_TABLE))
    assert len(csps) == 314 and len({c.code for c in csps}) == 314
    assert len({c.force for c in csps}) == 43
    by_name = {c.name: c for c in csps}
    assert by_name["Dartford and Gravesham"].district_code == ""  # "Combined Local Authorities"
    assert (by_name["Wycombe"].district_code, by_name["Wycombe"].force) == ("E06000060", "Thames Valley")
    assert by_name["Sevenoaks"].line == 175


def test_a_partnerships_districts_and_todays_districts():
    geography = load_geography()
    western = geography.by_code["E22000373"]
    assert geography.district_codes(western) == ("E07000200", "E07000203", "E07000245")
    assert geography.active("E07000204") == "E07000245"  # St Edmundsbury is in West Suffolk today
    assert geography.is_current("E07000245") and not geography.is_current("E07000204")
    assert geography.names_of_codes["E06000058"] == "Bournemouth, Christchurch and Poole"
    assert load_geography() is geography  # read once per process while unchanged


def test_a_table_missing_a_column(tmp_path: Path):
    path = tmp_path / "lookup.csv"
    path.write_text("lad-code;lad-name;csp-code\n")
    with pytest.raises(InputError) as caught:
        read_lookup(path)
    assert caught.value.problems[0].message == "missing column `csp-name`"
