"""engine/report/jsondoc.py: the document written a piece at a time, one line per row, exactly the document."""

from __future__ import annotations

import json

from engine.pipeline import run
from engine.report import jsondoc
from engine.score import audit
from engine.score.document import result_document
from tests.conftest import ROOT

KENT = ROOT / "rules" / "kent-districts-2024.yaml"


def test_the_text_is_the_document_and_each_row_is_one_line():
    result = run(KENT, areas="all")
    record = audit.provenance(result, {"command": "score"})
    text = jsondoc.to_json(result, record)
    expected = json.loads(json.dumps(result_document(result, record), default=float))
    assert json.loads(text) == expected
    lines = text.splitlines()
    rows = sum(len(block["scores"]) + len(block["audit"]) for block in expected["areas"])
    assert sum(1 for line in lines if line.startswith('        {"issue_id": ')) == rows
    assert text.startswith('{\n  "assessment": {\n    "title": ')
    assert text.endswith("\n  }\n}\n")


def test_the_rules_part_and_provenance_read_as_an_indented_dump():
    result = run(ROOT / "rules" / "sevenoaks-2020.yaml")
    record = audit.provenance(result, {"command": "score"})
    text = jsondoc.to_json(result, record)
    document = json.loads(text)
    head = {k: v for k, v in document.items() if k not in ("areas", "provenance")}
    indented = json.dumps(head, indent=2, ensure_ascii=False)
    assert text.startswith(indented[:-2])  # the same lines, up to the closing brace
    assert text.endswith(
        '  "provenance": '
        + json.dumps(document["provenance"], indent=2, ensure_ascii=False).replace("\n", "\n  ")
        + "\n}\n"
    )


def test_one_piece_per_area():
    result = run(KENT, areas="all")
    pieces = list(jsondoc.json_chunks(result, audit.provenance(result, {})))
    assert sum(1 for p in pieces if '      "area": ' in p) == len(result.areas) == 13
    assert all(p.count('      "area": ') <= 1 for p in pieces)


def test_a_single_area_assessment_has_one_block(project):
    from tests.helpers import run as run_project

    result = run_project(project)
    text = jsondoc.to_json(result, audit.provenance(result, {}))
    [block] = json.loads(text)["areas"]
    assert block["area"] == "Testshire"
