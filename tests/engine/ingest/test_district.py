"""engine.ingest.district: names of any vintage to today's districts (``--unit district``)."""

from __future__ import annotations

import pytest

from engine.ingest.csp import RESOLVED, UNMAPPED
from engine.ingest.district import DistrictResolver
from engine.ingest.geography import load_geography


@pytest.fixture(scope="module")
def resolver():
    return DistrictResolver(load_geography())


def test_todays_districts(resolver):
    assert len(resolver.areas) == 318
    kent = sorted(a.name for a in resolver.areas.values() if a.force == "Kent")
    assert len(kent) == 13 and "Dartford" in kent and "Folkestone and Hythe" in kent


@pytest.mark.parametrize(
    ("name", "district", "rule"),
    [
        ("Sevenoaks", "Sevenoaks", "district"),
        ("Christchurch", "Bournemouth, Christchurch and Poole", "district of today"),
        ("Wycombe", "Buckinghamshire", "district of today"),
        ("Allerdale", "Cumberland", "district of today"),
        ("The Vale of Glamorgan", "Vale of Glamorgan", "district"),
        ("Shepway", "Folkestone and Hythe", "former name"),
    ],
)
def test_names_of_any_vintage(resolver, name, district, rule):
    found = resolver.resolve(name, "")
    assert (found.status, found.area.name, found.rule) == (RESOLVED, district, rule)


def test_unmapped(resolver):
    assert resolver.resolve("Sevenoks", "").status == UNMAPPED
