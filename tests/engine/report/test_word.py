"""engine/report/word.py: the Word document read back with python-docx, as an officer would paste from it."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx

from engine.report import narrative
from engine.report.table6 import table6
from engine.report.word import document_bytes
from engine.score import audit
from engine.whatif.comparison import compare_results
from tests.helpers import edit, run


def read(project: Path, previous: str | None = None) -> docx.document.Document:
    result = run(project)
    last = None
    if previous:
        last = compare_results(run(project, previous), result, "previous", match_names=True)
    record = audit.provenance(result, {"command": "report"})
    data = document_bytes(result, record, narrative.drafts(result, last), table6(result, last))
    return docx.Document(io.BytesIO(data))


def fill(cell) -> str | None:
    shading = cell._tc.tcPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}shd")
    return (
        None if shading is None else shading.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill")
    )


def test_table_6_as_a_word_table_with_drafts_scale_and_provenance(project: Path):
    edit(project / "rules.yaml", "    name: Scams\n", "    name: \"=cmd|' /C calc'!A0 <b>\"\n")
    document = read(project)
    (table,) = document.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [
        ["Rank", "Issue", "Community Concern", "Trend Increase", "Volume", "Total", "Priority", "Above cutoff"],
        ["1", "Anti-Social Behaviour", "5", "5", "5", "15", "Yes", "+5"],
        ["2", "=cmd|' /C calc'!A0 <b>", "5", "3", "1", "9", "No", "-1"],
        ["3", "Burglary", "3", "0", "3", "6", "No", "-4"],
    ]
    assert [fill(c) for c in table.rows[2].cells] == [None, None, "2F2F2F", "6B6B6B", "E0E0E0", None, None, None]
    assert [fill(c) for c in table.rows[0].cells] == ["EEEEEE"] * 8  # the header row
    assert (
        table.rows[0]._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader")
        is not None
    )  # repeated on every page
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["Test assessment", "Testshire CSP", "Data period: April 2023 to March 2024"]
    assert "Draft for the officer to edit: generated from the scores, not reviewed." in texts
    assert "DRAFT: Anti-Social Behaviour" in texts and "1. Anti-Social Behaviour (15)" in texts
    draft = texts[texts.index("DRAFT: Anti-Social Behaviour") + 1]
    assert draft.startswith("Anti-Social Behaviour scores 15 this year. It is a priority")
    assert "0: None" in texts and "5: High" in texts
    provenance = texts[texts.index("Provenance") + 1]
    assert provenance.startswith("Scored by cspscore ") and "rules.yaml (SHA-256 " in provenance
    assert "crime: data/crime.csv (SHA-256 " in provenance and "3 rows" in provenance
    section = document.sections[0]
    assert section.orientation == 0 and section.page_width < section.page_height  # 8 columns fit portrait


def test_last_years_totals_landscape_and_the_draft_quoting_them(project: Path):
    shutil.copy(project / "rules.yaml", project / "last.yaml")
    edit(
        project / "last.yaml",
        "        score: 5\n        rationale: Residents raise",
        "        score: 1\n        rationale: Residents raise",
    )
    document = read(project, "last.yaml")
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0][-5:] == ["Total", "Last year", "Change", "Priority", "Above cutoff"]
    assert rows[1][-5:] == ["15", "11", "+4", "Yes", "+5"]
    section = document.sections[0]
    assert section.orientation == 1 and section.page_width > section.page_height  # 10 columns: landscape
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("Anti-Social Behaviour scored a total of 11 in last year's") for t in texts)


def test_the_same_result_gives_the_same_bytes(project: Path):
    result = run(project)
    record = audit.provenance(result, {})
    made = [document_bytes(result, record, narrative.drafts(result), table6(result)) for _ in range(2)]
    assert made[0] == made[1]
