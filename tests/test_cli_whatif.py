"""whatif, sweep and compare through click's CliRunner: exit codes and whole outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

from .conftest import ROOT


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def test_whatif_trend_threshold_15():
    result = invoke("whatif", "--set", "criteria.trend.bands[3].from=15")
    assert result.exit_code == 0 and result.stderr == ""
    assert (
        result.stdout
        == """\
Baseline: rules/sevenoaks-2020.yaml (cutoff 20)
Variant: command line
     criteria.trend.bands[3].from: 10 -> 15
     criteria.trend.bands[2].below: 10 -> 15 (moved with it: shared boundary)

   issue_id               Com  Tre  Vol  Har  Per  Par    tot  pri
-  ---------------------  ---  ---  ---  ---  ---  ---  -----  ---
*  domestic_abuse           3  5→3    5    5    3    5  26→24  yes
*  substance_misuse         5  5→3    3    5    1    5  24→22  yes
   serious_acquisitive      5    5    5    3    5    5     28  yes
   anti_social_behaviour    5    5    5    5    3    5     28  yes
   safeguarding             5    5    5    5    1    5     26  yes
   doorstep_crimes_scams    5    5    3    5    3    5     26  yes
Com = Community Concern; Tre = Trend Increase; Vol = Volume; Har = Level of
  Harm; Per = Poor Performance compared to County/Most Similar Group; Par =
  Partnership can add value; tot = total; pri = priority; a→b = before, after.

* changed
2 of 6 issues change. Priorities: 6 before, 6 after; entering: none; leaving:
none.
What drove the changes:
  Rule changes:
    criteria.trend.bands[3].from 10 -> 15 (with bands[2].below): trend of
      domestic_abuse 5 -> 3, total 26 -> 24; trend of substance_misuse 5 -> 3,
      total 24 -> 22
  Scores, issue by issue:
    domestic_abuse: trend 5 -> 3 (value 11.4)
    substance_misuse: trend 5 -> 3 (value 12.8)
"""
    )


def test_whatif_honours_columns(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COLUMNS", "100")
    result = invoke("whatif", "--set", "criteria.trend.bands[3].from=15")
    assert result.exit_code == 0 and result.stderr == ""
    assert (
        result.stdout.splitlines()[-9:]
        == """\
* changed
2 of 6 issues change. Priorities: 6 before, 6 after; entering: none; leaving: none.
What drove the changes:
  Rule changes:
    criteria.trend.bands[3].from 10 -> 15 (with bands[2].below): trend of domestic_abuse 5 -> 3,
      total 26 -> 24; trend of substance_misuse 5 -> 3, total 24 -> 22
  Scores, issue by issue:
    domestic_abuse: trend 5 -> 3 (value 11.4)
    substance_misuse: trend 5 -> 3 (value 12.8)
""".splitlines()
    )
    assert 80 < max(len(line) for line in result.stdout.splitlines()) <= 100


def test_whatif_wide_prints_the_full_table():
    result = invoke("whatif", "--set", "criteria.trend.bands[3].from=15", "--wide")
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[5:8] == [
        "    issue_id                 community_concern    trend    volume    harm    performance    partnership     total  priority",
        "--  ---------------------  -------------------  -------  --------  ------  -------------  -------------  --------  ----------",
        "*   domestic_abuse                           3   5 -> 3         5       5              3              5  26 -> 24  yes",
    ]
    assert lines[-4] == (
        "    criteria.trend.bands[3].from 10 -> 15 (with bands[2].below): trend of domestic_abuse 5 -> 3, total 26 -> 24; "
        "trend of substance_misuse 5 -> 3, total 24 -> 22"
    )


def test_whatif_names_a_cutoff_move_among_what_drove_the_changes():
    result = invoke("whatif", "--cutoff", "25")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[-3:] == [
        "What drove the changes:",
        "  Rule changes:",
        "    priority.cutoff 20 -> 25: substance_misuse total 24, leaves the priorities",
    ]


def test_whatif_scenarios_side_by_side():
    result = invoke("whatif", "-s", "rules/scenarios/trend-15.yaml", "-s", "rules/scenarios/cutoff-26.yaml", "--wide")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        "Baseline: rules/sevenoaks-2020.yaml (cutoff 20)",
        "A: Trend threshold 15% (rules/scenarios/trend-15.yaml)",
        "     criteria.trend.bands[3].from: 10 -> 15",
        "     criteria.trend.bands[2].below: 10 -> 15 (moved with it: shared boundary)",
        "B: Cutoff 26 (rules/scenarios/cutoff-26.yaml)",
        "     priority.cutoff: 20 -> 26",
    ]
    assert "*   substance_misuse       24 yes      22 yes  24 no LEAVES" in lines
    assert lines[-6:] == [
        "A: 2 of 6 issues change. Priorities: 6 before, 6 after; entering: none; leaving: none.",
        "B: 1 of 6 issues change. Priorities: 6 before, 5 after; entering: none; leaving: substance_misuse.",
        "A: what drove the changes:",
        "  criteria.trend.bands[3].from 10 -> 15 (with bands[2].below): trend of domestic_abuse 5 -> 3, "
        "total 26 -> 24; trend of substance_misuse 5 -> 3, total 24 -> 22",
        "B: what drove the changes:",
        "  priority.cutoff 20 -> 26: substance_misuse total 24, leaves the priorities",
    ]


def test_whatif_json_and_cutoff_shortcut():
    result = invoke("whatif", "--cutoff", "25", "--format", "json")
    document = json.loads(result.stdout)
    variant = document["variants"][0]
    assert variant["changes"] == [{"path": "priority.cutoff", "before": 20, "after": 25, "linked": False}]
    assert variant["described"] == ["priority.cutoff: 20 -> 25"]
    assert variant["leaving"] == ["substance_misuse"]
    assert variant["issues"][0]["status"] == "leaves"


def test_whatif_needs_a_change():
    result = invoke("whatif")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: say what changes: --set PATH=VALUE, --cutoff N or --scenario FILE\n")


def test_whatif_bad_settings_are_positioned():
    result = invoke("whatif", "--set", "criteria.trend.bands[3].frm=15", "--set", "priority.cutoff=abc")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "--set[1]:1:29: criteria.trend.bands[3].frm: unknown key `frm`\n"
        "    hint: did you mean `from`?\n"
        '--set[2]:1:17: priority.cutoff: must be a number, not the text "abc"\n'
        "    hint: write the number without quotes, units or thousands separators\n"
        "2 problems found; nothing was written.\n"
    )


def test_whatif_scenario_for_another_rule_file():
    result = invoke("whatif", "rules/sevenoaks-2019.yaml", "-s", "rules/scenarios/cutoff-26.yaml")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "rules/scenarios/cutoff-26.yaml:3:7: base: this scenario changes sevenoaks-2020.yaml, "
        "but the comparison is against sevenoaks-2019.yaml\n"
    )


def test_sweep_cutoff_flip_points():
    result = invoke("sweep", "--vary", "priority.cutoff=20:30:1", "--format", "csv")
    assert result.exit_code == 0 and result.stderr == ""  # no progress bar when stderr is not a terminal
    assert result.stdout.splitlines()[0] == (
        "issue_id,baseline_total,baseline_priority,priority_share,priority_scenarios,in,out,"
        "flip_by_score,flip_by_threshold,flip_by_cutoff"
    )
    assert result.stdout.splitlines()[6] == (
        "substance_misuse,24,yes,45.5%,5 of 11,20 to 24,25 to 30,community_concern 5 -> 0 (3 steps),none,"
        "priority.cutoff 20 -> 25 (+5)"
    )


def test_sweep_table_two_parameters():
    result = invoke(
        "sweep", "--vary", "priority.cutoff=18:28:1", "--vary", "criteria.trend.bands[3].from=0:30:0.5", "--wide"
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Baseline: rules/sevenoaks-2020.yaml (cutoff 20)",
        "Sweep: priority.cutoff = 18 to 28 step 1 (11 values)",
        "Sweep: criteria.trend.bands[3].from = 0.0 to 30.0 step 0.5 (61 values)",
        "671 scenarios; 110 skipped because the bands would overlap or leave a gap "
        "(e.g. priority.cutoff=18, criteria.trend.bands[3].from=0.0).",
    ]
    assert "Distinct priority lists: 4" in lines


def test_sweep_bad_range():
    result = invoke("sweep", "--vary", "priority.cutoff=18:20")
    assert result.exit_code == 1
    assert result.stderr == (
        "--vary[1]:1:17: priority.cutoff: `18:20` is not START:STOP:STEP\n    hint: e.g. 5:20:0.5\n"
        "1 problem found; nothing was written.\n"
    )


def test_compare_years():
    result = invoke("compare", "rules/sevenoaks-2019.yaml", "rules/sevenoaks-2020.yaml", "--wide")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Then: rules/sevenoaks-2019.yaml (cutoff 20)",
        "Now: rules/sevenoaks-2020.yaml",
        "     then: Strategic Assessment 2019 (illustrative reconstruction), 1 October 2018 to 30 September 2019",
        "     now:  Strategic Assessment 2020, 1 October 2019 to 30 September 2020",
    ]
    drove = lines.index("What drove the changes:")
    assert lines[drove + 1 : drove + 4] == [
        "  Rule changes:",
        "    issues.serious_acquisitive.judgements.trend.score 5 -> (not set): no score or priority changes",
        "    issues.serious_acquisitive.overrides.trend.score (not set) -> 5: no score or priority changes",
    ]
    # a judgement given way to data and a new override, each tied to the score it moved
    assert (
        "    issues.anti_social_behaviour.judgements.trend.score 3 -> (not set): trend of anti_social_behaviour 3 -> 5, "
        "total 24 -> 28"
    ) in lines
    assert (
        "    issues.anti_social_behaviour.overrides.performance.score (not set) -> 3: performance of "
        "anti_social_behaviour 1 -> 3, total 24 -> 28"
    ) in lines
    scores = lines.index("  Scores, issue by issue:")
    assert lines[scores + 1 : scores + 5] == [
        "    anti_social_behaviour: trend 3 -> 5 (judgement -> data 48.3); performance 1 -> 3 (data 2 -> override)",
        "    safeguarding: trend 3 -> 5 (judgement); volume 3 -> 5 (judgement); performance 3 -> 1 (judgement)",
        "    doorstep_crimes_scams: trend 3 -> 5 (judgement)",
        "    substance_misuse: trend 3 -> 5 (judgement -> data 12.8)",
    ]
    assert lines[-1].startswith(
        "  Reworded (no score changes): issues.serious_acquisitive.judgements.community_concern"
    )


def test_compare_markdown_to_a_file(tmp_path: Path):
    out = tmp_path / "changes.md"
    result = invoke(
        "compare", "rules/sevenoaks-2019.yaml", "rules/sevenoaks-2020.yaml", "--format", "markdown", "--out", str(out)
    )
    assert result.exit_code == 0 and result.stdout == ""
    assert "| **Anti-Social Behaviour incl Environmental Crime** | 5 | 3 -&gt; 5 |" in out.read_text()


def test_a_scenario_that_changes_data_recomputes_county_ranks():
    # Carrow's and Beckton's burglaries rise: Ashdown falls from the worst (4th) to 2nd of the four districts.
    result = invoke(
        "whatif", "tests/corpus/county/rules.yaml", "--set", "datasets.crime.file=data/crime-carrow-rise.csv", "--wide"
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2] == "     datasets.crime.file: data/crime.csv -> data/crime-carrow-rise.csv"
    assert lines[6] == "*   burglary           5 -> 1        3   8 -> 4  yes -> no LEAVES"
    assert "    burglary: performance 5 -> 1 (4 -> 2)" in lines


def test_long_sweeps_show_progress_only_on_a_terminal(monkeypatch):
    import sys

    def run(tty: bool) -> str:
        runner = CliRunner()
        with runner.isolation() as streams:
            err = streams[1]
            monkeypatch.setattr(sys.stderr, "isatty", lambda: tty)
            try:
                cli.main.main(
                    ["sweep", "--vary", "priority.cutoff=0:60000:1", "--format", "json"], standalone_mode=False
                )
            except SystemExit:
                pass
            return err.getvalue().decode()

    assert "Scenarios" in run(True)
    assert run(False) == ""


def test_compare_matches_renamed_ids_by_name(project: Path):
    from tests.engine.whatif.test_comparison import this_year

    this_year(project)
    result = invoke("compare", "rules.yaml", "this-year.yaml", "--wide")
    assert result.exit_code == 0 and result.stderr == ""
    # `asb` last year is `anti_social_behaviour` now (same name): one row with both years' scores, not new + dropped.
    assert (
        result.stdout
        == """\
Then: rules.yaml (cutoff 10)
Now: this-year.yaml
     then: Test assessment, April 2023 to March 2024
     now:  Test assessment, April 2023 to March 2024

    issue_id                 concern    trend    volume     total  priority
--  ---------------------  ---------  -------  --------  --------  ---------------
*   anti_social_behaviour     5 -> 3        5         5  15 -> 13  yes
*   housebreaking             - -> 3   - -> 0    - -> 3    - -> 6  - -> no NEW
*   burglary                  3 -> -   0 -> -    3 -> -    6 -> -  no -> - DROPPED
*   scams                     5 -> -   3 -> -    1 -> -    9 -> -  no -> - DROPPED

* changed
4 of 4 issues change. Priorities: 1 before, 1 after; entering: none; leaving: none.
What drove the changes:
  Scores, issue by issue:
    anti_social_behaviour: concern 5 -> 3 (judgement)
"""
    )


TREND_RECIPE = "rules/examples/three-year-trend.yaml"


def test_whatif_over_more_periods_and_a_sweep_of_a_slope_band_edge():
    result = invoke("whatif", TREND_RECIPE, "--set", "criteria.trend.periods=4", "--wide")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-4:] == [
        "What drove the changes:",
        "  Scores, issue by issue:",
        "    vehicle_crime: trend 3 -> 1 (5.7 -> 1.4)",
        "    burglary: trend 1 -> 0 (3.5 -> -2.9)",
    ]
    result = invoke("sweep", TREND_RECIPE, "--vary", "criteria.trend.bands[2].from=5:6:0.1", "--wide")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("vehicle_crime"))
    # its slope is 5.7 % a year: in while the band starts at 5.7 or below, out from 5.8
    assert row.split()[:10] == ["vehicle_crime", "9", "yes", "72.7%", "5.0", "to", "5.7", "5.8", "to", "6.0"]


def test_a_sweep_does_not_vary_the_periods_and_whatif_names_too_many():
    result = invoke("sweep", TREND_RECIPE, "--vary", "criteria.trend.periods=2:4:1", "--wide")
    assert result.exit_code == 1 and "`criteria.trend.periods` cannot be varied here" in result.stderr
    result = invoke("whatif", TREND_RECIPE, "--set", "criteria.trend.periods=6", "--wide")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "--set[1]:1:24: criteria.trend.periods: `trend` needs the latest 6 periods, but datasets.series has only 5 "
        "(2019-20, 2020-21, 2021-22, 2022-23, 2023-24)"
    )


def test_whatif_json_lists_the_rule_changes_with_real_numbers():
    result = invoke("whatif", "--cutoff", "25", "--format", "json")
    assert result.exit_code == 0
    variant = json.loads(result.stdout)["variants"][0]
    assert variant["rule_changes"] == [
        {
            "path": "priority.cutoff",
            "before": 20,
            "after": 25,
            "effects": [
                {
                    "issue_id": "substance_misuse",
                    "criterion": None,
                    "score_before": None,
                    "score_after": None,
                    "total_before": 24,
                    "total_after": 24,
                    "status": "leaves",
                }
            ],
        }
    ]


def test_compare_reads_a_scenario_file_as_its_base_rules_with_its_changes():
    result = invoke("compare", "rules/sevenoaks-2020.yaml", "rules/scenarios/cutoff-26.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    variant = json.loads(result.stdout)["variants"][0]
    assert variant["leaving"] == ["substance_misuse"] and variant["entering"] == []
    same = invoke(
        "whatif", "rules/sevenoaks-2020.yaml", "--scenario", "rules/scenarios/cutoff-26.yaml", "--format", "json"
    )
    assert json.loads(same.stdout)["variants"][0]["leaving"] == variant["leaving"]


def test_compare_refuses_a_scenario_without_its_base(tmp_path: Path):
    scenario = tmp_path / "loose.yaml"
    scenario.write_text("scenario: Loose\nset:\n  priority.cutoff: 26\n")
    result = invoke("compare", "rules/sevenoaks-2020.yaml", str(scenario))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].endswith(
        "loose.yaml:1:1: base: a scenario compared on its own must name its rule file"
    )
