"""The recipes in rules/examples/ run, and say what their comments say they show."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from engine.load.overlay import parse_set_option
from engine.pipeline import run
from engine.whatif.comparison import compare_results
from engine.whatif.grid import evaluate, resolve
from tests.conftest import DEFAULT_RULES, ROOT

RECIPES = sorted(p for p in (ROOT / "rules" / "examples").glob("*.yaml") if p.name != "flawed.yaml")


@pytest.mark.parametrize("recipe", RECIPES, ids=[p.stem for p in RECIPES])
def test_every_recipe_scores_and_explains_every_issue(recipe: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    rules = str(recipe.relative_to(ROOT))
    for args in (["validate", rules], ["score", rules], ["explain", rules, "all"], ["lint", rules]):
        result = CliRunner().invoke(cli.main, args)
        assert result.exit_code == 0, (args, result.output)


def test_the_workbook_recipe_scores_as_its_csv_twin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    scored = [
        CliRunner().invoke(cli.main, ["score", f"rules/examples/{name}.yaml", "--format", "csv"])
        for name in ("three-year-trend", "three-year-trend-from-excel")
    ]
    assert [r.exit_code for r in scored] == [0, 0]
    assert scored[1].output == scored[0].output
    assert "shoplifting" in scored[0].output


def test_a_significance_aware_trend_drops_only_the_rise_within_chance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    plain = run(DEFAULT_RULES)
    significant = run(ROOT / "rules" / "examples" / "sevenoaks-2020-significant-trend.yaml")
    comparison = compare_results(plain, significant, "significance")
    changed = {i.issue_id: i for i in comparison.issues if i.changed}
    assert list(changed) == ["substance_misuse"]
    issue = changed["substance_misuse"]
    assert [(c.criterion_id, c.before, c.after) for c in issue.drivers] == [("trend", 5, 0)]
    assert (issue.total_before, issue.total_after, issue.status) == (24, 19, "leaves")


def test_a_red_amber_green_trend_grades_ten_percent_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run(ROOT / "rules" / "examples" / "rag-trend-kent-2024.yaml")
    trend = result.outcomes["trend"]
    grades = {i: (str(trend.metric.value(n, 1)), int(trend.final[n])) for n, i in enumerate(result.issue_ids)}
    assert grades["anti_social_behaviour"] == ("42.5", 5)  # red: a rise of 10 % or more
    assert grades["violence"] == ("5.3", 3)  # amber: within 10 % either way
    assert grades["vehicle_crime"] == ("-6.7", 3)
    assert grades["burglary"] == ("-33.6", 1)  # green: a fall of 10 % or more
    assert [i for n, i in enumerate(result.issue_ids) if result.priority[n]] == ["anti_social_behaviour"]


def test_the_rag_recipe_scores_every_kent_district(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run(ROOT / "rules" / "examples" / "rag-trend-kent-2024.yaml", areas="all")
    assert len(result.areas) == 13 and "Sevenoaks" in result.areas  # Kent's 12 districts and Medway


def test_an_impact_likelihood_grid_multiplies_two_scales(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run(ROOT / "rules" / "examples" / "impact-likelihood-kent-2024.yaml")
    rules = result.rules
    assert [p.meaning for p in rules.scale_of("likelihood")] == ["Rare", "Possible", "Likely", "Almost certain"]
    assert [p.meaning for p in rules.scale_of("impact")] == ["Minor", "Moderate", "Major", "Critical"]
    for n, _ in enumerate(result.issue_ids):
        impact, likelihood = (int(result.outcomes[c].final[n]) for c in ("impact", "likelihood"))
        assert result.total(n) == impact * likelihood
    assert [i for n, i in enumerate(result.issue_ids) if result.priority[n]] == ["violence"]
    trace = CliRunner().invoke(cli.main, ["explain", "rules/examples/impact-likelihood-kent-2024.yaml", "robbery"])
    assert "2. Likelihood: 1 (Rare), from the data" in trace.output


def test_a_partner_indicator_scores_concern_from_the_survey(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run(ROOT / "rules" / "examples" / "partner-indicator.yaml")
    concern = result.outcomes["concern"]
    scored = {i: (concern.metric.value(n, 1), int(concern.final[n])) for n, i in enumerate(result.issue_ids)}
    assert {i: (str(v), s) for i, (v, s) in scored.items()} == {
        "anti_social_behaviour": ("41.5", 5),
        "burglary": ("25.0", 3),  # the worst of 24.95 and 18.0, rounded: Medium
        "vehicle_crime": ("25.0", 3),
        "violence": ("19.5", 1),
        "shoplifting": ("None", 1),  # not asked in the survey: if_no_value
    }
    assert [i for n, i in enumerate(result.issue_ids) if result.priority[n]] == ["anti_social_behaviour"]
    trace = CliRunner().invoke(cli.main, ["explain", "rules/examples/partner-indicator.yaml", "burglary"])
    assert "   Inputs:    pct_worried 24.95 % (worst of 24.95, 18)\n" in trace.output


def test_a_morile_matrix_multiplies_harm_likelihood_and_a_decimal_confidence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run(ROOT / "rules" / "examples" / "morile-kent-2024.yaml")
    assert [p.score for p in result.rules.scale_of("confidence")] == [Decimal("0.5"), Decimal("0.75"), 1]
    assert result.rules.score_places == 2
    for n, iid in enumerate(result.issue_ids):
        harm = sum(result.score(c, n) for c in ("physical", "community", "geographic"))
        grade = harm * result.score("likelihood", n) * result.score("confidence", n)
        assert result.derived["harm"].value(n) == harm, iid
        assert result.derived["grade"].value(n) == grade, iid
        assert result.total(n) == grade, iid
    shoplifting = result.case("shoplifting")
    assert (result.score("confidence", shoplifting), result.total(shoplifting)) == (Decimal("0.75"), Decimal("4.5"))
    assert [i for n, i in enumerate(result.issue_ids) if result.priority[n]] == ["violence", "anti_social_behaviour"]
    trace = CliRunner().invoke(cli.main, ["explain", "rules/examples/morile-kent-2024.yaml", "violence"]).output
    assert "5. Confidence: 0.75 (Medium confidence), by judgement" in trace
    assert "Derived: Grade (risk x confidence): risk * confidence = 28 * 0.75 = 21" in trace


def test_ward_panels_judge_and_limit_their_own_wards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    path = ROOT / "rules" / "examples" / "bromley-ward-panels.yaml"
    result = run(path)  # `area: all`: every ward in the data
    assert len(result.areas) == 22
    concern = {area: result.score("concern", result.case("asb", area)) for area in result.areas}
    assert (concern["Bromley Town"], concern["Biggin Hill"], concern["Bickley"]) == (5, 1, 3)  # own, own, borough's
    darwin = result.case("vehicle_crime", "Darwin")
    assert (result.outcomes["trend"].source[darwin], result.score("trend", darwin)) == ("override", 1)
    # Biggin Hill's panel agrees at most two, but three issues tie at 11: all are kept (ties: include_all).
    biggin = [result.case(i, "Biggin Hill") for i in result.rules.issues]
    assert [result.issue_ids[i] for i in biggin if result.priority[i]] == ["asb", "burglary", "vehicle_crime"]
    assert result.rules.priority.limit_for("Biggin Hill") == 2 and result.rules.priority.limit_for("Bickley") == 3
    changed = run(path, [parse_set_option('issues.asb.areas."Bromley Town".judgements.concern.score=0', 1)])
    comparison = compare_results(result, changed, "panel")
    assert [(i.area, i.issue_id, i.status) for i in comparison.issues if i.changed] == [
        ("Bromley Town", "asb", "leaves")
    ]
    evaluation = evaluate(result, [resolve(result.rules, changed.rules.changes[0].path)], [[Decimal(0)]])
    assert evaluation.priority[0].tolist() == changed.priority.tolist()


def test_a_three_year_slope_reverses_what_one_years_change_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run(ROOT / "rules" / "examples" / "three-year-trend.yaml")
    assert result.datasets["series"].periods == ("2019-20", "2020-21", "2021-22", "2022-23", "2023-24")
    trend, long_run = result.outcomes["trend"], result.outcomes["long_run"]
    n = {issue: k for k, issue in enumerate(result.issue_ids)}
    slope = {i: (str(trend.metric.value(k, 1)), int(trend.final[k])) for i, k in n.items()}
    assert slope == {
        "anti_social_behaviour": ("-2.8", 0),
        "burglary": ("3.5", 1),
        "shoplifting": ("11.7", 5),
        "vehicle_crime": ("5.7", 3),
        "violence": ("3.0", 1),
    }
    inputs = result.inputs  # the latest year against the one before, as a year-on-year trend would read them
    year_on_year = {
        i: round((inputs.current[k] - inputs.previous[k]) / inputs.previous[k] * 100, 1) for i, k in n.items()
    }
    assert year_on_year["burglary"] == 14.5 and year_on_year["shoplifting"] == 9.5
    vehicle = n["vehicle_crime"]  # 2019-20 is blank: the five-year change has none, and if_no_value scores it
    assert (long_run.metric.reason[vehicle], int(long_run.final[vehicle])) == ("missing", 3)
    assert [i for k, i in enumerate(result.issue_ids) if result.priority[k]] == [
        "shoplifting",
        "vehicle_crime",
        "violence",
    ]
    trace = (
        CliRunner().invoke(cli.main, ["explain", "rules/examples/three-year-trend.yaml", "burglary", "--wide"]).output
    )
    assert "   Inputs:    2021-22 155; 2022-23 145; 2023-24 166, each summed over Burglary\n" in trace
    assert "   Rows:      datasets/examples/series.csv rows 9 and 14 (2021-22), rows 10 and 15\n" in trace
