"""The geography ingestion maps onto: today's partnerships, their districts, and every district since 2011.

Three ONS tables, read once (the bundled copies unless the user gives others):

- the recorded-crime-by-partnership table (Table C2): each partnership's code, name, police force area and,
  where it is one district, that district's code ("Combined Local Authorities" otherwise);
- the 2019 district -> partnership -> force lookup: the districts of each partnership (used where Table C2
  says "Combined Local Authorities") and the partnerships' names of 2019;
- the districts since 2011: every district that has existed and the district that covers it today.

:func:`read_csp_table` is the one reader of the partnership table (``cspscore init`` uses it too);
:class:`Geography` answers the questions resolution and population need: a partnership's districts, the
district covering a code today, a name's districts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from engine.errors import InputError, Problem
from engine.ingest.names import force_key, normalise
from engine.ingest.ons import read_table
from engine.ingest.reference import CSP_TABLE, DISTRICTS, LOOKUP, file_sha256, reference_table
from engine.paths import display_path
from engine.text import decode_utf8, read_regular

COMBINED = "Combined Local Authorities"
LOOKUP_COLUMNS = ["lad-code", "lad-name", "csp-code", "csp-name", "PFA21NM"]
DISTRICT_COLUMNS = ["LADCD", "LADNM", "LADCD_ACTIVE", "LADNM_ACTIVE", "Current"]


@dataclass(frozen=True)
class Area:
    """An area counts are made for: a partnership or a district of today, in its police force area."""

    code: str
    name: str
    force: str  # the police force area, as the partnership table names it


@dataclass(frozen=True)
class Csp(Area):
    """A Community Safety Partnership as Table C2 lists it."""

    force_code: str
    district_code: str  # "" where the table says "Combined Local Authorities"
    district_name: str
    line: int


@dataclass(frozen=True)
class LookupRow:
    """One line of the 2019 district -> partnership -> force lookup."""

    district_code: str
    district_name: str
    csp_code: str
    csp_name: str
    force: str


@dataclass(frozen=True)
class District:
    """One district that has existed since 2011, and the district covering it today."""

    code: str
    name: str
    active_code: str
    active_name: str
    current: bool


def read_csp_table(path: Path) -> list[Csp]:
    """Every partnership of Table C2 (force totals and ``Unassigned`` rows left out), in table order."""
    table = read_table(path)
    out = []
    for row in table.partnerships:
        district = str(row["Local Authority code"])
        out.append(
            Csp(
                code=str(row["Community Safety Partnership code"]),
                name=str(row["Community Safety Partnership name"]),
                force=str(row["Police Force Area name"]),
                force_code=str(row["Police Force Area code"]),
                district_code="" if district == COMBINED else district,
                district_name=str(row["Local Authority name"]),
                line=int(row["line"]),
            )
        )
    if not out:
        raise InputError([Problem(table.display, 1, 1, "", "the table lists no partnership")])
    return out


def _records(path: Path, columns: list[str], delimiter: str = ",") -> list[dict[str, str]]:
    display = display_path(path)
    text = decode_utf8(read_regular(path, display), display, "save the table as CSV UTF-8")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError([Problem(display, 1, 1, "", f"missing column `{missing[0]}`")])
    return [{c: (row.get(c) or "").strip() for c in columns} for row in reader]


def read_lookup(path: Path) -> list[LookupRow]:
    """The 2019 lookup (``;``-separated, as ONS publishes it)."""
    return [
        LookupRow(r["lad-code"], r["lad-name"], r["csp-code"], r["csp-name"], r["PFA21NM"])
        for r in _records(path, LOOKUP_COLUMNS, ";")
    ]


def read_districts(path: Path) -> list[District]:
    """The districts since 2011."""
    return [
        District(r["LADCD"], r["LADNM"], r["LADCD_ACTIVE"], r["LADNM_ACTIVE"], r["Current"].upper() == "TRUE")
        for r in _records(path, DISTRICT_COLUMNS)
    ]


class Geography:
    """Partnerships, the 2019 lookup and the districts since 2011, with the indexes resolution needs."""

    def __init__(self, csps: list[Csp], lookup: list[LookupRow], districts: list[District], files: dict[str, Path]):
        self.csps = tuple(csps)
        self.lookup = tuple(lookup)
        self.districts = tuple(districts)
        self.files = files

    @cached_property
    def by_code(self) -> dict[str, Csp]:
        return {c.code: c for c in self.csps}

    @cached_property
    def forces(self) -> dict[str, str]:
        """Force key -> the police force area's name in the partnership table."""
        return {force_key(c.force): c.force for c in self.csps}

    @cached_property
    def _active(self) -> dict[str, str]:
        return {d.code: d.active_code for d in self.districts if d.active_code}

    def active(self, code: str) -> str:
        """The code of the district covering district ``code`` today (itself if it is current or unknown)."""
        return self._active.get(code, code)

    @cached_property
    def _lookup_districts(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for row in self.lookup:
            out.setdefault(row.csp_code, []).append(row.district_code)
        return {code: tuple(dict.fromkeys(codes)) for code, codes in out.items()}

    def district_codes(self, csp: Csp) -> tuple[str, ...]:
        """The districts a partnership is made of: Table C2's code, or the 2019 lookup's for a combined one."""
        return (csp.district_code,) if csp.district_code else self._lookup_districts.get(csp.code, ())

    def active_codes(self, csp: Csp) -> frozenset[str]:
        """The districts of today the partnership lies in."""
        return frozenset(self.active(code) for code in self.district_codes(csp))

    @cached_property
    def names_of_codes(self) -> dict[str, str]:
        """District code -> its name (the districts file, else the 2019 lookup, else Table C2)."""
        out = {c.district_code: c.district_name for c in self.csps if c.district_code}
        out.update({r.district_code: r.district_name for r in self.lookup})
        out.update({d.code: d.name for d in self.districts})
        return out

    @cached_property
    def codes_of_names(self) -> dict[str, frozenset[str]]:
        """Normalised district name -> the codes it has had (its own, of any vintage)."""
        out: dict[str, set[str]] = {}
        for district in self.districts:
            out.setdefault(normalise(district.name), set()).add(district.code)
        for row in self.lookup:
            out.setdefault(normalise(row.district_name), set()).add(row.district_code)
        return {name: frozenset(codes) for name, codes in out.items()}

    def is_current(self, code: str) -> bool:
        """Whether a district code is a district of today."""
        return self.active(code) == code

    def provenance(self) -> dict[str, dict[str, str]]:
        """Each table's file and SHA-256."""
        return {role: {"file": display_path(p), "sha256": file_sha256(p)} for role, p in self.files.items()}


def load_geography(
    csp_table: Path | None = None, lookup: Path | None = None, districts: Path | None = None
) -> Geography:
    """The three tables (the bundled copies where a path is not given); InputError for what cannot be read.

    Tables already read in this process, unchanged since (same size and modification time), are not read again.
    """
    paths = (
        csp_table or reference_table(CSP_TABLE),
        lookup or reference_table(LOOKUP),
        districts or reference_table(DISTRICTS),
    )
    return _load(tuple((p, p.stat().st_size, p.stat().st_mtime_ns) for p in paths))


@lru_cache(maxsize=4)
def _load(files: tuple[tuple[Path, int, int], ...]) -> Geography:
    (csps, _, _), (lookup, _, _), (districts, _, _) = files
    roles = {"partnerships": csps, "lookup_2019": lookup, "districts_since_2011": districts}
    return Geography(read_csp_table(csps), read_lookup(lookup), read_districts(districts), roles)
