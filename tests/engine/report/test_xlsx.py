"""engine.report.xlsx: read the workbook back; no formula anywhere."""

from __future__ import annotations

import io
import shutil
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
    assert book.sheetnames == ["Scores", "Audit", "Data", "Provenance", "Rules"]
    scores = book["Scores"]
    assert [c.value for c in scores[1]][:1] == ["Test assessment: Table 6, scoring of issues"]
    assert [scores.cell(r, 1).value for r in range(2, 5)] == [
        "Testshire CSP",
        "Data period: April 2023 to March 2024",
        "Rules: rules.yaml",
    ]
    assert [c.value for c in scores[5]][:2] == ["Cutoff", 10] and scores["B5"].data_type == "n"
    assert [c.value for c in scores[8]] == [
        "Rank",
        "Issue",
        "Community Concern",
        "Trend Increase",
        "Volume",
        "Total",
        "Priority",
        "Above cutoff",
    ]  # the criteria's display names, as Table 6 prints them
    assert [c.value for c in scores[9]] == [1, "Anti-Social Behaviour", 5, 5, 5, 15, True, 5]
    assert [c.value for c in scores[10]] == [2, '=HYPERLINK("http://x")', 5, 3, 1, 9, False, -1]
    assert [c.data_type for c in scores[10]] == ["n", "s", "n", "n", "n", "n", "b", "n"]  # numbers are never text
    assert scores["B10"].quotePrefix  # shown as text, never run
    assert [c.number_format for c in scores[10]] == ["0", "General", "0", "0", "0", "0", "General", "+0;-0;0"]
    fills = [c.fill.fgColor.rgb if c.fill.fill_type == "solid" else None for c in scores[10]]
    assert fills == [None, None, "FF2F2F2F", "FF6B6B6B", "FFE0E0E0", None, None, None]  # as the HTML's l4, l3, l1
    assert scores["C10"].font.color.rgb == "FFFFFFFF" and scores["E10"].font.color is None  # white on dark
    assert scores.freeze_panes == "C9" and scores.auto_filter.ref == "A8:H11"
    assert scores.print_title_rows == "$8:$8"
    assert scores.page_setup.orientation == "landscape" and scores.page_setup.paperSize == 9
    assert scores.sheet_properties.pageSetUpPr.fitToPage and scores.page_setup.fitToWidth == 1
    assert scores.page_setup.fitToHeight == 0  # as many pages tall as it needs
    audit_sheet = book["Audit"]
    assert audit_sheet.max_row == 10  # header + 3 issues x 3 criteria
    trend = [c.value for c in audit_sheet[3]]
    assert trend[:5] == ["asb", "Anti-Social Behaviour", "trend", "Trend Increase", "data"]
    assert audit_sheet["K3"].value == 15 and audit_sheet["K3"].number_format == "0.0"  # the metric, to its places
    assert audit_sheet["M3"].data_type == "n" and audit_sheet["T3"].value == 5
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    rationales = [c.value for c in audit_sheet["O"]]
    assert "@SUM(A1:A9)" in rationales
    assert audit_sheet.cell(rationales.index("@SUM(A1:A9)") + 1, 15).quotePrefix
    data = [[c.value for c in row] for row in book["Data"].iter_rows()]
    assert data[0] == [
        "dataset",
        "file",
        "line",
        "area",
        "category",
        "previous",
        "current",
        "county_position",
        "population",
    ]
    assert data[1] == ["crime", "data/crime.csv", 2, "Testshire", "Anti-social behaviour", 1000, 1150, 3, None]
    assert data[4] == ["population", "data/population.csv", 2, "Testshire", None, None, None, None, 100000]
    provenance = {r[0].value: r[1].value for r in book["Provenance"].iter_rows(min_row=2)}
    assert provenance["dataset.crime.rows"] == 3 and len(provenance["rules_sha256"]) == 64
    rules = [[c.value for c in row] for row in book["Rules"].iter_rows(min_row=2)]
    assert rules[0] == ["cutoff", None, "an issue is a priority when its total is at least", 10]
    assert ["band", "trend", "percent_change, rounded to 1 places: from 15", 5] in rules


def test_last_years_totals_and_the_change(project: Path):
    from engine.whatif.comparison import compare_results

    shutil.copy(project / "rules.yaml", project / "last.yaml")
    edit(
        project / "last.yaml",
        "        score: 5\n        rationale: Residents raise",
        "        score: 1\n        rationale: Residents raise",
    )
    result, last = run(project), run(project, "last.yaml")
    comparison = compare_results(last, result, "previous", match_names=True)
    book = load_workbook(io.BytesIO(workbook_bytes(result, audit.provenance(result, {}), comparison)))
    scores = book["Scores"]
    assert [c.value for c in scores[8]][-5:] == ["Total", "Last year", "Change", "Priority", "Above cutoff"]
    assert [c.value for c in scores[9]][-5:] == [15, 11, 4, True, 5]  # asb's concern was 1 last year, 5 now
    assert [c.number_format for c in scores[9]][-5:] == ["0", "0", "+0;-0;0", "General", "+0;-0;0"]


def test_a_long_issue_name_wraps_in_a_row_tall_enough(project: Path):
    edit(project / "rules.yaml", "    name: Scams\n", f"    name: {'Scams and doorstep crime ' * 6}\n")
    result = run(project)
    book = load_workbook(io.BytesIO(workbook_bytes(result, audit.provenance(result, {}))))
    scores = book["Scores"]
    assert scores["B10"].alignment.wrap_text and scores.row_dimensions[10].height == 60  # 149 characters, 4 lines
    assert scores.column_dimensions["B"].width == 47  # at most 45 characters wide, then it wraps


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
