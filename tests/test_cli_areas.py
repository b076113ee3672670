"""Every command over every area of a file (--area all): exact outputs, the report's overview and its links,
and CSV to stdout building nothing but the scores."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import cli
from engine.report import csvfiles
from engine.score import audit
from tests.national import write_county

ODD = "Ynys Môn & <b>Co</b>"  # an area name with an accent, an ampersand and markup
MD_ODD = "Ynys Môn &amp; &lt;b&gt;Co&lt;/b&gt;"  # as Markdown text: the markup inert


@pytest.fixture
def areas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two areas (one with an odd name) x two issues, the cutoff lowered so each area has a priority."""
    write_county(tmp_path, areas=2, issues=2)
    for name in ("crime.csv", "population.csv"):
        (tmp_path / name).write_text((tmp_path / name).read_text().replace("District 001", ODD))
    rules = tmp_path / "rules.yaml"
    rules.write_text(rules.read_text().replace("cutoff: 18", "cutoff: 12"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def test_score_every_area_as_csv(areas: Path):
    result = invoke("score", "rules.yaml", "--area", "all", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "area,issue_id,issue,trend,volume,position,count,concern,partnership,total,rank,priority,margin\n"
        "District 000,issue_00,Issue 0,3,3,1,3,5,1,16,1,yes,+4\n"
        "District 000,issue_01,Issue 1,0,3,1,3,1,1,9,2,no,-3\n"
        f"{ODD},issue_00,Issue 0,0,3,1,3,5,1,13,1,yes,+1\n"
        f"{ODD},issue_01,Issue 1,0,3,1,3,1,1,9,2,no,-3\n"
    )


def test_csv_to_stdout_builds_neither_the_audit_nor_the_provenance_rows(areas: Path, monkeypatch):
    expected = invoke("score", "rules.yaml", "--area", "all", "--format", "csv").stdout

    def refuse(*args, **kwargs):
        raise AssertionError("built for nothing: CSV to stdout prints the scores alone")

    for module in (audit, csvfiles):
        monkeypatch.setattr(module, "audit_columns", refuse)
    monkeypatch.setattr(audit, "audit_rows", refuse)
    monkeypatch.setattr(csvfiles, "audit_csv", refuse)
    monkeypatch.setattr(audit.Provenance, "rows", refuse)
    result = invoke("score", "rules.yaml", "--area", "all", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == expected
    folder = invoke("score", "rules.yaml", "--area", "all", "--format", "csv", "--out", "out")
    assert folder.exit_code == 3  # --out FOLDER writes all three tables, so it needs them
    assert "built for nothing" in folder.stderr


def test_the_markdown_report_opens_with_every_area(areas: Path):
    result = invoke("report", "rules.yaml", "--area", "all", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "# Synthetic county: Synthetic\n\n"
        "2 areas, 2024. Rules: rules.yaml\n\n"
        "## Every area at a glance\n\n"
        "Each issue's total in each area; \\* marks a priority there (cutoff 12).\n\n"
        "| Area | Issue 0 | Issue 1 | Priorities |\n"
        "|---|---|---|---|\n"
        "| [District 000](#area-district-000) | 16\\* | 9 | 1 |\n"
        f"| [{MD_ODD}](#area-ynys-mon-b-co-b) | 13\\* | 9 | 1 |\n\n"
        "## Each area's priorities\n\n"
        "- [District 000](#area-district-000): 1. Issue 0 (16)\n"
        f"- [{MD_ODD}](#area-ynys-mon-b-co-b): 1. Issue 0 (13)\n\n"
        '<a id="area-district-000"></a>\n\n'
        "## District 000\n\n"
        "### Scores\n\n"
    )
    assert '<a id="area-ynys-mon-b-co-b"></a>\n\n' + f"## {MD_ODD}\n" in result.stdout
    assert result.stdout.count("#### Issue 0\n") == 2  # each area's drafts
    assert "| area | issue\\_id | criterion\\_id |" in result.stdout  # the audit of every area, once


class Page(HTMLParser):
    """Every id, every link, every tag and the text of each table row of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.tags: set[str] = set()
        self.rows: list[list[str]] = []
        self.sections: list[str] = []
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        self.tags.add(tag)
        if "id" in found:
            self.ids.append(found["id"])
        if tag == "a" and "href" in found:
            self.links.append(found["href"])
        if tag == "section" and found.get("class") == "area":
            self.sections.append(found["id"])
        if tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._row is not None and data.strip():
            self._row.append(data.strip())


def test_the_html_report_of_every_area_links_its_overview_to_each_areas_section(areas: Path):
    result = invoke("report", "rules.yaml", "--area", "all", "--out", "report.html")
    assert result.exit_code == 0, result.output
    text = (areas / "report.html").read_text()
    page = Page()
    page.feed(text)
    assert page.sections == ["area-district-000", "area-ynys-mon-b-co-b"]
    assert len(page.ids) == len(set(page.ids))  # each area's ids are its own
    inside = [link for link in page.links if link.startswith("#")]
    assert inside and all(link[1:] in page.ids for link in inside)  # every link lands somewhere
    assert not {"script", "iframe", "object", "embed", "img"} & page.tags
    assert "<b>Co</b>" not in text and "Ynys Môn &amp; &lt;b&gt;Co&lt;/b&gt;" in text
    overview = page.rows[1:3]  # the overview table, after its header row
    assert overview == [["District 000", "16*", "9", "1"], [ODD, "13*", "9", "1"]]
    assert text.index('<section id="overview">') < text.index('<section id="area-priorities">')
    assert text.index('<section id="area-priorities">') < text.index('<section class="area"')
    for anchor in page.sections:  # each section holds the sections of a single-area report, its ids prefixed
        for part in ("priorities", "scores", "chart", "drafts", "issues", "issue-issue_00", "draft-issue_00"):
            assert f"{anchor}-{part}" in page.ids
        assert f'href="#{anchor}"' in text  # the overview links to it
    assert text.count('<a href="#overview">Back to the overview of every area</a>') == 2


def test_explain_an_issue_in_every_area_is_each_areas_trace_in_turn(areas: Path):
    every = invoke("explain", "rules.yaml", "issue_00", "--area", "all")
    assert every.exit_code == 0, every.output
    one = invoke("explain", "rules.yaml", "issue_00", "--area", "District 000").stdout
    other = invoke("explain", "rules.yaml", "issue_00", "--area", ODD).stdout
    assert every.stdout == one + "\n" + other
    assert one.splitlines()[3] == "Area: District 000. Period: 2024"
    assert one.splitlines()[-1] == "Cutoff: 16 >= 12, so this issue IS a priority (4 above the cutoff). Rank 1 of 2."


def test_the_workbook_of_every_area_has_an_area_column(areas: Path):
    result = invoke("report", "rules.yaml", "--area", "all", "--format", "xlsx", "--out", "scores.xlsx")
    assert result.exit_code == 0, result.output
    book = load_workbook(io.BytesIO((areas / "scores.xlsx").read_bytes()))
    sheet = book["Scores"]
    scores = [[c.value for c in row] for row in sheet.iter_rows()]
    assert scores[2][0] == "2 areas, one block of rows each"
    header = next(n for n, row in enumerate(scores) if row[0] == "Area")
    assert scores[header][:3] == ["Area", "Rank", "Issue"]
    assert [row[0] for row in scores[header + 1 :]] == ["District 000", "District 000", ODD, ODD]
    assert book["Audit"].max_row == 1 + 2 * 2 * 6
    last = f"{sheet.cell(header + 1, sheet.max_column).column_letter}{header + 5}"
    assert sheet.auto_filter.ref == f"A{header + 1}:{last}" and sheet.freeze_panes == f"D{header + 2}"


def test_the_word_document_of_every_area_has_a_part_for_each(areas: Path):
    import docx

    result = invoke("report", "rules.yaml", "--area", "all", "--format", "docx", "--out", "table6.docx")
    assert result.exit_code == 0, result.output
    document = docx.Document(str(areas / "table6.docx"))
    assert len(document.tables) == 2
    texts = [p.text for p in document.paragraphs]
    assert [t for t in texts if t.startswith("Area: ")] == ["Area: District 000", f"Area: {ODD}"]
    starts = [p for p in document.paragraphs if p.style.name == "Title"]
    assert [p.paragraph_format.page_break_before for p in starts] == [None, True]  # each area from a new page
    assert texts.count("Provenance") == 1
