"""engine.load.datasets: reading CSVs against their shape, and checking rules against the data."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from engine.errors import InputError
from engine.load.datasets import read_dataset
from engine.load.model import DatasetRef
from engine.load.schema import load_schema
from tests.conftest import ROOT


def ref(path: Path, shape: str = "crime_counts") -> DatasetRef:
    return DatasetRef("crime", path, path.name, shape)


def problems(path: Path, shape: str = "crime_counts") -> list[str]:
    with pytest.raises(InputError) as caught:
        read_dataset(ref(path, shape))
    return [str(p) for p in caught.value.problems]


def test_bundled_table_3_is_typed_with_line_numbers():
    dataset = read_dataset(ref(ROOT / "datasets/sevenoaks-2020/crime-figures.csv"))
    frame = dataset.frame
    assert len(frame) == 14 and list(frame["row"])[:2] == [2, 3]
    asb = frame[frame["category"] == "Anti-Social Behaviour"].iloc[0]
    assert (int(asb["previous"]), int(asb["current"]), int(asb["county_position"])) == (1511, 2241, 2)
    assert asb["published_percent_change"] == "48.3"  # kept as printed
    assert len(dataset.sha256) == 64


def test_bundled_rows_satisfy_the_json_schema_itself():
    """The column checks implement the row schema: jsonschema agrees on every bundled row."""
    for shape, file in [("crime_counts", "crime-figures.csv"), ("population", "population.csv")]:
        frame = read_dataset(ref(ROOT / "datasets/sevenoaks-2020" / file, shape)).frame
        validator = jsonschema.Draft202012Validator(load_schema(shape))
        for record in frame.drop(columns=["row"]).to_dict("records"):
            row = {
                k: (
                    None
                    if v is None or v != v
                    else int(v)
                    if k in ("previous", "current", "county_position", "population")
                    else v
                )
                for k, v in record.items()
            }
            assert not list(validator.iter_errors(row)), row


def test_quoted_cells_spanning_lines_keep_true_line_numbers(tmp_path: Path):
    path = tmp_path / "c.csv"
    path.write_text('area,category,previous,current,note\nA,"two\nlines",1,2,x\nA,B,x,2,\n')
    assert problems(path) == ["c.csv:4:3: previous: `x` is not a number\n    hint: write digits only, e.g. 1511"]


def test_every_problem_in_a_file_is_reported_up_to_a_limit(tmp_path: Path):
    path = tmp_path / "c.csv"
    path.write_text("area,category,previous,current\n" + "".join(f"A,C{i},x,y\n" for i in range(40)))
    found = problems(path)
    assert len(found) == 51 and found[-1] == "c.csv:27:0: ... and 30 more problems in this file"


def test_header_only_file_is_an_empty_dataset(tmp_path: Path):
    path = tmp_path / "c.csv"
    path.write_text("area,category,previous,current\n")
    assert len(read_dataset(ref(path)).frame) == 0


def test_duplicate_column(tmp_path: Path):
    path = tmp_path / "c.csv"
    path.write_text("area,category,previous,current,current\nA,B,1,2,3\n")
    assert problems(path) == ["c.csv:1:5: current: column `current` appears twice (first as column 4)"]


def test_huge_number(tmp_path: Path):
    path = tmp_path / "c.csv"
    path.write_text("area,category,previous,current\nA,B,99999999999999999999,2\nA,C,1,2000000000\n")
    assert problems(path) == [
        "c.csv:2:3: previous: `99999999999999999999` is too large",
        "c.csv:3:4: current: 2000000000 is too large (the largest allowed is 1,000,000,000)",
    ]


def test_rows_with_a_blank_area_are_not_also_reported_as_duplicates(project):
    """Found by the fuzzer: two rows whose area cell is blank crashed the duplicate check."""
    from engine.errors import InputError
    from engine.pipeline import load

    crime = project / "data" / "crime.csv"
    lines = crime.read_text().splitlines()
    blank = [",".join([""] + lines[1].split(",")[1:])] * 2  # the same category twice, area blank
    crime.write_text("\n".join([lines[0], *blank, *lines[2:]]) + "\n")
    with pytest.raises(InputError) as caught:
        load(project / "rules.yaml")
    messages = [p.message for p in caught.value.problems]
    assert messages == ["empty cell: a value is needed here"] * 2


def test_a_declared_measure_is_held_exactly_and_a_blank_cell_is_missing(tmp_path: Path):
    path = tmp_path / "survey.csv"
    path.write_text("area,category,current,pct_worried\nA,x,1,23.5\nA,y,2,-4\nA,z,3,\nA,w,4,0.000001\n")
    dataset = read_dataset(ref(path), ["pct_worried"])
    assert list(dataset.measures["pct_worried"].astype(object)) == [23_500_000, -4_000_000, pd.NA, 1]
    shown = [None if pd.isna(cell) else cell for cell in dataset.frame["pct_worried"]]
    assert shown == ["23.5", "-4", None, "0.000001"]  # shown as written


def test_an_undeclared_column_says_to_declare_it(tmp_path: Path):
    path = tmp_path / "survey.csv"
    path.write_text("area,category,current,pct_worried\nA,x,1,23.5\n")
    assert problems(path) == [
        "survey.csv:1:4: pct_worried: unknown column `pct_worried`\n"
        "    hint: declare it under `measures:` in the rule file"
    ]
    with pytest.raises(InputError) as caught:
        read_dataset(ref(path), ["pct_worry"])
    assert [str(p) for p in caught.value.problems] == [
        "survey.csv:1:4: pct_worried: unknown column `pct_worried`\n    hint: did you mean `pct_worry`?"
    ]


def test_a_measure_cell_must_be_a_plain_decimal(tmp_path: Path):
    path = tmp_path / "survey.csv"
    path.write_text('area,category,current,m\nA,a,1,"1,234.5"\nA,b,1,23.5%\nA,c,1,0.1234567\nA,d,1,1000000001\n')
    with pytest.raises(InputError) as caught:
        read_dataset(ref(path), ["m"])
    assert [str(p) for p in caught.value.problems] == [
        "survey.csv:2:4: m: `1,234.5` is not a plain number\n    hint: remove the thousands separators",
        "survey.csv:3:4: m: `23.5%` is not a number\n"
        "    hint: write a decimal number, e.g. 23.5 (no % sign), or leave the cell blank",
        "survey.csv:4:4: m: `0.1234567` has more than 6 decimal places",
        "survey.csv:5:4: m: `1000000001` is too large (the largest allowed is 1,000,000,000)",
    ]
