"""engine.load.data_checks: each named check of the rules against the data, with its exact message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from engine.load.data_checks import AREA_CHECKS, CHECKS, DataCheck, run_checks
from engine.load.datasets import check_rules_against_data, data_context, read_dataset
from engine.load.rules import load_rules
from tests.helpers import MINI_CRIME, SERIES, TREND_SLOPE, edit

RULES = "rules.yaml"
CRIME = "data/crime.csv"
POPULATION = "data/population.csv"
OTHERTON_ASB = "Otherton,Anti-social behaviour,10,20,1\n"

#: The mini project's volume criterion, to be swapped for one with another metric.
VOLUME = """    metric: rate_per_1000
    decimals: 1
    bands:
      - below: 1
        score: 1
      - from: 1
        below: 5
        score: 3
      - from: 5
        score: 5
"""


def volume(metric: str, extra: str = "", lowest: int | None = 0) -> tuple[str, str, str]:
    """An edit making the volume criterion use ``metric`` (with ``extra`` keys), one band from ``lowest`` up."""
    edge = "" if lowest is None else f"from: {lowest}\n        "
    return RULES, VOLUME, f"    metric: {metric}\n{extra}    decimals: 0\n    bands:\n      - {edge}score: 5\n"


def append(path: str, text: str) -> tuple[str, str, str]:
    """An edit adding ``text`` at the end of ``path`` (after the mini file's last row)."""
    last = {CRIME: "Testshire,Burglary business,100,120,2\n", POPULATION: "Testshire,100000\n"}[path]
    return path, last, last + text


@dataclass(frozen=True)
class Case:
    check: str  # the name of the check it triggers
    edits: list[tuple[str, str, str]]  # (file, old, new) in the mini project
    expected: list[str]  # the check's problems, as printed
    areas: list[str] | str | None = None
    others: list[str] = field(default_factory=list)  # problems of other checks the same edits cause


#: The asb issue's concern judgement, moved under one area's own entries (``{area}``).
ASB_CONCERN = """    judgements:
      concern:
        score: 5
        rationale: Residents raise it at every PACT meeting.
        evidence: PACT minutes 2023-24
  burglary:"""
ASB_AREA = """    areas:
      {area}:
        judgements:
          concern: {{score: 5, rationale: Raised at the ward panel., evidence: Panel minutes}}
  burglary:"""

MEASURES = 'measures:\n  pct_worried: {name: Residents worried, unit: "%", kind: rate}\n\n'

CASES = [
    Case(
        "named_areas_present",
        [(RULES, "  burglary:", ASB_AREA.format(area="Testshir"))],
        [
            "rules.yaml:72:7: issues.asb.areas.Testshir: area `Testshir` is not in the data\n"
            "    hint: did you mean `Testshire`?"
        ],
    ),
    Case(
        "named_areas_present",
        [
            (
                RULES,
                "  cutoff: 10\n",
                "  cutoff: 10\n  max_priorities: 2\n  ties: include_all\n  areas: {Othertn: {max_priorities: 1}}\n",
            ),
            append(CRIME, OTHERTON_ASB),
        ],
        [
            "rules.yaml:25:11: priority.areas.Othertn: area `Othertn` is not in the data\n"
            "    hint: did you mean `Otherton`?"
        ],
        areas=["Testshire"],
    ),
    Case(
        "judged_in_every_area",
        [
            (RULES, ASB_CONCERN, ASB_AREA.format(area="Otherton")),
            append(CRIME, OTHERTON_ASB),
            append(POPULATION, "Otherton,5000\n"),
        ],
        [
            "rules.yaml:66:5: issues.asb.areas: issue `asb` has no judgement of `concern` for Testshire\n"
            "    hint: add `concern:` under `judgements:` of each of these areas, or a judgement of the issue itself "
            "for every area"
        ],
        areas=["Testshire", "Otherton"],
        others=[
            "rules.yaml:74:20: issues.burglary.data.categories[0]: category `Burglary residential` has no row in "
            "data/crime.csv for Otherton",
            "rules.yaml:74:42: issues.burglary.data.categories[1]: category `Burglary business` has no row in "
            "data/crime.csv for Otherton",
        ],
    ),
    Case(
        "measure_columns",
        [
            (RULES, "datasets:\n", MEASURES + "datasets:\n"),
            volume("measure", "    measure: pct_worried\n", lowest=None),
        ],
        [
            "rules.yaml:53:14: criteria.volume.measure: measure `pct_worried` is needed but data/crime.csv has no "
            "`pct_worried` column\n    hint: add a `pct_worried` column to data/crime.csv (a blank cell is a missing "
            "value)"
        ],
    ),
    Case(
        "measure_columns",
        [
            (RULES, "datasets:\n", MEASURES + "datasets:\n"),
            volume("expression", "    expression: pct_worried\n", lowest=None),
        ],
        [
            "rules.yaml:53:17: criteria.volume.expression: measure `pct_worried` is needed but data/crime.csv has no "
            "`pct_worried` column\n    hint: add a `pct_worried` column to data/crime.csv (a blank cell is a missing "
            "value)"
        ],
    ),
    Case(
        "area_chosen",
        [(RULES, "  area: Testshire\n", ""), append(CRIME, OTHERTON_ASB)],
        [
            "rules.yaml:3:3: assessment: dataset `crime` covers 2 areas; say which with `area:`\n"
            "    hint: areas: Testshire, Otherton"
        ],
    ),
    Case(
        "area_present",
        [(RULES, "area: Testshire", "area: Testshir")],
        [
            "rules.yaml:5:9: assessment.area: area `Testshir` is not in data/crime.csv\n"
            "    hint: did you mean `Testshire`?",
            "rules.yaml:5:9: assessment.area: area `Testshir` is not in data/population.csv\n"
            "    hint: did you mean `Testshire`?",
        ],
    ),
    Case(
        "area_present",  # an area asked for (not the rules' own) is placed at the assessment
        [],
        [
            "rules.yaml:3:3: assessment: area `Kent` is not in data/crime.csv\n    hint: areas there: Testshire",
            "rules.yaml:3:3: assessment: area `Kent` is not in data/population.csv\n    hint: areas there: Testshire",
        ],
        areas=["Testshire", "Kent"],
    ),
    Case(
        "categories_present",
        [(RULES, "categories: [Burglary residential,", "categories: [Burglary residentail,")],
        [
            "rules.yaml:75:20: issues.burglary.data.categories[0]: category `Burglary residentail` is not in "
            "data/crime.csv for area Testshire\n"
            "    hint: did you mean `Burglary residential`?"
        ],
    ),
    Case(
        "categories_for_every_area",
        [append(CRIME, OTHERTON_ASB), append(POPULATION, "Otherton,5000\n")],
        [
            "rules.yaml:75:20: issues.burglary.data.categories[0]: category `Burglary residential` has no row in "
            "data/crime.csv for Otherton",
            "rules.yaml:75:42: issues.burglary.data.categories[1]: category `Burglary business` has no row in "
            "data/crime.csv for Otherton",
        ],
        areas=["Testshire", "Otherton"],
    ),
    Case(
        "population_for_every_ranked_area",
        [volume("county_rank", lowest=1), append(CRIME, OTHERTON_ASB)],
        [
            "rules.yaml:49:13: criteria.volume.metric: county ranks compare every area in data/crime.csv, but "
            "data/population.csv has no population for Otherton"
        ],
    ),
    Case(
        "rank_groups_known",
        [volume("county_rank", "    rank: {among: county}\n", lowest=1)],
        [
            "rules.yaml:50:19: criteria.volume.rank.among: data/population.csv has no column `group_county`\n"
            "    hint: add a column group_county to it"
        ],
    ),
    Case(
        "rank_groups_known",
        [
            volume("county_rank", "    rank: {among: county}\n", lowest=1),
            (POPULATION, "area,population\nTestshire,100000\n", "area,population,group_county\nTestshire,100000,\n"),
        ],
        [
            "rules.yaml:50:19: criteria.volume.rank.among: ranks among `county` need every area's group, but "
            "data/population.csv gives none for Testshire\n"
            "    hint: fill the group_county column for every area in the crime data"
        ],
    ),
    Case(
        "population_for_rates",
        [(RULES, "  population:\n    file: data/population.csv\n    shape: population\n", "")],
        [
            "rules.yaml:46:13: criteria.volume.metric: a rate per 1,000 needs exactly one population dataset; "
            "found 0\n"
            "    hint: add a dataset with `shape: population`"
        ],
    ),
    Case(
        "population_for_rates",  # an expression reading the population needs it too
        [
            (RULES, "  population:\n    file: data/population.csv\n    shape: population\n", ""),
            volume("expression", "    expression: current / population\n", lowest=None),
        ],
        [
            "rules.yaml:46:13: criteria.volume.metric: a rate per 1,000 needs exactly one population dataset; "
            "found 0\n"
            "    hint: add a dataset with `shape: population`"
        ],
    ),
    Case(
        "county_position_column",
        [
            volume("county_position", lowest=1),
            (CRIME, "current,county_position\n", "current\n"),
            (CRIME, "1150,3\n", "1150\n"),
            (CRIME, "150,7\n", "150\n"),
            (CRIME, "120,2\n", "120\n"),
        ],
        [
            "rules.yaml:49:13: criteria.volume.metric: county positions are needed but data/crime.csv has no "
            "`county_position` column"
        ],
    ),
    Case(
        "share_total_category",
        [volume("share_of_total", "    total_category: All crime\n")],
        ["rules.yaml:50:21: criteria.volume.total_category: category `All crime` is not in data/crime.csv"],
    ),
    Case(
        "harm_weights_known",
        [
            volume(
                "harm_weighted",
                "    weights: {Anti-social behaviour: 1, Burglary residential: 2, Burglary business: 2,"
                " Burglary residental: 2}\n",
            )
        ],
        [
            'rules.yaml:50:109: criteria.volume.weights."Burglary residental": category `Burglary residental` is not '
            "in the data\n"
            "    hint: did you mean `Burglary residential`?"
        ],
    ),
    Case(
        "harm_weights_complete",
        [volume("harm_weighted", "    weights: {Anti-social behaviour: 1, Burglary residential: 2}\n")],
        [
            "rules.yaml:50:14: criteria.volume.weights: category `Burglary business` (issue `burglary`) has no "
            "harm weight"
        ],
    ),
]

SERIES_SHAPE = (RULES, "    shape: crime_counts\n", "    shape: crime_series\n")


def series(text: str = SERIES) -> list[tuple[str, str, str]]:
    """Edits making the mini project's crime dataset the crime_series ``text``."""
    return [(CRIME, MINI_CRIME, text), SERIES_SHAPE]


CASES += [
    Case(
        "latest_period_counted",
        series(SERIES.replace("Testshire,Burglary business,2023-24,120\n", "")),
        [
            "rules.yaml:75:42: issues.burglary.data.categories[1]: Testshire / Burglary business has no row for "
            "2023-24, the latest period of data/crime.csv\n"
            "    hint: every metric reads the latest period's count (as `current`): add the row for 2023-24"
        ],
    ),
    Case(
        "latest_period_counted",
        series(SERIES.replace("2023-24,120", "2023-24,")),
        [
            "data/crime.csv:10:4: count: the count of Testshire / Burglary business for 2023-24, the latest period, "
            "is blank, but issue `burglary` reads it\n"
            "    hint: every metric reads the latest period's count (as `current`): fill it in"
        ],
    ),
    Case(
        "periods_for_trends",
        [TREND_SLOPE],
        [
            "rules.yaml:38:14: criteria.trend.periods: `trend` needs the latest 3 periods, but datasets.crime is a "
            "crime_counts dataset, which holds two (previous and current)\n"
            "    hint: give the counts one row per area, category and period in a crime_series dataset, or use "
            "fewer periods (`periods:` on criteria.trend)"
        ],
    ),
    Case(
        "periods_for_trends",
        [*series(SERIES.replace("Testshire,Burglary residential,2021-22,210\n", "")), TREND_SLOPE],
        [
            "rules.yaml:38:14: criteria.trend.periods: `trend` needs the latest 3 periods (2021-22 to 2023-24), but "
            "datasets.crime has only 2 of them (2022-23, 2023-24) for Testshire / Burglary residential\n"
            "    hint: add the row for 2021-22 to data/crime.csv, or use fewer periods (`periods:` on criteria.trend)"
        ],
    ),
    Case(
        "periods_for_trends",
        [*series("".join(line for line in SERIES.splitlines(True) if "2021-22" not in line)), TREND_SLOPE],
        [
            "rules.yaml:38:14: criteria.trend.periods: `trend` needs the latest 3 periods, but datasets.crime has "
            "only 2 (2022-23, 2023-24)\n"
            "    hint: add the earlier periods to data/crime.csv, or use fewer periods (`periods:` on criteria.trend)"
        ],
    ),
]

ALL_CHECKS: dict[str, DataCheck] = {check.__name__: check for check in AREA_CHECKS + CHECKS}


def context_for(project: Path, case: Case):
    for file, old, new in case.edits:
        edit(project / file, old, new)
    rules = load_rules(project / RULES)
    datasets = {name: read_dataset(ref, rules.measures) for name, ref in rules.datasets.items()}
    return data_context(rules, datasets, case.areas)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.check}-{n}" for n, c in enumerate(CASES)])
def test_check(project: Path, case: Case) -> None:
    context = context_for(project, case)
    assert [str(p) for p in ALL_CHECKS[case.check](context)] == case.expected
    # ... and no other check finds anything (beyond ``others``), so the rules-against-data check reports these.
    assert sorted(str(p) for p in check_rules_against_data(context.rules, context.datasets, case.areas)) == sorted(
        case.expected + case.others
    )


def test_every_check_has_a_case():
    assert {case.check for case in CASES} == set(ALL_CHECKS)
    assert len(ALL_CHECKS) == len(AREA_CHECKS) + len(CHECKS)  # no two checks share a name


def test_every_check_says_what_it_holds():
    assert all(check.__doc__ for check in ALL_CHECKS.values())


def test_the_mini_project_passes_every_check(project: Path) -> None:
    assert run_checks(context_for(project, Case("", [], []))) == []


def test_area_problems_stop_the_other_checks(project: Path) -> None:
    edits = [
        (RULES, "area: Testshire", "area: Testshir"),
        (RULES, "categories: [Burglary residential,", "categories: [Burglary residentail,"),
    ]
    context = context_for(project, Case("", edits, []))
    assert ALL_CHECKS["categories_present"](context)  # would be found, but the area comes first
    assert [p.path for p in run_checks(context)] == ["assessment.area", "assessment.area"]


def test_all_areas_are_the_areas_of_the_crime_data(project: Path) -> None:
    case = Case("", [append(CRIME, OTHERTON_ASB)], [], areas="all")
    context = context_for(project, case)
    assert context.wanted == ["Testshire", "Otherton"]
    assert [str(p) for p in run_checks(context)] == [
        "rules.yaml:3:3: assessment: area `Otherton` is not in data/population.csv\n    hint: areas there: Testshire"
    ]
