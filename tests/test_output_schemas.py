"""Every JSON output validates against its schema in schemas/output/, and keeps its numbers exact.

The bundled assessments (every area of those with several), a national-shaped one, a draft, what-if, compare,
sweep and reconcile outputs are each parsed with numbers as decimals and validated; a property test checks
that the exact-number encoder writes what it is given, digit for digit.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

import cli
from engine.jsontext import dumps, line, number_text
from engine.paths import output_schema_path

from .conftest import ROOT
from .national import write_county

SCHEMAS = ("score", "provenance", "comparisons", "sweep", "reconcile", "ingest-provenance")
RULES = sorted(p for p in [*ROOT.glob("rules/*.yaml"), *ROOT.glob("rules/examples/*.yaml")] if ".tests." not in p.name)


def schema(name: str) -> dict:
    return json.loads(output_schema_path(name).read_text(encoding="utf-8"))


def validator(name: str) -> Draft202012Validator:
    registry: Registry = Registry().with_resources(
        (f"https://cspscore.example/schemas/output/{n}.schema.json", Resource.from_contents(schema(n))) for n in SCHEMAS
    )
    return Draft202012Validator(schema(name), registry=registry)


def valid(name: str, text: str) -> dict:
    document = json.loads(text, parse_float=Decimal)
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    return document


def run(*args: str) -> str:
    result = CliRunner().invoke(cli.main, list(args))
    assert result.exit_code in (0, 4), result.output
    return result.stdout


@pytest.mark.parametrize("name", SCHEMAS)
def test_each_schema_is_a_valid_schema_with_an_id_and_a_title(name: str):
    found = schema(name)
    Draft202012Validator.check_schema(found)
    assert found["$id"].endswith(f"/output/{name}.schema.json")
    assert found["title"] and found["description"]
    if name != "provenance":
        assert "Exact-number rule" in found["description"]


def test_the_schemas_are_shipped_with_the_package():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"engine._bundled.schemas.output" = "schemas/output"' in pyproject
    assert '"engine._bundled.schemas.output" = ["*.json"]' in pyproject


@pytest.mark.parametrize("rules", RULES, ids=lambda p: p.stem)
def test_every_bundled_assessment_validates(rules: Path):
    args = ["score", str(rules.relative_to(ROOT)), "--format", "json"]
    result = CliRunner().invoke(cli.main, args + (["--area", "all"] if "kent" in rules.stem else []))
    if result.exit_code == 1:  # a rule file deliberately incomplete is not a result
        pytest.skip(result.stderr.splitlines()[0])
    assert result.exit_code == 0, result.output
    document = valid("score", result.stdout)
    for block in document["areas"]:
        for row in block["scores"]:
            assert isinstance(row["priority"], bool) or row["priority"] is None
            assert row["priority"] == (row["issue_id"] in block["priorities"])


def test_a_national_result_validates(tmp_path: Path, monkeypatch):
    write_county(tmp_path, areas=30, issues=10)
    monkeypatch.chdir(tmp_path)
    document = valid("score", run("score", "rules.yaml", "--area", "all", "--format", "json"))
    assert len(document["areas"]) == 30


def test_a_draft_validates_with_its_ranges(tmp_path: Path):
    out = tmp_path / "draft"
    result = CliRunner().invoke(cli.main, ["init", "Sevenoaks", "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = valid("score", run("score", str(out / "rules.yaml"), "--format", "json"))
    rows = document["areas"][0]["scores"]
    pending = [r for r in rows if r["total"] is None]
    assert pending and all(r["total_range"][0] <= r["total_range"][1] for r in pending)
    assert all(r["total_range"] is None for r in rows if r["total"] is not None)


def test_values_keep_their_declared_places_and_source_rows_are_data():
    text = run("score", "rules/sevenoaks-2020.yaml", "--format", "json")
    assert re.search(r'"criterion_id": "volume", .*"value": 12\.10, ', text)  # 2 places: 12.10, not 12.1
    assert '"total": 28, "rank": 1, "priority": true, "over_max_priorities": false, "margin": 8}' in text
    document = json.loads(text)
    entry = next(e for e in document["areas"][0]["audit"] if e.get("source_rows"))
    assert entry["source_rows"][0] == {"file": "../datasets/sevenoaks-2020/crime-figures.csv", "rows": [4, 5, 13, 14]}
    assert '""' not in "".join(line(row) for row in document["areas"][0]["scores"])


def test_whatif_and_compare_validate_with_structured_changes():
    document = valid(
        "comparisons", run("whatif", "--set", "criteria.trend.bands[3].from=15", "--cutoff", "26", "--format", "json")
    )
    assert document["variants"][0]["changes"] == [
        {"path": "criteria.trend.bands[3].from", "before": 10, "after": 15, "linked": False},
        {"path": "criteria.trend.bands[2].below", "before": 10, "after": 15, "linked": True},
        {"path": "priority.cutoff", "before": 20, "after": 26, "linked": False},
    ]
    issue = document["variants"][0]["issues"][0]
    assert isinstance(issue["changed"], bool) and isinstance(issue["priority_after"], bool)
    scenarios = ["-s", "rules/scenarios/trend-15.yaml", "-s", "rules/scenarios/cutoff-26.yaml"]
    assert len(valid("comparisons", run("whatif", *scenarios, "--format", "json"))["variants"]) == 2
    valid("comparisons", run("compare", "rules/sevenoaks-2019.yaml", "rules/sevenoaks-2020.yaml", "--format", "json"))


def test_sweep_and_reconcile_validate():
    document = valid("sweep", run("sweep", "--vary", "priority.cutoff=18:28:1", "--format", "json"))
    assert document["issues"][0]["runs"][0] == {"priority": True, "from": 18, "to": 28}
    valid(
        "sweep",
        run(
            "sweep",
            "--vary",
            "priority.cutoff=18:28:2",
            "--vary",
            "criteria.trend.bands[3].from=5:15:5",
            "--format",
            "json",
        ),
    )
    found = valid(
        "reconcile",
        run("reconcile", "--published", "datasets/sevenoaks-2020/published-score-boxes.csv", "--format", "json"),
    )
    assert found["agrees"] is False and all(isinstance(d["line"], int) for d in found["differences"])


exact = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=6, allow_nan=False) | st.integers(
    -(10**12), 10**12
)


@given(
    st.recursive(
        exact | st.booleans() | st.none() | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    )
)
def test_the_encoder_writes_what_it_is_given_digit_for_digit(value):
    for text in (dumps(value), line(value)):
        assert json.loads(text, parse_float=Decimal) == value
    if isinstance(value, Decimal):
        assert dumps(value) == number_text(value) and "e" not in dumps(value).lower()
        assert Decimal(dumps(value)).as_tuple().exponent == min(value.as_tuple().exponent, 0) or value == 0


SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="needs ../shared/data")
@pytest.mark.parametrize(
    "command",
    [
        [
            "police-uk",
            str(SHARED_DATA / "police-uk-2018-19-dorset-suffolk-south-wales"),
            "--period",
            "2018-Q4=2018-10:2018-12",
            "--period",
            "2019-Q1=2019-01:2019-02",
            "--map",
            "Christchurch=Bournemouth",  # a declaration the test makes: Christchurch lies in two partnerships today
            "--population-for",
            "Waveney=116000",  # a declaration the test makes, not a published figure
        ],
        [
            "police-uk",
            str(SHARED_DATA / "police-uk-kent-2024"),
            "--current",
            "2024-03:2024-04",
            "--previous",
            "2024-01:2024-02",
        ],
        ["ons-csp", str(SHARED_DATA / "ons" / "recorded-crime-by-csp-ye-june-2025-table-c2.csv"), "--force", "Kent"],
    ],
    ids=["police-uk three forces", "police-uk kent", "ons-csp"],
)
def test_every_ingest_provenance_validates(command: list[str], tmp_path: Path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.main, ["ingest", *command, "--out", str(out)], prog_name="cspscore")
    assert result.exit_code == 0, result.output
    found = valid("ingest-provenance", (out / "provenance.json").read_text(encoding="utf-8"))
    assert found["source"] in (
        "police.uk street-level crime",
        "ONS police recorded crime by Community Safety Partnership, Table C2",
    )
