"""engine.report.xlsx: read the workbook back; no formula anywhere."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from engine.report.xlsx import workbook_bytes
from engine.score import audit
from tests.criterion_scales import use_criterion_scales
from tests.helpers import edit, run


def test_workbook_sheets_values_and_no_formulas(project: Path):
    edit(project / "rules.yaml", "    name: Scams\n", '    name: "=HYPERLINK(\\"http://x\\")"\n')
    edit(project / "rules.yaml", "        rationale: Few recorded cases.", '        rationale: "@SUM(A1:A9)"')
    result = run(project)
    book = load_workbook(io.BytesIO(workbook_bytes(result, audit.provenance(result, {"command": "report"}))))
    assert book.sheetnames == ["Scores", "Audit", "Provenance", "Rules"]
    scores = book["Scores"]
    assert [c.value for c in scores[1]] == [
        "issue_id",
        "issue",
        "concern",
        "trend",
        "volume",
        "total",
        "rank",
        "priority",
        "margin",
    ]
    assert [c.value for c in scores[2]][:6] == ["asb", "Anti-Social Behaviour", 5, 5, 5, "15"]
    assert scores.freeze_panes == "A2" and scores.auto_filter.ref == "A1:I4"
    audit_sheet = book["Audit"]
    assert audit_sheet.max_row == 10  # header + 3 issues x 3 criteria
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    names = [c.value for c in scores["B"]]
    assert '=HYPERLINK("http://x")' in names
    rules = [[c.value for c in row] for row in book["Rules"].iter_rows(min_row=2)]
    assert ["band", "trend", "percent_change, rounded to 1 places: from 15", 5] in rules


def test_the_rules_sheet_lists_each_criterion_scale(project: Path):
    use_criterion_scales(project)
    result = run(project)
    book = load_workbook(io.BytesIO(workbook_bytes(result, audit.provenance(result, {"command": "report"}))))
    rules = [[c.value for c in row] for row in book["Rules"].iter_rows(min_row=2)]
    scales = [row for row in rules if row[0] == "scale"]
    assert scales == [
        ["scale", None, "None", 0],
        ["scale", None, "Low", 1],
        ["scale", None, "Medium", 3],
        ["scale", None, "High", 5],
        ["scale", "concern", "Rare", 1],
        ["scale", "concern", "Possible", 2],
        ["scale", "concern", "Likely", 3],
        ["scale", "concern", "Almost certain", 4],
        ["scale", "volume", "None", 0],
        ["scale", "volume", "Few", 1],
        ["scale", "volume", "Some", 2],
        ["scale", "volume", "Many", 3],
    ]
    assert rules.index(["scale", "volume", "None", 0]) + 4 == rules.index(
        ["band", "volume", "rate_per_1000, rounded to 1 places: below 1", 1]
    )
