"""What every ingester shares: the bundled ONS reference tables, district-name aliases, rank precision, file hashes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from engine.paths import bundled_root

#: The bundled ONS reference tables (unaltered copies; see datasets/reference/README.md).
POPULATION = "census-2021-population-by-area.csv"
LOOKUP = "lad-to-csp-to-pfa-dec-2019.csv"
CSP_TABLE = "recorded-crime-by-csp-ye-june-2025-table-c2.csv"
DISTRICTS = "local-authority-districts-since-2011.csv"

#: Rates per 1,000 are compared to this many places when areas are ranked.
RANK_PLACES = 6

#: District names as police.uk or older files write them -> the name in the ONS tables.
ALIASES = {
    "Shepway": "Folkestone and Hythe",
    "Kingston upon Hull": "Kingston upon Hull, City of",
    "Bristol": "Bristol, City of",
    "Herefordshire": "Herefordshire, County of",
    "Rhondda Cynon Taff": "Rhondda Cynon Taf",
    "Taunton Deane": "Somerset West and Taunton",
}


def reference_table(name: str) -> Path:
    """Path of a bundled reference table (:data:`POPULATION`, :data:`LOOKUP`, :data:`CSP_TABLE`, :data:`DISTRICTS`)."""
    return bundled_root() / "datasets" / "reference" / name


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, for provenance."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
