"""engine.checks.rule_tests: a criterion test's figures give the metric exactly as the engine computes it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from engine.checks.rule_tests import load_tests, metric_of, run_tests
from engine.errors import HintedError
from engine.load.model import DataCriterion
from engine.load.rules import load_rules
from tests.helpers import edit, run

VOLUME = "    metric: rate_per_1000\n    decimals: 1\n"
HARM = (
    "    metric: harm_weighted\n    decimals: 1\n    weights:\n      Anti-social behaviour: 0.5\n"
    "      Burglary residential: 2.5\n      Burglary business: 10\n"
)


def criterion(project: Path, block: str, cid: str = "volume") -> DataCriterion:
    """The mini project's `volume` criterion with its metric replaced by ``block``."""
    edit(project / "rules.yaml", VOLUME, block)
    found = load_rules(project / "rules.yaml").criteria[cid]
    assert isinstance(found, DataCriterion)
    return found


def expression(project: Path, text: str, decimals: int = 1) -> DataCriterion:
    return criterion(project, f"    metric: expression\n    expression: {text}\n    decimals: {decimals}\n")


@pytest.mark.parametrize(
    ("text", "decimals", "data", "expected"),
    [
        ("(current - previous) / previous * 100", 1, {"previous": 100, "current": 115}, "15.0"),  # 15.000000000000002
        ("current / population * 1000", 2, {"current": 1208, "population": 120800}, "10.00"),
        ("county_position * 2", 0, {"county_position": 3}, "6"),
        ("(current - previous) / 2", 0, {"previous": 5, "current": 0}, "-3"),  # -2.5: half away from zero
        ("(current - previous) / 2", 0, {"previous": 0, "current": 5}, "3"),
        ("0.1 + 0.2 + current", 1, {"current": 0}, "0.3"),
    ],
)
def test_an_expression_is_computed_from_the_names_it_uses(project, text, decimals, data, expected):
    assert metric_of(expression(project, text, decimals), data) == Decimal(expected)


def test_an_expression_gives_what_the_engine_gives_for_the_same_figures(project: Path):
    found = expression(project, "(current - previous) / population * 100000")
    result = run(project)
    i = result.issue_ids.index("burglary")
    engine = result.outcomes["volume"].metric.value(i, found.decimals)
    assert metric_of(found, {"previous": 300, "current": 270, "population": 100000}) == engine == Decimal("-30.0")


def test_an_expression_with_no_value_is_no_value(project: Path):
    found = expression(project, "(current - previous) / previous * 100")
    assert metric_of(found, {"previous": 0, "current": 5}) is None  # division by zero
    assert metric_of(found, {"previous": None, "current": 5}) is None  # a blank previous count, as in the data


def test_a_name_the_expression_uses_but_the_test_does_not_give_is_named(project: Path):
    found = expression(project, "(current - previous) / population * 100")
    with pytest.raises(HintedError) as caught:
        metric_of(found, {"current": 5})
    assert caught.value.message == "the test's `data` does not give `previous` or `population`, which the metric needs"


@pytest.mark.parametrize(
    ("counts", "decimals", "expected"),
    [
        ({"Burglary residential": 3, "Burglary business": 2}, 1, "27.5"),  # 3 x 2.5 + 2 x 10
        ({"Burglary residential": 3, "Burglary business": 2}, 0, "28"),  # 27.5, half away from zero
        ({"Anti-social behaviour": 600}, 2, "300.00"),
        ({"Anti-social behaviour": 1}, 0, "1"),  # 0.5
    ],
)
def test_harm_weighted_sums_each_count_times_its_weight(project, counts, decimals, expected):
    found = criterion(project, HARM.replace("decimals: 1", f"decimals: {decimals}"))
    assert metric_of(found, {"counts": counts}) == Decimal(expected)


def test_harm_weighted_gives_what_the_engine_gives(project: Path):
    found = criterion(project, HARM)
    result = run(project)
    i = result.issue_ids.index("burglary")
    engine = result.outcomes["volume"].metric.value(i, found.decimals)
    counts = {"Burglary residential": 150, "Burglary business": 120}
    assert metric_of(found, {"counts": counts}) == engine == Decimal("1575.0")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"counts": {"Burglary residential": 3, "Robbery": 2}},
            "`Robbery` has no harm weight in `volume` "
            "(weights: Anti-social behaviour, Burglary residential, Burglary business)",
        ),
        ({"current": 5}, "the test's `data` does not give `counts`, which the metric needs"),
        ({"counts": {"Burglary business": "two"}}, "`data.counts.Burglary business` is not a number: 'two'"),
        ({"counts": [3, 2]}, "`data.counts` is a mapping of category to count, e.g. {Burglary: 3, Robbery: 2}"),
    ],
)
def test_harm_weighted_figures_that_cannot_be_used_are_named(project, data, message):
    found = criterion(project, HARM)
    with pytest.raises(HintedError) as caught:
        metric_of(found, data)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("block", "data", "missing"),
    [
        (VOLUME, {"current": 5}, "`population`"),
        ("    metric: percent_change\n    decimals: 1\n", {"current": 5}, "`previous`"),
        ("    metric: count\n    decimals: 0\n", {"previous": 5}, "`current`"),
        (
            "    metric: share_of_total\n    total_category: Anti-social behaviour\n    decimals: 1\n",
            {"current": 5},
            "`total`",
        ),
        ("    metric: county_position\n    decimals: 0\n", {}, "`county_position`"),
    ],
)
def test_a_figure_any_metric_needs_but_the_test_does_not_give_is_named(project, block, data, missing):
    found = criterion(project, block)
    with pytest.raises(HintedError) as caught:
        metric_of(found, data)
    assert caught.value.message == f"the test's `data` does not give {missing}, which the metric needs"


def test_a_figure_no_metric_reads_is_named(project: Path):
    found = criterion(project, VOLUME)
    with pytest.raises(HintedError) as caught:
        metric_of(found, {"current": 5, "populaton": 10})
    assert caught.value.message == "`data` has an unknown figure `populaton`"
    assert caught.value.hint == "did you mean `population`?"


def test_a_criterion_test_reports_the_missing_figure_as_its_failure(project: Path):
    edit(project / "rules.yaml", VOLUME, HARM)
    tests = project / "rules.tests.yaml"
    tests.write_text(
        "tests:\n"
        "  - name: raw count\n    criterion: volume\n    data: {current: 3}\n    expect: {score: 5}\n"
        "  - name: weighted\n    criterion: volume\n    data: {counts: {Burglary business: 2}}\n"
        "    expect: {score: 3}\n"
    )
    rules, cases, positions = load_tests(tests, "rules.tests.yaml")
    outcomes = run_tests(rules, cases, positions)
    assert [(o.where, o.passed, o.detail) for o in outcomes] == [
        ("rules.tests.yaml:2", False, "the test's `data` does not give `counts`, which the metric needs"),
        ("rules.tests.yaml:6", False, "expected score 3 for harm_weighted 20.0, got 5"),
    ]


def test_a_metric_without_listed_figures_asks_for_its_value(project: Path):
    from dataclasses import replace

    found = replace(criterion(project, VOLUME), metric="a_new_metric")
    with pytest.raises(HintedError) as caught:
        metric_of(found, {"current": 5})
    assert (caught.value.message, caught.value.hint) == (
        "a `a_new_metric` criterion cannot be tested from `data`",
        "give the metric's value with `metric:`",
    )


def test_a_poisson_criterion_is_tested_from_its_two_counts(project):
    from engine.checks.rule_tests import metric_of, score_for
    from engine.pipeline import load
    from tests.helpers import edit

    edit(
        project / "rules.yaml",
        "    metric: percent_change\n    decimals: 1\n",
        "    metric: poisson_z\n    decimals: 2\n",
    )
    edit(project / "rules.yaml", "      - to: 0\n", "      - to: -1.96\n")
    edit(project / "rules.yaml", "      - above: 0\n        below: 15\n", "      - above: -1.96\n        below: 1.96\n")
    edit(project / "rules.yaml", "      - from: 15\n", "      - from: 1.96\n")
    rules, _ = load(project / "rules.yaml", with_data=False)
    trend = rules.data_criteria["trend"]
    assert str(metric_of(trend, {"previous": 1000, "current": 1150})) == "4.58"
    assert score_for(trend, metric_of(trend, {"previous": 2, "current": 3})) == 3  # +50 %, but within chance
    assert metric_of(trend, {"previous": None, "current": 3}) is None


def test_no_value_scores_by_its_reason(project):
    from engine.checks.rule_tests import metric_of, no_value_reason, score_for
    from engine.pipeline import load
    from tests.helpers import edit

    edit(
        project / "rules.yaml",
        "    metric: percent_change\n",
        "    metric: percent_change\n    if_no_value: {zero_to_zero: 0, zero_to_some: 5, missing: 1}\n",
    )
    rules, _ = load(project / "rules.yaml", with_data=False)
    trend = rules.data_criteria["trend"]
    for data, score in (
        ({"previous": 0, "current": 0}, 0),
        ({"previous": 0, "current": 7}, 5),
        ({"previous": None, "current": 7}, 1),
    ):
        assert metric_of(trend, data) is None
        assert score_for(trend, None, no_value_reason(trend, data)) == score


def test_an_issue_test_can_pin_derived_values(project):
    from engine.checks.rule_tests import load_tests, run_tests
    from tests.helpers import edit

    edit(
        project / "rules.yaml",
        "total:\n  method: sum\n",
        "derived:\n  harm: {expression: concern + trend}\ntotal:\n  method: expression\n  expression: harm + volume\n",
    )
    tests = project / "rules.tests.yaml"
    tests.write_text(
        "tests:\n"
        "  - name: burglary's harm is 3\n    issue: burglary\n    expect: {derived: {harm: 3}}\n"
        "  - name: a wrong harm fails\n    issue: burglary\n    expect: {derived: {harm: 4.5}}\n"
        "  - name: an unknown derived value fails\n    issue: burglary\n    expect: {derived: {hram: 1}}\n"
    )
    rules_path, cases, positions = load_tests(tests, "rules.tests.yaml")
    outcomes = run_tests(rules_path, cases, positions)
    assert [(o.passed, o.detail) for o in outcomes] == [
        (True, ""),
        (False, "expected harm 4.5, got 3"),
        (False, "there is no derived value `hram`"),
    ]


def test_a_measure_criterion_is_tested_from_the_measures_own_value(monkeypatch):
    from engine.checks.rule_tests import metric_of
    from engine.errors import HintedError
    from engine.pipeline import load
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)
    rules, _ = load(ROOT / "rules" / "examples" / "partner-indicator.yaml", with_data=False)
    concern = rules.data_criteria["concern"]
    assert str(metric_of(concern, {"pct_worried": 24.95})) == "25.0"  # half away from zero, exactly
    assert metric_of(concern, {"pct_worried": None}) is None  # a blank cell: no value
    with pytest.raises(HintedError) as caught:
        metric_of(concern, {"pct_worryed": 20})
    assert caught.value.message == "`data` has an unknown figure `pct_worryed`"
    assert caught.value.hint == "did you mean `pct_worried`?"


def test_an_expression_reading_a_measure_is_tested_from_its_value(project):
    from engine.checks.rule_tests import metric_of
    from engine.pipeline import load
    from tests.helpers import edit

    edit(
        project / "rules.yaml", "datasets:\n", "measures:\n  calls: {name: Helpline calls, kind: count}\n\ndatasets:\n"
    )
    edit(
        project / "rules.yaml",
        "    metric: percent_change\n",
        "    metric: expression\n    expression: calls / current * 100\n",
    )
    rules, _ = load(project / "rules.yaml", with_data=False)
    trend = rules.data_criteria["trend"]
    assert str(metric_of(trend, {"calls": 30, "current": 200})) == "15.0"


def test_generated_issue_cases_pin_totals_derived_values_and_the_cutoff_boundary(monkeypatch) -> None:
    """`test --generate` adds, per issue, today's total, derived values and priority, and the cutoff either side."""
    from click.testing import CliRunner

    import cli
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)
    made = CliRunner().invoke(cli.main, ["test", "rules/examples/morile-kent-2024.yaml", "--generate"])
    assert made.exit_code == 0
    assert (
        "  - name: violence totals 21 (harm 7, risk 28, grade 21) and is a priority\n"
        "    issue: violence\n"
        "    expect: {total: 21, priority: true, derived: {harm: 7, risk: 28, grade: 21}}\n"
        "  - name: violence is not a priority at a cutoff of 21.000001\n"
        "    set: {priority.cutoff: 21.000001}\n"
        "    issue: violence\n"
        "    expect: {priority: false}\n"
        "  - name: violence is still a priority at a cutoff of 21\n"
    ) in made.output
    tests = ROOT / "rules" / "examples" / "generated.tmp.tests.yaml"
    try:
        tests.write_text(made.output, encoding="utf-8")
        ran = CliRunner().invoke(cli.main, ["test", str(tests.relative_to(ROOT))])
    finally:
        tests.unlink()
    assert ran.exit_code == 0, ran.output
    assert ran.output.endswith("21 passed, 0 failed\n")


TREND_SLOPE = "    metric: trend_slope\n    periods: 3\n    if_no_value: {zero_mean: 0, missing: 1}\n"


@pytest.mark.parametrize(
    ("block", "counts", "expected"),
    [
        (TREND_SLOPE, [900, 1000, 1150], "12.3"),
        (TREND_SLOPE, [5, 900, 1000, 1150], "12.3"),  # the last 3 of the list
        (TREND_SLOPE, [150, 251, 199], "12.3"),  # 12.25 exactly
        ("    metric: change_over_periods\n    periods: 3\n", [400, None, 449], "12.3"),
    ],
)
def test_a_trend_is_tested_from_a_count_per_period(project, block, counts, expected):
    edit(project / "rules.yaml", "    metric: percent_change\n", block)
    trend = load_rules(project / "rules.yaml").data_criteria["trend"]
    assert metric_of(trend, {"counts": counts}) == Decimal(expected)


def test_a_trend_test_gives_what_the_engine_gives_for_a_series(project: Path):
    from tests.helpers import with_series

    with_series(project, trend=TREND_SLOPE)
    result = run(project)
    trend = result.rules.data_criteria["trend"]
    assert metric_of(trend, {"counts": [210 + 90, 200 + 100, 150 + 120]}) == result.outcomes["trend"].metric.value(1, 1)


def test_a_trend_without_a_value_scores_by_its_reason_and_too_few_counts_are_named(project):
    from engine.checks.rule_tests import no_value_reason, score_for

    edit(project / "rules.yaml", "    metric: percent_change\n", TREND_SLOPE)
    trend = load_rules(project / "rules.yaml").data_criteria["trend"]
    for counts, reason, score in (([0, 0, 0], "zero_mean", 0), ([4, None, 5], "missing", 1)):
        assert metric_of(trend, {"counts": counts}) is None
        assert no_value_reason(trend, {"counts": counts}) == reason
        assert score_for(trend, None, reason) == score
    with pytest.raises(HintedError) as caught:
        metric_of(trend, {"counts": [4, 5]})
    assert (caught.value.message, caught.value.hint) == (
        "`data.counts` gives 2 counts, but `trend` reads the latest 3 periods",
        "give one count per period, oldest first, e.g. [155, 145, 166]",
    )
    with pytest.raises(HintedError) as caught:
        metric_of(trend, {"counts": {"Burglary": 4}})
    assert caught.value.message == (
        "`data.counts` is a list of counts, one per period, oldest first, e.g. [155, 145, 166]"
    )
