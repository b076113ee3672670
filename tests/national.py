"""A synthetic national workload: every Community Safety Partnership of England and Wales, as made-up data.

:func:`write_county` writes a rule file and its data for ``areas`` areas and ``issues`` issues, six criteria
each (four from data: percentage change, rate per 1,000, county rank, count; two judgements), from a fixed
seed, so every run scores the same cases. 350 x 40 is the size of a national run (14,000 cases, 84,000 audit
rows). ``bench/`` times it; the slow tests check memory and the reports' links on it.
"""

from __future__ import annotations

import random
from pathlib import Path


def write_county(folder: Path, areas: int = 350, issues: int = 40) -> list[str]:
    """Write ``rules.yaml``, ``crime.csv`` and ``population.csv`` into ``folder``; the areas' names, in order."""
    rng = random.Random(20201001)
    categories = [f"Category {n:02d}" for n in range(issues * 2)]
    names = [f"District {n:03d}" for n in range(areas)]
    lines = ["area,category,previous,current"]
    for area in names:
        for category in categories:
            previous = rng.randint(1, 3000)
            lines.append(f"{area},{category},{previous},{max(0, previous + rng.randint(-400, 600))}")
    (folder / "crime.csv").write_text("\n".join(lines) + "\n")
    population = ["area,population"] + [f"{a},{rng.randint(40_000, 250_000)}" for a in names]
    (folder / "population.csv").write_text("\n".join(population) + "\n")
    scale = "".join(f"  - score: {s}\n    meaning: level {s}\n" for s in (0, 1, 3, 5))
    criteria = """
  trend:
    name: Trend
    metric: percent_change
    decimals: 1
    bands:
      - {to: 0, score: 0}
      - {above: 0, below: 5, score: 1}
      - {from: 5, below: 10, score: 3}
      - {from: 10, score: 5}
  volume:
    name: Volume
    metric: rate_per_1000
    decimals: 2
    bands:
      - {to: 0, score: 0}
      - {above: 0, below: 5, score: 1}
      - {from: 5, below: 20, score: 3}
      - {from: 20, score: 5}
  position:
    name: County position
    metric: county_rank
    decimals: 0
    bands:
      - {from: 1, to: 120, score: 1}
      - {from: 121, to: 240, score: 3}
      - {from: 241, score: 5}
  count:
    name: Count
    metric: count
    decimals: 0
    bands:
      - {to: 0, score: 0}
      - {above: 0, below: 1000, score: 1}
      - {from: 1000, below: 4000, score: 3}
      - {from: 4000, score: 5}
  concern:
    name: Concern
  partnership:
    name: Partnership
"""
    issue_text = "".join(
        f"""  issue_{n:02d}:
    name: Issue {n}
    data:
      dataset: crime
      categories: [{categories[2 * n]}, {categories[2 * n + 1]}]
    judgements:
      concern: {{score: {rng.choice([1, 3, 5])}, rationale: r, evidence: e}}
      partnership: {{score: {rng.choice([1, 3, 5])}, rationale: r, evidence: e}}
"""
        for n in range(issues)
    )
    text = (
        "assessment: {title: Synthetic county, partnership: Synthetic, period: '2024'}\n"
        f"scale:\n{scale}priority:\n  cutoff: 18\n"
        "datasets:\n  crime: {file: crime.csv, shape: crime_counts}\n"
        "  population: {file: population.csv, shape: population}\n"
        f"criteria:{criteria}issues:\n{issue_text}"
    )
    (folder / "rules.yaml").write_text(text)
    return names
