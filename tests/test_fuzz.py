"""Fuzzing: near-valid rule files and datasets give a result or positioned problems, never a crash.

Hypothesis mutates the mini project's rule file and data, also as a crime_series (deleting lines,
replacing values with hostile or odd tokens, misspelling keys, duplicating lines), and every outcome must be either a
result that satisfies the engine's invariants, or an InputError whose problems all have a file
and a line. Each fuzzer declares its CI count (2,900 cases in all under the ``ci`` profile, a tenth
of that in the default quick profile; see tests/conftest.py); a failure is shrunk to a minimal input.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.checks.explain import explain
from engine.errors import InputError
from engine.load.datasets import load_datasets
from engine.load.rules import load_rules
from engine.score.scoring import score

from .conftest import MINI, examples
from .helpers import SERIES

RULES = (MINI / "rules.yaml").read_text()
CRIME = (MINI / "data" / "crime.csv").read_text()
TOKENS = [
    "",
    "0",
    "-1",
    "5",
    "15",
    "14.95",
    "1e9",
    "99999999999999999999",
    "no",
    "yes",
    "06037",
    "1:30",
    "~",
    "null",
    "[]",
    "{}",
    "'text'",
    "&a",
    "*a",
    "!!python/object:os.system",
    "\t",
    "__import__('os')",
    "().__class__",
    "9**9**9",
    "nan",
    ".inf",
    "sum",
    "expression",
    "weighted_sum",
    "from",
    "below",
    "trend",
    "concern",
    "\"=cmd|'/c calc'!A1\"",
    "é",
    "\ufeff",
    "- 1",
    ": x",
    "#",
]


def mutate(text: str, edits: list[tuple[int, int, int]]) -> str:
    lines = text.split("\n")
    for kind, where, token in edits:
        if not lines:
            break
        n = where % len(lines)
        line = lines[n]
        if kind == 0:  # delete a line
            del lines[n]
        elif kind == 1 and ":" in line:  # replace a value
            key = line.split(":", 1)[0]
            lines[n] = f"{key}: {TOKENS[token % len(TOKENS)]}"
        elif kind == 2:  # duplicate a line
            lines.insert(n, line)
        elif kind == 3 and line.strip():  # misspell: drop a character
            cut = token % len(line)
            lines[n] = line[:cut] + line[cut + 1 :]
        else:  # replace a CSV cell or insert a token
            cells = line.split(",")
            cells[token % len(cells)] = TOKENS[where % len(TOKENS)]
            lines[n] = ",".join(cells)
    return "\n".join(lines)


def fuzz(thorough: int):
    """Hypothesis settings for a fuzz test that runs ``thorough`` examples in CI (fewer in the quick
    profile), with no deadline (each runs the engine)."""
    return settings(
        max_examples=examples(thorough),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


edits = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=4)


def run(root: Path, rules_text: str, crime_text: str) -> None:
    (root / "rules.yaml").write_text(rules_text, encoding="utf-8", errors="surrogateescape")
    (root / "data" / "crime.csv").write_text(crime_text, encoding="utf-8", errors="surrogateescape")
    try:
        rules = load_rules(root / "rules.yaml")
        result = score(rules, load_datasets(rules))
    except InputError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file and problem.line >= 0 and problem.message, problem
        return
    check_invariants(result)


def check_invariants(result) -> None:
    rules = result.rules
    for i in range(len(result.issue_ids)):
        scores = [int(result.outcomes[c].final[i]) for c in rules.criteria]
        assert all(s in {p.score for p in rules.scale_of(c)} for s, c in zip(scores, rules.criteria, strict=True))
        if rules.total.method == "sum":
            assert result.total(i) == sum(scores)
        elif rules.total.method == "weighted_sum":
            assert result.total(i) == sum(
                Decimal(s) * rules.total.weights[c] for s, c in zip(scores, rules.criteria, strict=True)
            )
        if rules.priority.max_priorities is None:
            assert bool(result.priority[i]) == (result.total(i) >= rules.priority.cutoff)
        text = explain(result, result.issue_ids[i])
        total_line = next(line for line in text.splitlines() if line.startswith("Total: "))
        if rules.total.method == "sum":  # the explanation's own arithmetic adds up to the total
            terms, _, rest = total_line[len("Total: ") :].partition(" = ")
            assert sum(int(t) for t in terms.split(" + ")) == int(rest.split()[0]) == result.total(i)


@fuzz(1200)
@given(rule_edits=edits)
def test_mutated_rule_files_never_crash(tmp_path_factory, rule_edits):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "data").mkdir()
    (root / "data" / "population.csv").write_text((MINI / "data" / "population.csv").read_text())
    run(root, mutate(RULES, rule_edits), CRIME)


@fuzz(800)
@given(data_edits=edits)
def test_mutated_datasets_never_crash(tmp_path_factory, data_edits):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "data").mkdir()
    (root / "data" / "population.csv").write_text((MINI / "data" / "population.csv").read_text())
    run(root, RULES, mutate(CRIME, data_edits))


SERIES_RULES = RULES.replace(
    "    shape: crime_counts\n", "    shape: crime_series\n    periods: [2021-22, 2022-23, 2023-24]\n"
).replace("    metric: percent_change\n", "    metric: trend_slope\n    periods: 3\n    if_no_value: {missing: 1}\n")


@fuzz(400)
@given(rule_edits=edits, data_edits=edits)
def test_mutated_series_never_crash(tmp_path_factory, rule_edits, data_edits):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "data").mkdir()
    (root / "data" / "population.csv").write_text((MINI / "data" / "population.csv").read_text())
    run(root, mutate(SERIES_RULES, rule_edits), mutate(SERIES, data_edits))


POLICE = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context\n"
    + ",2024-01,Kent Police,Kent Police,0.1,51.2,On or near X,E01000001,Sevenoaks 001A,Burglary,,\n" * 3
    + ",2024-02,Kent Police,Kent Police,0.1,51.2,On or near X,E01000001,Dover 002B,Drugs,,\n" * 2
)


@fuzz(500)
@given(file_edits=edits)
def test_mutated_police_files_never_crash(tmp_path_factory, file_edits):
    from engine.ingest.periods import build
    from engine.ingest.police import Options, ingest_police_uk

    root = tmp_path_factory.mktemp("police")
    (root / "2024-01-kent-street.csv").write_text(
        mutate(POLICE, file_edits), encoding="utf-8", errors="surrogateescape"
    )
    try:
        made = ingest_police_uk([root], build("2024-02", "2024-01", []), Options(allow_unmapped=True))
    except InputError as exc:
        assert all(p.file and p.message for p in exc.problems)
        return
    account = made.provenance["rows"]
    accounted = account["used"] + account["no_location"] + account["forces_not_selected"] + account["outside_periods"]
    accounted += account["malformed"] + sum(account["in_areas_of_forces_not_read"].values())
    accounted += sum(account["not_assignable"].values()) + sum(account["unmapped"].values())
    assert accounted == account["read"]  # every row read is accounted for
    assert not made.counts.duplicated(["area", "category"]).any()


def test_the_ci_profile_runs_each_declared_count_and_quick_a_tenth():
    counts = (1200, 800, 500, 40, 20)
    assert [examples(n, settings.get_profile("ci")) for n in counts] == [1200, 800, 500, 40, 20]
    assert [examples(n, settings.get_profile("quick")) for n in counts] == [120, 80, 50, 5, 5]
    assert settings.get_profile("ci").max_examples == 100  # hypothesis's default: tests without their own count
