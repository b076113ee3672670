"""engine.score.audit: score rows, audit rows and provenance."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from engine.score import audit
from tests.helpers import edit, run


def test_score_rows(project: Path):
    rows = audit.score_rows(run(project))
    assert rows[0] == {
        "issue_id": "asb",
        "issue": "Anti-Social Behaviour",
        "concern": 5,
        "trend": 5,
        "volume": 5,
        "total": "15",
        "rank": 1,
        "priority": "yes",
        "margin": "+5",
    }


def test_audit_row_of_a_data_driven_score(project: Path):
    rows = audit.audit_rows(run(project))
    trend = next(r for r in rows if r["issue_id"] == "burglary" and r["criterion_id"] == "trend")
    assert {k: trend[k] for k in ("source", "inputs", "source_rows", "calculation", "value", "band", "rule_score")} == {
        "source": "data",
        "inputs": "previous 300; current 270 (summed over Burglary residential, Burglary business)",
        "source_rows": "data/crime.csv rows 3, 4",
        "calculation": "(270 - 300) / 300 x 100 = -10.0",
        "value": "-10.0",
        "band": "to 0",
        "rule_score": 0,
    }
    assert trend["final_score"] == 0 and trend["meaning"] == "None"


def test_audit_row_of_a_judgement_and_an_override(project: Path):
    edit(
        project / "rules.yaml",
        "  burglary:\n    name: Burglary\n",
        "  burglary:\n    name: Burglary\n    overrides:\n      trend:\n        score: 5\n"
        "        reason: Sheds.\n        agreed_by: Board\n",
    )
    rows = audit.audit_rows(run(project))
    trend = next(r for r in rows if r["issue_id"] == "burglary" and r["criterion_id"] == "trend")
    assert (
        trend["source"],
        trend["rule_score"],
        trend["override_score"],
        trend["override_reason"],
        trend["agreed_by"],
        trend["final_score"],
    ) == ("override", 0, 5, "Sheds.", "Board", 5)
    concern = next(r for r in rows if r["issue_id"] == "scams" and r["criterion_id"] == "concern")
    assert (concern["source"], concern["judgement_score"], concern["evidence"]) == (
        "judgement",
        5,
        "Trading Standards annual report",
    )


def test_provenance_records_files_hashes_parameters_and_time(project: Path):
    result = run(project)
    record = audit.provenance(result, {"command": "score"}, now=datetime(2026, 3, 1, 12, 30, tzinfo=timezone.utc))
    assert record.generated_at == "2026-03-01T12:30:00Z"
    assert record.rules_file == "rules.yaml" and len(record.rules_sha256) == 64
    assert [(d["name"], d["file"], d["rows"]) for d in record.datasets] == [
        ("crime", "data/crime.csv", 3),
        ("population", "data/population.csv", 1),
    ]
    items = [r["item"] for r in record.rows()]
    assert items[:5] == ["engine_version", "python_version", "generated_at", "rules_file", "rules_sha256"]
    assert "parameter.command" in items
