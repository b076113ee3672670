"""The public version of a report (engine.report.public): small counts and what is computed from them suppressed,
names left out, decided from the result's count columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.load.model import Publication
from engine.pipeline import run
from engine.report.public import WITHHELD, mode_line, public_audit, public_rows, small_cases
from engine.score.audit import audit_columns, data_rows_of
from engine.score.scoring import Result
from tests.conftest import ROOT

#: Sevenoaks 2020's smallest counts: Burglary Business & Commercial 226 / 208, Theft of a Motor Vehicle 276 / 270
#: (serious acquisitive crime) and the substance misuse counts; every other count read is 300 or more.
BELOW_300 = Publication(300, "fewer than 300")


@pytest.fixture(scope="module")
def result() -> Result:
    return run(ROOT / "rules" / "sevenoaks-2020.yaml")


def test_an_issue_reading_a_count_below_the_threshold_is_small(result: Result):
    small = small_cases(result, BELOW_300)
    assert [issue for issue, hit in zip(result.issue_ids, small, strict=True) if hit] == [
        "serious_acquisitive",
        "substance_misuse",
    ]


def test_a_threshold_below_every_count_suppresses_nothing(result: Result):
    assert not small_cases(result, Publication(5, "fewer than 5")).any()


def test_the_audit_of_a_small_issue_hides_every_data_input_and_value(result: Result):
    audit = public_audit(result, audit_columns(result), BELOW_300)
    note = "suppressed in the public version: a count is fewer than 300"
    for cid in result.rules.data_criteria:
        for n, case in enumerate(audit.cases):
            row = audit.row(cid, n)
            hidden = result.issue_ids[case] in ("serious_acquisitive", "substance_misuse")
            for column in ("inputs", "source_rows", "calculation", "value"):
                assert (row[column] == note) is hidden, (cid, case, column)
    # scores, bands and totals are the findings: unchanged
    full = audit_columns(result)
    for cid in result.outcomes:
        assert audit.by_criterion[cid]["final_score"] == full.by_criterion[cid]["final_score"]
        assert audit.by_criterion[cid]["band"] == full.by_criterion[cid]["band"]


def test_names_of_people_who_agreed_are_left_out(result: Result):
    full = audit_columns(result).table()["agreed_by"]
    public = public_audit(result, audit_columns(result), Publication(5, "fewer than 5")).table()["agreed_by"]
    assert any(full)
    assert public == [WITHHELD if name else "" for name in full]


def test_small_counts_in_data_rows_are_labelled_and_their_published_figures_suppressed(result: Result):
    rows = public_rows(data_rows_of(result, [0])[0], BELOW_300)
    assert rows is not None
    by_category = {cells[0]: cells for _, cells in rows.rows}
    assert by_category["Burglary Residential"][1:3] == ["743", "493"]
    assert by_category["Burglary Business & Commercial"] == [
        "Burglary Business & Commercial",
        "fewer than 300",
        "fewer than 300",
        "12",  # a county position is a rank among areas, not a count
        "suppressed",
        "suppressed",
        "suppressed",
        "suppressed",
    ]
    assert [line for line, _ in rows.rows] == [4, 5, 13, 14]


def test_a_zero_count_is_shown():
    from engine.score.audit import DataRows

    rows = DataRows("f.csv", ["category", "previous", "current"], [(2, ["Arson", "0", "3"])])
    assert public_rows(rows, Publication(5, "fewer than 5")) == DataRows(
        "f.csv", ["category", "previous", "current"], [(2, ["Arson", "0", "fewer than 5"])]
    )


def test_every_output_says_which_version_it_is():
    assert mode_line(None).startswith("Full version")
    assert mode_line(Publication(5, "fewer than 5")) == (
        "Public version: counts from 1 to 4 are shown as “fewer than 5”, and what is computed from them is left "
        "out; names of people who agreed judgements and overrides are left out."
    )


def test_the_publication_section_loads_with_its_default_label(tmp_path: Path):
    import shutil

    source = (ROOT / "rules" / "sevenoaks-2020.yaml").read_text()
    shutil.copytree(ROOT / "datasets" / "sevenoaks-2020", tmp_path / "datasets" / "sevenoaks-2020")
    rules = tmp_path / "rules" / "sevenoaks-2020.yaml"
    rules.parent.mkdir()
    rules.write_text(source + "\npublication:\n  suppress_below: 5\n")
    loaded = run(rules).rules
    assert loaded.publication == Publication(5, "fewer than 5")
