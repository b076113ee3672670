"""engine.whatif.grid: the vectorised scenario evaluator agrees exactly with the reference evaluator.

Hypothesis draws random scenario grids (band edges moved, scores, judgements,
overrides, weights and cutoffs changed) over four assessments - the bundled
Sevenoaks 2020, the mini project, a 4 x 4 impact x likelihood grid with
max_priorities, and four districts with computed county ranks - thousands of
scenarios in all, and both evaluators must agree on every score, total,
priority and on which scenarios keep valid bands.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.load.datasets import load_datasets
from engine.load.overlay import parse_set_option
from engine.load.rules import load_rules
from engine.load.yamlfile import format_path
from engine.score.scoring import Result, score
from engine.whatif.grid import (
    RESOLVERS,
    Parameter,
    ParameterError,
    all_parameters,
    check_value,
    evaluate,
    resolve,
    shape_of,
)
from tests.conftest import DEFAULT_RULES, ROOT, examples
from tests.criterion_scales import use_criterion_scales
from tests.reference_evaluator import reference_evaluate

CASES = {
    "sevenoaks": (DEFAULT_RULES, None),
    "mini": (ROOT / "tests/corpus/mini/rules.yaml", None),
    "impact-likelihood": (ROOT / "tests/golden/impact-likelihood/rules.yaml", None),
    "county": (ROOT / "tests/corpus/county/rules.yaml", ["Ashdown", "Beckton", "Carrow", "Dunmore"]),
    "three-year-trend": (ROOT / "rules/examples/three-year-trend.yaml", None),
}
_RESULTS: dict[str, Result] = {}


def result_of(name):
    if name not in _RESULTS:
        path, areas = CASES[name]
        rules = load_rules(path)
        _RESULTS[name] = score(rules, load_datasets(rules), areas)
    return _RESULTS[name]


def values_for(result, parameter):
    """A strategy of values this parameter may take."""
    rules = result.rules
    scale = [Decimal(p.score) for p in rules.scale]
    if parameter.kind in ("band_score", "if_no_value", "judgement", "override", "cell"):
        return st.sampled_from(scale)
    if parameter.kind == "edge":
        step = Decimal(1).scaleb(-rules.criteria[parameter.criterion].decimals)
        return st.integers(-60, 60).map(lambda n: parameter.base + n * step)
    if parameter.kind == "weight":
        return st.integers(0, 500).map(lambda n: Decimal(n).scaleb(-2))
    return st.integers(-10, 60).map(Decimal)


@st.composite
def grids(draw, name):
    result = result_of(name)
    cells = [
        Parameter(("issues", i, "score", c), "cell", Decimal(0), criterion=c, issue=i)
        for i in result.rules.issues
        for c in result.rules.criteria
    ]
    everything = all_parameters(result.rules) + cells
    chosen = draw(st.lists(st.sampled_from(everything), min_size=1, max_size=4, unique_by=lambda p: p.path))
    k = draw(st.integers(1, 200))
    columns = [draw(st.lists(values_for(result, p), min_size=k, max_size=k)) for p in chosen]
    return result, chosen, columns


def assert_agree(result, parameters, columns):
    fast = evaluate(result, parameters, columns)
    slow = reference_evaluate(result, parameters, columns)
    assert fast.valid.tolist() == slow.valid
    for s, ok in enumerate(slow.valid):
        if not ok:
            continue
        assert fast.scores[s].tolist() == slow.scores[s], s
        assert [Decimal(int(u)).scaleb(-fast.places) for u in fast.total_units[s]] == slow.totals[s], s
        assert fast.priority[s].tolist() == slow.priority[s], s


@pytest.mark.parametrize("name", list(CASES))
@settings(
    max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(data=st.data())
def test_vectorised_and_reference_agree_on_random_scenarios(name, data):
    result, parameters, columns = data.draw(grids(name))
    assert_agree(result, parameters, columns)


def test_no_parameters_reproduces_the_result():
    result = result_of("sevenoaks")
    evaluation = evaluate(result, [], [])
    assert evaluation.total_units[0].tolist() == result.total_units.tolist()
    assert evaluation.priority[0].tolist() == result.priority.tolist()


def test_moving_a_boundary_moves_its_neighbour_and_can_break_the_bands():
    result = result_of("sevenoaks")
    boundary = resolve(result.rules, ("criteria", "trend", "bands", 3, "from"))
    assert boundary.linked == ((2, "below"),)
    values = [[Decimal(v) for v in ("10", "15", "3", "5", "12")]]
    evaluation = evaluate(result, [boundary], values)
    assert evaluation.valid.tolist() == [True, True, False, True, True]  # at 3 it overlaps "above 0 below 5"
    domestic_abuse = result.case("domestic_abuse")
    assert evaluation.total_units[:, domestic_abuse].tolist()[:2] == [26, 24]


@pytest.mark.parametrize(
    "path, message",
    [
        (("criteria", "trend", "decimals"), "`criteria.trend.decimals` cannot be varied here"),
        (("criteria", "trnd", "bands", 0, "to"), "there is no criterion `trnd`"),
        (("criteria", "trend", "bands", 7, "to"), "criteria.trend.bands has 4 entries, [0] to [3], so there is no [7]"),
        (("criteria", "trend", "bands", 0, "from"), "bands[0] of `trend` has no `from` edge to vary"),
        (
            ("issues", "safeguarding", "overrides", "trend", "score"),
            "issue `safeguarding` has no override for `trend` (overrides: none)",
        ),
        (("total", "weights", "harm"), "`total.weights.harm` cannot be varied here"),
        (("criteria", "trnd", "decimals"), "there is no criterion `trnd`"),
        (
            ("criteria", "trend", "bands", 7, "edge"),
            "criteria.trend.bands has 4 entries, [0] to [3], so there is no [7]",
        ),
        (("criteria", "trend", "bands", 0, "edge"), "`criteria.trend.bands[0].edge` cannot be varied here"),
        (("criteria", "harm", "bands", 0, "score"), "criterion `harm` is scored by judgement, so it has no bands"),
        (("criteria", "harm", "if_no_value"), "`criteria.harm.if_no_value` cannot be varied here"),
        (("issues", "nosuch", "judgements", "harm", "score"), "there is no issue `nosuch`"),
        (("issues", "nosuch", "judgements", "harm"), "`issues.nosuch.judgements.harm` cannot be varied here"),
        (("cutoff",), "`cutoff` cannot be varied here"),
        (("trend", "bands", 3, "from"), "`trend.bands[3].from` cannot be varied here"),
    ],
)
def test_paths_that_cannot_vary(path, message):
    with pytest.raises(ParameterError) as caught:
        resolve(result_of("sevenoaks").rules, path)
    assert caught.value.message == message


@pytest.mark.parametrize(
    "path, hint",
    [
        (("cutoff",), "did you mean `priority.cutoff`?"),
        (("trend", "bands", 3, "from"), "did you mean `criteria.trend.bands[3].from`?"),
        (("criteria", "trend", "bands", 4, "to"), "counting starts at 0: the first entry is [0], the last [3]"),
    ],
)
def test_path_hints_name_the_full_path_and_the_count_from_0(path, hint):
    with pytest.raises(ParameterError) as caught:
        resolve(result_of("sevenoaks").rules, path)
    assert caught.value.hint == hint


#: A path of every shape in grid.RESOLVERS, with what it resolves to in Sevenoaks 2020 (weights: made a weighted sum).
SHAPES = [
    (("priority", "cutoff"), "cutoff", Decimal(20), None),
    (("criteria", "trend", "if_no_value"), "if_no_value", Decimal(0), None),
    (("criteria", "trend", "bands", 3, "score"), "band_score", Decimal(5), None),
    (("criteria", "trend", "bands", 0, "to"), "edge", Decimal(0), ((1, "above"),)),
    (("criteria", "trend", "bands", 1, "above"), "edge", Decimal(0), ((0, "to"),)),
    (("criteria", "trend", "bands", 2, "below"), "edge", Decimal(10), ((3, "from"),)),
    (("criteria", "trend", "bands", 3, "from"), "edge", Decimal(10), ((2, "below"),)),
    (("issues", "safeguarding", "judgements", "trend", "score"), "judgement", Decimal(5), None),
    (("issues", "serious_acquisitive", "overrides", "trend", "score"), "override", Decimal(5), None),
    (("total", "weights", "trend"), "weight", Decimal(2), None),
    (("criteria", "trend", "if_no_value", "zero_to_some"), "if_no_value", Decimal(5), None),
    (("issues", "asb", "areas", "Bromley Town", "judgements", "concern", "score"), "judgement", Decimal(5), None),
    (("issues", "vehicle_crime", "areas", "Darwin", "overrides", "trend", "score"), "override", Decimal(1), None),
]


def _rules_with(*settings: str):
    return load_rules(DEFAULT_RULES, [parse_set_option(s, n) for n, s in enumerate(settings, start=1)])


def _weighted_rules():
    weights = "{community_concern: 1, trend: 2, volume: 1, harm: 1, performance: 1, partnership: 0.5}"
    return _rules_with("total.method=weighted_sum", f"total.weights={weights}")


def test_a_score_per_reason_is_varied_one_reason_at_a_time():
    rules = _rules_with("criteria.trend.if_no_value={zero_to_zero: 0, zero_to_some: 5}")
    with pytest.raises(ParameterError) as caught:
        resolve(rules, ("criteria", "trend", "if_no_value"))
    assert caught.value.message == "`trend` gives a score per reason: vary one of them"
    assert caught.value.hint == "e.g. criteria.trend.if_no_value.zero_to_zero, criteria.trend.if_no_value.zero_to_some"
    with pytest.raises(ParameterError) as caught:
        resolve(rules, ("criteria", "trend", "if_no_value", "missin"))
    assert caught.value.message == "`trend` gives no score for `missin` in if_no_value"


@pytest.mark.parametrize("path, kind, base, linked", SHAPES, ids=[format_path(row[0]) for row in SHAPES])
def test_every_path_shape_resolves_to_its_kind(path, kind, base, linked):
    if path[0] == "total":
        rules = _weighted_rules()
    elif "areas" in path:  # an area's own judgement or override: the ward-panel recipe
        rules = load_rules(ROOT / "rules" / "examples" / "bromley-ward-panels.yaml")
    elif len(path) == 4:  # a score per reason the metric has no value
        rules = _rules_with("criteria.trend.if_no_value={zero_to_zero: 0, zero_to_some: 5, missing: 1}")
    else:
        rules = result_of("sevenoaks").rules
    parameter = resolve(rules, path)
    assert (parameter.path, parameter.kind, parameter.base) == (path, kind, base)
    if linked is not None:
        assert (parameter.band, parameter.edge, parameter.linked) == (path[3], path[4], linked)


def test_the_shapes_exercise_every_resolver():
    shapes = [shape_of(path) for path, *_ in SHAPES]
    assert None not in shapes
    assert set(shapes) == set(RESOLVERS)


def test_values_are_checked():
    rules = result_of("sevenoaks").rules
    with pytest.raises(ParameterError, match="2 is not on the scale"):
        check_value(rules, resolve(rules, ("issues", "safeguarding", "judgements", "trend", "score")), Decimal(2))
    with pytest.raises(ParameterError, match="more decimal places"):
        check_value(rules, resolve(rules, ("criteria", "trend", "bands", 3, "from")), Decimal("10.05"))


def test_scores_are_checked_against_their_criterion_scale(project):
    use_criterion_scales(project)
    rules = _scored(project / "rules.yaml").rules
    refused = {
        ("issues", "scams", "judgements", "concern", "score"): (
            Decimal(5),
            "5 is not on the scale of `concern` (allowed: 1, 2, 3, 4)",
        ),
        ("criteria", "volume", "bands", 2, "score"): (
            Decimal(5),
            "5 is not on the scale of `volume` (allowed: 0, 1, 2, 3)",
        ),
        ("criteria", "volume", "if_no_value"): (
            Decimal("2.5"),
            "2.5 is not on the scale of `volume` (allowed: 0, 1, 2, 3)",
        ),
        ("issues", "scams", "judgements", "trend", "score"): (
            Decimal(4),
            "4 is not on the scale (allowed: 0, 1, 3, 5)",
        ),
    }
    for path, (value, message) in refused.items():
        with pytest.raises(ParameterError) as caught:
            check_value(rules, resolve(rules, path), value)
        assert caught.value.message == message
    check_value(rules, resolve(rules, ("issues", "scams", "judgements", "concern", "score")), Decimal(1))
    check_value(rules, resolve(rules, ("criteria", "volume", "bands", 0, "score")), Decimal(0))


def test_grid_matches_score_with_criteria_on_their_own_scales(project):
    use_criterion_scales(project)
    path = project / "rules.yaml"
    result = _scored(path)
    parameters = [
        resolve(result.rules, ("issues", "scams", "judgements", "concern", "score")),
        resolve(result.rules, ("criteria", "volume", "bands", 2, "score")),
    ]
    scenarios = [(Decimal(c), Decimal(v)) for c in (1, 2, 3, 4) for v in (0, 1, 2, 3)]
    evaluation = evaluate(result, parameters, [[c for c, _ in scenarios], [v for _, v in scenarios]])
    for k, values in enumerate(scenarios):
        again = _scored(path, [f"{p.text}={v}" for p, v in zip(parameters, values, strict=True)])
        assert evaluation.scores[k].tolist() == [
            [int(again.outcomes[c].final[i]) for c in again.rules.criteria] for i in range(len(again.issue_ids))
        ], values
        assert evaluation.priority[k].tolist() == again.priority.tolist(), values


def test_all_parameters_lists_each_shared_boundary_once():
    texts = [p.text for p in all_parameters(result_of("sevenoaks").rules)]
    assert "criteria.trend.bands[3].from" in texts or "criteria.trend.bands[2].below" in texts
    assert not ("criteria.trend.bands[3].from" in texts and "criteria.trend.bands[2].below" in texts)
    assert texts[0] == "priority.cutoff"
    assert Path(DEFAULT_RULES).exists()


TOTALS = {
    "sum": "method: sum",
    "weighted_sum": "method: weighted_sum\n  weights: {concern: 1.5, trend: 2, volume: 0.25}",
    "expression": "method: expression\n  expression: concern * 2 + max(trend, volume) / 3",
}


def _scored(path, settings=()):
    from engine.load.overlay import parse_set_option

    rules = load_rules(path, [parse_set_option(s, n) for n, s in enumerate(settings, start=1)])
    return score(rules, load_datasets(rules))


@pytest.mark.parametrize("method", list(TOTALS))
def test_grid_matches_score_for_every_total_method(project, method):
    """Each scenario the grid evaluates equals scoring the rule file with that scenario's settings applied."""
    from tests.helpers import edit

    edit(project / "rules.yaml", "method: sum", TOTALS[method])
    path = project / "rules.yaml"
    result = _scored(path)
    parameters = [
        resolve(result.rules, ("priority", "cutoff")),
        resolve(result.rules, ("criteria", "trend", "bands", 2, "from")),
        resolve(result.rules, ("issues", "asb", "judgements", "concern", "score")),
    ]
    if method == "weighted_sum":
        parameters.append(resolve(result.rules, ("total", "weights", "volume")))
    grid = {
        "priority.cutoff": [Decimal("7.5"), Decimal(10), Decimal(12)],
        "criteria.trend.bands[2].from": [Decimal(5), Decimal(40)],
        "issues.asb.judgements.concern.score": [Decimal(1), Decimal(5)],
        "total.weights.volume": [Decimal("0.25"), Decimal("3.5")],
    }
    import itertools

    chosen = [grid[p.text] for p in parameters]
    scenarios = list(itertools.product(*chosen))
    columns = [[s[n] for s in scenarios] for n in range(len(parameters))]
    evaluation = evaluate(result, parameters, columns)
    for k, values in enumerate(scenarios):
        again = _scored(path, [f"{p.text}={v}" for p, v in zip(parameters, values, strict=True)])
        totals = [Decimal(int(u)).scaleb(-evaluation.places) for u in evaluation.total_units[k]]
        assert totals == [again.total(i) for i in range(len(again.issue_ids))], values
        assert evaluation.priority[k].tolist() == again.priority.tolist(), values
        assert evaluation.scores[k].tolist() == [
            [int(again.outcomes[c].final[i]) for c in again.rules.criteria] for i in range(len(again.issue_ids))
        ], values
    assert len({tuple(row) for row in evaluation.priority.tolist()}) > 1, "the scenarios must change the priorities"
