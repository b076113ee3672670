"""engine.load.sections.measures: declared measures, their ids, and criteria and expressions that use them."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import InputError
from engine.load.model import Measure
from engine.load.rules import load_rules
from tests.helpers import MEASURES, edit, with_measures

MEASURE_METRIC = "    metric: measure\n    measure: pct_worried\n"


def problems(project: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_rules(project / "rules.yaml")
    return [str(p) for p in caught.value.problems]


def test_measures_load_typed_in_file_order(project: Path):
    with_measures(project, MEASURE_METRIC)
    rules = load_rules(project / "rules.yaml")
    assert rules.measures == {
        "pct_worried": Measure("pct_worried", "Residents worried", "rate", None, "%", "Residents' survey"),
        "fires": Measure("fires", "Deliberate fires", "count"),
    }
    volume = rules.data_criteria["volume"]
    assert (volume.metric, volume.measure, volume.combine) == ("measure", "pct_worried", "worst")


def test_without_measures_the_rule_set_has_none(project: Path):
    assert load_rules(project / "rules.yaml").measures == {}


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        (
            "current",
            "rules.yaml:25:3: measures.current: `current` is a built-in name "
            "(previous, current, population, county_position)\n    hint: give the measure another id",
        ),
        (
            "population",
            "rules.yaml:25:3: measures.population: `population` is a built-in name "
            "(previous, current, population, county_position)\n    hint: give the measure another id",
        ),
        (
            "sqrt",
            "rules.yaml:25:3: measures.sqrt: `sqrt` is the name of a function in expressions\n"
            "    hint: give the measure another id",
        ),
        (
            "note",
            "rules.yaml:25:3: measures.note: `note` is already a column of a crime_counts dataset\n"
            "    hint: give the measure another id",
        ),
    ],
)
def test_a_measure_may_not_take_a_built_in_name(project: Path, measure: str, expected: str):
    edit(project / "rules.yaml", "datasets:\n", f"measures:\n  {measure}: {{name: Clash, kind: count}}\n\ndatasets:\n")
    assert problems(project) == [expected]


def test_a_criterion_naming_an_undeclared_measure_gets_did_you_mean(project: Path):
    with_measures(project, "    metric: measure\n    measure: pct_worry\n")
    assert problems(project) == [
        "rules.yaml:54:14: criteria.volume.measure: there is no measure `pct_worry`\n"
        "    hint: did you mean `pct_worried`?"
    ]


def test_a_measure_metric_without_any_measures_says_to_declare_one(project: Path):
    edit(project / "rules.yaml", "    metric: rate_per_1000\n", MEASURE_METRIC)
    assert problems(project) == [
        "rules.yaml:50:14: criteria.volume.measure: there is no measure `pct_worried`\n"
        "    hint: declare it under `measures:` in the rule file"
    ]


def test_the_measure_metric_needs_its_measure_key(project: Path):
    with_measures(project, "    metric: measure\n")
    assert problems(project) == ["rules.yaml:53:13: criteria.volume.metric: metric measure needs `measure`"]


def test_combine_follows_the_measure_kind(project: Path):
    with_measures(project, MEASURE_METRIC + "    combine: sum\n")
    assert problems(project) == [
        "rules.yaml:55:14: criteria.volume.combine: measure `pct_worried` is a rate, so an issue's categories "
        "combine by `worst`\n    hint: remove `combine`: a measure's kind decides it"
    ]


def test_an_expression_may_use_a_declared_measure(project: Path):
    with_measures(project, "    metric: expression\n    expression: pct_worried * 2 + fires\n")
    volume = load_rules(project / "rules.yaml").data_criteria["volume"]
    assert volume.expression is not None and volume.expression.names == {"pct_worried", "fires"}


def test_an_expression_naming_an_undeclared_measure_gets_did_you_mean(project: Path):
    with_measures(project, "    metric: expression\n    expression: pct_woried * 2\n")
    assert problems(project) == [
        "rules.yaml:54:17: criteria.volume.expression: unknown name `pct_woried` (at character 1)\n"
        "    hint: did you mean `pct_worried`?"
    ]


def test_the_measures_example_is_the_one_declared():
    assert "pct_worried" in MEASURES and "fires" in MEASURES
