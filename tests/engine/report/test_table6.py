"""engine/report/table6.py: Table 6's typed rows, the ones the workbook and the Word table both show."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from engine.report.table6 import CHANGE, SCORE, TOTAL, Column, number_format, shown, table6
from tests.helpers import edit, run


def test_headers_are_display_names_and_values_stay_typed(project: Path):
    table = table6(run(project))
    assert [c.header for c in table.columns] == [
        "Rank",
        "Issue",
        "Community Concern",
        "Trend Increase",
        "Volume",
        "Total",
        "Priority",
        "Above cutoff",
    ]
    assert [c.kind for c in table.columns][2:5] == [SCORE] * 3
    (area,) = table.areas
    assert area.area is None and not table.several
    first = area.rows[0]
    assert first.issue_id == "asb" and first.priority is True
    assert first.values == (1, "Anti-Social Behaviour", 5, 5, 5, Decimal(15), True, Decimal(5))
    assert first.shades == (None, None, 4, 4, 4, None, None, None)
    assert [row.shades[2:5] for row in area.rows[1:]] == [(4, 3, 1), (3, 0, 3)]  # 5 3 1 and 3 0 3 on 0/1/3/5
    assert table.cutoff == 10 and table.title == "Test assessment" and table.partnership == "Testshire CSP"


def test_a_draft_claims_no_total_it_does_not_have(project: Path):
    edit(
        project / "rules.yaml",
        "        score: 5\n        rationale: Residents raise it at every PACT meeting.",
        "        score: to_be_agreed\n        rationale: Ask the PACT panels",
    )
    rows = {row.issue_id: row for row in table6(run(project)).areas[0].rows}
    assert rows["asb"].values[2] == "to be agreed" and rows["asb"].shades[2] is None
    assert rows["asb"].values[5] == "10 to 15" and rows["asb"].values[7] is None
    assert rows["burglary"].values[5] == Decimal(6)


@pytest.mark.parametrize(
    ("value", "column", "text", "code"),
    [
        (5, Column("c", "C", SCORE), "5", "0"),
        (Decimal("0.75"), Column("c", "C", SCORE, 2), "0.75", "0.00"),
        (Decimal(1), Column("c", "C", SCORE, 2), "1.00", "0.00"),
        (Decimal("26.5"), Column("total", "Total", TOTAL, 1), "26.5", "0.0"),
        (Decimal(8), Column("margin", "Above cutoff", CHANGE), "+8", "+0;-0;0"),
        (Decimal(-3), Column("margin", "Above cutoff", CHANGE), "-3", "+0;-0;0"),
        (Decimal(0), Column("change", "Change", CHANGE, 1), "0.0", "+0.0;-0.0;0.0"),
        (True, Column("priority", "Priority", "priority"), "Yes", "0"),
        (None, Column("last_year", "Last year", TOTAL), "", "0"),
    ],
)
def test_each_number_shown_and_formatted_to_its_places(value, column, text, code):
    assert shown(value, column) == text
    assert number_format(column) == code
