"""`cspscore report --public`: the version of a report to publish online, as an officer produces it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from tests.conftest import ROOT

POLICY = "\npublication:\n  suppress_below: 280\n"
NOTE = "suppressed in the public version: a count is fewer than 280"


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args), prog_name="cspscore")


@pytest.fixture
def sevenoaks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled 2020 assessment, with a public version declared (counts below 280 suppressed)."""
    shutil.copytree(ROOT / "datasets" / "sevenoaks-2020", tmp_path / "datasets" / "sevenoaks-2020")
    rules = tmp_path / "rules" / "sevenoaks-2020.yaml"
    rules.parent.mkdir()
    rules.write_text((ROOT / "rules" / "sevenoaks-2020.yaml").read_text() + POLICY)
    monkeypatch.chdir(tmp_path)
    return rules


def test_public_without_a_declared_policy_is_refused_and_writes_nothing(project: Path):
    result = invoke("report", "rules.yaml", "--public", "--out", "report.html")
    assert result.exit_code == 1
    assert result.stderr == (
        "rules.yaml:1:1: publication: --public needs a `publication:` section saying which counts are too small "
        "to publish\n"
        '    hint: add `publication: {suppress_below: 5}` to the rule file (counts 1 to 4 are then shown as "fewer '
        'than 5")\n'
        "1 problem found; nothing was written.\n"
    )
    assert not (project / "report.html").exists()


def test_the_public_markdown_says_so_and_suppresses_the_small_issues_workings(sevenoaks: Path):
    result = invoke("report", "rules/sevenoaks-2020.yaml", "--public", "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.splitlines()[2] == (
        "_Public version: counts from 1 to 279 are shown as “fewer than 280”, and what is computed from them is "
        "left out; names of people who agreed judgements and overrides are left out._"
    )
    audit = [line for line in text.splitlines() if line.startswith("| serious\\_acquisitive | trend |")]
    assert audit and NOTE in audit[0]
    assert "| parameter.version | public |" in text
    # the findings are published as they are
    full = invoke("report", "rules/sevenoaks-2020.yaml", "--format", "markdown").stdout
    assert text.split("## Priorities")[1].split("##")[0] == full.split("## Priorities")[1].split("##")[0]


def test_the_full_version_says_it_is_not_for_publication(sevenoaks: Path):
    text = invoke("report", "rules/sevenoaks-2020.yaml", "--format", "markdown").stdout
    assert text.splitlines()[2] == (
        "_Full version: all counts and the names of people who agreed judgements and overrides are shown. Not for "
        "publication: \\`report --public\\` writes the public version._"
    )


def test_the_public_html_labels_small_counts_and_leaves_out_who_agreed(sevenoaks: Path):
    assert invoke("report", "rules/sevenoaks-2020.yaml", "--public", "--out", "public.html").exit_code == 0
    assert invoke("report", "rules/sevenoaks-2020.yaml", "--out", "full.html").exit_code == 0
    public, full = (Path(name).read_text() for name in ("public.html", "full.html"))
    assert "Burglary Business &amp; Commercial</td><td>226" in full.replace("\n", "")
    assert "<td>226<" not in public.replace("\n", "") and "fewer than 280" in public
    assert NOTE in public
    assert "left out of the public version" in public
    assert 'class="meta version">Public version' in public


def test_the_public_workbook_labels_small_counts_and_says_which_version_it_is(sevenoaks: Path):
    from openpyxl import load_workbook

    assert (
        invoke("report", "rules/sevenoaks-2020.yaml", "--public", "--format", "xlsx", "--out", "p.xlsx").exit_code == 0
    )
    book = load_workbook("p.xlsx")
    scores = [cell for row in book["Scores"].iter_rows(values_only=True) for cell in row if cell]
    assert any(str(cell).startswith("Public version: counts from 1 to 279") for cell in scores)
    data = book["Data"]
    header = [cell.value for cell in data[1]]
    rows = {row[header.index("category")]: row for row in data.iter_rows(min_row=2, values_only=True)}
    burglary = rows["Burglary Business & Commercial"]
    assert burglary[header.index("current")] == "fewer than 280"
    assert burglary[header.index("published_change")] == "suppressed"
    assert rows["Burglary Residential"][header.index("current")] == 493  # a number, as in the full version
    audit = book["Audit"]
    names = [cell.value for cell in audit[1]]
    values = [row[names.index("inputs")] for row in audit.iter_rows(min_row=2, values_only=True)]
    assert NOTE in values
    assert all(
        row[names.index("agreed_by")] in (None, "left out of the public version")
        for row in audit.iter_rows(min_row=2, values_only=True)
    )


def test_the_public_word_document_says_which_version_it_is(sevenoaks: Path):
    import docx

    assert (
        invoke("report", "rules/sevenoaks-2020.yaml", "--public", "--format", "docx", "--out", "p.docx").exit_code == 0
    )
    text = [p.text for p in docx.Document("p.docx").paragraphs]
    assert any(line.startswith("Public version: counts from 1 to 279") for line in text)
