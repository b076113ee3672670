"""cspscore explain through click's CliRunner: the verdict and each criterion's working, line by line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import cli

from .helpers import SERIES, edit, with_series


def explain(issue: str) -> list[str]:
    result = CliRunner().invoke(cli.main, ["explain", "rules.yaml", issue, "--wide"])
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


def test_a_trend_over_periods_shows_each_periods_count_rows_and_the_slopes_working(project: Path):
    with_series(project, trend="    metric: trend_slope\n    periods: 3\n")
    lines = explain("asb")
    assert lines[7:13] == [
        "Data: data/crime.csv, area Testshire",
        "   row    category               period    count",
        "   -----  ---------------------  --------  -------",
        "   2      Anti-social behaviour  2021-22   900",
        "   3      Anti-social behaviour  2022-23   1000",
        "   4      Anti-social behaviour  2023-24   1150",
    ]
    assert block(lines, "2. Trend") == [
        "2. Trend Increase: 3 (Medium), from the data",
        "   Metric:    trend_slope = 100 x slope / mean of the counts y over the latest 3 periods",
        "              (x = 0 for the oldest), slope = (3 x sum(xy) - sum(x) x sum(y)) / (3 x",
        "              sum(x^2) - sum(x)^2)",
        "   Inputs:    2021-22 900; 2022-23 1000; 2023-24 1150",
        "   Rows:      data/crime.csv row 2 (2021-22), row 3 (2022-23), row 4 (2023-24)",
        "   Working:   y = 900, 1000, 1150 at x = 0, 1, 2: sum(y) = 3050, sum(xy) = 3300; slope =",
        "              (3 x 3300 - 3 x 3050) / (3 x 5 - 3 x 3) = 750 / 6 = 125; mean = 3050 / 3 =",
        "              1016.66666...; 100 x 125 / 1016.66666... = 12.29508... -> 12.3 (rounded to",
        "              1 place)",
        "   Band:      above 0 below 15 -> score 3   (bands: to 0 -> 0 | above 0 below 15 -> 3 |",
        "              from 15 -> 5)",
    ]


def test_a_missing_count_of_a_period_is_shown_where_it_is(project: Path):
    with_series(
        project,
        SERIES.replace("2021-22,210", "2021-22,"),
        "    metric: trend_slope\n    periods: 3\n    if_no_value: {missing: 1, zero_mean: 0}\n",
    )
    assert block(explain("burglary"), "2. Trend")[0:1] + block(explain("burglary"), "2. Trend")[4:11] == [
        "2. Trend Increase: 1 (Low), from the data (no value)",
        "   Inputs:    2021-22 missing; 2022-23 300; 2023-24 270, each summed over Burglary",
        "              residential, Burglary business",
        "   Rows:      data/crime.csv rows 5 and 8 (2021-22), rows 6 and 9 (2022-23), rows 7 and",
        "              10 (2023-24)",
        "   Working:   y = missing, 300, 270 at x = 0, 1, 2: a count is missing, so no value",
        "   Band:      none (no value: missing): if_no_value.missing -> score 1   (bands: to 0 ->",
        "              0 | above 0 below 15 -> 3 | from 15 -> 5)",
    ]


def test_a_change_over_periods_reads_the_first_and_last_and_every_metric_names_its_periods(project: Path):
    with_series(project, trend="    metric: change_over_periods\n    periods: 3\n")
    assert block(explain("burglary"), "2. Trend") == [
        "2. Trend Increase: 0 (None), from the data",
        "   Metric:    change_over_periods = (last - first) / first x 100, over the latest 3",
        "              periods",
        "   Inputs:    2021-22 300; 2023-24 270, the first and last of the latest 3 periods, each",
        "              summed over Burglary residential, Burglary business",
        "   Rows:      data/crime.csv rows 5 and 8 (2021-22), rows 7 and 10 (2023-24)",
        "   Working:   (270 - 300) / 300 x 100 = -10.0",
        "   Band:      to 0 -> score 0   (bands: to 0 -> 0 | above 0 below 15 -> 3 | from 15 ->",
        "              5)",
    ]
    assert block(explain("burglary"), "3. Volume")[4] == (
        "   Rows:      data/crime.csv rows 7 and 10 (2023-24); data/population.csv row 2"
    )


def test_a_share_of_total_on_a_series_names_the_latest_periods_rows(project: Path):
    with_series(project)
    edit(
        project / "rules.yaml",
        "    metric: rate_per_1000\n    decimals: 1\n",
        "    metric: share_of_total\n    total_category: Anti-social behaviour\n    decimals: 1\n",
    )
    assert block(explain("burglary"), "3. Volume")[4:7] == [
        "   Rows:      data/crime.csv rows 7 and 10 (2023-24); data/crime.csv row 4 (total",
        "              category: Anti-social behaviour)",
        "   Working:   270 / 1150 x 100 = 23.47826... -> 23.5 (rounded to 1 place)",
    ]


def test_the_whole_explanation_of_an_issue_scored_over_a_series(project: Path):
    with_series(project, trend="    metric: change_over_periods\n    periods: 3\n")
    result = CliRunner().invoke(cli.main, ["explain", "rules.yaml", "asb", "--wide"])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == (
        "Why Anti-Social Behaviour scored 15\n"
        "===================================\n"
        "Assessment: Test assessment, Testshire CSP\n"
        "Area: Testshire. Period: April 2023 to March 2024\n"
        "Rules: rules.yaml (SHA-256 9225616bf83b4c87...)\n"
        "Scale: 0 = None, 1 = Low, 3 = Medium, 5 = High\n"
        "\n"
        "Data: data/crime.csv, area Testshire\n"
        "   row    category               period    count\n"
        "   -----  ---------------------  --------  -------\n"
        "   2      Anti-social behaviour  2021-22   900\n"
        "   3      Anti-social behaviour  2022-23   1000\n"
        "   4      Anti-social behaviour  2023-24   1150\n"
        "\n"
        "1. Community Concern: 5 (High), by judgement\n"
        "   Rationale: Residents raise it at every PACT meeting.\n"
        "   Evidence:  PACT minutes 2023-24\n"
        "\n"
        "2. Trend Increase: 5 (High), from the data\n"
        "   Metric:    change_over_periods = (last - first) / first x 100, over the latest 3\n"
        "              periods\n"
        "   Inputs:    2021-22 900; 2023-24 1150, the first and last of the latest 3 periods\n"
        "   Rows:      data/crime.csv row 2 (2021-22), row 4 (2023-24)\n"
        "   Working:   (1150 - 900) / 900 x 100 = 27.77777... -> 27.8 (rounded to 1 place)\n"
        "   Band:      from 15 -> score 5   (bands: to 0 -> 0 | above 0 below 15 -> 3 | from 15\n"
        "              -> 5)\n"
        "\n"
        "3. Volume: 5 (High), from the data\n"
        "   Metric:    rate_per_1000 = current / population x 1,000\n"
        "   Inputs:    current 1150; population 100000\n"
        "   Rows:      data/crime.csv row 4 (2023-24); data/population.csv row 2\n"
        "   Working:   1150 / 100000 x 1000 = 11.5\n"
        "   Band:      from 5 -> score 5   (bands: below 1 -> 1 | from 1 below 5 -> 3 | from 5 ->\n"
        "              5)\n"
        "\n"
        "Total: 5 + 5 + 5 = 15 (sum of the criterion scores)\n"
        "Cutoff: 15 >= 10, so this issue IS a priority (5 above the cutoff). Rank 1 of 3.\n"
    )
