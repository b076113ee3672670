"""Turn the ONS "recorded crime by Community Safety Partnership" table (Table C2) into a dataset.

The sheet is read as published: title rows before the header, header cells
spanning lines, numbers with thousands separators and trailing spaces, ``[x]``
for unavailable, one total row and one ``Unassigned`` row per police force
area. Each partnership becomes an area (partnerships spanning two districts,
such as Dartford and Gravesham, are one area) with one row per offence group.
Populations are the partnership's districts' Census 2021 populations summed,
using the ONS district -> partnership lookup (matched by partnership code, as
names change between vintages). The table has one period; a second edition
(``previous``) gives the previous counts. County position: per offence group,
rank of the rate per 1,000 within the police force area, 1 = lowest; equal
rates share the lower position.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.errors import InputError, Problem
from engine.ingest.reference import ALIASES, RANK_PLACES, file_sha256
from engine.numbers import plural
from engine.paths import display_path
from engine.text import decode_utf8, read_regular

ID_COLUMNS = [
    "Police Force Area code",
    "Police Force Area name",
    "Community Safety Partnership code",
    "Community Safety Partnership name",
    "Local Authority code",
    "Local Authority name",
]


@dataclass(frozen=True)
class Table:
    """One edition of Table C2: counts per partnership and offence group, with skipped rows noted."""

    rows: list[dict[str, Any]]  # code, name, force, offence, count (None where [x]), line
    offences: list[str]
    skipped: dict[str, int]
    sha256: str
    display: str
    partnerships: list[dict[str, Any]]  # one per partnership line: the ID columns by name, and "line"


def _clean(cell: str) -> str:
    return re.sub(r"\s+", " ", cell).strip()


def read_table(path: Path) -> Table:
    """Parse an edition of the table; raise :class:`InputError` with positions for what cannot be read."""
    display = display_path(path)
    raw = read_regular(path, display)
    text = decode_utf8(raw, display, "save the sheet as CSV UTF-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[dict[str, Any]] = []
    partnerships: list[dict[str, Any]] = []
    offences: list[str] = []
    skipped = {"force totals": 0, "unassigned": 0}
    problems: list[Problem] = []
    line = 1
    for record in reader:
        start, line = line, reader.line_num + 1
        cells = [_clean(c) for c in record]
        if header is None:  # title rows come first
            header = _header(cells, display, start)
            offences = [c for c in header[len(ID_COLUMNS) :] if c] if header else []
            continue
        if not any(cells):
            continue
        row = dict(zip(header, cells, strict=False))
        code, name = row["Community Safety Partnership code"], row["Community Safety Partnership name"]
        if not code:
            skipped["unassigned" if name.startswith("Unassigned") else "force totals"] += 1
            continue
        partnerships.append({**{c: row.get(c, "") for c in ID_COLUMNS}, "line": start})
        rows += _partnership_rows(row, cells, offences, start, display, problems)
    if header is None:
        raise InputError([Problem(display, 1, 1, "", "no header row starting `Police Force Area code` was found")])
    if problems:
        raise InputError(problems)
    return Table(rows, offences, skipped, hashlib.sha256(raw).hexdigest(), display, partnerships)


def _header(cells: list[str], display: str, start: int) -> list[str] | None:
    """The header, if this line is it (it starts with the first ID column); InputError if it lacks an ID column."""
    if not cells or cells[0] != ID_COLUMNS[0]:
        return None
    missing = [c for c in ID_COLUMNS if c not in cells]
    if missing:
        raise InputError([Problem(display, start, 1, "", f"missing column `{missing[0]}`")])
    return cells


def _partnership_rows(
    row: dict[str, str], cells: list[str], offences: list[str], start: int, display: str, problems: list[Problem]
) -> list[dict[str, Any]]:
    """One row per offence group of a partnership's line (count None where ``[x]`` or blank).

    A cell that is not a count is added to ``problems`` and left out.
    """
    out = []
    for n, offence in enumerate(offences, start=len(ID_COLUMNS)):
        cell = cells[n] if n < len(cells) else ""
        if cell in ("[x]", ""):
            count = None
        elif re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})*|[0-9]+", cell):
            count = int(cell.replace(",", ""))
        else:
            problems.append(Problem(display, start, n + 1, offence, f"`{cell}` is not a count"))
            continue
        out.append(
            {
                "code": row["Community Safety Partnership code"],
                "name": row["Community Safety Partnership name"],
                "force": row["Police Force Area name"],
                "offence": offence,
                "count": count,
                "line": start,
            }
        )
    return out


@dataclass(frozen=True)
class IngestedOns:
    counts: Any
    population: Any
    provenance: dict[str, Any]
    warnings: list[str]


def ingest_ons_csp(
    path: Path, population_file: Path, lookup_file: Path, previous: Path | None = None, force: str | None = None
) -> IngestedOns:
    """Build a crime_counts dataset (one area per partnership) and its population from Table C2."""
    import pandas as pd

    table = read_table(path)
    now = pd.DataFrame(table.rows)
    if force is not None:
        now = now[now["force"].str.strip() == force]
        if now.empty:
            raise InputError(
                [Problem("--force", 1, 1, "", f"no partnership of police force area `{force}` in the table")]
            )
    warnings: list[str] = []
    counts = now.rename(columns={"count": "current"})
    if previous is not None:
        counts = _with_previous(counts, previous, warnings)
    unavailable = counts[counts["current"].isna()]
    if len(unavailable):
        are = "is" if len(unavailable) == 1 else "are"
        warnings.append(f"{plural(len(unavailable), 'count')} {are} unavailable ([x]); those rows are left out")
        counts = counts[counts["current"].notna()]
    counts = _rates_and_positions(counts, _csp_population(population_file, lookup_file), warnings)
    out = _counts_frame(counts, table.display)
    areas = counts.drop_duplicates("code")
    pop = pd.DataFrame(
        {
            "area": areas["name"].str.strip(),
            "population": areas["population"].astype("Int64"),
            "source": "ONS Census 2021, districts summed per partnership (ONS lookup, December 2019)",
        }
    )
    provenance = _provenance(table, previous, population_file, lookup_file, int(areas.shape[0]), warnings)
    return IngestedOns(out.reset_index(drop=True), pop.reset_index(drop=True), provenance, warnings)


def _with_previous(counts: Any, previous: Path, warnings: list[str]) -> Any:
    """The counts with the previous edition's count of each partnership and offence group (NaN where it has none)."""
    import pandas as pd

    before = pd.DataFrame(read_table(previous).rows).rename(columns={"count": "previous"})
    counts = counts.merge(before[["code", "offence", "previous"]], on=["code", "offence"], how="left")
    lost = counts[counts["previous"].isna()]["name"].unique()
    if len(lost):
        have = "has" if len(lost) == 1 else "have"
        warnings.append(f"{plural(len(lost), 'partnership')} {have} no previous counts: {', '.join(sorted(lost)[:5])}")
    return counts


def _rates_and_positions(counts: Any, population: dict[str, int], warnings: list[str]) -> Any:
    """Add each partnership's population, rate per 1,000 and county position (blank without a population)."""
    import numpy as np

    from engine.numbers import round_ratio

    counts["population"] = counts["code"].map(population)
    lacking = sorted(counts[counts["population"].isna()]["name"].unique())
    if lacking:
        warnings.append(f"no population for {', '.join(lacking)}: rates and positions left blank")
    current = counts["current"].astype(np.int64).to_numpy()
    people = counts["population"].fillna(0).astype(np.int64).to_numpy()
    exact, defined = round_ratio(current * 1000, people, RANK_PLACES)
    counts["rank_key"] = np.where(defined, exact, np.nan)
    counts["county_position"] = counts.groupby(["force", "offence"])["rank_key"].rank(method="min").astype("Int64")
    rate, _ = round_ratio(current * 1000, people, 2)
    counts["rate_per_1000"] = [f"{r / 100:.2f}" if ok else "" for r, ok in zip(rate, defined, strict=True)]
    return counts


def _counts_frame(counts: Any, display: str) -> Any:
    """The dataset's rows: area, category, (previous,) current, county position, rate and the line it came from."""
    import numpy as np
    import pandas as pd

    out = pd.DataFrame(
        {
            "area": counts["name"].str.strip(),
            "category": counts["offence"],
            "current": counts["current"].astype(np.int64),
            "county_position": counts["county_position"],
            "rate_per_1000": counts["rate_per_1000"],
            "note": "Table C2 line " + counts["line"].astype(str) + f" of {display}",
        }
    )
    if "previous" in counts.columns:
        out.insert(2, "previous", counts["previous"].astype("Int64"))
    return out


def _provenance(
    table: Table,
    previous: Path | None,
    population_file: Path,
    lookup_file: Path,
    partnerships: int,
    warnings: list[str],
) -> dict[str, Any]:
    inputs: list[dict[str, str]] = [{"file": table.display, "sha256": table.sha256}]
    if previous:
        inputs.append(
            {
                "file": display_path(previous),
                "sha256": hashlib.sha256(previous.read_bytes()).hexdigest(),
                "role": "previous edition",
            }
        )
    return {
        "source": "ONS police recorded crime by Community Safety Partnership, Table C2",
        "inputs": inputs,
        "population": {"file": display_path(population_file), "sha256": file_sha256(population_file)},
        "lookup": {"file": display_path(lookup_file), "sha256": file_sha256(lookup_file)},
        "rows": {
            "partnerships": partnerships,
            "offence_groups": len(table.offences),
            "skipped_force_totals": table.skipped["force totals"],
            "skipped_unassigned": table.skipped["unassigned"],
        },
        "county_position": "rank of the rate per 1,000 within the police force area, 1 = lowest; equal rates "
        "share the lower position (1, 1, 3)",
        "warnings": warnings,
    }


def _csp_population(population_file: Path, lookup_file: Path) -> dict[str, int]:
    """Population per partnership code: its districts' Census 2021 populations summed."""
    import pandas as pd

    census = pd.read_csv(population_file, dtype=str)
    if "population" in census.columns and "area" in census.columns:  # a file the user gives: area,population
        census = census.rename(columns={"area": "area_name", "population": "population_2021"})
        census["area_code"] = ""
    missing = [c for c in ("area_code", "area_name", "population_2021") if c not in census.columns]
    if missing:
        raise InputError(
            [
                Problem(
                    display_path(population_file),
                    1,
                    1,
                    "",
                    f"missing column `{missing[0]}`",
                    "give the ONS Census 2021 table or an area,population CSV",
                )
            ]
        )
    by_name = {
        n: int(str(p).replace(",", "")) for n, p in zip(census["area_name"], census["population_2021"], strict=True)
    }
    by_code = {
        c: int(str(p).replace(",", "")) for c, p in zip(census["area_code"], census["population_2021"], strict=True)
    }
    lookup = pd.read_csv(lookup_file, sep=";", dtype=str)
    # A census figure found for several partnerships (Buckinghamshire's, found for Wycombe, Aylesbury Vale, Chiltern
    # and South Bucks alike) is a merged district's: it belongs to none of them alone, so none gets it.
    found: dict[str, list[tuple[str, int]]] = {}
    for code, name, csp in zip(lookup["lad-code"], lookup["lad-name"], lookup["csp-code"], strict=True):
        key = code if code in by_code else ALIASES.get(name, name)
        value = by_code.get(code) or by_name.get(ALIASES.get(name, name))
        if value is not None:
            found.setdefault(key, []).append((csp, value))
    totals: dict[str, int] = {}
    shared = {csp for uses in found.values() if len({c for c, _ in uses}) > 1 for csp, _ in uses}
    for uses in found.values():
        for csp, value in uses:
            if csp not in shared:
                totals[csp] = totals.get(csp, 0) + value
    return totals
