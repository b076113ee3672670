"""engine.report.render: formula-safe CSV, and each format's content."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from engine.csvfile import safe_cell
from engine.report import csvfiles, jsondoc, markdown
from engine.score import audit
from tests.helpers import edit, run


@pytest.mark.parametrize(
    "cell, shown",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-18.5", "-18.5"),
        ("+8", "+8"),
        ("Burglary", "Burglary"),
        (5, 5),
    ],
)
def test_safe_cell(cell, shown):
    assert safe_cell(cell) == shown


def test_csv_from_hostile_names_cannot_run_formulas(project: Path):
    edit(project / "rules.yaml", "    name: Scams\n", "    name: \"=cmd|'/c calc'!A1\"\n")
    result = run(project)
    record = audit.provenance(result, {})
    for name, text in csvfiles.csv_files(result, record).items():
        for row in csv.reader(io.StringIO(text)):
            assert not any(cell.startswith(("=", "@")) for cell in row), (name, row)
    assert "'=cmd|'/c calc'!A1" in csvfiles.csv_files(result, record)["scores.csv"]


def test_json_holds_scores_audit_provenance(project: Path):
    result = run(project)
    document = json.loads(jsondoc.to_json(result, audit.provenance(result, {"command": "score"})))
    assert document["priorities"] == ["asb"]
    assert [row["issue_id"] for row in document["scores"]] == ["asb", "scams", "burglary"]
    assert len(document["audit"]) == 9
    assert document["provenance"]["rules"]["sha256"] == result.rules.sha256
    assert document["cutoff"] == "10"


def test_markdown_escapes_pipes(project: Path):
    edit(project / "rules.yaml", "    name: Scams\n", "    name: Scams | fraud\n")
    result = run(project)
    text = markdown.to_markdown(result, audit.provenance(result, {}))
    assert "| 2 | Scams \\| fraud |" in text
    assert "## Priorities\n\n1. Anti-Social Behaviour (15)\n" in text
