"""Turn police.uk street-level crime files of any number of forces into datasets for every partnership in them.

One pass: each file (:mod:`engine.ingest.sources`: files, folders searched recursively, zip archives) is read
once, hashed as it is read, counted at once and let go (:mod:`engine.ingest.street`); a file whose name puts it
outside every period is listed, not read. Then each district name, of whatever vintage, is resolved once to
today's partnership (:mod:`engine.ingest.csp`) or, with ``unit="district"``, today's district
(:mod:`engine.ingest.district`), every row is given one fate (:mod:`engine.ingest.attribute`,
:mod:`engine.ingest.account`), and the tables are built (:mod:`engine.ingest.dataset`): ``crime`` for the latest
two periods, ``series`` for every period, ``population`` and ``areas``, with the provenance and a summary.

Problems that stop the run are raised together as :class:`engine.errors.InputError`: unreadable files, bad
declarations, districts that lie in several partnerships with no declared mapping, and unmapped districts
(unless ``allow_unmapped``). Warnings (missing or implausibly small months, areas without a population, rows
not assignable) come back with the dataset.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import InputError, Problem
from engine.ingest import declarations, population, sources, street
from engine.ingest.account import Account, summary_lines
from engine.ingest.attribute import Attributed, attribute
from engine.ingest.csp import AMBIGUOUS, DECLARED, Resolver
from engine.ingest.dataset import build
from engine.ingest.district import DistrictResolver
from engine.ingest.geography import Area, Geography, load_geography
from engine.ingest.names import district_of, force_key, normalise
from engine.ingest.periods import Period, labels_sort_as_time, month_labels
from engine.ingest.reference import POPULATION, file_sha256, reference_table
from engine.numbers import plural
from engine.paths import display_path

LOW_MONTH = 0.5  # a month with fewer rows than this share of the force's median month is implausible
UNITS = ("csp", "district")


@dataclass(frozen=True)
class Options:
    """How to ingest: the unit of area, forces kept, the user's declarations and reference tables."""

    unit: str = "csp"
    forces: tuple[str, ...] = ()
    maps: tuple[str, ...] = ()  # --map values: DISTRICT=AREA or CSV files
    populations: tuple[str, ...] = ()  # --population-for values: AREA=N or CSV files
    lsoa_lookup: Path | None = None
    population: Path | None = None
    csp_table: Path | None = None
    lookup: Path | None = None
    districts: Path | None = None
    allow_unmapped: bool = False


@dataclass(frozen=True)
class Ingested:
    """A dataset ready to write: the tables, provenance, warnings and the summary of rows."""

    counts: Any  # DataFrame, crime_counts: area, category, previous, current, county_position, change, ...
    population: Any  # DataFrame: area, population, source (group_force with several forces)
    series: Any  # DataFrame, crime_series: area, category, period, count
    areas: Any  # DataFrame: area, code, force, population, population_source
    provenance: dict[str, Any]
    warnings: list[str]
    summary: list[str]


@dataclass
class _Setup:
    geography: Geography
    areas: list[Area]
    resolver: Resolver | DistrictResolver
    declared_map: dict[str, Area]
    declared_population: dict[str, tuple[int, declarations.Pair]]
    lsoa: dict[str, str] | None
    table: population.Table
    population_file: Path


@dataclass
class _Read:
    account: Account = field(default_factory=Account)
    counts: Counter[street.Key] = field(default_factory=Counter)
    by_month: Counter[tuple[str, str]] = field(default_factory=Counter)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    first_seen: dict[tuple[str, str], sources.Source] = field(default_factory=dict)
    files: int = 0
    duplicates: list[str] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)  # SHA-256 -> the file read with those bytes
    problems: list[Problem] = field(default_factory=list)


def ingest_police_uk(paths: list[Path], periods: list[Period], options: Options | None = None) -> Ingested:
    """Read the files and build the datasets (see the module docstring)."""
    options = options or Options()
    setup = _setup(options)
    labels = month_labels(periods)
    read = _read(paths, set(labels), options, setup.lsoa)
    forces = sorted({key[0] for key in read.counts})
    forces_read = {force_key(f) for f in forces if force_key(f) in setup.geography.forces}
    _check_forces(options, forces, read)
    by_code = {a.code: a for a in setup.geography.csps}
    done = attribute(read.counts, labels, setup.resolver, forces_read, by_code, read.account)
    _raise_unresolved(done, read, options)
    areas = [a for a in setup.areas if force_key(a.force) in forces_read]
    if not areas:
        raise InputError([Problem("FILES", 1, 1, "", "no rows in the requested periods", _found(periods, read))])
    if not read.account.used:
        fates = "; ".join(line.strip() for line in summary_lines(read.account, read.files, forces, {})[1:])
        raise InputError([Problem("FILES", 1, 1, "", "no row in the periods could be counted in an area", fates)])
    populations = _populations(setup, areas, options.unit)
    categories = sorted({category for _, category, _ in done.counts})
    national = len({force_key(a.force) for a in areas}) > 1
    tables = build(areas, categories, periods, done.counts, populations, national)
    warnings = _warnings(periods, forces, read, done, setup, areas, populations, options.unit)
    provenance = _provenance(periods, options, setup, read, done, forces, areas, populations, national, warnings)
    suggestions = {d: r.suggestion for (_, d), r in done.resolutions.items() if r.suggestion}
    summary = summary_lines(read.account, read.files, forces, suggestions)
    return Ingested(tables.crime, tables.population, tables.series, tables.areas, provenance, warnings, summary)


def _setup(options: Options) -> _Setup:
    """The geography, resolver and every declaration, checked before any file is read (all problems at once)."""
    problems: list[Problem] = []
    if options.unit not in UNITS:
        raise InputError([Problem("--unit", 1, 1, "", f"`{options.unit}` is not a unit", "use csp or district")])
    geography = load_geography(options.csp_table, options.lookup, options.districts)
    districts = DistrictResolver(geography) if options.unit == "district" else None
    areas: list[Area] = list(districts.areas.values()) if districts else list(geography.csps)

    def attempt(step: Any, *args: Any) -> Any:
        try:
            return step(*args)
        except InputError as exc:
            problems.extend(exc.problems)
            return None

    maps = attempt(declarations.pairs, options.maps, "--map", ("district", "area")) or []
    declared_map = attempt(declarations.area_map, maps, areas) or {}
    counts = attempt(declarations.pairs, options.populations, "--population-for", ("area", "population")) or []
    declared_population = attempt(declarations.populations, counts, areas) or {}
    lsoa = None
    if options.lsoa_lookup is not None and options.unit == "district":
        problems.append(
            Problem("--lsoa-lookup", 1, 1, "", "an LSOA lookup divides partnerships; --unit district needs none")
        )
    elif options.lsoa_lookup is not None:
        lsoa = attempt(declarations.lsoa_lookup, options.lsoa_lookup, set(geography.by_code))
    population_file = options.population or reference_table(POPULATION)
    table = attempt(population.read_table, population_file)
    if problems:
        raise InputError(problems)
    if districts:
        districts.declared = declared_map
        resolver: Resolver | DistrictResolver = districts
    else:
        resolver = Resolver(geography, declared_map)
    return _Setup(geography, areas, resolver, declared_map, declared_population, lsoa, table, population_file)


def _read(paths: list[Path], wanted: set[str], options: Options, lsoa: dict[str, str] | None) -> _Read:
    """Count every source once; a source named for a month outside the periods is listed as skipped, not read."""
    found = sources.find(paths)
    read = _Read(inputs=list(found.skipped), problems=list(found.problems))
    selected = street.force_filter(options.forces)
    archives = sources.Archives()
    try:
        for source in found.sources:
            month = source.month
            if month is not None and month not in wanted:
                read.inputs.append({"file": source.display, "skipped": f"month {month} is outside every period"})
            else:
                _take(read, source, street.count(source, wanted, selected, lsoa, archives))
    finally:
        archives.close()
    if read.problems:
        raise InputError(read.problems)
    if not found.sources:
        hint = "give police.uk street-level files (YYYY-MM-<force>-street.csv), folders of them or a .zip archive"
        raise InputError([Problem("FILES", 1, 1, "", "no police.uk street-level files found", hint)])
    return read


def _take(read: _Read, source: sources.Source, counted: street.FileCount) -> None:
    """Add one file's counts, unless it cannot be read or has the same bytes as a file already read."""
    if counted.problem is not None:
        read.problems.append(counted.problem)
        return
    if counted.sha256 in read.hashes:
        same = read.hashes[counted.sha256]
        read.inputs.append({"file": source.display, "sha256": counted.sha256, "skipped": f"the same bytes as {same}"})
        read.duplicates.append(f"{source.display} has the same bytes as {same}: read once")
        return
    read.hashes[counted.sha256] = source.display
    read.inputs.append({"file": source.display, "sha256": counted.sha256, "rows": counted.rows})
    _merge(read, counted, source)


def _merge(read: _Read, counted: street.FileCount, source: sources.Source) -> None:
    read.files += 1
    account = read.account
    account.read += counted.rows
    account.malformed += counted.malformed
    account.not_selected += counted.not_selected
    account.outside_periods += counted.outside_periods
    read.counts.update(counted.counts)
    read.by_month.update(counted.by_month)
    for force, district, *_ in counted.counts:
        read.first_seen.setdefault((force, district), source)


def _check_forces(options: Options, forces: list[str], read: _Read) -> None:
    keys = {force_key(f) for f in forces}
    missing = [f for f in options.forces if force_key(f) not in keys]
    if missing:
        seen = sorted({force for force, _ in read.by_month})
        hint = f"forces found: {', '.join(seen) or 'none'}"
        raise InputError([Problem("--force", 1, 1, "", f"no rows of force `{missing[0]}` in the periods", hint)])


def _found(periods: list[Period], read: _Read) -> str:
    months = sorted({m for _, m in read.by_month})
    if not months:
        return "the files hold no usable rows"
    return f"the files hold months {months[0]} to {months[-1]}; the periods are {', '.join(p.span for p in periods)}"


def _raise_unresolved(done: Attributed, read: _Read, options: Options) -> None:
    """Ambiguous districts, and unmapped ones unless allowed, as problems placed at their first row."""
    found: dict[tuple[str, str], tuple[str, str]] = {}  # (force, district) -> (message, hint)
    noun = "district" if options.unit == "district" else "partnership"
    for (force, district), n in done.ambiguous.items():
        resolution = done.resolutions[(force, district)]
        names = ", ".join(c.name for c in resolution.candidates)
        through = f" (through {resolution.via})" if resolution.via else ""
        message = (
            f"district `{district}` ({force}, {row_count(n)} in the periods) lies in more than one {noun} "
            f"today: {names}{through}"
        )
        choices = " or ".join(f'--map "{district}={c.name}"' for c in resolution.candidates)
        found[(force, district)] = (
            message,
            f"declare which with {choices} (or a --map CSV of district,area); it is never guessed",
        )
    if not options.allow_unmapped:
        for (force, district), n in done.unmapped.items():
            suggestion = done.resolutions[(force, district)].suggestion
            message = (
                f"district `{district}` ({force}, {row_count(n)} in the periods) is not a {noun} or a "
                "district of any vintage since 2011"
            )
            hint = (suggestion + " " if suggestion else "") + (
                f'declare its area with --map "{district}=AREA", or leave its rows out with --allow-unmapped'
            )
            found[(force, district)] = (message, hint)
    if not found:
        return
    problems = []
    by_source: dict[sources.Source, list[tuple[str, str]]] = {}
    for key in found:
        by_source.setdefault(read.first_seen[key], []).append(key)
    for source, keys in by_source.items():
        places = _first_rows(source, set(keys))
        for key in keys:
            line, column = places.get(key, (1, 1))
            problems.append(Problem(source.display, line, column, "LSOA name", *found[key]))
    raise InputError(problems)


def _first_rows(source: sources.Source, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, int]]:
    """Line and column of the first row of ``source`` for each (force, district) wanted: the file read again, once,
    only to place an error."""
    places: dict[tuple[str, str], tuple[int, int]] = {}
    with source.open() as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline=""))
        header = [c.strip().lstrip("\ufeff") for c in next(reader, [])]
        if "LSOA name" not in header or "Falls within" not in header:
            return places
        place, who = header.index("LSOA name"), header.index("Falls within")
        start = 2
        for row in reader:
            if len(row) > max(place, who):
                key = (row[who].strip(), district_of(row[place]))
                if key in wanted and key not in places:
                    places[key] = (start, place + 1)
                    if len(places) == len(wanted):
                        break
            start = reader.line_num + 1
    return places


def row_count(n: int) -> str:
    """``1 row``, ``1,388 rows``."""
    return f"{n:,} {'row' if n == 1 else 'rows'}"


def _populations(setup: _Setup, areas: list[Area], unit: str) -> dict[str, population.Population]:
    if unit == "district":
        found = population.district_populations(areas, setup.table)
    else:
        found = population.csp_populations(areas, setup.geography, setup.table)
    for code, (figure, pair) in setup.declared_population.items():
        if code in found:
            where = f"{pair.file}:{pair.line}" if pair.line > 1 else pair.file
            found[code] = population.Population(figure, f"declared ({where})")
    return found


def _warnings(
    periods: list[Period],
    forces: list[str],
    read: _Read,
    done: Attributed,
    setup: _Setup,
    areas: list[Area],
    populations: dict[str, population.Population],
    unit: str,
) -> list[str]:
    out = list(read.duplicates)
    out += _month_warnings(periods, forces, read.by_month)
    for force in forces:
        if not done.used_by_force[force]:
            out.append(f"none of the rows of {force} in the periods could be counted in an area: see the summary")
    lacking = [a.name for a in sorted(areas, key=lambda a: a.name) if populations[a.code].value is None]
    if lacking:
        noun = "district" if unit == "district" else "partnership"
        out.append(
            f"no population for {plural(len(lacking), noun)}: {', '.join(lacking)}; their rates and positions "
            'are left blank (see areas.csv for why; declare one with --population-for "AREA=N")'
        )
    for district, n in sorted(read.account.not_assignable.items()):
        names = sorted({c.name for (_, d), r in done.resolutions.items() if d == district for c in r.candidates})
        out.append(
            f"{row_count(n)} in {district} are not assignable: it holds {plural(len(names), 'partnership')} "
            f"({', '.join(names)}) and only an LSOA lookup can divide them (--lsoa-lookup); their counts leave them out"
        )
    output = {a.code for a in areas}
    for code, (_, pair) in sorted(setup.declared_population.items()):
        if code not in output:
            out.append(
                f"the population declared for {pair.key} ({pair.file}) is not used: no files of its force were read"
            )
    matched = {normalise(r.district) for r in done.resolutions.values() if r.rule == DECLARED}
    for name in sorted(set(setup.declared_map) - matched):
        out.append(f"the mapping declared for `{name}` matched no rows in the periods")
    if not labels_sort_as_time(periods):
        listed = ", ".join(p.label for p in periods)
        out.append(
            f"the period labels ({listed}) do not sort as text in time order: a rule file reading series.csv must "
            f"declare them, oldest first (`periods: [{listed}]`)"
        )
    return out


def _month_warnings(periods: list[Period], forces: list[str], by_month: Counter[tuple[str, str]]) -> list[str]:
    out = []
    wanted = {m for p in periods for m in p.months}
    for force in forces:
        totals = {m: n for (f, m), n in by_month.items() if f == force and m in wanted}
        for period in periods:
            present = sum(1 for m in period.months if totals.get(m, 0))
            for month in period.months:
                if not totals.get(month, 0):
                    out.append(
                        f"{force} has no rows in month {month} of period `{period.label}`: the period covers "
                        f"{plural(len(period.months), 'month')} but counts only {present}"
                    )
        if totals:
            median = statistics.median(totals.values())
            for month, value in sorted(totals.items()):
                if value < LOW_MONTH * median:
                    out.append(
                        f"{force} has {row_count(value)} in month {month}, under half its median month "
                        f"({median:,.0f}): is a file incomplete?"
                    )
    return out


def _provenance(
    periods: list[Period],
    options: Options,
    setup: _Setup,
    read: _Read,
    done: Attributed,
    forces: list[str],
    areas: list[Area],
    populations: dict[str, population.Population],
    national: bool,
    warnings: list[str],
) -> dict[str, Any]:
    reference = setup.geography.provenance()
    reference["population"] = {
        "file": display_path(setup.population_file),
        "sha256": file_sha256(setup.population_file),
    }
    if options.lsoa_lookup is not None:
        reference["lsoa_lookup"] = {
            "file": display_path(options.lsoa_lookup),
            "sha256": file_sha256(options.lsoa_lookup),
        }
    out: dict[str, Any] = {
        "source": "police.uk street-level crime",
        "unit": "district of today" if options.unit == "district" else "Community Safety Partnership",
        "forces": forces,
        "force_areas": sorted({a.force for a in areas}),
        "periods": {p.label: list(p.months) for p in periods},
        "crime_csv": {"current": periods[-1].label, **({"previous": periods[-2].label} if len(periods) > 1 else {})},
        "inputs": read.inputs,
        "reference": reference,
        "declared": {
            "map": {r.district: r.area.name for r in done.resolutions.values() if r.rule == DECLARED and r.area},
            "population": {p.key: figure for figure, p in setup.declared_population.values()},
        },
        "rows": read.account.as_dict(),
        "districts": _districts(done),
        "areas_without_population": {
            a.name: populations[a.code].source for a in areas if populations[a.code].value is None
        },
        "rows_by_month": {f: {m: n for (g, m), n in sorted(read.by_month.items()) if g == f} for f in forces},
        "county_position": "rank of the rate per 1,000 among the areas of the same police force area that have a "
        "population, 1 = lowest; rates compared to 6 decimal places; equal rates share the lower position (1, 1, 3)",
    }
    if done.by_lsoa:
        out["divided_by_lsoa"] = {f"{d} -> {a}": n for (d, a), n in sorted(done.by_lsoa.items())}
    if national:
        out["national_position"] = "published_national_position: the same rank among all areas in the dataset"
    out["warnings"] = warnings
    return out


def _districts(done: Attributed) -> dict[str, dict[str, dict[str, Any]]]:
    """Reporting force -> district as written -> where it went, by which rule, with its rows in the periods."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for (force, district), found in sorted(done.resolutions.items()):
        entry: dict[str, Any] = {"status": found.status}
        if found.area is not None:
            entry["area"] = found.area.name
        if found.rule:
            entry["rule"] = found.rule
        if found.candidates:
            entry["candidates"] = [c.name for c in found.candidates]
        if found.status == AMBIGUOUS:
            entry["settle"] = "--map"
        entry["rows"] = done.rows[(force, district)]
        out.setdefault(force, {})[district] = entry
    return out
