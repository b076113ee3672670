"""engine.ingest.street: one file counted in one read, each row one fate, the hash of every byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

from engine.ingest.sources import Source
from engine.ingest.street import count, force_filter

from .helpers import row, write


def test_one_file_counted_by_fate(tmp_path: Path):
    path = write(
        tmp_path,
        "2024-03-kent-street.csv",
        [
            row("2024-03", "Dover 001A", "Drugs"),
            row("2024-03", "Dover 002B", "Drugs"),
            row("2024-03", "  ", "Drugs"),
            row("2024-02", "Dover 001A", "Drugs"),
            row("2024-03", "Guildford 001A", "Drugs", "Surrey Police"),
            row("March", "Dover 001A", "Drugs"),
            row("2024-03", "Dover 001A", ""),
            "too,few",
        ],
    )
    found = count(Source(path, "f.csv"), {"2024-03"}, force_filter(("Kent",)))
    assert found.problem is None
    assert found.sha256 == hashlib.sha256(path.read_bytes()).hexdigest() and found.bytes == path.stat().st_size
    assert (found.rows, found.malformed, found.not_selected, found.outside_periods) == (8, 3, 1, 1)
    assert dict(found.counts) == {
        ("Kent Police", "Dover", "", "Drugs", "2024-03"): 2,
        ("Kent Police", "", "", "Drugs", "2024-03"): 1,
    }
    assert dict(found.by_month) == {
        ("Kent Police", "2024-03"): 3,
        ("Kent Police", "2024-02"): 1,
        ("Surrey Police", "2024-03"): 1,
    }


def test_an_lsoa_lookup_adds_each_rows_partnership(tmp_path: Path):
    path = write(tmp_path, "x.csv", [row("2024-03", "Buckinghamshire 001A", "Drugs", code="E01017001")] * 2)
    found = count(Source(path, "x.csv"), {"2024-03"}, force_filter(()), {"E01017001": "E22000318"})
    assert dict(found.counts) == {("Kent Police", "Buckinghamshire", "E22000318", "Drugs", "2024-03"): 2}


def test_a_file_that_is_not_police_uk_csv_comes_back_with_its_problem(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"Month,Falls within,LSOA name,Crime type\n2024-03,Kent,\xff\xfe,Drugs\n")
    found = count(Source(path, "x.csv"), {"2024-03"}, force_filter(()))
    assert found.problem is not None and found.problem.message.startswith("cannot be read as police.uk CSV: ")
