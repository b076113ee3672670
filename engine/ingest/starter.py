"""A starter assessment for any Community Safety Partnership in England and Wales (``cspscore init``).

The partnership is one listed in the ONS table of recorded crime by CSP (Table C2, shipped in
``datasets/reference/``), found by its code or its name (letter case, punctuation and "&"/"and" ignored; a
near miss gets "did you mean"). The starter is modelled on the bundled Sevenoaks assessment: six criteria on the
0/1/3/5 scale, summed, priorities at 20 or more. It is a **draft** and says so everywhere:

- the three judgement criteria (community concern, level of harm, partnership can add value) are
  ``to_be_agreed`` for every issue, never a silent 0;
- the trend needs last year's counts: with ``previous`` (an earlier edition of Table C2) it is computed, else it
  is ``if_no_value: to_be_agreed`` with ``data_needed`` naming the file and command that would supply it;
- volume is the rate per 1,000 residents, from the Census 2021 population of the partnership's districts (or a
  population the user declares when the census table has none for it; never invented);
- performance is the partnership's position among its police force area's partnerships (1 = lowest rate).

The datasets are the whole force area's partnerships (so positions are computed within it), written beside the
rule file in ``data/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import InputError, Problem, did_you_mean
from engine.ingest.files import dataset_files
from engine.ingest.ons import ingest_ons_csp, read_table
from engine.text import yaml_quoted

#: The ONS offence groups a starter scores, as issues: issue id -> (name, Table C2 offence group).
ISSUES: dict[str, tuple[str, str]] = {
    "violence": ("Violence against the person", "Violence against the person"),
    "sexual_offences": ("Sexual offences", "Sexual offences"),
    "stalking_harassment": ("Stalking and harassment", "Stalking and harassment"),
    "robbery": ("Robbery", "Robbery"),
    "burglary": ("Burglary", "Burglary"),
    "vehicle_offences": ("Vehicle offences", "Vehicle offences"),
    "shoplifting": ("Shoplifting", "Shoplifting"),
    "criminal_damage": ("Criminal damage and arson", "Criminal damage and arson"),
    "drug_offences": ("Drug offences", "Drug offences"),
    "weapons": ("Possession of weapons offences", "Possession of weapons offences"),
    "public_order": ("Public order offences", "Public order offences"),
}

#: The judgement criteria of a starter, each to be agreed by the partnership: id -> (name, what to gather).
JUDGEMENTS: dict[str, tuple[str, str]] = {
    "community_concern": (
        "Community Concern",
        "agree with evidence of residents' concern: surveys, PACT or ward panel minutes, councillor casework",
    ),
    "harm": ("Level of Harm", "agree the harm to victims and the community, with the evidence relied on"),
    "partnership": (
        "Partnership can add value",
        "agree whether the partners can make a difference, naming the partner who leads",
    ),
}


@dataclass(frozen=True)
class Partnership:
    """A CSP as Table C2 lists it: code, name, and its police force area."""

    code: str
    name: str
    force: str


@dataclass(frozen=True)
class Starter:
    """The files of a starter assessment: the rule file's text and the dataset files (name -> text).

    ``police`` holds the police.uk dataset's files when police.uk files were given (else it is empty), and
    ``summary`` the police.uk ingest's account of every row read.
    """

    partnership: Partnership
    rules: str
    data: dict[str, str]
    warnings: list[str]
    police: dict[str, str] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PoliceFiles:
    """police.uk files or folders to count for the starter, and the two periods (``YYYY-MM:YYYY-MM``)."""

    paths: list[Path]
    current: str
    previous: str


def _key(name: str) -> str:
    """A name compared loosely: case, typographic apostrophes, "&"/"and" and punctuation ignored."""
    text = name.casefold().replace("’", "'").replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "", text)


def find_partnership(table_path: Path, wanted: str) -> Partnership:
    """The partnership ``wanted`` names (its code, or its name loosely); :class:`InputError` with did-you-mean."""
    table = read_table(table_path)
    found: dict[str, Partnership] = {}
    for row in table.rows:
        found.setdefault(row["code"].strip(), Partnership(row["code"].strip(), row["name"].strip(), row["force"]))
    for partnership in found.values():
        if wanted.strip().upper() == partnership.code or _key(wanted) == _key(partnership.name):
            return partnership
    names = sorted(p.name for p in found.values())
    hint = did_you_mean(wanted, names) or "give a partnership's name or code as Table C2 lists it, e.g. Sevenoaks"
    raise InputError([Problem("AREA", 1, 1, "", f"no Community Safety Partnership `{wanted}` in Table C2", hint)])


def build_starter(
    table_path: Path,
    wanted: str,
    population_file: Path,
    lookup_file: Path,
    previous: Path | None = None,
    population: int | None = None,
    police: PoliceFiles | None = None,
) -> Starter:
    """The starter assessment for the partnership ``wanted`` (see the module docstring).

    With ``police``, the police.uk files of the partnership's force are counted too (every partnership of the
    force, today's partnerships whatever the files' vintage), and issues read from them: anti-social behaviour,
    which the ONS table does not hold, with a trend from the two periods.
    """
    partnership = find_partnership(table_path, wanted)
    made = ingest_ons_csp(table_path, population_file, lookup_file, previous, partnership.force)
    people = _population(made.population, partnership, population)
    data = dataset_files(made.counts, people, made.provenance)
    partnerships = int(made.counts["area"].nunique())
    rules = starter_rules(partnership, table_path.name, previous is not None, population is not None, partnerships)
    if police is None:
        return Starter(partnership, rules, data, made.warnings)
    counted = _police(police, partnership, table_path, population_file, lookup_file)
    files = dataset_files(counted.counts, counted.population, counted.provenance, counted.series, counted.areas)
    rules += _POLICE_ISSUES
    rules = rules.replace("\ncriteria:\n", _POLICE_DATASET + "\ncriteria:\n", 1)
    return Starter(partnership, rules, data, made.warnings + counted.warnings, files, counted.summary)


def _police(police: PoliceFiles, partnership: Partnership, table: Path, population: Path, lookup: Path) -> Any:
    """The police.uk counts of the partnership's force, by today's partnerships."""
    from engine.ingest.periods import build
    from engine.ingest.police import Options, ingest_police_uk

    options = Options(forces=(partnership.force,), csp_table=table, population=population, lookup=lookup)
    return ingest_police_uk(police.paths, build(police.current, police.previous, []), options)


def _population(frame: Any, partnership: Partnership, declared: int | None) -> Any:
    """The force's partnerships with a census population, plus a declared one; an error if ours has none."""
    known = frame[frame["population"].notna()].copy()
    mine = known["area"] == partnership.name
    if declared is not None:
        known = known[~mine]
        row = {
            "area": partnership.name,
            "population": declared,
            "source": "declared by the user (--declare-population)",
        }
        return _concat(known, row)
    if not mine.any():
        raise InputError(
            [
                Problem(
                    "--declare-population",
                    1,
                    1,
                    "",
                    f"the Census 2021 table gives no population for {partnership.name} (its districts have merged "
                    "or changed since the partnership was drawn)",
                    "give the partnership's population with --declare-population N, from a source you can cite",
                )
            ]
        )
    return known


def _concat(frame: Any, row: dict[str, Any]) -> Any:
    import pandas as pd

    return pd.concat([frame, pd.DataFrame([row])], ignore_index=True)


def starter_rules(
    partnership: Partnership, table_name: str, has_previous: bool, declared_population: bool, partnerships: int
) -> str:
    """The starter rule file's text, commented for the officer who completes it.

    ``partnerships`` is how many the force area has: the performance bands are its thirds (best third 1, middle
    3, worst 5), as Sevenoaks scores its position among Kent's districts.
    """
    area = yaml_quoted(partnership.name)
    trend = _TREND_DATA if has_previous else _TREND_MISSING.format(table=table_name, force=partnership.force)
    population_note = (
        "a population you declared (cspscore init --declare-population)"
        if declared_population
        else "Census 2021 (ONS), the partnership's districts summed"
    )
    issues = "\n".join(_issue(iid, name, group) for iid, (name, group) in ISSUES.items())
    return _TEMPLATE.format(
        name=partnership.name,
        code=partnership.code,
        force=partnership.force,
        area=area,
        trend=trend,
        population_note=population_note,
        table=table_name,
        issues=issues,
        performance_bands=performance_bands(partnerships),
    )


def performance_bands(partnerships: int) -> str:
    """Band lines for a position among ``partnerships``: thirds scoring 1, 3, 5 (one band when fewer than 3)."""
    if partnerships < 3:
        return "      - {from: 1, score: 1}   # too few partnerships in the force area to compare by thirds\n"
    best, middle = -(-partnerships // 3), -(-2 * partnerships // 3)
    return (
        f"      - {{from: 1, to: {best}, score: 1}}      # best third of {partnerships}\n"
        f"      - {{above: {best}, to: {middle}, score: 3}}\n"
        f"      - {{above: {middle}, score: 5}}     # worst third\n"
    )


def _issue(iid: str, name: str, group: str) -> str:
    judgements = "\n".join(
        f"      {cid}: {{score: to_be_agreed, rationale: {yaml_quoted(what)}}}" for cid, (_, what) in JUDGEMENTS.items()
    )
    return (
        f"  {iid}:\n    name: {yaml_quoted(name)}\n    data: {{dataset: crime, categories: [{yaml_quoted(group)}]}}\n"
        f"    judgements:   # DRAFT: replace each with {{score, rationale, evidence}} once agreed\n{judgements}\n"
    )


_TREND_DATA = """  trend:
    name: Trend Increase
    description: Change in recorded crimes since the previous edition of Table C2.
    metric: percent_change
    decimals: 1
    bands:
      - {to: 0, score: 0}
      - {above: 0, below: 5, score: 1}
      - {from: 5, below: 10, score: 3}
      - {from: 10, score: 5}
"""

_TREND_MISSING = """  trend:
    name: Trend Increase
    description: Change in recorded crimes since the previous year. MISSING DATA until last year's table is added.
    metric: percent_change
    decimals: 1
    if_no_value: to_be_agreed   # DRAFT: no previous counts yet
    data_needed: >-
      last year's edition of ONS Table C2, e.g. `cspscore init ... --previous LAST_YEAR.csv`, or
      `cspscore ingest ons-csp {table} --previous LAST_YEAR.csv --force "{force}" --out data`
    bands:
      - {{to: 0, score: 0}}
      - {{above: 0, below: 5, score: 1}}
      - {{from: 5, below: 10, score: 3}}
      - {{from: 10, score: 5}}
"""

_TEMPLATE = """# DRAFT starter assessment for {name} Community Safety Partnership ({code}, {force} police force area),
# written by `cspscore init`. Modelled on the Sevenoaks District CSP's Strategic Assessment: six criteria scored
# 0 (none), 1 (low), 3 (medium) or 5 (high), summed; an issue totalling 20 or more is a priority.
#
# It is a DRAFT until the partnership agrees every judgement marked `to_be_agreed` (and supplies the data marked
# missing): until then every output says so, shows each total as a range and decides a priority only where the
# range decides it. Replace each `{{score: to_be_agreed, ...}}` with `{{score: N, rationale: ..., evidence: ...}}`.
#
# Data (in data/, made from ONS open data under the Open Government Licence v3.0):
#   crime.csv       ONS Table C2 ({table}), recorded crime by CSP, every partnership of {force}
#   population.csv  {population_note}
#   provenance.json where every figure came from
#   cspscore validate rules.yaml
#   cspscore score rules.yaml
#   cspscore explain rules.yaml violence

assessment:
  title: Strategic Assessment (DRAFT)
  partnership: {name} Community Safety Partnership
  area: {area}
  period: as ONS Table C2 ({table})
  source: ONS police recorded crime by Community Safety Partnership (Table C2); Census 2021 population

scale:
  - {{score: 0, meaning: None}}
  - {{score: 1, meaning: Low}}
  - {{score: 3, meaning: Medium}}
  - {{score: 5, meaning: High}}

total:
  method: sum

priority:
  cutoff: 20

datasets:
  crime:
    file: data/crime.csv
    shape: crime_counts
    source: ONS Table C2, police recorded crime by Community Safety Partnership
    licence: OGL-3.0
  population:
    file: data/population.csv
    shape: population
    source: ONS Census 2021
    licence: OGL-3.0

criteria:
  community_concern:
    name: Community Concern
    description: Concern raised by residents (surveys, PACT or ward panels, partner reports). To be agreed.

{trend}
  volume:
    name: Volume
    description: Recorded crimes in the year per 1,000 residents.
    metric: rate_per_1000
    decimals: 2
    bands:
      - {{to: 0, score: 0}}
      - {{above: 0, below: 1, score: 1}}
      - {{from: 1, below: 10, score: 3}}
      - {{from: 10, score: 5}}

  harm:
    name: Level of Harm
    description: Harm to victims and impact on the community. To be agreed.

  performance:
    name: Poor Performance compared to the police force area
    description: Position by rate per 1,000 among {force}'s partnerships, 1 = lowest (worst third scores 5).
    metric: county_position
    decimals: 0
    combine: worst
    if_no_value: to_be_agreed   # a position is missing where a partnership's population is unknown
    data_needed: a population for every partnership of the force area, so each has a rate and a position
    bands:
{performance_bands}
  partnership:
    name: Partnership can add value
    description: Whether the partnership can be effective in addressing the issue. To be agreed.

issues:
{issues}"""


_POLICE_DATASET = """  police:
    file: data/police/crime.csv
    shape: crime_counts
    source: police.uk street-level crime, counted by today's partnerships (cspscore init --police)
    licence: OGL-3.0
"""

_POLICE_ISSUES = """  anti_social_behaviour:   # from police.uk: the ONS table does not count anti-social behaviour
    name: "Anti-social behaviour"
    data: {dataset: police, categories: ["Anti-social behaviour"]}
    judgements:   # DRAFT: replace each with {score, rationale, evidence} once agreed
      community_concern: {score: to_be_agreed, rationale: "agree with evidence of residents' concern"}
      harm: {score: to_be_agreed, rationale: "agree the harm to victims and the community"}
      partnership: {score: to_be_agreed, rationale: "agree whether the partners can make a difference"}
"""


def write_starter(starter: Starter, out: Path, inputs: list[Path]) -> list[Path]:
    """Write ``rules.yaml`` into ``out`` and the datasets into ``out/data`` (and ``out/data/police``)."""
    from engine import output

    files = output.folder_files(out / "data", starter.data)
    if starter.police:
        files.update(output.folder_files(out / "data" / "police", starter.police))
    files.update(output.folder_files(out, {"rules.yaml": starter.rules}))
    return output.write_files(files, inputs)  # all or nothing: the data and the rules together
