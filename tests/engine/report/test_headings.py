"""engine.report.headings: dataset column ids as readers' headings."""

from __future__ import annotations

import pytest

from engine.report.headings import heading


@pytest.mark.parametrize(
    "column, shown",
    [
        ("previous", "Previous year"),
        ("current", "Current year"),
        ("county_position", "County position"),
        ("category", "Category"),
        ("published_change", "Published change"),
        ("published_percent_change", "Published % change"),
        ("published_rate_per_1000", "Published rate per 1,000"),
        ("2021-22", "2021 22"),
        ("x", "X"),
    ],
)
def test_heading(column, shown):
    assert heading(column) == shown
