"""cspscore explain through click's CliRunner: the verdict and each criterion's working, line by line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import cli

from .helpers import edit


def explain(issue: str) -> list[str]:
    result = CliRunner().invoke(cli.main, ["explain", "rules.yaml", issue])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_an_issue_beyond_max_priorities_is_not_said_to_be_tied(project: Path):
    edit(project / "rules.yaml", "  cutoff: 10\n", "  cutoff: 5\n  max_priorities: 1\n  ties: include_all\n")
    assert explain("scams")[-1] == (
        "Cutoff: 9 >= 5, but this issue is NOT a priority: the rules allow at most 1 priority and at rank 2 "
        "it is beyond the limit. Rank 2 of 3."
    )


def block(lines: list[str], heading: str) -> list[str]:
    """The lines of one criterion's trace, from its heading to the blank line after it."""
    start = next(n for n, line in enumerate(lines) if line.startswith(heading))
    return lines[start : lines.index("", start)]


def test_a_formula_shows_its_own_names_their_values_and_the_substituted_arithmetic(project: Path):
    edit(
        project / "rules.yaml",
        "    metric: rate_per_1000\n    decimals: 1\n",
        "    metric: expression\n    expression: county_position * 2.5\n    decimals: 0\n",
    )
    assert block(explain("burglary"), "3. Volume") == [
        "3. Volume: 5 (High), from the data",
        "   Metric:    expression = county_position * 2.5",
        "   Inputs:    county_position 7 (worst of 7, 2)",
        "   Rows:      data/crime.csv rows 3, 4",
        "   Working:   7 * 2.5 = 17.5 -> 18 (rounded to 0 places)",
        "   Band:      from 5 -> score 5   (bands: below 1 -> 1 | from 1 below 5 -> 3 | from 5 ->",
        "              5)",
    ]


def test_a_blank_previous_count_is_missing_in_the_working(project: Path):
    edit(project / "rules.yaml", "    metric: percent_change\n", "    metric: percent_change\n    if_no_value: 0\n")
    edit(project / "data/crime.csv", "Burglary business,100,120,2", "Burglary business,,120,2")
    assert block(explain("burglary"), "2. Trend")[2:5] == [
        "   Inputs:    previous missing; current 270 (summed over Burglary residential, Burglary",
        "              business)",
        "   Rows:      data/crime.csv rows 3, 4",
    ]
    assert block(explain("burglary"), "2. Trend")[5] == "   Working:   (270 - missing) / missing x 100: no value"


def test_a_share_of_total_names_the_row_of_its_denominator(project: Path):
    edit(
        project / "rules.yaml",
        "    metric: rate_per_1000\n    decimals: 1\n",
        "    metric: share_of_total\n    total_category: Anti-social behaviour\n    decimals: 1\n",
    )
    assert block(explain("burglary"), "3. Volume")[4:7] == [
        "   Rows:      data/crime.csv rows 3, 4; data/crime.csv row 2 (total category: Anti-",
        "              social behaviour)",
        "   Working:   270 / 1150 x 100 = 23.47826... -> 23.5 (rounded to 1 place)",
    ]


def test_harm_weighted_working_sums_each_count_times_its_weight(project: Path):
    edit(
        project / "rules.yaml",
        "    metric: rate_per_1000\n    decimals: 1\n",
        "    metric: harm_weighted\n    decimals: 1\n    weights:\n      Anti-social behaviour: 0.5\n"
        "      Burglary residential: 2.5\n      Burglary business: 10\n",
    )
    assert block(explain("burglary"), "3. Volume")[5] == "   Working:   150 x 2.5 + 120 x 10 = 1575.0"
