"""Small helpers for tests that edit the mini project."""

from __future__ import annotations

from pathlib import Path

from engine.pipeline import run as run_pipeline
from engine.score.scoring import Result


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in ``path`` with ``new``; fail loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(root: Path, rules: str = "rules.yaml") -> Result:
    """Load, check and score a rule file in ``root``."""
    return run_pipeline(root / rules)


def finals(result: Result, criterion: str) -> dict[str, int]:
    """Final scores of one criterion by issue id."""
    return {i: int(result.outcomes[criterion].final[n]) for n, i in enumerate(result.issue_ids)}


#: Declared measures for the mini project: a survey percentage (a rate) and a count from a partner.
MEASURES = """measures:
  pct_worried: {name: Residents worried, unit: "%", kind: rate, source: Residents' survey}
  fires: {name: Deliberate fires, kind: count}

"""

#: The mini project's crime.csv with a column for each of :data:`MEASURES`.
CRIME_WITH_MEASURES = """area,category,previous,current,county_position,pct_worried,fires
Testshire,Anti-social behaviour,1000,1150,3,24.95,12
Testshire,Burglary residential,200,150,7,25.0,3.5
Testshire,Burglary business,100,120,2,18,-1.25
"""


def with_measures(project: Path, volume: str = "") -> None:
    """Declare :data:`MEASURES` in the mini project, add their columns, and make ``volume`` the volume
    criterion's metric lines (e.g. ``metric: measure`` and ``measure: pct_worried``), if given."""
    edit(project / "rules.yaml", "datasets:\n", MEASURES + "datasets:\n")
    (project / "data/crime.csv").write_text(CRIME_WITH_MEASURES, encoding="utf-8")
    if volume:
        edit(project / "rules.yaml", "    metric: rate_per_1000\n", volume)


#: The mini project's crime.csv as it ships (the old text of an edit that replaces the whole file).
MINI_CRIME = """area,category,previous,current,county_position
Testshire,Anti-social behaviour,1000,1150,3
Testshire,Burglary residential,200,150,7
Testshire,Burglary business,100,120,2
"""

#: The mini project's counts as a crime_series: three periods, the latest two as crime.csv gives them.
SERIES = """area,category,period,count
Testshire,Anti-social behaviour,2021-22,900
Testshire,Anti-social behaviour,2022-23,1000
Testshire,Anti-social behaviour,2023-24,1150
Testshire,Burglary residential,2021-22,210
Testshire,Burglary residential,2022-23,200
Testshire,Burglary residential,2023-24,150
Testshire,Burglary business,2021-22,90
Testshire,Burglary business,2022-23,100
Testshire,Burglary business,2023-24,120
"""

#: An edit making the mini project's trend a three-period least-squares slope.
TREND_SLOPE = ("rules.yaml", "    metric: percent_change\n", "    metric: trend_slope\n    periods: 3\n")


def with_series(project: Path, series: str = SERIES, trend: str = "") -> None:
    """Give the mini project its counts as ``series`` (a crime_series in data/crime.csv) and, if given, make the
    trend criterion's metric lines ``trend`` (e.g. ``metric: trend_slope`` and ``periods: 3``)."""
    (project / "data/crime.csv").write_text(series, encoding="utf-8")
    edit(project / "rules.yaml", "    shape: crime_counts\n", "    shape: crime_series\n")
    if trend:
        edit(project / "rules.yaml", "    metric: percent_change\n", trend)
