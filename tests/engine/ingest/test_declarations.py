"""engine.ingest.declarations: what the user declares, inline or in a CSV, each problem in its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import InputError
from engine.ingest.declarations import area_map, lsoa_lookup, pairs, populations
from engine.ingest.geography import load_geography


@pytest.fixture(scope="module")
def csps():
    return list(load_geography().csps)


def test_inline_and_file_declarations(tmp_path: Path, csps):
    path = tmp_path / "map.csv"
    path.write_text("district,area\nFoo,E22000144\n")
    found = pairs(("Christchurch=Bournemouth", str(path)), "--map", ("district", "area"))
    assert [(p.key, p.value, p.line, p.column) for p in found] == [
        ("Christchurch", "Bournemouth", 1, 14),
        ("Foo", "E22000144", 2, 2),
    ]
    assert found[0].file == "--map[1]" and found[1].file.endswith("map.csv")
    mapped = area_map(found, csps)
    assert mapped["christchurch"].name == "Bournemouth" and mapped["foo"].name == "Sevenoaks"


def test_an_unknown_area_gets_a_did_you_mean(csps):
    with pytest.raises(InputError) as caught:
        area_map(pairs(("Christchurch=Bournmouth",), "--map", ("district", "area")), csps)
    assert str(caught.value) == "--map[1]:1:14: `Bournmouth` is not an area\n    hint: did you mean `Bournemouth`?"


def test_a_district_declared_twice_two_ways(csps):
    with pytest.raises(InputError) as caught:
        area_map(pairs(("Christchurch=Bournemouth", "christchurch=Poole"), "--map", ("district", "area")), csps)
    assert (
        caught.value.problems[0].message == "`christchurch` is declared as Poole here and as Bournemouth at --map[1]:1"
    )


def test_not_a_declaration():
    with pytest.raises(InputError) as caught:
        pairs(("Christchurch",), "--map", ("district", "area"))
    assert str(caught.value) == (
        "--map[1]:1:1: `Christchurch` is neither KEY=VALUE nor a CSV file\n"
        '    hint: write --map "Christchurch=Bournemouth", or give a CSV file with the columns district,area'
    )


def test_declared_populations(csps):
    found = populations(pairs(("Wycombe=120,100",), "--population-for", ("area", "population")), csps)
    assert found["E22000318"][0] == 120_100
    with pytest.raises(InputError) as caught:
        populations(pairs(("Wycombe=many", "Wycomb=5"), "--population-for", ("area", "population")), csps)
    assert [str(p) for p in caught.value.problems] == [
        "--population-for[1]:1:9: `many` is not a whole number above 0",
        "--population-for[2]:1:1: `Wycomb` is not an area\n    hint: did you mean `Wycombe`?",
    ]


def test_an_lsoa_lookup(tmp_path: Path):
    path = tmp_path / "lsoa.csv"
    path.write_text("lsoa_code,csp_code\nE01017001,E22000318\nE01017002,E99999999\n")
    with pytest.raises(InputError) as caught:
        lsoa_lookup(path, {"E22000318"})
    assert caught.value.problems[0].line == 3
    assert caught.value.problems[0].message == "`E99999999` is not a partnership code of the table"
    path.write_text("LSOA21CD,CSP23CD\nE01017001,E22000318\n")
    assert lsoa_lookup(path, {"E22000318"}) == {"E01017001": "E22000318"}
    path.write_text("lsoa,partnership\n")
    with pytest.raises(InputError) as caught:
        lsoa_lookup(path, set())
    assert caught.value.problems[0].message == "missing column `lsoa_code`"
