"""Hostile text in names, rationales and data: every output shows it inert.

On the terminal (stdout and stderr) a control or invisible character is shown as text (``\\x1b``, ``<U+202E>``);
in Markdown every active character is escaped; in HTML the text is escaped and its controls shown the same way.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cli
from tests.conftest import MINI, examples
from tests.helpers import edit

NAME = "Scams\x1b[2J\x1b]0;owned\x07\r<script>alert(1)</script>\u202eevil\u200b"
RATIONALE = "[x](javascript:alert(1)) ![](http://evil/x.png)\n# heading\x9b31m done"
#: Every character that must not reach an output raw (a line break aside).
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args), prog_name="cspscore")


def hostile(project: Path, name: str = NAME, rationale: str = RATIONALE) -> None:
    """Give the issue `scams` this name and its concern judgement this rationale (as YAML double-quoted text)."""
    edit(project / "rules.yaml", "    name: Scams\n", f"    name: {json.dumps(name)}\n")
    old = "        rationale: Trading Standards report many calls.\n"
    edit(project / "rules.yaml", old, f"        rationale: {json.dumps(rationale)}\n")


def test_the_scoring_table_shows_a_hostile_name_visibly(project: Path):
    hostile(project)
    edit(project / "rules.yaml", "  cutoff: 10\n", "  cutoff: 9\n")
    result = invoke("score", "rules.yaml")
    assert result.exit_code == 0, result.output
    assert not RAW.search(result.output)
    assert (
        "  2. Scams\\x1b[2J\\x1b]0;owned\\x07\\r<script>alert(1)</script><U+202E>evil<U+200B> (9)"
        in result.stdout.splitlines()
    )


def test_explain_shows_a_hostile_name_and_rationale_visibly(project: Path):
    hostile(project)
    result = invoke("explain", "rules.yaml", "scams")
    assert result.exit_code == 0, result.output
    assert not RAW.search(result.output)
    assert "Scams\\x1b[2J\\x1b]0;owned\\x07\\r<script>alert(1)</script><U+202E>evil<U+200B>" in result.stdout
    assert "# heading\\x9b31m done" in result.stdout


def test_markdown_makes_a_hostile_name_and_rationale_inert(project: Path):
    hostile(project)
    result = invoke("report", "rules.yaml", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert not RAW.search(result.output)
    name = "Scams\\\\x1b\\[2J\\\\x1b\\]0;owned\\\\x07 &lt;script&gt;alert\\(1\\)&lt;/script&gt;&lt;U+202E&gt;evil&lt;U+200B&gt;"
    assert f"### {name}" in result.stdout.splitlines()
    assert f"| 2 | {name} | 5 | 3 | 1 | 9 | no |" in result.stdout.splitlines()
    assert (
        "Community Concern \\(5\\): \\[x\\]\\(javascript:alert\\(1\\)\\) \\!\\[\\]\\(http://evil/x.png\\) "
        "\\# heading\\\\x9b31m done." in result.stdout
    )
    assert "<script>" not in result.stdout and "](" not in result.stdout.replace("](#", "")


def test_html_escapes_a_hostile_name_and_shows_its_controls(project: Path):
    hostile(project)
    result = invoke("report", "rules.yaml", "--out", "report.html")
    assert result.exit_code == 0, result.output
    page = (project / "report.html").read_text(encoding="utf-8")
    assert not RAW.search(page.replace("\t", ""))
    assert "Scams\\x1b[2J\\x1b]0;owned\\x07\\r&lt;script&gt;alert(1)&lt;/script&gt;&lt;U+202E&gt;evil" in page
    assert "<script>" not in page


def test_a_hostile_data_file_name_is_shown_visibly(project: Path):
    shutil.move(project / "data" / "crime.csv", project / "data" / "crime\x1b[2J.csv")
    edit(project / "rules.yaml", "file: data/crime.csv", 'file: "data/crime\\e[2J.csv"')
    result = invoke("explain", "rules.yaml", "asb")
    assert result.exit_code == 0, result.output
    assert not RAW.search(result.output)
    assert "data/crime\\x1b[2J.csv" in result.stdout


def test_a_hostile_area_name_in_a_click_error_is_shown_visibly(project: Path):
    result = invoke("explain", "rules.yaml", "\x1b]0;owned\x07")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for ISSUE: there is no issue `\\x1b]0;owned\\x07` in rules.yaml. "
        "Issues: asb, burglary, scams\n"
    )


TEXT = st.text(
    st.one_of(
        st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)),
        st.sampled_from(list("\x1b\x07\r\n\t\x00\x7f\x85\x9b\u202e\u2066\u200b\u2028\ufeff[]()<>#*_`|!&")),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT, rationale=TEXT)
def test_no_output_carries_a_raw_control_character(tmp_path_factory, name, rationale):
    """Whatever an issue's name and rationale hold, the table, explain and Markdown carry no raw control."""
    project = tmp_path_factory.mktemp("p") / "project"
    shutil.copytree(MINI, project)
    hostile(project, name, rationale)
    rules = str(project / "rules.yaml")
    for args in (["score", rules], ["explain", rules, "scams"], ["score", rules, "--format", "markdown"]):
        result = invoke(*args)
        assert result.exit_code in (0, 1), result.output
        assert not RAW.search(result.stdout + result.stderr), (args, result.output)
