"""cli.py through click's CliRunner: exit codes and whole outputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

from .conftest import ROOT
from .helpers import edit

GOLDEN = ROOT / "tests" / "golden" / "sevenoaks-2020" / "expected"


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def test_score_without_arguments_runs_the_bundled_default_from_anywhere(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("score", "--wide")
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "Sevenoaks District Community Safety Partnership: Strategic Assessment 2020"
    assert "Priorities (total >= 20): 6 of 6 issues" in lines
    assert lines[-3] == (
        "Scale: 0 No evidence/impact, 1 Low impact/problem, 3 Slight impact/problem, 5 Serious impact/problem. "
        "Total: sum of the criterion scores."
    )
    assert lines[-2].startswith("Why a score? cspscore explain ") and lines[-2].endswith("sevenoaks-2020.yaml ISSUE_ID")


def test_score_table_is_exactly_the_golden_table(monkeypatch):
    monkeypatch.chdir(ROOT / "rules")
    result = invoke("score", "sevenoaks-2020.yaml")
    assert result.exit_code == 0
    expected = (GOLDEN / "score.txt").read_text()
    assert result.stdout.split("Engine ")[0] == expected.split("Engine ")[0]


def test_validate_ok(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke("validate", "rules/sevenoaks-2020.yaml")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "rules/sevenoaks-2020.yaml: OK (rules and 2 datasets; 6 criteria, 6 issues)\n",
        "",
    )


def test_validate_rules_only(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke("validate", "--rules-only", "rules/sevenoaks-2020.yaml")
    assert result.stdout == "rules/sevenoaks-2020.yaml: OK (rules; 6 criteria, 6 issues)\n"


def test_validate_lists_every_problem_with_positions(project: Path):
    edit(
        project / "rules.yaml",
        "        score: 5\n        rationale: Residents",
        "        score: 4\n        rationale: Residents",
    )
    edit(project / "rules.yaml", "      - from: 15\n", "      - from: 20\n")
    result = invoke("validate", "rules.yaml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "rules.yaml:45:9: criteria.trend.bands[2]: no band covers values from 15.0 to 19.9: "
        "change `bands[2].from` (line 45) to 15, or `bands[1].below` (line 43) to 20\n"
        "    hint: the metric is rounded to 1 decimal place before banding\n"
        "rules.yaml:68:16: issues.asb.judgements.concern.score: 4 is not on the scale (allowed: 0, 1, 3, 5)\n"
        "2 problems found; nothing was written.\n"
    )


def test_missing_rules_file_is_a_usage_error(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("score", "nope.yaml")
    assert result.exit_code == 2
    assert "Error: Invalid value for '[RULES]': File 'nope.yaml' does not exist." in result.stderr


def test_unknown_format_is_a_usage_error():
    result = invoke("score", "--format", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of 'table', 'csv', 'json', 'markdown'" in result.stderr


def test_explain_default_rules_and_unknown_issue(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("explain", "domestic_abus")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for ISSUE: there is no issue `domestic_abus` in "
        f"{result.stderr.split(' in ', 1)[1].split('. ')[0]}. Did you mean `domestic_abuse`? Issues: "
        "serious_acquisitive, anti_social_behaviour, domestic_abuse, safeguarding, doorstep_crimes_scams, substance_misuse"
    )
    ok = invoke("explain", "Domestic Abuse")
    assert ok.exit_code == 0 and ok.stdout.startswith("Why Domestic Abuse scored 26\n")


def test_explain_too_many_arguments():
    result = invoke("explain", "a", "b", "c")
    assert result.exit_code == 2 and "give at most two arguments: RULES and ISSUE" in result.stderr


def test_csv_to_a_folder(project: Path):
    result = invoke("score", "rules.yaml", "--format", "csv", "--out", "results")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Wrote results/scores.csv, results/audit.csv, results/provenance.csv\n"
    assert (project / "results" / "scores.csv").read_text().splitlines() == [
        "issue_id,issue,concern,trend,volume,total,rank,priority,margin",
        "asb,Anti-Social Behaviour,5,5,5,15,1,yes,+5",
        "scams,Scams,5,3,1,9,2,no,-1",
        "burglary,Burglary,3,0,3,6,3,no,-4",
    ]


def test_json_to_a_file(project: Path):
    result = invoke("score", "rules.yaml", "--format", "json", "--out", "out.json")
    assert result.exit_code == 0 and result.stderr == "Wrote out.json\n"
    assert json.loads((project / "out.json").read_text())["areas"][0]["priorities"] == ["asb"]


def test_output_never_replaces_an_input(project: Path):
    before = (project / "data" / "crime.csv").read_bytes()
    result = invoke("score", "rules.yaml", "--format", "json", "--out", "data/crime.csv")
    assert result.exit_code == 1
    assert result.stderr == "Error: refusing to write data/crime.csv: it is an input file of this run\n"
    assert (project / "data" / "crime.csv").read_bytes() == before


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["validate"],
        ["score"],
        ["explain"],
        ["whatif"],
        ["sweep"],
        ["compare"],
        ["report"],
        ["reconcile"],
        ["ingest", "police-uk"],
        ["ingest", "ons-csp"],
    ],
)
def test_every_command_has_help(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Usage: " in result.stdout and "Example" in result.stdout


def test_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "cli", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert (
        result.returncode == 0 and "Exit codes: 0 ok, 1 invalid input, 2 usage error, 3 internal error" in result.stdout
    )


def test_internal_errors_are_reported_without_traceback(monkeypatch):
    import engine.score.scoring

    monkeypatch.setattr(engine.score.scoring, "score", lambda *a: (_ for _ in ()).throw(RuntimeError("boom")))
    result = invoke("score")
    assert result.exit_code == 3
    assert result.stderr.startswith("cspscore: internal error (RuntimeError: boom). This is a bug;")


def test_score_table_with_a_cutoff_finer_than_the_totals(project: Path):
    from tests.engine.score.test_scoring import half_point_cutoff

    half_point_cutoff(project, "10.5")
    result = invoke("score", "rules.yaml")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.split("Scale: ")[0] == (
        "Testshire CSP: Test assessment\n"
        "Area Testshire, April 2023 to March 2024. Rules: rules.yaml\n"
        "\n"
        "  rank  issue_id      concern    trend    volume    total  priority      margin\n"
        "------  ----------  ---------  -------  --------  -------  ----------  --------\n"
        "     1  scams               5        5         1       11  yes             +0.5\n"
        "     2  asb                 0        5         5       10  no              -0.5\n"
        "     3  burglary            3        0         3        6  no              -4.5\n"
        "\n"
        "Priorities (total >= 10.5): 1 of 3 issues\n"
        "  1. Scams (11)\n"
        "\n"
    )
    explained = invoke("explain", "rules.yaml", "asb", "--wide")
    assert explained.stdout.splitlines()[-1] == (
        "Cutoff: 10 < 10.5, so this issue is NOT a priority (0.5 below the cutoff). Rank 2 of 3."
    )


def test_the_cli_offers_exactly_the_formats_the_engine_renders():
    """cli.FORMATS is spelled out so `--help` need not import the renderers; it must not drift from them."""
    from engine.report.formats import FORMATS, RENDERERS

    assert cli.FORMATS == FORMATS
    assert all(tuple(renderers) == FORMATS for renderers in RENDERERS.values())
