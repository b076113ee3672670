"""engine.load.model: the small behaviours of the typed rule set."""

from __future__ import annotations

from decimal import Decimal

from engine.load.model import COMBINE, METRICS, Band, Total
from engine.load.rules import load_rules
from tests.conftest import DEFAULT_RULES


def test_band_labels_use_the_rule_files_words():
    assert Band(0, 1, Decimal(5), True, Decimal(10), False).label == "from 5 below 10"
    assert Band(0, 1, Decimal(0), False, None, False).label == "above 0"
    assert Band(0, 1, None, False, Decimal("2.5"), True).label == "to 2.5"
    assert Band(0, 1, None, False, None, False).label == "any value"


def test_total_descriptions():
    assert Total().describe() == "sum of the criterion scores"
    assert Total("weighted_sum", {"a": Decimal(2), "b": Decimal("0.5")}).describe() == "weighted sum: 2 x a + 0.5 x b"


def test_every_metric_has_a_formula_range_and_combine_rule():
    assert set(METRICS) == set(COMBINE)
    for formula, low, high in METRICS.values():
        assert formula and (low is None or high is None or low <= high)


def test_meaning_of_a_score():
    rules = load_rules(DEFAULT_RULES)
    assert rules.meaning(3) == "Slight impact/problem"
    assert rules.meaning(2) == ""
