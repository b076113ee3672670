"""engine.ingest.population: a partnership's population from its own districts only; never invented or shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import InputError
from engine.ingest.geography import load_geography
from engine.ingest.population import csp_populations, district_populations, read_table, whole
from engine.ingest.reference import POPULATION, reference_table


@pytest.fixture(scope="module")
def every_partnership():
    geography = load_geography()
    return geography, csp_populations(list(geography.csps), geography, read_table(reference_table(POPULATION)))


def test_exactly_fourteen_partnerships_have_no_census_population(every_partnership):
    geography, found = every_partnership
    lacking = sorted(geography.by_code[code].name for code, p in found.items() if p.value is None)
    assert lacking == [
        "Aylesbury Vale",
        "Bournemouth",
        "Chiltern",
        "Corby",
        "Daventry and South Northamptonshire",
        "East Northamptonshire",
        "Kettering",
        "Northampton",
        "Poole",
        "South Bucks",
        "Suffolk Coastal",
        "Waveney",
        "Wellingborough",
        "Wycombe",
    ]
    assert found["E22000318"].source == (
        "its district Buckinghamshire (E06000060) holds 4 partnerships (Aylesbury Vale, Chiltern, South Bucks, Wycombe)"
    )


def test_a_partnership_of_several_districts_sums_them(every_partnership):
    geography, found = every_partnership
    dartford = next(c for c in geography.csps if c.name == "Dartford and Gravesham")
    assert found[dartford.code].value == 116_800 + 106_900
    assert found[dartford.code].source == "ONS Census 2021 (rounded to the nearest 100): Dartford + Gravesham"
    somerset = next(c for c in geography.csps if c.name == "Somerset")
    assert found[somerset.code].value == 571_600  # by name: the census's Somerset is the same area
    norfolk = next(c for c in geography.csps if c.name == "King's Lynn and West Norfolk")
    assert found[norfolk.code].value == 154_300  # the census writes King’s Lynn


def test_a_users_table_names_the_areas_themselves(tmp_path: Path):
    geography = load_geography()
    path = tmp_path / "people.csv"
    path.write_text('area,population\nWycombe,"120,100"\n')
    table = read_table(path)
    wycombe = geography.by_code["E22000318"]
    assert csp_populations([wycombe], geography, table)[wycombe.code].value == 120_100
    assert district_populations([wycombe], table)[wycombe.code].value == 120_100


def test_a_bad_figure_is_placed(tmp_path: Path):
    path = tmp_path / "people.csv"
    path.write_text("area,population\nWycombe,lots\n")
    with pytest.raises(InputError) as caught:
        read_table(path)
    assert str(caught.value).endswith("people.csv:2:2: population: `lots` is not a whole number above 0")


@pytest.mark.parametrize(
    ("text", "value"), [("120500", 120500), ("120,500", 120500), ("0", None), ("1,20", None), ("-5", None), ("", None)]
)
def test_whole(text, value):
    assert whole(text) == value
