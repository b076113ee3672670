"""Counts and their nouns agree in what the commands print: 1 criterion, 2 criteria."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import cli

from .helpers import edit


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def one_of_each(project: Path) -> None:
    """The mini project cut down to one dataset, one criterion and one issue (Anti-Social Behaviour, total 5)."""
    text = (project / "rules.yaml").read_text()
    start, end = text.index("  concern:\n    name: Community Concern\n"), text.index("  trend:\n")
    text = text[:start] + text[end:]
    start, end = text.index("  volume:\n"), text.index("issues:\n")
    text = text[:start] + text[end:]
    text = text[: text.index("  burglary:\n")]
    text = text.replace("  population:\n    file: data/population.csv\n    shape: population\n", "")
    text = text.replace(
        "    judgements:\n      concern:\n        score: 5\n        rationale: Residents raise it at every PACT meeting.\n"
        "        evidence: PACT minutes 2023-24\n",
        "",
    )
    (project / "rules.yaml").write_text(
        text.replace("  cutoff: 10\n", "  cutoff: 5\n  max_priorities: 1\n  ties: include_all\n")
    )


def test_validate_counts_one_of_each_in_the_singular(project: Path):
    one_of_each(project)
    result = invoke("validate", "rules.yaml")
    assert (result.exit_code, result.stdout) == (0, "rules.yaml: OK (rules and 1 dataset; 1 criterion, 1 issue)\n")


def test_score_priority_line_in_the_singular(project: Path):
    one_of_each(project)
    result = invoke("score", "rules.yaml")
    assert result.exit_code == 0, result.output
    assert "Priorities (total >= 5, at most 1): 1 of 1 issue" in result.stdout.splitlines()


def test_report_says_at_most_one_priority(project: Path):
    edit(project / "rules.yaml", "  cutoff: 10\n", "  cutoff: 10\n  max_priorities: 1\n  ties: include_all\n")
    result = invoke("report", "rules.yaml", "--out", "report.html")
    assert result.exit_code == 0, result.output
    page = (project / "report.html").read_text()
    assert "an issue is a priority when its total is at least 10, at most 1 priority.</p>" in page
    assert "<p>1 of 3 issues is a priority.</p>" in page


def test_report_says_how_many_issues_are_priorities(project: Path):
    result = invoke("report", "rules.yaml", "--out", "report.html")
    assert result.exit_code == 0, result.output
    assert "<p>1 of 3 issues is a priority.</p>" in (project / "report.html").read_text()
    edit(project / "rules.yaml", "  cutoff: 10\n", "  cutoff: 9\n")
    result = invoke("report", "rules.yaml", "--out", "report.html")
    assert "<p>2 of 3 issues are priorities.</p>" in (project / "report.html").read_text()


def test_report_footer_counts_a_one_row_dataset_in_the_singular(project: Path):
    result = invoke("report", "rules.yaml", "--out", "report.html")
    assert result.exit_code == 0, result.output
    page = (project / "report.html").read_text()
    assert "<li>crime: <code>data/crime.csv</code> (3 rows), " in page
    assert "<li>population: <code>data/population.csv</code> (1 row), " in page
