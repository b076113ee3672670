"""engine.ingest.account: the fates add up, and the summary says each one."""

from __future__ import annotations

from collections import Counter

from engine.ingest.account import Account, summary_lines


def test_every_fate_adds_up_and_is_said():
    account = Account(read=1_000, used=900, in_another_force=3, no_location=40, outside_periods=10, malformed=2)
    account.outside_forces_read.update({"Bexley": 7, "Tandridge": 6})
    account.not_assignable["Buckinghamshire"] = 30
    account.unmapped["Sevenoks"] = 5
    assert account.accounted() == account.read
    assert summary_lines(account, 4, ["Kent Police"], {"Sevenoks": "did you mean `Sevenoaks`?"}) == [
        "Rows: 1,000 read from 4 files of 1 force (Kent Police)",
        "    900 used (3 of them reported by one force but lying in another force's area, counted where they lie)",
        "     13 in areas of forces whose files were not read: Bexley 7, Tandridge 6",
        "     40 without a location",
        "     10 outside the periods",
        "      0 of forces not selected (--force)",
        "      2 malformed",
        "     30 not assignable to one partnership: Buckinghamshire 30",
        "      5 in unmapped districts, left out: Sevenoks 5 (did you mean `Sevenoaks`?)",
    ]


def test_long_lists_are_cut_short_in_the_summary_not_in_the_provenance():
    account = Account(read=7)
    account.outside_forces_read.update(Counter({f"D{n}": 1 for n in range(7)}))
    assert summary_lines(account, 1, [], {})[2].endswith("D0 1, D1 1, D2 1, D3 1, D4 1 and 2 more")
    assert len(account.as_dict()["in_areas_of_forces_not_read"]) == 7
