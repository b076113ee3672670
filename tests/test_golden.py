"""Golden outputs of whole assessments, and Table 6 of the Sevenoaks 2020 assessment cell by cell.

Each folder in tests/golden/ is a case: its ``rules.yaml`` (or, when absent, the
shipped ``rules/<folder>.yaml``) is scored and every output format compared with
``expected/``. Regenerate after a deliberate change with
``UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and review the diff. That the outputs
do not change from one process to the next is tests/test_determinism.py's job.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from engine.load.datasets import load_datasets
from engine.load.rules import load_rules
from engine.report import csvfiles, jsondoc, markdown
from engine.score import audit
from engine.score.scoring import score

from .conftest import DEFAULT_RULES, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
FIXED_TIME = datetime(2026, 1, 1, tzinfo=timezone.utc)
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())

# Table 6 of the Strategic Assessment 2020, as published.
TABLE_6 = {
    "serious_acquisitive": (5, 5, 5, 3, 5, 5, 28),
    "anti_social_behaviour": (5, 5, 5, 5, 3, 5, 28),
    "domestic_abuse": (3, 5, 5, 5, 3, 5, 26),
    "safeguarding": (5, 5, 5, 5, 1, 5, 26),
    "doorstep_crimes_scams": (5, 5, 3, 5, 3, 5, 26),
    "substance_misuse": (5, 5, 3, 5, 1, 5, 24),
}


def test_sevenoaks_reproduces_table_6_cell_by_cell():
    rules = load_rules(DEFAULT_RULES)
    result = score(rules, load_datasets(rules))
    assert list(rules.criteria) == ["community_concern", "trend", "volume", "harm", "performance", "partnership"]
    for issue_id, expected in TABLE_6.items():
        i = result.issue_ids.index(issue_id)
        computed = tuple(int(result.outcomes[c].final[i]) for c in rules.criteria) + (int(result.total(i)),)
        assert computed == expected, issue_id
        assert result.priority[i], issue_id
    assert [result.issue_ids[i] for i in result.order()] == list(TABLE_6)


def rules_of(case: str) -> Path:
    own = GOLDEN / case / "rules.yaml"
    return own if own.exists() else ROOT / "rules" / f"{case}.yaml"


def outputs(case: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Every rendering of the case, with machine-specific provenance masked."""
    rules_path = rules_of(case)
    monkeypatch.chdir(rules_path.parent)
    rules = load_rules(rules_path.name)
    result = score(rules, load_datasets(rules))
    record = audit.provenance(result, {"command": "score"}, now=FIXED_TIME)
    record = audit.Provenance(**{**vars(record), "python_version": "(masked)"})
    files = {f"score.{name}": text for name, text in csvfiles.csv_files(result, record).items()}
    files["score.json"] = jsondoc.to_json(result, record)
    files["score.md"] = markdown.to_markdown(result, record)
    runner = CliRunner()
    table = runner.invoke(cli.main, ["score", rules_path.name])
    assert table.exit_code == 0, table.output
    files["score.txt"] = table.stdout
    explained = runner.invoke(cli.main, ["explain", rules_path.name, "all"])
    assert explained.exit_code == 0, explained.output
    files["explain.txt"] = explained.stdout
    masked = {name: re.sub(r"SHA-256 [0-9a-f]{16}\.\.\.", "SHA-256 (masked)", text) for name, text in files.items()}
    return {name: re.sub(r"\b[0-9a-f]{64}\b", "(sha-256 masked)", text) for name, text in masked.items()}


@pytest.mark.parametrize("case", CASES)
def test_golden_outputs(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected_dir = GOLDEN / case / "expected"
    produced = outputs(case, monkeypatch)
    if os.environ.get("UPDATE_GOLDEN"):
        expected_dir.mkdir(exist_ok=True)
        for name, text in produced.items():
            (expected_dir / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in expected_dir.iterdir()}
    assert sorted(expected) == sorted(produced)
    for name in produced:
        assert produced[name] == expected[name], f"{case}/{name} differs from the golden file"
