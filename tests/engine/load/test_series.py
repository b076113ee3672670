"""engine.load.series (through engine.load.datasets): reading a crime_series, its period order, its problems."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from engine.errors import InputError
from engine.load.datasets import read_dataset
from engine.load.model import DatasetRef
from engine.load.series import count_column, row_column
from tests.helpers import SERIES


def series(tmp_path: Path, text: str, periods: tuple[str, ...] = ()):
    path = tmp_path / "series.csv"
    path.write_text(text, encoding="utf-8")
    return read_dataset(DatasetRef("series", path, "series.csv", "crime_series", periods=periods))


def problems(tmp_path: Path, text: str, periods: tuple[str, ...] = ()) -> list[str]:
    with pytest.raises(InputError) as caught:
        series(tmp_path, text, periods)
    return [str(p) for p in caught.value.problems]


def test_a_series_is_read_by_area_and_category_with_the_latest_period_as_current(tmp_path: Path):
    dataset = series(tmp_path, SERIES)
    assert dataset.periods == ("2021-22", "2022-23", "2023-24")
    assert len(dataset.frame) == 9 and list(dataset.frame["row"])[:2] == [2, 3]  # the file's rows, as read
    counts = dataset.counts
    assert list(counts["category"]) == ["Anti-social behaviour", "Burglary residential", "Burglary business"]
    asb = counts.iloc[0]
    assert (asb["previous"], asb["current"], asb["row"]) == (1000, 1150, 4)
    assert [asb[count_column(k)] for k in range(3)] == [1150, 1000, 900]
    assert [asb[row_column(k)] for k in range(3)] == [4, 3, 2]


def test_declared_periods_give_the_order_text_cannot(tmp_path: Path):
    text = "area,category,period,count\nA,B,Q1 2024,5\nA,B,Q4 2023,3\nA,C,Q1 2024,7\n"
    dataset = series(tmp_path, text, ("Q4 2023", "Q1 2024"))
    assert dataset.periods == ("Q4 2023", "Q1 2024")
    b, c = dataset.counts.iloc[0], dataset.counts.iloc[1]
    assert (b["previous"], b["current"]) == (3, 5)
    assert pd.isna(c["previous"]) and c["current"] == 7 and c[row_column(1)] == 0  # no row for Q4 2023


def test_a_declared_period_the_file_lacks_is_a_period_without_rows(tmp_path: Path):
    dataset = series(tmp_path, "area,category,period,count\nA,B,2022,5\n", ("2022", "2023"))
    assert dataset.periods == ("2022", "2023")
    assert pd.isna(dataset.counts.iloc[0]["current"]) and dataset.counts.iloc[0]["row"] == 0


def test_a_blank_count_is_missing(tmp_path: Path):
    dataset = series(tmp_path, SERIES.replace("2022-23,1000", "2022-23,"))
    assert pd.isna(dataset.counts.iloc[0]["previous"]) and dataset.counts.iloc[0][row_column(1)] == 3


def test_every_problem_of_a_series_at_once(tmp_path: Path):
    text = (
        "area,category,period,count,note\n"
        "A,Burglary,2021-22,5,\n"
        "A,Burglary,2022/23,-1,\n"
        "A,Burglary,,4,\n"
        "A,Burglary,2021-22,6,copied twice\n"
        "A,Robbery,2023,1.5,\n"
    )
    assert problems(tmp_path, text) == [
        "series.csv:3:3: period: `2022/23` is written differently from `2021-22` (line 2), so the periods cannot be "
        "put in order as text\n"
        "    hint: declare their order in the rule file, oldest first: under datasets.series, "
        "`periods: [2021-22, 2022/23, 2023]`",
        "series.csv:3:4: count: -1 is too small: counts cannot be negative",
        "series.csv:4:3: period: empty cell: a value is needed here",
        "series.csv:5:1: duplicate row for A / Burglary / 2021-22 (first on line 2)",
        "series.csv:6:3: period: `2023` is written differently from `2021-22` (line 2), so the periods cannot be "
        "put in order as text\n"
        "    hint: declare their order in the rule file, oldest first: under datasets.series, "
        "`periods: [2021-22, 2022/23, 2023]`",
        "series.csv:6:4: count: `1.5` is not a whole number",
    ]


def test_a_period_the_rule_file_does_not_declare_is_an_error_never_dropped(tmp_path: Path):
    text = "area,category,period,count\nA,B,2021-22,1\nA,B,2022-23,2\nA,C,2022-23,3\nA,B,2020-21,4\n"
    assert problems(tmp_path, text, ("2020-21", "2021-22", "2022-32")) == [
        "series.csv:3:3: period: period `2022-23` is not among the periods declared for datasets.series "
        "(2 rows; this is the first)\n"
        "    hint: did you mean `2022-32`?",
    ]
    assert problems(tmp_path, text, ("2019", "2020")) == [
        "series.csv:2:3: period: period `2021-22` is not among the periods declared for datasets.series\n"
        "    hint: declared: 2019, 2020; if the file is right, add it to `periods:` (oldest first)",
        "series.csv:3:3: period: period `2022-23` is not among the periods declared for datasets.series "
        "(2 rows; this is the first)\n"
        "    hint: declared: 2019, 2020; if the file is right, add it to `periods:` (oldest first)",
        "series.csv:5:3: period: period `2020-21` is not among the periods declared for datasets.series\n"
        "    hint: did you mean `2020`?",
    ]


def test_a_series_has_its_own_columns(tmp_path: Path):
    assert problems(tmp_path, "area,category,period,counts,previous\nA,B,2021,1,2\n") == [
        "series.csv:1:1: count: missing column `count`\n    hint: did you mean `counts`?",
        "series.csv:1:4: counts: unknown column `counts`\n    hint: did you mean `count`?",
        "series.csv:1:5: previous: unknown column `previous`\n"
        "    hint: columns of a crime_series dataset: area, category, period, count, note",
    ]


def test_a_series_with_a_header_only_has_no_periods_and_no_rows(tmp_path: Path):
    dataset = series(tmp_path, "area,category,period,count\n")
    assert dataset.periods == () and len(dataset.counts) == 0
    assert {"previous", "current", "row"} <= set(dataset.counts.columns)
