"""Turn police.uk street-level crime files into a ``crime_counts`` dataset for one force's districts.

Files are ``YYYY-MM-<force>-street.csv`` as police.uk publishes them. Only four
columns are read (Month, Falls within, LSOA name, Crime type), with pyarrow's
CSV reader, one file at a time, and counted straight away, so memory stays
bounded by the largest file. The district is the LSOA name without its last word
(``Sevenoaks 012B`` -> ``Sevenoaks``), after an alias table for renamed
districts. Nothing is dropped silently: rows of other forces, outside the two
periods, with no location, in districts outside the force, and malformed rows
are all counted in the provenance, and months missing from a period or with
implausibly few rows are reported as warnings with the figures.

County position: per crime type, each district's rate per 1,000 residents
(compared exactly to 6 decimal places) ranked among the force's districts,
1 = lowest; equal rates share the lower position (1, 1, 3).
"""

from __future__ import annotations

import hashlib
import mmap
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import InputError, Problem
from engine.ingest.reference import ALIASES, RANK_PLACES, file_sha256
from engine.numbers import plural
from engine.paths import display_path

COLUMNS = ["Month", "Falls within", "LSOA name", "Crime type"]
FILE_NAME = re.compile(r"(\d{4}-\d{2})-(.+)-street\.csv$")
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
LOW_MONTH = 0.5  # a month with fewer rows than this share of the median month is implausible

#: police.uk force names (``Falls within``) -> ONS police force area names, where they differ.
FORCES = {
    "Metropolitan Police Service": "Metropolitan Police",
    "City of London Police": "London, City of",
    "Devon & Cornwall Police": "Devon & Cornwall",
    "Avon and Somerset Constabulary": "Avon and Somerset",
}


def force_area(name: str) -> str:
    """The ONS police force area name for a police.uk force name (``Kent Police`` -> ``Kent``)."""
    if name in FORCES:
        return FORCES[name]
    return re.sub(r"\s+(Police|Constabulary|Police Service)$", "", name.strip())


def months(spec: str, option: str) -> list[str]:
    """``2024-03:2024-04`` -> the months from the first to the last, inclusive."""
    first, _, last = spec.partition(":")
    last = last or first
    if not (MONTH.fullmatch(first) and MONTH.fullmatch(last)) or last < first:
        raise InputError(
            [
                Problem(
                    option,
                    1,
                    1,
                    "",
                    f"`{spec}` is not a period of months",
                    "write FIRST:LAST as YYYY-MM:YYYY-MM, e.g. 2024-03:2024-04",
                )
            ]
        )
    out, (year, month) = [], map(int, first.split("-"))
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass
class Tally:
    """Row counts by fate, for the provenance."""

    read: int = 0
    used: int = 0
    malformed: int = 0
    other_force: int = 0
    outside_periods: int = 0
    no_location: int = 0
    outside_force: dict[str, int] = field(default_factory=dict)
    renamed: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Ingested:
    """A dataset ready to write: counts, population, provenance and warnings."""

    counts: Any  # DataFrame: area, category, previous, current, county_position, change, percent_change, rate_per_1000
    population: Any  # DataFrame: area, population, source
    provenance: dict[str, Any]
    warnings: list[str]


def expand(paths: list[Path]) -> list[Path]:
    """Files, and the ``*.csv`` files of folders, sorted by name."""
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.glob("*.csv")) if path.is_dir() else [path])
    return found


def ingest_police_uk(
    paths: list[Path],
    current: list[str],
    previous: list[str],
    population_file: Path,
    lookup_file: Path,
    force: str | None = None,
) -> Ingested:
    """Read the files and build the dataset (see the module docstring)."""
    files = expand(paths)
    if not files:
        raise InputError([Problem("FILES", 1, 1, "", "no police.uk files found", "give files or folders of *.csv")])
    wanted = set(current) | set(previous)
    tally = Tally()
    counted, inputs, forces_seen = _read_files(files, wanted, tally)
    counted, forces_seen = _drop_malformed(counted, forces_seen, tally)
    chosen = _choose_force(force, forces_seen)
    districts, csp_of = _force_districts(lookup_file, force_area(chosen))
    counted, by_month = _force_rows_in_periods(counted, chosen, wanted, tally)
    counted = _by_district(counted, districts, tally)
    table = _period_table(counted, districts, current)
    population = _population(population_file, districts)
    out = _finish(table, population)
    warnings = _month_warnings(by_month, current, previous)
    provenance = {
        "source": "police.uk street-level crime",
        "force": chosen,
        "force_area": force_area(chosen),
        "districts": districts,
        "partnerships": csp_of,
        "periods": {"current": current, "previous": previous},
        "inputs": inputs,
        "population": {"file": display_path(population_file), "sha256": file_sha256(population_file)},
        "lookup": {"file": display_path(lookup_file), "sha256": file_sha256(lookup_file)},
        "rows": {
            "read": tally.read,
            "used": tally.used,
            "malformed": tally.malformed,
            "other_force": tally.other_force,
            "outside_periods": tally.outside_periods,
            "no_location": tally.no_location,
            "outside_force_districts": tally.outside_force,
            "renamed_districts": tally.renamed,
        },
        "rows_by_month": {str(k): int(v) for k, v in by_month.items()},
        "county_position": "rank of the rate per 1,000 among the force's districts, 1 = lowest; "
        "rates compared to 6 decimal places; equal rates share the lower position (1, 1, 3)",
        "warnings": warnings,
    }
    return Ingested(out, _population_frame(districts, population), provenance, warnings)


def _population_frame(districts: list[str], population: dict[str, int]) -> Any:
    import pandas as pd

    return pd.DataFrame(
        {
            "area": districts,
            "population": [population[d] for d in districts],
            "source": "ONS Census 2021 (rounded to the nearest 100)",
        }
    )


def _read_files(files: list[Path], wanted: set[str], tally: Tally) -> tuple[Any, list[dict[str, Any]], dict[str, int]]:
    """Count every file: the counts of all files together, each file's provenance record, and rows per force.

    Files named for a month outside both periods are hashed, not read.
    """
    import pandas as pd

    pieces, inputs, problems = [], [], []
    forces_seen: dict[str, int] = {}
    for path in files:
        raw = _map(path)
        record: dict[str, Any] = {"file": display_path(path), "sha256": hashlib.sha256(raw).hexdigest()}
        inputs.append(record)
        named = FILE_NAME.search(path.name)
        if named and named.group(1) not in wanted:
            record["skipped"] = "month outside both periods"
            continue
        try:
            grouped, malformed = _count_file(raw)
        except (ValueError, KeyError) as exc:  # pyarrow's errors are ValueErrors (ArrowInvalid) or KeyErrors
            problems.append(_unreadable(path, raw, exc))
            continue
        tally.malformed += malformed
        rows_here = int(grouped["n"].sum())
        tally.read += rows_here + malformed
        record["rows"] = rows_here
        pieces.append(grouped)
        for name, n in grouped.groupby("Falls within", dropna=False)["n"].sum().items():
            forces_seen[str(name)] = forces_seen.get(str(name), 0) + int(n)
    if problems:
        raise InputError(problems)
    if not pieces:
        raise InputError([Problem("FILES", 1, 1, "", "no rows in the requested periods")])
    counted = pd.concat(pieces, ignore_index=True)
    return counted, inputs, forces_seen


def _unreadable(path: Path, raw: Any, exc: Exception) -> Problem:
    """Why a file cannot be read: the first police.uk column its header lacks, else the reader's error."""
    first_line = bytes(raw[:4000]).decode("utf-8", "replace").split("\n", 1)[0]
    missing = [c for c in COLUMNS if c not in first_line.split(",")]
    message = f"missing column `{missing[0]}`" if missing else f"cannot be read as police.uk CSV: {exc}".strip()
    hint = "police.uk street-level files have Month, Falls within, LSOA name and Crime type columns"
    return Problem(display_path(path), 1, 1, "", message, hint)


def _drop_malformed(counted: Any, forces_seen: dict[str, int], tally: Tally) -> tuple[Any, dict[str, int]]:
    """The counts without malformed rows, and the rows seen per force without them (forces left with none dropped)."""
    counted = counted.groupby(COLUMNS, observed=True, dropna=False)["n"].sum().reset_index()
    for column in COLUMNS:
        counted[column] = counted[column].astype(object)
    # A row whose Month is not YYYY-MM, or with no force or crime type, is malformed (with usecols, a row
    # with extra cells still parses).
    bad_month = (
        ~counted["Month"].astype(str).str.fullmatch(MONTH.pattern)
        | counted["Crime type"].isna()
        | counted["Falls within"].isna()
    )
    tally.malformed += int(counted.loc[bad_month, "n"].sum())
    for name, n in counted[bad_month].groupby("Falls within", dropna=False)["n"].sum().items():
        if str(name) in forces_seen:
            forces_seen[str(name)] -= int(n)
    forces_seen = {name: n for name, n in forces_seen.items() if n > 0}
    return counted[~bad_month], forces_seen


def _force_rows_in_periods(counted: Any, chosen: str, wanted: set[str], tally: Tally) -> tuple[Any, Any]:
    """The chosen force's located rows in the two periods, and its rows per month (in or out of the periods)."""
    mine = counted["Falls within"] == chosen
    tally.other_force = int(counted.loc[~mine, "n"].sum())
    counted = counted[mine]
    in_period = counted["Month"].isin(wanted)
    tally.outside_periods = int(counted.loc[~in_period, "n"].sum())
    by_month = counted.groupby("Month")["n"].sum()
    counted = counted[in_period]
    located = counted["LSOA name"].notna() & (counted["LSOA name"].astype(str).str.strip() != "")
    tally.no_location = int(counted.loc[~located, "n"].sum())
    return counted[located].copy(), by_month


def _by_district(counted: Any, districts: list[str], tally: Tally) -> Any:
    """The rows of the force's districts, each with its ``district``.

    The district is the LSOA name without its last word, renamed by the alias table.
    """
    names = {name: str(name).rsplit(" ", 1)[0].strip() for name in counted["LSOA name"].unique()}
    raw_district = counted["LSOA name"].map(names)
    counted["district"] = raw_district.map(lambda d: ALIASES.get(d, d))
    renamed = raw_district != counted["district"]
    for name, n in counted[renamed].groupby(raw_district[renamed])["n"].sum().items():
        tally.renamed[str(name)] = int(n)
    inside = counted["district"].isin(districts)
    for name, n in counted[~inside].groupby("district")["n"].sum().items():
        tally.outside_force[str(name)] = int(n)
    counted = counted[inside]
    tally.used = int(counted["n"].sum())
    return counted


def _period_table(counted: Any, districts: list[str], current: list[str]) -> Any:
    """Previous and current counts for every district and crime type seen (0 where none), as columns."""
    import pandas as pd

    counted["period"] = counted["Month"].map(lambda m: "current" if m in current else "previous")
    table = counted.pivot_table(
        index=["district", "Crime type"], columns="period", values="n", aggfunc="sum", fill_value=0
    )
    crime_types = sorted(counted["Crime type"].unique())
    full = pd.MultiIndex.from_product([districts, crime_types], names=["district", "Crime type"])
    table = table.reindex(full, fill_value=0)
    for period in ("previous", "current"):
        if period not in table.columns:
            table[period] = 0
    return table.reset_index()


def _map(path: Path) -> Any:
    """The file's bytes without copying them (a read-only memory map; empty files as b"")."""
    with path.open("rb") as handle:
        if path.stat().st_size == 0:
            return b""
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _count_file(raw: Any) -> tuple[Any, int]:
    """Rows per (Month, Falls within, LSOA name, Crime type) of one file, and its malformed row count.

    pyarrow's CSV reader parses only the four columns, on both cores, and groups
    in C++; a row with the wrong number of cells is skipped and counted.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    malformed = 0

    def skip(_row: object) -> str:
        nonlocal malformed
        malformed += 1
        return "skip"

    table = pacsv.read_csv(
        pa.BufferReader(pa.py_buffer(raw)),
        read_options=pacsv.ReadOptions(block_size=4 << 20),  # 4 MB blocks: measured fastest here
        parse_options=pacsv.ParseOptions(invalid_row_handler=skip),
        convert_options=pacsv.ConvertOptions(
            include_columns=COLUMNS, column_types=dict.fromkeys(COLUMNS, pa.string()), strings_can_be_null=True
        ),
    )
    grouped = table.group_by(COLUMNS).aggregate([([], "count_all")]).to_pandas()
    return grouped.rename(columns={"count_all": "n"}), malformed


def _choose_force(force: str | None, seen: dict[str, int]) -> str:
    if force is not None:
        matches = [name for name in seen if name == force or force_area(name) == force_area(force)]
        if not matches:
            raise InputError(
                [
                    Problem(
                        "--force",
                        1,
                        1,
                        "",
                        f"no rows of force `{force}` in the files",
                        f"forces found: {', '.join(sorted(seen)) or 'none'}",
                    )
                ]
            )
        return matches[0]
    if len(seen) > 1:
        listed = ", ".join(f"{name} ({n:,} rows)" for name, n in sorted(seen.items()))
        raise InputError(
            [Problem("FILES", 1, 1, "", f"the files hold several forces: {listed}", "choose one with --force")]
        )
    if not seen:
        raise InputError(
            [
                Problem(
                    "FILES",
                    1,
                    1,
                    "",
                    "no usable rows: every row is malformed or has no force",
                    "police.uk street-level files have Month, Falls within, LSOA name and Crime type",
                )
            ]
        )
    return next(iter(seen))


def _force_districts(lookup_file: Path, area: str) -> tuple[list[str], dict[str, str]]:
    """The districts of a police force area, and the partnership of each, from the ONS lookup."""
    import pandas as pd

    lookup = pd.read_csv(lookup_file, sep=";", dtype=str)
    rows = lookup[lookup["PFA21NM"] == area]
    if rows.empty:
        raise InputError(
            [
                Problem(
                    display_path(lookup_file),
                    1,
                    1,
                    "PFA21NM",
                    f"police force area `{area}` is not in the lookup",
                    "give --force as the force's name in the files, e.g. 'Kent Police'",
                )
            ]
        )
    names = [ALIASES.get(n, n) for n in rows["lad-name"]]
    return sorted(names), dict(zip(names, rows["csp-name"], strict=True))


def _population(path: Path, districts: list[str]) -> dict[str, int]:
    import pandas as pd

    table = pd.read_csv(path, dtype=str)
    if {"area", "population"} <= set(table.columns):  # a file the user gives: area,population
        values = dict(zip(table["area"], table["population"], strict=True))
    elif {"area_name", "population_2021"} <= set(table.columns):  # the ONS Census 2021 table
        values = dict(zip(table["area_name"], table["population_2021"], strict=True))
    else:
        raise InputError(
            [
                Problem(
                    display_path(path),
                    1,
                    1,
                    "",
                    "this is not a population table",
                    "give an area,population CSV or the ONS Census 2021 table",
                )
            ]
        )
    missing = [d for d in districts if d not in values]
    if missing:
        raise InputError(
            [
                Problem(
                    display_path(path),
                    1,
                    1,
                    "",
                    f"no population for {', '.join(missing)}",
                    "give a file with area,population columns with --population",
                )
            ]
        )
    out, bad = {}, []
    for district in districts:
        text = str(values[district]).replace(",", "").strip()
        if text.isdigit() and int(text) > 0:
            out[district] = int(text)
        else:
            bad.append(f"{district} ({values[district]})")
    if bad:
        raise InputError(
            [Problem(display_path(path), 1, 1, "", f"population is not a whole number above 0 for {', '.join(bad)}")]
        )
    return out


def _finish(table: Any, population: dict[str, int]) -> Any:
    """Add change, percentage change, rate per 1,000 and county position (all exact)."""
    import numpy as np

    from engine.numbers import round_ratio

    table = table.rename(columns={"district": "area", "Crime type": "category"})
    previous = table["previous"].to_numpy(dtype=np.int64)
    current = table["current"].to_numpy(dtype=np.int64)
    people = table["area"].map(population).to_numpy(dtype=np.int64)
    percent, defined = round_ratio((current - previous) * 100, previous, 1)
    rate, _ = round_ratio(current * 1000, people, 2)
    exact, _ = round_ratio(current * 1000, people, RANK_PLACES)
    table["rank_key"] = exact
    table["county_position"] = table.groupby("category")["rank_key"].rank(method="min").astype(np.int64)
    table["change"] = current - previous
    table["percent_change"] = [f"{p / 10:.1f}" if ok else "" for p, ok in zip(percent, defined, strict=True)]
    table["rate_per_1000"] = [f"{r / 100:.2f}" for r in rate]
    columns = [
        "area",
        "category",
        "previous",
        "current",
        "county_position",
        "change",
        "percent_change",
        "rate_per_1000",
    ]
    return table[columns].sort_values(["area", "category"]).reset_index(drop=True)


def _month_warnings(by_month: Any, current: list[str], previous: list[str]) -> list[str]:
    warnings = []
    totals = {str(k): int(v) for k, v in by_month.items()}
    for label, period in (("current", current), ("previous", previous)):
        for month in period:
            if totals.get(month, 0) == 0:
                warnings.append(
                    f"month {month} of the {label} period has no rows for this force: the period "
                    f"covers {plural(len(period), 'month')} but counts only {sum(m in totals for m in period)}"
                )
    present = [v for v in totals.values() if v > 0]
    if present:
        median = statistics.median(present)
        for month, value in sorted(totals.items()):
            if 0 < value < LOW_MONTH * median and month in set(current) | set(previous):
                warnings.append(
                    f"month {month} has {value:,} rows, under half the median month ({median:,.0f}): "
                    "is a file incomplete?"
                )
    return warnings
