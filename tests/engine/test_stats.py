"""engine.stats: the Poisson test of a change in counts, against textbook figures."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.stats import poisson_p, poisson_z, two_sided_p


@pytest.mark.parametrize(
    ("previous", "current", "z", "p"),
    [
        (2, 3, 0.6357, 0.5250),  # "+50 %" on small counts: no evidence of a change
        (400, 460, 2.8952, 0.0038),  # only +15 %, but far beyond chance
        (100, 100, 0.0, 1.0),
        (0, 4, 4.0, 0.0001),  # from nothing: z = 2 sqrt(4)
        (121, 100, -2.0, 0.0455),  # a fall is as significant as a rise of the same size
    ],
)
def test_textbook_figures(previous, current, z, p):
    assert float(poisson_z([previous], [current])[0]) == pytest.approx(z, abs=5e-5)
    assert float(poisson_p([previous], [current])[0]) == pytest.approx(p, abs=5e-5)


def test_the_5_percent_threshold_is_z_1_96():
    assert float(two_sided_p([1.959963984540054])[0]) == pytest.approx(0.05, abs=1e-12)


def test_missing_or_negative_counts_have_no_value():
    z = poisson_z([float("nan"), -1, 4], [4, 4, float("nan")])
    assert all(math.isnan(v) for v in z)
    assert all(math.isnan(v) for v in poisson_p([float("nan")], [3]))


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_p_is_a_probability_and_symmetric(previous, current):
    p = float(poisson_p([previous], [current])[0])
    assert 0.0 <= p <= 1.0
    assert p == float(poisson_p([current], [previous])[0])
    assert float(poisson_z([previous], [current])[0]) == -float(poisson_z([current], [previous])[0])
