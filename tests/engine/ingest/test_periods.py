"""engine.ingest.periods: ranges of months, labelled periods, overlaps and order; bad ranges fail at once."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.errors import InputError
from engine.ingest.periods import build, labels_sort_as_time, months


def test_a_range_of_months_crosses_the_year():
    assert months("2023-11:2024-02", "--current") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert months("2024-03", "--current") == ["2024-03"]


@pytest.mark.parametrize(
    ("spec", "hint"),
    [
        ("9999-12:9999-12", "9999 is not a year from 2000 to 2100; write FIRST:LAST as YYYY-MM:YYYY-MM"),
        ("2024-13:2024-01", "write FIRST:LAST as YYYY-MM:YYYY-MM, e.g. 2024-03:2024-04"),
        ("2024-04:2024-01", "2024-04 is after 2024-01: write the first month first"),
        ("٢٠٢٤-٠١:٢٠٢٤-٠٢", "write FIRST:LAST as YYYY-MM:YYYY-MM, e.g. 2024-03:2024-04"),  # Arabic-Indic digits
        ("２０２４-０１", "write FIRST:LAST as YYYY-MM:YYYY-MM, e.g. 2024-03:2024-04"),  # full-width digits
        ("2024-3", "write FIRST:LAST as YYYY-MM:YYYY-MM, e.g. 2024-03:2024-04"),
        ("", "write FIRST:LAST as YYYY-MM:YYYY-MM, e.g. 2024-03:2024-04"),
    ],
)
def test_a_bad_range_is_a_clean_error(spec, hint):
    with pytest.raises(InputError) as caught:
        months(spec, "--current")
    assert str(caught.value) == f"--current:1:1: `{spec}` is not a period of months\n    hint: {hint}"


@given(st.text(max_size=20))
def test_any_text_is_a_period_or_an_error_never_a_hang(text):
    try:
        found = months(text, "--period[1]")
    except InputError:
        return
    assert 1 <= len(found) <= 101 * 12


def test_periods_are_put_in_time_order_and_labelled():
    found = build("2024-03:2024-04", "2024-01:2024-02", ["2023=2023-01:2023-12"])
    assert [p.label for p in found] == ["2023", "2024-01 to 2024-02", "2024-03 to 2024-04"]
    assert [p.option for p in found] == ["--period[1]", "--previous", "--current"]


def test_overlapping_periods_are_an_error():
    with pytest.raises(InputError) as caught:
        build(None, None, ["2018=2018-01:2018-12", "2018-19=2018-04:2019-03"])
    assert str(caught.value) == (
        "--period[2]:1:1: period `2018-19` (2018-04 to 2019-03) overlaps period `2018` (2018-01 to 2018-12, "
        "--period[1]): 2018-04 to 2018-12 would count twice\n"
        "    hint: each month may be in one period only"
    )


def test_current_must_be_the_latest_and_labels_unique():
    with pytest.raises(InputError) as caught:
        build("2017-01:2017-12", None, ["2018=2018-01:2018-12", "2018=2019-01:2019-12"])
    assert [str(p).split("\n")[0] for p in caught.value.problems] == [
        "--current:1:1: --current (2017-01 to 2017-12) must be the latest period, but `2018` (2019-01 to 2019-12, "
        "--period[2]) is",
        "--period[2]:1:1: period label `2018` is also --period[1]",
    ]


def test_a_bad_label():
    with pytest.raises(InputError) as caught:
        build(None, None, ["=2018-01:2018-12"])
    assert str(caught.value).startswith("--period[1]:1:1: `` is not a period label")


def test_labels_that_do_not_sort_as_time():
    assert labels_sort_as_time(build(None, None, ["2017=2017-01:2017-12", "2018=2018-01:2018-12"]))
    assert not labels_sort_as_time(build(None, None, ["last year=2017-01:2017-12", "this year=2018-01:2018-12"]))
