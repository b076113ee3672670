"""engine.load.bands: unit conversion, coverage (gaps and overlaps) and banding of whole columns."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from engine.load.bands import band_index, coverage_problems, from_units, to_units, unit_range
from engine.load.model import Band

D = Decimal


def band(i, score, lower=None, lower_inclusive=True, upper=None, upper_inclusive=False):
    return Band(
        i,
        score,
        None if lower is None else D(lower),
        lower_inclusive,
        None if upper is None else D(upper),
        upper_inclusive,
    )


TREND = [
    band(0, 0, upper="0", upper_inclusive=True),
    band(1, 1, lower="0", lower_inclusive=False, upper="5"),
    band(2, 3, lower="5", upper="10"),
    band(3, 5, lower="10"),
]


def test_units():
    assert to_units(D("14.9"), 1) == 149
    assert to_units(D("14.95"), 1) is None
    assert str(from_units(-185, 1)) == "-18.5"


def test_unit_ranges_follow_inclusive_and_exclusive_edges():
    ranges = [unit_range(b, 1) for b in TREND]
    assert [(r.low, r.high) for r in ranges] == [(None, 0), (1, 49), (50, 99), (100, None)]


def test_complete_table_has_no_problems():
    ranges = [unit_range(b, 1) for b in TREND]
    assert coverage_problems(ranges, 1, (D(-100), None), "value") == []


def test_gap_overlap_and_uncovered_ends():
    ranges = [
        unit_range(b, 0)
        for b in [
            band(0, 1, lower="1", upper="4", upper_inclusive=True),
            band(1, 3, lower="6", upper="9"),
            band(2, 5, lower="8", upper="20"),
        ]
    ]
    found = [(p.index, p.message) for p in coverage_problems(ranges, 0, (D(0), None), "county position")]
    assert found == [
        (0, "no band covers values from 0 to 0"),
        (1, "no band covers values from 5 to 5"),
        (2, "overlaps bands[1]: both cover the value 8"),
        (2, "no band covers values above 19"),
    ]


def test_bands_outside_the_domain_are_ignored_for_coverage():
    ranges = [unit_range(b, 0) for b in [band(0, 0, upper="0"), band(1, 1, lower="1")]]
    assert coverage_problems(ranges, 0, (D(1), None), "position") == []


def test_bands_without_a_lower_edge_overlap_when_the_metric_has_no_lowest_value():
    # An expression's values have no lower end, so two bands with no lower edge both reach down forever.
    ranges = [unit_range(b, 1) for b in [band(0, 0, upper="0"), band(1, 1, upper="5"), band(2, 3, lower="5")]]
    found = [(p.index, p.message) for p in coverage_problems(ranges, 1, (None, None), "value")]
    assert found == [(1, "overlaps bands[0]: both cover values below 0.0")]


def test_two_bands_covering_every_value_overlap_everywhere():
    ranges = [unit_range(b, 0) for b in [band(0, 0), band(1, 1)]]
    found = [(p.index, p.message) for p in coverage_problems(ranges, 0, (None, None), "value")]
    assert found == [(1, "overlaps bands[0]: both cover any value")]


def test_banding_whole_columns():
    ranges = [unit_range(b, 1) for b in TREND]
    values = np.array([-1000, -185, 0, 1, 49, 50, 99, 100, 483, 10**9])
    assert band_index(values, ranges).tolist() == [0, 0, 0, 1, 1, 2, 2, 3, 3, 3]


def test_banding_big_integers():
    ranges = [unit_range(b, 1) for b in TREND]
    values = np.array([10**30, -(10**30), 50], dtype=object)
    assert band_index(values, ranges).tolist() == [3, 0, 2]


edges = st.lists(st.integers(-1000, 1000), min_size=1, max_size=6, unique=True).map(sorted)


@given(edges, st.data())
def test_monotone_tables_never_score_a_higher_value_lower(cuts, data):
    scores = sorted(data.draw(st.lists(st.integers(0, 10), min_size=len(cuts) + 1, max_size=len(cuts) + 1)))
    bands = [band(0, scores[0], upper=str(cuts[0]))]
    bands += [band(i + 1, scores[i + 1], lower=str(cuts[i]), upper=str(cuts[i + 1])) for i in range(len(cuts) - 1)]
    bands.append(band(len(cuts), scores[-1], lower=str(cuts[-1])))
    ranges = [unit_range(b, 0) for b in bands]
    assert coverage_problems(ranges, 0, (None, None), "value") == []
    values = np.array(sorted(data.draw(st.lists(st.integers(-2000, 2000), min_size=1, max_size=50))))
    found = band_index(values, ranges)
    assert (found >= 0).all()
    given_scores = np.array([bands[i].score for i in found])
    assert (np.diff(given_scores) >= 0).all()
    for value, i in zip(values.tolist(), found.tolist(), strict=True):
        r = ranges[i]
        assert (r.low is None or value >= r.low) and (r.high is None or value <= r.high)


def fixes_of(bands):
    ranges = [unit_range(b, 1) for b in bands]
    return [[(f.index, f.key, str(f.value)) for f in p.fixes] for p in coverage_problems(ranges, 1, (None, None), "x")]


def test_a_gap_names_the_two_edges_that_would_close_it_keeping_each_edge_kind():
    # to 0 | from 12: either the upper band starts at 0.1, or the lower one ends at 11.9.
    assert fixes_of([band(0, 0, upper="0", upper_inclusive=True), band(1, 1, lower="12")]) == [
        [(1, "from", "0.1"), (0, "to", "11.9")]
    ]
    # below 10 | above 12: `above` 9.9 starts at 10.0; `below` 12.1 ends at 12.0.
    assert fixes_of([band(0, 0, upper="10"), band(1, 1, lower="12", lower_inclusive=False)]) == [
        [(1, "above", "9.9"), (0, "below", "12.1")]
    ]


def test_an_overlap_names_the_two_edges_that_would_end_it():
    assert fixes_of([band(0, 0, upper="15"), band(1, 1, lower="14")]) == [[(1, "from", "15.0"), (0, "below", "14.0")]]


def test_no_edge_is_named_when_both_bands_are_open_below():
    assert fixes_of([band(0, 0, upper="5"), band(1, 1, upper="10"), band(2, 3, lower="10")])[0] == []
