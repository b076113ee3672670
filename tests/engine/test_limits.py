"""The one number policy (engine/limits.py): table-driven, and a property test through the command line."""

from __future__ import annotations

import shutil
import signal
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cli
from engine.errors import HintedError
from engine.limits import HINT, number_problem, parse_decimal

from ..conftest import MINI, examples


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10", None),
        ("-1e12", None),
        ("1000000000000", None),
        ("0.000001", None),
        ("1.500000", None),
        ("1.5000000", "`1.5000000` has more than 6 decimal places"),
        ("0e-19", "`0e-19` has more than 6 decimal places"),
        ("1.50000000000000000000", "`1.50000000000000000000` has more than 6 decimal places"),
        ("123456789012.345", None),
        ("1e-999999999", "`1e-999999999` has more than 6 decimal places"),
        ("1e999999", "`1e999999` is too large (the limit is ±1e12)"),
        ("1000000000000.5", "`1000000000000.5` is too large (the limit is ±1e12)"),
        ("0.0000001", "`0.0000001` has more than 6 decimal places"),
        ("123456789.1234567", "`123456789.1234567` has more than 6 decimal places"),
        ("1" * 5001, "`111111111111111111111111...` (5,001 characters) is too large (the limit is ±1e12)"),
        ("NaN", "`NaN` is not a finite number"),
        ("-Infinity", "`-Infinity` is not a finite number"),
        ("1e1000008", "`1e1000008` is too large (the limit is ±1e12)"),
    ],
)
def test_number_problem(text: str, message: str | None) -> None:
    assert number_problem(Decimal(text), text) == message


def test_sixteen_significant_digits_within_range_and_places() -> None:
    assert number_problem(Decimal("1234567890.123456")) == "`1234567890.123456` has more than 15 significant digits"


def test_parse_decimal() -> None:
    assert parse_decimal(" 2.5 ") == Decimal("2.5")
    with pytest.raises(HintedError) as caught:
        parse_decimal("1e13")
    assert caught.value.hint == HINT
    with pytest.raises(HintedError, match="is not a number"):
        parse_decimal("abc")


_EXTREME = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.integers(min_value=-(10**60), max_value=10**60).map(str),
    st.builds(lambda m, e: f"{m}e{e}", st.integers(-99, 99), st.integers(-(10**9), 10**9)),
    st.builds(lambda n: "1" * n, st.integers(1, 6000)),
)


def _alarm(signum: int, frame: object) -> None:
    raise TimeoutError("a run did not finish: a hang")


def _run(project: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.chdir(project)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(60)  # generous: a guard against hangs, not a timing
    try:
        result = CliRunner().invoke(cli.main, args, prog_name="cspscore")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert not isinstance(result.exception, TimeoutError)
    assert "internal error" not in result.stderr
    return result.exit_code


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=_EXTREME, where=st.sampled_from(["cutoff", "edge"]))
def test_extreme_numbers_in_a_rule_file(
    number: str, where: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path_factory.mktemp("p") / "project"
    shutil.copytree(MINI, project)
    rules = project / "rules.yaml"
    old = "cutoff: 10" if where == "cutoff" else "from: 15"
    rules.write_text(rules.read_text().replace(old, old.split(":")[0] + ": " + number), encoding="utf-8")
    assert _run(project, ["score", "rules.yaml"], monkeypatch) in (0, 1)
    assert _run(project, ["validate", "rules.yaml", "--rules-only"], monkeypatch) in (0, 1)


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=_EXTREME, step=_EXTREME)
def test_extreme_numbers_in_options(
    number: str, step: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path_factory.mktemp("p") / "project"
    shutil.copytree(MINI, project)
    assert _run(project, ["whatif", "rules.yaml", "--set", f"priority.cutoff={number}"], monkeypatch) in (0, 1)
    vary = f"priority.cutoff={number}:{number}:{step}"
    assert _run(project, ["sweep", "rules.yaml", "--vary", vary], monkeypatch) in (0, 1)
