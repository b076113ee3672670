"""engine.load.sections.derived: named intermediate results, their names, their order, and loops."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import InputError
from engine.load.rules import load_rules
from tests.helpers import edit

TOTAL = "total:\n  method: sum\n"


def with_derived(project: Path, derived: str, total: str = TOTAL) -> None:
    edit(project / "rules.yaml", TOTAL, f"derived:\n{derived}{total}")


def problems(project: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_rules(project / "rules.yaml")
    return [str(p) for p in caught.value.problems]


def test_derived_values_are_ordered_after_what_they_use(project: Path):
    with_derived(
        project,
        "  risk: {expression: harm * 2}\n  harm: {name: Harm, expression: concern + trend, decimals: 1}\n",
        "total:\n  method: expression\n  expression: risk + volume\n",
    )
    rules = load_rules(project / "rules.yaml")
    assert list(rules.derived) == ["harm", "risk"]
    assert rules.derived["harm"].name == "Harm" and rules.derived["harm"].decimals == 1
    assert rules.derived["risk"].decimals == 2 and rules.derived["risk"].expression.names == {"harm"}


def test_an_unknown_name_gets_did_you_mean(project: Path):
    with_derived(project, "  harm: {expression: concern + trnd}\n")
    assert problems(project) == [
        "rules.yaml:19:22: derived.harm.expression: unknown name `trnd` (at character 11)\n"
        "    hint: did you mean `trend`?"
    ]


def test_a_loop_between_derived_values_is_named_whole(project: Path):
    with_derived(project, "  a: {expression: b + 1}\n  b: {expression: c * 2}\n  c: {expression: a - concern}\n")
    found = problems(project)
    assert len(found) == 1
    assert "derived values use each other in a loop: " in found[0]
    loop = found[0].split("loop: ")[1].splitlines()[0].split(" -> ")
    assert loop[0] == loop[-1] and set(loop) == {"a", "b", "c"}


def test_a_value_cannot_use_itself(project: Path):
    with_derived(project, "  harm: {expression: harm + 1}\n")
    assert problems(project)[0].startswith("rules.yaml:19:22: derived.harm.expression: unknown name `harm`")


def test_a_derived_value_cannot_take_a_criterions_id(project: Path):
    with_derived(project, "  trend: {expression: concern * 2}\n")
    assert problems(project) == [
        "rules.yaml:19:3: derived.trend: `trend` is already a criterion's id\n    hint: give it another name"
    ]
