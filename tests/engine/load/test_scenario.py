"""engine.load.scenario: scenario files, checked like rule files, with positions in the scenario file."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import InputError
from engine.load.rules import load_rules
from engine.load.scenario import load_scenario
from tests.conftest import DEFAULT_RULES, ROOT


def test_bundled_scenarios_load_and_apply():
    for path in sorted((ROOT / "rules" / "scenarios").glob("*.yaml")):
        scenario = load_scenario(path)
        assert scenario.base == DEFAULT_RULES.resolve()
        assert load_rules(scenario.base, scenario.settings).changes


def test_problems_are_located_in_the_scenario_file(tmp_path: Path):
    path = tmp_path / "s.yaml"
    path.write_text(
        f"scenario: Bad\nbase: {DEFAULT_RULES}\nset:\n  priority.cutoff: twenty\n  criteria.trend.bands[3].frm: 15\n"
    )
    scenario = load_scenario(path)
    with pytest.raises(InputError) as caught:
        load_rules(scenario.base, scenario.settings)
    assert [str(p) for p in caught.value.problems] == [
        f'{scenario.display}:4:20: priority.cutoff: must be a number, not the text "twenty"\n'
        "    hint: write the number without quotes, units or thousands separators",
        f"{scenario.display}:5:32: criteria.trend.bands[3].frm: unknown key `frm`\n    hint: did you mean `from`?",
    ]


def test_scenario_file_shape(tmp_path: Path):
    path = tmp_path / "s.yaml"
    path.write_text("scenario: X\nsett:\n  priority.cutoff: 1\nbase: nowhere.yaml\n")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    messages = [p.message for p in caught.value.problems]
    assert messages == ["missing required key `set`", "unknown key `sett`"]
