"""engine/score/document.py: the result document says each thing once, and loses nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from engine.jsontext import dumps
from engine.pipeline import run
from engine.score import audit, document
from engine.score.document import (
    ENTRY_COLUMNS,
    area_documents,
    expanded_rows,
    result_document,
    typed_scores,
    typed_value,
)
from tests.conftest import ROOT

KENT = ROOT / "rules" / "kent-districts-2024.yaml"
BROMLEY = ROOT / "rules" / "examples" / "bromley-ward-panels.yaml"


def through_json(value):
    return json.loads(dumps(value), parse_float=Decimal)


def typed_score_rows(rows):
    """The CSV's score rows with the JSON's types (the area and issue name as they are)."""
    out = []
    for row in rows:
        named = {k: row[k] for k in ("area", "issue_id", "issue") if k in row}
        typed = typed_scores({k: [v] for k, v in row.items() if k not in ("area", "issue")})
        out.append(named | {k: v[0] for k, v in typed.items()})
    return out


def typed_audit_rows(rows):
    """The CSV's audit rows with the JSON's types, but for ``source_rows`` (a list in JSON: checked apart)."""
    return [row | {"value": typed_value(row["value"]) if row["value"] != "" else ""} for row in rows]


def without_source_rows(rows):
    return [{k: v for k, v in row.items() if k != "source_rows"} for row in rows]


@pytest.mark.parametrize(
    ("rules", "areas"),
    [
        (ROOT / "rules" / "sevenoaks-2020.yaml", None),
        (KENT, "all"),
        (BROMLEY, None),  # area: all, with ward panels' own judgements and limits
        (ROOT / "rules" / "examples" / "morile-kent-2024.yaml", "all"),  # decimal scores, own scales
        (ROOT / "rules" / "examples" / "three-year-trend.yaml", None),
    ],
    ids=lambda p: getattr(p, "stem", str(p)),
)
def test_expanding_the_document_gives_back_every_score_and_audit_row(rules, areas):
    result = run(rules, areas=areas)
    saved = through_json(result_document(result, audit.provenance(result, {})))
    scores, rows, priorities = expanded_rows(saved)
    assert scores == through_json(typed_score_rows(audit.score_rows(result)))
    expected = through_json(typed_audit_rows(audit.audit_rows(result)))
    assert without_source_rows(rows) == without_source_rows(expected)
    for row, words in zip(rows, expected, strict=True):  # the references name the files and rows the words do
        if words["source_rows"] == "":
            assert row["source_rows"] == ""
            continue
        for ref in row["source_rows"]:
            assert ref["file"] is None or Path(ref["file"]).name in words["source_rows"]
            assert all(str(line) in words["source_rows"] for line in ref["rows"])
    assert priorities == [r["issue_id"] for r in audit.score_rows(result) if r["priority"] == "yes"]
    assert all(isinstance(r["priority"], bool) for r in scores)


def test_rules_level_words_appear_once_and_area_blocks_hold_only_their_own():
    result = run(KENT, areas="all")
    saved = result_document(result, audit.provenance(result, {}))
    assert list(saved) == [
        "assessment",
        "scale",
        "criteria",
        "issues",
        "total",
        "cutoff",
        "max_priorities",
        "areas",
        "provenance",
    ]
    assert [block["area"] for block in saved["areas"]] == list(result.areas)
    for block in saved["areas"]:
        assert list(block) == ["area", "priorities", "scores", "audit"]
        assert all("area" not in row and "issue" not in row for row in block["scores"])
        for entry in block["audit"]:
            assert set(entry) <= set(ENTRY_COLUMNS)
            assert "" not in entry.values()
    areas = dumps(saved["areas"])
    for issue, block in zip(result.rules.issues.values(), saved["issues"], strict=True):
        for cid, judgement in issue.judgements.items():  # in the issue's block, not in each of the 13 areas
            assert block["judgements"][cid]["rationale"] == judgement.rationale
            assert dumps(judgement.rationale) not in areas


def test_an_areas_own_judgement_and_limit_appear_in_that_area_only():
    result = run(BROMLEY)
    saved = result_document(result, audit.provenance(result, {}))
    blocks = {block["area"]: block for block in saved["areas"]}
    assert blocks["Bromley Town"]["max_priorities"] == 4
    assert "max_priorities" not in blocks["Shortlands"]
    own = [e for e in blocks["Bromley Town"]["audit"] if e["issue_id"] == "asb" and e["criterion_id"] == "concern"]
    assert own[0]["judgement_score"] == result.rules.issues["asb"].areas["Bromley Town"].judgements["concern"].score
    assert "rationale" in own[0]
    elsewhere = [e for e in blocks["Shortlands"]["audit"] if e["issue_id"] == "asb" and e["criterion_id"] == "concern"]
    assert elsewhere[0] == {"issue_id": "asb", "criterion_id": "concern", "source": "judgement", "final_score": 3}


def test_a_result_saved_before_per_area_blocks_expands_as_it_is():
    old = {"scores": [{"issue_id": "a"}], "audit": [{"issue_id": "a", "criterion_id": "c"}], "priorities": ["a"]}
    assert expanded_rows(old) == ([{"issue_id": "a"}], [{"issue_id": "a", "criterion_id": "c"}], ["a"])


def test_the_audit_is_built_a_block_of_areas_at_a_time_each_case_once(monkeypatch):
    result = run(KENT, areas="all")
    built: list[int] = []
    real = document.audit_columns

    def counted(result, cases=None):
        built.append(len(cases))
        return real(result, cases)

    monkeypatch.setattr(document, "audit_columns", counted)
    per_area = len(result.rules.issues)
    blocks = list(area_documents(result, block_cases=3 * per_area))
    assert len(blocks) == 13
    assert built == [3 * per_area] * 4 + [per_area]  # 13 areas, three at a time: each case built once
