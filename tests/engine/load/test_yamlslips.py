"""The common YAML slips named in words: a colon in free text, a line indented unlike its siblings."""

from __future__ import annotations

import pytest

from engine.errors import InputError, Problem
from engine.load.yamlfile import parse_yaml
from engine.load.yamlslips import Slip, slip_hint


def problem_of(text: str) -> Problem:
    with pytest.raises(InputError) as caught:
        parse_yaml(text.encode(), "rules.yaml")
    [problem] = caught.value.problems
    return problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "issue:\n  rationale: Police lead: CSP supports it\n",
            "rules.yaml:2:25: this is not valid YAML: mapping values are not allowed here\n"
            "    |   rationale: Police lead: CSP supports it\n"
            "    |                         ^\n"
            '    hint: quote text that contains `: `, e.g. rationale: "Police lead: CSP supports it"',
        ),
        (
            "issues:\n  - rationale: Police lead: CSP # agreed\n",
            "rules.yaml:2:27: this is not valid YAML: mapping values are not allowed here\n"
            "    |   - rationale: Police lead: CSP # agreed\n"
            "    |                           ^\n"
            '    hint: quote text that contains `: `, e.g. rationale: "Police lead: CSP"',
        ),
        (
            "a:\n  b: 1\n   c: 2\n  d: 3\n",
            "rules.yaml:3:4: this is not valid YAML: this line is indented 3 spaces, unlike the lines around it\n"
            "    |    c: 2\n"
            "    |    ^\n"
            "    hint: check the indentation of line 3 against its siblings (lines 2 and 4 are indented 2 spaces)",
        ),
        (
            "a:\n  b:\n    c: 1\n   d: 2\n    e: 3\n",
            "rules.yaml:4:4: this is not valid YAML: this line is indented 3 spaces, unlike the lines around it\n"
            "    |    d: 2\n"
            "    |    ^\n"
            "    hint: check the indentation of line 4 against its siblings (lines 3 and 5 are indented 4 spaces)",
        ),
        (
            # The first key of a block is the odd one: it is named, not the line PyYAML stopped at.
            "a:\n  b:\n     c: 1\n    d: 2\n    e: 3\n",
            "rules.yaml:3:6: this is not valid YAML: this line is indented 5 spaces, unlike the lines around it\n"
            "    |      c: 1\n"
            "    |      ^\n"
            "    hint: check the indentation of line 3 against its siblings (lines 4 and 5 are indented 4 spaces)",
        ),
        (
            "a:\n\ttitle: x\n",
            "rules.yaml:2:1: this is not valid YAML: found character '\\t' that cannot start any token\n"
            "    |  title: x\n"
            "    | ^\n"
            "    hint: indent with spaces; YAML does not allow tab characters for indentation",
        ),
    ],
)
def test_slips_are_named_with_the_line_and_a_caret(text: str, expected: str) -> None:
    assert str(problem_of(text)) == expected


def test_the_caret_counts_characters_as_shown():
    # An escape character before the column is shown as four characters; the caret moves with it.
    problem = Problem("rules.yaml", 1, 8, "", "here", excerpt="a: \x1b[1mb: c")
    assert str(problem).splitlines()[1:] == ["    | a: \\x1b[1mb: c", "    |           ^"]


def test_a_long_value_is_cut_in_the_hint():
    slip = slip_hint(["rationale: Police lead: " + "x" * 100], 1, 23, "mapping values are not allowed here", None)
    assert slip == Slip(1, 23, None, f'quote text that contains `: `, e.g. rationale: "Police lead: {"x" * 43} ..."')


def test_other_errors_get_no_slip_hint():
    assert slip_hint(["a: [b"], 1, 6, "expected ',' or ']'", None) is None
