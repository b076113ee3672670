"""The population of each area, from the ONS Census 2021 table, a user's table, or a figure the user declares.

A partnership's population is its districts' Census 2021 populations summed (by district code, else by
normalised name), but only when each of its districts belongs to it alone: a district holding several
partnerships (Buckinghamshire holds Aylesbury Vale, Chiltern, South Bucks and Wycombe) has no figure for any of
them, since one district's population is never counted into several partnerships. A district of today takes its
own figure. ``--population FILE`` with ``area,population`` columns gives the areas' figures directly, and
``--population-for`` declares a figure for one area (it wins over the tables). An area left without a figure is
reported with the reason; its rates and positions are blank. Nothing is invented.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from engine.errors import InputError, Problem
from engine.ingest.geography import Area, Geography
from engine.ingest.names import normalise
from engine.paths import display_path
from engine.text import decode_utf8, read_regular

CENSUS = "ONS Census 2021 (rounded to the nearest 100)"
_WHOLE = re.compile(r"[0-9]{1,3}(,[0-9]{3})+|[0-9]+")


@dataclass(frozen=True)
class Population:
    """An area's population (None when there is none) and where it came from, or why there is none."""

    value: int | None
    source: str


@dataclass(frozen=True)
class Table:
    """A population table: figures by district code and by normalised name, and whether it is the Census."""

    by_code: dict[str, int]
    by_name: dict[str, int]
    census: bool
    display: str


def whole(text: str) -> int | None:
    """``120,500`` or ``120500`` -> 120500; None unless it is a whole number above 0."""
    text = text.strip()
    if not _WHOLE.fullmatch(text):
        return None
    return int(text.replace(",", "")) or None


def read_table(path: Path) -> Table:
    """The ONS Census 2021 table (area_code, area_name, population_2021) or a user's area,population CSV."""
    display = display_path(path)
    rows = list(
        csv.reader(io.StringIO(decode_utf8(read_regular(path, display), display, "save it as CSV UTF-8"), newline=""))
    )
    header = [c.strip() for c in rows[0]] if rows else []
    if {"area_name", "population_2021"} <= set(header):
        name, value, census = "area_name", "population_2021", True
    elif {"area", "population"} <= set(header):
        name, value, census = "area", "population", False
    else:
        hint = "give an area,population CSV or the ONS Census 2021 table"
        raise InputError([Problem(display, 1, 1, "", "this is not a population table", hint)])
    by_code: dict[str, int] = {}
    by_name: dict[str, int] = {}
    problems = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        cells = dict(zip(header, row, strict=False))
        figure = whole(cells.get(value, ""))
        if figure is None:
            shown = cells.get(value, "")
            problems.append(
                Problem(display, line, header.index(value) + 1, value, f"`{shown}` is not a whole number above 0")
            )
            continue
        by_name.setdefault(normalise(cells.get(name, "")), figure)
        if census and cells.get("area_code", "").strip():
            by_code[cells["area_code"].strip()] = figure
    if problems:
        raise InputError(problems)
    return Table(by_code, by_name, census, display)


def csp_populations(areas: list[Area], geography: Geography, table: Table) -> dict[str, Population]:
    """Partnership code -> its population, from its districts (see the module docstring)."""
    if not table.census:
        return _direct(areas, table)
    holders: dict[str, list[str]] = {}
    for csp in geography.csps:
        for code in geography.district_codes(csp):
            holders.setdefault(code, []).append(csp.name)
    out = {}
    for area in areas:
        csp = geography.by_code[area.code]
        codes = geography.district_codes(csp)
        shared = [c for c in codes if len(holders[c]) > 1]
        if shared:
            code = shared[0]
            name = geography.names_of_codes.get(code, code)
            others = ", ".join(holders[code])
            why = f"its district {name} ({code}) holds {len(holders[code])} partnerships ({others})"
            out[area.code] = Population(None, why)
            continue
        figures = [_figure(code, geography.names_of_codes.get(code, ""), table) for code in codes]
        lacking = [geography.names_of_codes.get(c, c) for c, f in zip(codes, figures, strict=True) if f is None]
        if lacking or not codes:
            out[area.code] = Population(None, f"no Census 2021 figure for {', '.join(lacking) or 'its districts'}")
            continue
        names = " + ".join(geography.names_of_codes.get(c, c) for c in codes)
        source = CENSUS if len(codes) == 1 else f"{CENSUS}: {names}"
        out[area.code] = Population(sum(f for f in figures if f is not None), source)
    return out


def district_populations(areas: list[Area], table: Table) -> dict[str, Population]:
    """District code -> its population."""
    if not table.census:
        return _direct(areas, table)
    out = {}
    for area in areas:
        figure = _figure(area.code, area.name, table)
        out[area.code] = Population(figure, CENSUS) if figure else Population(None, "no Census 2021 figure")
    return out


def _figure(code: str, name: str, table: Table) -> int | None:
    return table.by_code.get(code) or table.by_name.get(normalise(name)) if name or code else None


def _direct(areas: list[Area], table: Table) -> dict[str, Population]:
    out = {}
    for area in areas:
        figure = table.by_name.get(normalise(area.name))
        out[area.code] = Population(figure, table.display) if figure else Population(None, f"not in {table.display}")
    return out
