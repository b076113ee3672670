"""engine.numbers: exact half-away-from-zero rounding of ratios and floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from engine.numbers import plural, round_float, round_ratio


def test_halves_round_away_from_zero_like_excel():
    units, defined = round_ratio(np.array([1495, -225, 25, 0]), np.array([100, 100, 10, 7]), 1)
    assert units.tolist() == [150, -23, 25, 0]  # 14.95 -> 15.0, -2.25 -> -2.3, 2.5 -> 2.5
    assert defined.all()


def test_fifteen_percent_is_exactly_fifteen():
    # (115 - 100) / 100 * 100 is 15.000000000000002 in floats; here it is exactly 150 tenths.
    units, _ = round_ratio(np.array([(115 - 100) * 100]), np.array([100]), 1)
    assert units.tolist() == [150]


def test_zero_denominator_is_undefined():
    units, defined = round_ratio(np.array([5, 5]), np.array([0, 5]), 2)
    assert defined.tolist() == [False, True] and units.tolist() == [0, 100]


def test_huge_values_fall_back_to_exact_integers():
    units, defined = round_ratio(np.array([10**17]), np.array([3]), 6)
    assert int(units[0]) == (10**23 * 2 + 3) // 6 and defined.all()


def test_float_noise_cannot_decide_a_band():
    units, _ = round_float(np.array([14.949999999999999, 0.1 + 0.2, -2.2500000000000004]), 1)
    assert units.tolist() == [150, 3, -23]


def test_non_finite_floats_are_undefined():
    _, defined = round_float(np.array([np.nan, np.inf, 1.0]), 2)
    assert defined.tolist() == [False, False, True]


@given(
    st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=20),
    st.integers(1, 10**9),
    st.integers(0, 6),
)
def test_matches_decimal_rounding(numerators, denominator, places):
    units, _ = round_ratio(np.array(numerators), np.array([denominator] * len(numerators)), places)
    for n, u in zip(numerators, units.tolist(), strict=True):
        exact = Decimal(Fraction(n, denominator).numerator) / Decimal(Fraction(n, denominator).denominator)
        sign = -1 if n < 0 else 1
        expected = sign * (abs(Fraction(n, denominator)) * 10**places + Fraction(1, 2)).__floor__()
        assert u == expected, (n, denominator, places, exact)
    assert Decimal("2.5").quantize(Decimal(1), rounding=ROUND_HALF_UP) == 3


def test_plural_agrees_with_the_count():
    assert [plural(n, "criterion", "criteria") for n in (0, 1, 2)] == ["0 criteria", "1 criterion", "2 criteria"]
    assert [plural(n, "issue") for n in (0, 1, 7)] == ["0 issues", "1 issue", "7 issues"]
