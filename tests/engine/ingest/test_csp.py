"""engine.ingest.csp: each resolution rule, in order, on the bundled ONS tables; ambiguity, splits, no guesses."""

from __future__ import annotations

import pytest

from engine.ingest.csp import AMBIGUOUS, RESOLVED, SPLIT, UNMAPPED, Resolver, resolve
from engine.ingest.geography import load_geography


@pytest.mark.parametrize(
    ("district", "force", "partnership", "rule"),
    [
        # (a) a partnership of that name, after normalising
        ("Sevenoaks", "Kent Police", "Sevenoaks", "name"),
        ("The Vale of Glamorgan", "South Wales Police", "Vale of Glamorgan", "name"),
        ("King’s Lynn and West Norfolk", "Norfolk Constabulary", "King's Lynn and West Norfolk", "name"),
        ("Barrow-in-Furness", "Cumbria Constabulary", "Barrow-In-Furness", "name"),
        ("Bristol", "Avon and Somerset Constabulary", "Bristol, City of", "name"),
        ("Herefordshire", "West Mercia Police", "Herefordshire, County of", "name"),
        ("York", "North Yorkshire Police", "City of York", "name"),
        ("Wycombe", "Thames Valley Police", "Wycombe", "name"),  # still a partnership inside Buckinghamshire
        ("Waveney", "Suffolk Constabulary", "Waveney", "name"),  # still a partnership inside East Suffolk
        ("Bournemouth", "Dorset Police", "Bournemouth", "name"),
        # (b) a partnership whose name joins several former districts
        ("Daventry", "Northamptonshire Police", "Daventry and South Northamptonshire", "joined name"),
        ("South Northamptonshire", "Northamptonshire Police", "Daventry and South Northamptonshire", "joined name"),
        ("Gravesham", "Kent Police", "Dartford and Gravesham", "joined name"),
        ("Mid Devon", "Devon & Cornwall Police", "East and Mid Devon", "joined name"),
        # (c) a partnership formerly of that name, by partnership code
        ("Shepway", "Kent Police", "Folkestone and Hythe", "former name"),
        # (d) the district's successor: by Table C2's district codes, or the 2019 lookup for combined partnerships
        ("Taunton Deane", "Avon and Somerset Constabulary", "Somerset", "successor"),
        ("West Somerset", "Avon and Somerset Constabulary", "Somerset", "successor"),
        ("Mendip", "Avon and Somerset Constabulary", "Somerset", "successor"),
        ("West Dorset", "Dorset Police", "Dorset", "successor"),
        ("St Edmundsbury", "Suffolk Constabulary", "Western Suffolk", "successor"),
        ("Forest Heath", "Suffolk Constabulary", "Western Suffolk", "successor"),
        ("Rhondda Cynon Taf", "South Wales Police", "Cwm Taf", "successor"),
        ("Harrogate", "North Yorkshire Police", "North Yorkshire", "successor"),
        ("Torridge", "Devon & Cornwall Police", "North Devon", "successor"),
    ],
)
def test_each_rule(district, force, partnership, rule):
    found = resolve(district, force)
    assert (found.status, found.area.name if found.area else None, found.rule) == (RESOLVED, partnership, rule)


def test_the_successor_rule_says_which_district_of_today_it_went_through():
    assert resolve("Taunton Deane", "Avon and Somerset Constabulary").via == "Somerset (E06000066)"


def test_a_former_district_in_several_partnerships_is_ambiguous_never_guessed():
    found = resolve("Christchurch", "Dorset Police")
    assert found.status == AMBIGUOUS and found.area is None
    assert [c.name for c in found.candidates] == ["Bournemouth", "Poole"]
    assert found.via == "Bournemouth, Christchurch and Poole (E06000058)"


@pytest.mark.parametrize(
    ("district", "partnerships"),
    [
        ("Buckinghamshire", ["Aylesbury Vale", "Chiltern", "South Bucks", "Wycombe"]),
        ("East Suffolk", ["Suffolk Coastal", "Waveney"]),
        ("Bournemouth, Christchurch and Poole", ["Bournemouth", "Poole"]),
        ("West Northamptonshire", ["Daventry and South Northamptonshire", "Northampton"]),
        ("Cumberland", ["Allerdale", "Carlisle", "Copeland"]),
    ],
)
def test_a_district_of_today_holding_several_partnerships_is_split(district, partnerships):
    found = resolve(district, "any force")
    assert found.status == SPLIT and [c.name for c in found.candidates] == partnerships


def test_a_declared_mapping_comes_first():
    geography = load_geography()
    bournemouth = geography.by_code["E22000063"]
    found = Resolver(geography, {"christchurch": bournemouth}).resolve("Christchurch", "Dorset Police")
    assert (found.status, found.area, found.rule) == (RESOLVED, bournemouth, "declared")


def test_unmapped_with_a_did_you_mean():
    found = resolve("Sevenoks", "Kent Police")
    assert (found.status, found.suggestion) == (UNMAPPED, "did you mean `Sevenoaks`?")
    assert resolve("Atlantis", "Kent Police").suggestion == ""


def test_a_district_in_another_force_resolves_to_where_it_lies():
    found = resolve("Bexley", "Kent Police")
    assert (found.area.name, found.area.force) == ("Bexley", "Metropolitan Police")


def test_every_district_since_2011_reaches_a_partnership_or_is_a_known_split():
    """Every district of England and Wales since 2011 resolves, except the districts of today holding several
    partnerships (split by LSOA) and Christchurch (declared by the user)."""
    geography = load_geography()
    unresolved = {
        d.name: resolve(d.name, "").status
        for d in geography.districts
        if d.code[0] in "EW" and resolve(d.name, "").status != RESOLVED
    }
    assert unresolved == {
        "Bournemouth, Christchurch and Poole": SPLIT,
        "Buckinghamshire": SPLIT,
        "North Northamptonshire": SPLIT,
        "West Northamptonshire": SPLIT,
        "Cumberland": SPLIT,
        "Westmorland and Furness": SPLIT,
        "Christchurch": AMBIGUOUS,
        "East Suffolk": SPLIT,
    }
