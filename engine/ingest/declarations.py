"""What the user declares to settle what the tables cannot: mappings, populations and an LSOA lookup.

- ``--map "Christchurch=Bournemouth"`` (repeatable) or ``--map FILE.csv`` with columns ``district,area``: the
  area (partnership, or district of today with ``--unit district``; by name or code) a district name lies in;
- ``--population-for "Wycombe=120100"`` (repeatable) or ``--population-for FILE.csv`` with columns
  ``area,population``: an area's population;
- ``--lsoa-lookup FILE.csv`` with columns ``lsoa_code,csp_code`` (ONS lookups' ``LSOA21CD`` and ``CSP23CD``-style
  names are recognised too): the partnership of each LSOA, to divide the rows of a district of today that holds
  several partnerships.

Every problem has its place: ``--map[2]:1:14`` for an option's value, ``file:line:column`` in a file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from engine.errors import InputError, Problem, did_you_mean
from engine.ingest.geography import Area
from engine.ingest.names import normalise
from engine.ingest.population import whole
from engine.paths import display_path
from engine.text import decode_utf8, read_regular

_LSOA = re.compile(r"lsoa_code|lsoa[0-9]{2}cd", re.I)
_CSP = re.compile(r"csp_code|csp[0-9]{2}cd", re.I)
PROBLEM_LIMIT = 10  # a broken lookup of 35,000 lines is reported by its first few problems


@dataclass(frozen=True)
class Pair:
    """One declaration: ``key=value``, and where it was written (option or file, line, column of the value)."""

    key: str
    value: str
    file: str
    line: int
    column: int


def pairs(values: tuple[str, ...], option: str, columns: tuple[str, str]) -> list[Pair]:
    """Each ``KEY=VALUE`` value, or each row of a CSV file given instead (with ``columns``)."""
    out: list[Pair] = []
    problems: list[Problem] = []
    for n, value in enumerate(values, start=1):
        where = f"{option}[{n}]"
        key, equals, rest = value.partition("=")
        if equals:
            if not key.strip() or not rest.strip():
                problems.append(Problem(where, 1, 1, "", f"`{value}` is not KEY=VALUE", _hint(option, columns)))
            else:
                out.append(Pair(key.strip(), rest.strip(), where, 1, len(key) + 2))
            continue
        path = Path(value)
        if not path.is_file():
            hint = _hint(option, columns)
            problems.append(Problem(where, 1, 1, "", f"`{value}` is neither KEY=VALUE nor a CSV file", hint))
            continue
        try:
            out += _file_pairs(path, columns)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return out


def _hint(option: str, columns: tuple[str, str]) -> str:
    example = '"Christchurch=Bournemouth"' if option == "--map" else '"Wycombe=120100"'
    return f"write {option} {example}, or give a CSV file with the columns {','.join(columns)}"


def _file_pairs(path: Path, columns: tuple[str, str]) -> list[Pair]:
    display = display_path(path)
    rows = list(
        csv.reader(io.StringIO(decode_utf8(read_regular(path, display), display, "save it as CSV UTF-8"), newline=""))
    )
    header = [c.strip().lower() for c in rows[0]] if rows else []
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(
            [Problem(display, 1, 1, "", f"missing column `{missing[0]}`", f"the columns are {','.join(columns)}")]
        )
    first, second = header.index(columns[0]), header.index(columns[1])
    out = []
    for line, row in enumerate(rows[1:], start=2):
        if any(c.strip() for c in row):
            cells = row + [""] * (len(header) - len(row))
            out.append(Pair(cells[first].strip(), cells[second].strip(), display, line, second + 1))
    return out


def area_map(declared: list[Pair], areas: list[Area]) -> dict[str, Area]:
    """Normalised district name -> the declared area; InputError for an unknown area or a district declared twice."""
    by_name = {normalise(a.name): a for a in areas} | {a.code: a for a in areas}
    out: dict[str, Area] = {}
    first: dict[str, Pair] = {}
    problems = []
    for pair in declared:
        area = by_name.get(normalise(pair.value)) or by_name.get(pair.value.strip())
        if area is None:
            hint = did_you_mean(pair.value, [a.name for a in areas]) or "give an area's name or code"
            problems.append(Problem(pair.file, pair.line, pair.column, "", f"`{pair.value}` is not an area", hint))
            continue
        key = normalise(pair.key)
        if key in out and out[key] != area:
            before = first[key]
            problems.append(
                Problem(
                    pair.file,
                    pair.line,
                    1,
                    "",
                    f"`{pair.key}` is declared as {area.name} here and as {out[key].name} at "
                    f"{before.file}:{before.line}",
                )
            )
            continue
        out[key], first[key] = area, pair
    if problems:
        raise InputError(problems)
    return out


def populations(declared: list[Pair], areas: list[Area]) -> dict[str, tuple[int, Pair]]:
    """Area code -> (declared population, its declaration); InputError for an unknown area or a bad figure."""
    by_name = {normalise(a.name): a for a in areas} | {a.code: a for a in areas}
    out: dict[str, tuple[int, Pair]] = {}
    problems = []
    for pair in declared:
        area = by_name.get(normalise(pair.key)) or by_name.get(pair.key.strip())
        figure = whole(pair.value)
        if area is None:
            hint = did_you_mean(pair.key, [a.name for a in areas]) or "give an area's name or code"
            problems.append(Problem(pair.file, pair.line, 1, "", f"`{pair.key}` is not an area", hint))
        elif figure is None:
            problems.append(
                Problem(pair.file, pair.line, pair.column, "", f"`{pair.value}` is not a whole number above 0")
            )
        else:
            out[area.code] = (figure, pair)
    if problems:
        raise InputError(problems)
    return out


def lsoa_lookup(path: Path, csp_codes: set[str]) -> dict[str, str]:
    """LSOA code -> partnership code, from a CSV with lsoa_code and csp_code columns (see the module docstring)."""
    display = display_path(path)
    rows = csv.reader(
        io.StringIO(decode_utf8(read_regular(path, display), display, "save it as CSV UTF-8"), newline="")
    )
    header = [c.strip() for c in next(rows, [])]
    lsoa = next((n for n, c in enumerate(header) if _LSOA.fullmatch(c)), None)
    csp = next((n for n, c in enumerate(header) if _CSP.fullmatch(c)), None)
    if lsoa is None or csp is None:
        hint = "the columns are lsoa_code,csp_code (or an ONS lookup's LSOA21CD and CSP23CD)"
        raise InputError(
            [Problem(display, 1, 1, "", f"missing column `{'lsoa_code' if lsoa is None else 'csp_code'}`", hint)]
        )
    out: dict[str, str] = {}
    problems = []
    for line, row in enumerate(rows, start=2):
        if len(row) <= max(lsoa, csp) or not row[lsoa].strip():
            continue
        code = row[csp].strip()
        if code not in csp_codes:
            problems.append(
                Problem(display, line, csp + 1, header[csp], f"`{code}` is not a partnership code of the table")
            )
            continue
        out[row[lsoa].strip()] = code
    if problems:
        more = len(problems) - PROBLEM_LIMIT
        problems = problems[:PROBLEM_LIMIT]
        if more > 0:
            problems.append(Problem(display, problems[-1].line, 1, "", f"and {more:,} more lines with unknown codes"))
        raise InputError(problems)
    return out
