"""engine.ingest.names: names compared as people mean them."""

from __future__ import annotations

import pytest

from engine.ingest.names import district_of, force_key, normalise


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("The Vale of Glamorgan", "Vale of Glamorgan"),
        ("King’s Lynn and West Norfolk", "King's Lynn and West Norfolk"),
        ("Barrow-in-Furness", "Barrow-In-Furness"),
        ("Bristol", "Bristol, City of"),
        ("Kingston upon Hull", "Kingston upon Hull, City of"),
        ("Herefordshire", "Herefordshire, County of"),
        ("York", "City of York"),
        ("Brighton & Hove", "Brighton and Hove"),
        ("St. Albans", "St Albans"),
        ("Rhondda Cynon Taff", "Rhondda Cynon Taf"),
        ("  Sevenoaks  ", "SEVENOAKS"),
    ],
)
def test_the_same_place(one, other):
    assert normalise(one) == normalise(other)


@pytest.mark.parametrize(("one", "other"), [("North Devon", "East Devon"), ("Poole", "Bournemouth")])
def test_different_places(one, other):
    assert normalise(one) != normalise(other)


@pytest.mark.parametrize(
    ("police", "area"),
    [
        ("Kent Police", "Kent"),
        ("Metropolitan Police Service", "Metropolitan Police"),
        ("City of London Police", "City of London"),
        ("Devon & Cornwall Police", "Devon and Cornwall"),
        ("Avon and Somerset Constabulary", "Avon and Somerset"),
        ("Dyfed-Powys Police", "Dyfed-Powys"),
    ],
)
def test_police_uk_force_names_meet_the_police_force_areas(police, area):
    assert force_key(police) == force_key(area)


@pytest.mark.parametrize(
    ("lsoa", "district"),
    [("Sevenoaks 012B", "Sevenoaks"), ("The Vale of Glamorgan 001A", "The Vale of Glamorgan"), ("", ""), ("  ", "")],
)
def test_district_of(lsoa, district):
    assert district_of(lsoa) == district
