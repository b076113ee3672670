"""engine.score.audit: score rows, audit rows and provenance."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from engine.score import audit
from tests.criterion_scales import use_criterion_scales
from tests.helpers import edit, finals, run, with_measures


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


VOLUME = "    metric: rate_per_1000\n    decimals: 1\n"


def audit_of(result, issue: str, criterion: str = "volume") -> dict:
    row = next(r for r in audit.audit_rows(result) if r["issue_id"] == issue and r["criterion_id"] == criterion)
    return {k: row[k] for k in ("inputs", "source_rows", "calculation", "value")}


def test_an_expression_lists_exactly_the_names_it_uses_and_substitutes_them(project: Path):
    edit(
        project / "rules.yaml",
        VOLUME,
        "    metric: expression\n    expression: county_position * 2.5\n    decimals: 0\n",
    )
    result = run(project)
    assert audit_of(result, "asb") == {
        "inputs": "county_position 3",
        "source_rows": "data/crime.csv row 2",
        "calculation": "3 * 2.5 = 7.5 -> 8 (rounded to 0 places)",
        "value": "8",
    }
    assert audit_of(result, "burglary")["inputs"] == "county_position 7 (worst of 7, 2)"
    assert audit_of(result, "burglary")["calculation"] == "7 * 2.5 = 17.5 -> 18 (rounded to 0 places)"


def test_an_expression_shows_the_unrounded_result(project: Path):
    edit(
        project / "rules.yaml",
        VOLUME,
        "    metric: expression\n    expression: (current-previous)/3\n    decimals: 1\n",
    )
    assert audit_of(run(project), "asb") == {
        "inputs": "previous 1000; current 1150",
        "source_rows": "data/crime.csv row 2",
        "calculation": "(1150-1000)/3 = 50.0",
        "value": "50.0",
    }
    edit(project / "rules.yaml", "(current-previous)/3", "current / population * 1000 * 100 / 3")
    assert audit_of(run(project), "burglary") == {
        "inputs": "current 270 (summed over Burglary residential, Burglary business); population 100000",
        "source_rows": "data/crime.csv rows 3, 4; data/population.csv row 2",
        "calculation": "270 / 100000 * 1000 * 100 / 3 = 90.0",
        "value": "90.0",
    }
    edit(project / "rules.yaml", "current / population * 1000 * 100 / 3", "current / 3")
    assert audit_of(run(project), "asb")["calculation"] == "1150 / 3 = 383.33333... -> 383.3 (rounded to 1 place)"


def test_an_expression_with_a_missing_figure_says_missing(project: Path):
    edit(
        project / "rules.yaml",
        VOLUME,
        "    metric: expression\n    expression: (current - previous) / previous * 100\n    decimals: 1\n"
        "    if_no_value: 1\n",
    )
    edit(project / "rules.yaml", "    metric: percent_change\n", "    metric: percent_change\n    if_no_value: 0\n")
    edit(project / "data/crime.csv", "Burglary business,100,120,2", "Burglary business,,120,2")
    assert audit_of(run(project), "burglary") == {
        "inputs": "previous missing; current 270 (summed over Burglary residential, Burglary business)",
        "source_rows": "data/crime.csv rows 3, 4",
        "calculation": "(270 - missing) / missing * 100: no value",
        "value": "no value",
    }


def test_a_blank_previous_count_is_missing_in_the_working_not_0(project: Path):
    edit(
        project / "rules.yaml",
        "    metric: percent_change\n    decimals: 1\n",
        "    metric: percent_change\n    decimals: 1\n    if_no_value: 0\n",
    )
    edit(project / "data/crime.csv", "Burglary business,100,120,2", "Burglary business,,120,2")
    found = audit_of(run(project), "burglary", "trend")
    assert found["inputs"] == "previous missing; current 270 (summed over Burglary residential, Burglary business)"
    assert found["calculation"] == "(270 - missing) / missing x 100: no value"


def test_a_share_of_total_names_the_total_categorys_row(project: Path):
    edit(
        project / "rules.yaml",
        VOLUME,
        "    metric: share_of_total\n    total_category: Anti-social behaviour\n    decimals: 1\n",
    )
    assert audit_of(run(project), "burglary") == {
        "inputs": "current 270 (summed over Burglary residential, Burglary business); Anti-social behaviour 1150",
        "source_rows": "data/crime.csv rows 3, 4; data/crime.csv row 2 (total category: Anti-social behaviour)",
        "calculation": "270 / 1150 x 100 = 23.47826... -> 23.5 (rounded to 1 place)",
        "value": "23.5",
    }


def test_harm_weighted_working_is_the_sum_of_count_times_weight(project: Path):
    edit(
        project / "rules.yaml",
        VOLUME,
        "    metric: harm_weighted\n    decimals: 0\n    weights:\n      Anti-social behaviour: 0.5\n"
        "      Burglary residential: 2.25\n      Burglary business: 1\n",
    )
    result = run(project)
    assert audit_of(result, "burglary")["calculation"] == "150 x 2.25 + 120 x 1 = 457.5 -> 458 (rounded to 0 places)"
    assert audit_of(result, "asb")["calculation"] == "1150 x 0.5 = 575"


def test_criteria_on_their_own_scales_score_and_mean_their_own_words(project: Path):
    use_criterion_scales(project)
    result = run(project)
    assert finals(result, "concern") == {"asb": 4, "burglary": 2, "scams": 4}
    assert finals(result, "trend") == {"asb": 5, "burglary": 0, "scams": 3}
    assert finals(result, "volume") == {"asb": 3, "burglary": 2, "scams": 1}
    assert [(r["issue_id"], r["total"], r["priority"]) for r in audit.score_rows(result)] == [
        ("asb", "12", "yes"),
        ("scams", "8", "no"),
        ("burglary", "4", "no"),
    ]
    meanings = {(r["issue_id"], r["criterion_id"]): (r["final_score"], r["meaning"]) for r in audit.audit_rows(result)}
    assert meanings == {
        ("asb", "concern"): (4, "Almost certain"),
        ("asb", "trend"): (5, "High"),
        ("asb", "volume"): (3, "Many"),
        ("burglary", "concern"): (2, "Possible"),
        ("burglary", "trend"): (0, "None"),
        ("burglary", "volume"): (2, "Some"),
        ("scams", "concern"): (4, "Almost certain"),
        ("scams", "trend"): (3, "Medium"),
        ("scams", "volume"): (1, "Few"),
    }


def measure_audit(result, issue: str, criterion: str) -> dict:
    rows = audit.audit_rows(result)
    row = next(r for r in rows if r["issue_id"] == issue and r["criterion_id"] == criterion)
    return {k: row[k] for k in ("formula", "inputs", "source_rows", "calculation", "value", "band", "rule_score")}


def test_the_audit_names_a_measure_with_its_value_unit_and_rows(project: Path):
    with_measures(project, "    metric: measure\n    measure: pct_worried\n")
    result = run(project)
    assert measure_audit(result, "burglary", "volume") == {
        "formula": "pct_worried: Residents worried, the highest (worst) of the issue's categories",
        "inputs": "pct_worried 25 % (worst of 25, 18)",
        "source_rows": "data/crime.csv rows 3, 4",
        "calculation": "worst of 25, 18 = 25.0",
        "value": "25.0",
        "band": "from 5",
        "rule_score": 5,
    }
    assert measure_audit(result, "asb", "volume")["inputs"] == "pct_worried 24.95 %"
    assert measure_audit(result, "asb", "volume")["calculation"] == "24.95 -> 25.0 (rounded to 1 place)"


def test_the_audit_of_a_summed_and_a_missing_measure(project: Path):
    with_measures(project, "    metric: measure\n    measure: fires\n    if_no_value: 1\n")
    result = run(project)
    burglary = measure_audit(result, "burglary", "volume")
    assert burglary["inputs"] == "fires 2.25 (summed over Burglary residential, Burglary business)"
    assert burglary["calculation"] == "3.5 + -1.25 = 2.25 -> 2.3 (rounded to 1 place)"
    edit(project / "data/crime.csv", ",3.5\n", ",\n")
    burglary = measure_audit(run(project), "burglary", "volume")
    assert (burglary["inputs"], burglary["calculation"]) == (
        "fires missing (missing, -1.25)",
        "missing + -1.25: no value",
    )
    assert (burglary["value"], burglary["band"], burglary["rule_score"]) == (
        "no value",
        "none (no value): if_no_value",
        1,
    )


def test_an_expression_audit_shows_each_measure_it_reads(project: Path):
    with_measures(project, "    metric: expression\n    expression: pct_worried + fires\n")
    burglary = measure_audit(run(project), "burglary", "volume")
    assert burglary["inputs"] == (
        "pct_worried 25 % (worst of 25, 18); fires 2.25 (summed over Burglary residential, Burglary business)"
    )
    assert burglary["calculation"] == "25 + 2.25 = 27.25 -> 27.3 (rounded to 1 place)"


def test_explain_shows_the_measure(project: Path):
    from click.testing import CliRunner

    import cli

    with_measures(project, "    metric: measure\n    measure: pct_worried\n")
    output = CliRunner().invoke(cli.main, ["explain", "rules.yaml", "burglary"]).output
    assert "   Inputs:    pct_worried 25 % (worst of 25, 18)\n" in output
    assert "   Working:   worst of 25, 18 = 25.0\n" in output


def test_audit_row_of_a_trend_over_periods_names_each_periods_count_and_rows(project: Path):
    from tests.helpers import with_series

    with_series(project, trend="    metric: trend_slope\n    periods: 3\n")
    result = run(project)
    rows = audit.audit_rows(result)
    trend = next(r for r in rows if r["issue_id"] == "burglary" and r["criterion_id"] == "trend")
    assert {k: trend[k] for k in ("metric", "inputs", "source_rows", "calculation", "value", "band", "rule_score")} == {
        "metric": "trend_slope",
        "inputs": "2021-22 300; 2022-23 300; 2023-24 270, each summed over Burglary residential, Burglary business",
        "source_rows": "data/crime.csv rows 5 and 8 (2021-22), rows 6 and 9 (2022-23), rows 7 and 10 (2023-24)",
        "calculation": "y = 300, 300, 270 at x = 0, 1, 2: sum(y) = 870, sum(xy) = 840; slope = (3 x 840 - 3 x 870) "
        "/ (3 x 5 - 3 x 3) = -90 / 6 = -15; mean = 870 / 3 = 290; 100 x -15 / 290 = -5.17241... -> -5.2 "
        "(rounded to 1 place)",
        "value": "-5.2",
        "band": "to 0",
        "rule_score": 0,
    }
    from engine.score.document import result_document

    document = result_document(result, audit.provenance(result, {}))
    assert {"name": "crime", "file": "data/crime.csv", "shape": "crime_series"}.items() <= document["provenance"][
        "datasets"
    ][0].items()
    assert document["provenance"]["datasets"][0]["rows"] == 9  # the file's rows, one per period


def test_data_rows_of_a_series_are_the_periods_read(project: Path):
    from tests.helpers import with_series

    with_series(project)  # two-period metrics: the latest two periods' rows
    found = audit.data_rows(run(project), 1)
    assert found is not None and found.columns == ["category", "period", "count"]
    assert found.rows == [
        (6, ["Burglary residential", "2022-23", "200"]),
        (7, ["Burglary residential", "2023-24", "150"]),
        (9, ["Burglary business", "2022-23", "100"]),
        (10, ["Burglary business", "2023-24", "120"]),
    ]
