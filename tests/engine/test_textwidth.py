"""engine.textwidth: lines wrapped and tables fitted to a width, nothing cut; and the terminal outputs built on it."""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.report import compare, terminal
from engine.score.audit import provenance
from engine.score.scoring import Result
from engine.textwidth import columns, fit_table, wrap
from engine.whatif.comparison import compare_results
from tests.conftest import DEFAULT_RULES
from tests.engine.whatif.test_comparison import run

#: Names an officer might write: letters, digits, spaces, punctuation, accented and wide characters.
NAMES = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyz ABCXYZ_-&(),0123456789éü東京"), min_size=1, max_size=140
).filter(lambda s: s.strip() != "")
WIDTHS = st.integers(min_value=60, max_value=200)


def test_wrap_breaks_prose_at_spaces_and_keeps_a_hanging_indent():
    assert wrap("  one two three four", 12) == ["  one two", "  three four"]
    assert wrap("Rules: rules/sevenoaks-2020.yaml", 20) == ["Rules:", "rules/sevenoaks-2020", ".yaml"]
    assert wrap("short", None) == ["short"]


def test_a_wide_character_takes_two_columns():
    assert columns("東京") == 4 and columns("e\u0301") == 1


@given(text=NAMES, width=st.integers(min_value=4, max_value=100))
def test_wrap_never_exceeds_the_width_and_drops_nothing(text: str, width: int):
    lines = wrap(text, width)
    assert all(columns(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_table_that_fits_is_drawn_in_full_and_one_that_does_not_is_narrowed():
    rows = [["1", "anti_social_behaviour", "5", "28"]]
    full = fit_table(rows, ["rank", "issue_id", "community_concern", "total"], ["right", "left", "right", "right"], 80)
    assert not full.short and "community_concern" in full.text
    narrow = fit_table(
        rows,
        ["rank", "issue_id", "community_concern", "total"],
        ["right", "left", "right", "right"],
        24,
        short=["#", "issue_id", "Com", "tot"],
        wrapped=1,
    )
    assert narrow.short
    assert narrow.text.split("\n") == [
        "#  issue_id     Com  tot",
        "-  -----------  ---  ---",
        "1  anti_          5   28",
        "   social_",
        "   behaviour",
    ]
    assert all(columns(line) <= 24 for line in narrow.text.split("\n"))


@lru_cache(maxsize=1)
def sevenoaks() -> Result:
    return run(DEFAULT_RULES)


def renamed(result: Result, names: list[str]) -> Result:
    """The result with its issues' display names replaced (ids unchanged: they are the table's keys)."""
    issues = {
        issue_id: dataclasses.replace(issue, name=names[n % len(names)])
        for n, (issue_id, issue) in enumerate(result.rules.issues.items())
    }
    return dataclasses.replace(result, rules=dataclasses.replace(result.rules, issues=issues))


@settings(max_examples=40, deadline=None)
@given(names=st.lists(NAMES, min_size=1, max_size=6), width=WIDTHS)
def test_the_score_table_fits_any_width_and_shows_every_total(names: list[str], width: int):
    result = renamed(sevenoaks(), names)
    text = terminal.to_table(result, provenance(result, {}), width)
    lines = text.splitlines()
    assert all(columns(line) <= width for line in lines), max(lines, key=columns)
    table = lines[: next(n for n, line in enumerate(lines) if line.startswith("Priorities ("))]
    start = next(n for n, line in enumerate(table) if line.strip() and set(line) <= {"-", " "})  # under the header
    rows = [line.split() for line in table[start + 1 :] if line.split()[:1] and line.split()[0].isdigit()]
    assert sorted(row[-3] for row in rows) == sorted(str(result.total(i)) for i in range(len(result.issue_ids)))
    # every priority's name is there, wrapped but whole
    assert all(name.replace(" ", "") in text.replace(" ", "").replace("\n", "") for name in names)


@settings(max_examples=25, deadline=None)
@given(width=WIDTHS)
def test_whatif_fits_any_width_and_shows_every_total(width: int):
    comparison = compare_results(sevenoaks(), run(DEFAULT_RULES, "criteria.trend.bands[3].from=15"), "t15")
    text = compare.to_table([comparison], width)
    assert all(columns(line) <= width for line in text.splitlines())
    rows = [line.split() for line in text.splitlines() if line[:1] in ("*", " ") and line.rstrip()[-3:] == "yes"]
    totals = sorted(row[-2].split("\u2192")[-1] for row in rows)
    assert totals == sorted(str(issue.total_after) for issue in comparison.issues)
