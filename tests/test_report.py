"""report and reconcile from the command line, and the HTML report as a person sees it (headless Chromium)."""

from __future__ import annotations

import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

from .browser import CHROMIUM, FLAGS
from .conftest import ROOT


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(
        cli.main,
        [
            "report",
            str(ROOT / "rules/sevenoaks-2020.yaml"),
            "--previous",
            str(ROOT / "rules/sevenoaks-2019.yaml"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


class Page(HTMLParser):
    """Collects what a self-contained page must not have, and the ids it has."""

    def __init__(self):
        super().__init__()
        self.external: list[str] = []
        self.ids: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("src", "href"):
            value = attrs.get(key) or ""
            if tag in ("link", "img", "script", "iframe") and value and not value.startswith("#"):
                self.external.append(value)


def test_report_is_self_contained_and_complete(report: Path):
    text = report.read_text()
    page = Page()
    page.feed(text)
    assert page.scripts == 0 and page.external == []
    assert {"priorities", "scores", "chart", "drafts", "issues", "provenance"} <= page.ids
    for issue in (
        "serious_acquisitive",
        "anti_social_behaviour",
        "domestic_abuse",
        "safeguarding",
        "doorstep_crimes_scams",
        "substance_misuse",
    ):
        assert f"issue-{issue}" in page.ids and f"draft-{issue}" in page.ids
    assert "Open Government Licence v3.0" in text
    assert '<figure class="chart"' in text and "cutoff 20" in text
    assert "scored a total of 24 in last year&#x27;s Strategic Assessment but" in text


def test_text_from_rule_files_is_escaped(project: Path):
    rules = project / "rules.yaml"
    rules.write_text(rules.read_text().replace("    name: Scams\n", '    name: "<script>alert(1)</script> & co"\n'))
    result = invoke("report", str(rules), "--out", str(project / "r.html"))
    assert result.exit_code == 0, result.output
    text = (project / "r.html").read_text()
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in text
    assert "Open Government Licence" not in text  # the mini project's data declare no licence


@pytest.mark.slow
@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CSPSCORE_REQUIRE_BROWSER"),
    reason="no chromium on PATH (CI installs Debian's chromium; install it to run this)",
)
def test_report_in_headless_chromium(report: Path, tmp_path: Path):
    assert CHROMIUM is not None, "CSPSCORE_REQUIRE_BROWSER is set but chromium is not installed"
    profile = tmp_path / "profile"
    common = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run(
        [*common, "--enable-logging=stderr", "--v=0", "--dump-dom", report.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dom.returncode == 0, dom.stderr
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == [], console
    assert '<figure class="chart"' in dom.stdout and dom.stdout.count('<article class="issue"') == 6
    screenshot, pdf = tmp_path / "report.png", tmp_path / "report.pdf"
    subprocess.run(
        [*common, f"--screenshot={screenshot}", "--window-size=1200,3000", report.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    subprocess.run(
        [*common, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 50_000
    assert pdf.read_bytes()[:5] == b"%PDF-"
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages >= 3  # A4 pages


def test_report_markdown_includes_the_drafts():
    result = invoke("report", "--format", "markdown")
    assert result.exit_code == 0
    assert "## Priority ranking: draft text" in result.stdout
    assert "> **Draft for the officer to edit: generated from the scores, not reviewed.**" in result.stdout
    assert "## Scale" in result.stdout and "## Priorities" in result.stdout


def test_report_html_needs_out():
    result = invoke("report")
    assert result.exit_code == 2 and "--format html needs --out FILE" in result.stderr


def test_report_xlsx(tmp_path: Path):
    out = tmp_path / "scores.xlsx"
    result = invoke("report", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0 and out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_report_office_formats_need_out(fmt: str):
    result = invoke("report", "--format", fmt)
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: --format {fmt} needs --out FILE\n")
    assert result.stdout == ""


def test_report_docx_with_last_years_totals(tmp_path: Path):
    import docx

    out = tmp_path / "table6.docx"
    result = invoke(
        "report",
        "rules/sevenoaks-2020.yaml",
        "--previous",
        "rules/sevenoaks-2019.yaml",
        "--format",
        "docx",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {out}\n" and result.stdout == ""
    rows = [[c.text for c in row.cells] for row in docx.Document(str(out)).tables[0].rows]
    assert rows[0][2:] == [
        "Community Concern",
        "Trend Increase",
        "Volume",
        "Level of Harm",
        "Poor Performance compared to County/Most Similar Group",
        "Partnership can add value",
        "Total",
        "Last year",
        "Change",
        "Priority",
        "Above cutoff",
    ]
    assert rows[2] == [
        "1",
        "Anti-Social Behaviour incl Environmental Crime",
        "5",
        "5",
        "5",
        "5",
        "3",
        "5",
        "28",
        "24",
        "+4",
        "Yes",
        "+8",
    ]


def test_reconcile_exit_codes_and_output():
    agree = invoke("reconcile", "--published", "datasets/sevenoaks-2020/published-table-6.csv")
    assert agree.exit_code == 0
    assert agree.stdout.endswith("The published table agrees: 42 cells compared in 6 issues.\n")
    differ = invoke(
        "reconcile", "rules/sevenoaks-2020.yaml", "--published", "datasets/sevenoaks-2020/published-score-boxes.csv"
    )
    assert differ.exit_code == 4
    assert (
        differ.stdout
        == """\
Computed: rules/sevenoaks-2020.yaml
Published: datasets/sevenoaks-2020/published-score-boxes.csv

line    issue_id             column       published    computed
------  -------------------  -----------  -----------  ----------
2       serious_acquisitive  volume       3            5
2       serious_acquisitive  harm         5            3
5       safeguarding         trend        3            5
5       safeguarding         volume       3            5
5       safeguarding         performance  3            1
5       safeguarding         total        24           26
7       substance_misuse     trend        3            5
7       substance_misuse     total        22           24

8 differences in 3 of 6 issues (42 cells compared).
"""
    )


def test_report_draft_names_the_maximum_that_leaves_an_issue_out(project: Path):
    from .helpers import edit

    edit(project / "rules.yaml", "  cutoff: 10\n", "  cutoff: 5\n  max_priorities: 1\n  ties: include_all\n")
    result = invoke("report", "rules.yaml", "--format", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    scams = lines[lines.index("### Scams") + 2]
    assert scams == (
        "Scams scores 9 this year. It reaches the cutoff of 5 but is not a priority: at most 1 issue is a priority "
        "and it ranks 2nd. Community Concern \\(5\\): Trading Standards report many calls. "
        "Trend Increase \\(3\\): Reports rose in the daily briefings."
    )  # the draft as Markdown text: its parentheses escaped


def test_every_format_that_shows_metric_inputs_shows_each_periods_count_and_the_slope(tmp_path: Path):
    rules = "rules/examples/three-year-trend.yaml"
    page = tmp_path / "report.html"
    assert invoke("report", rules, "--out", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "<td>2021-22</td>" in html  # the data rows, by period
    assert "<dd>2021-22 82; 2022-23 95; 2023-24 104</dd>" in html
    assert "100 x 11 / 93.66666... = 11.74377... -&gt; 11.7 (rounded to 1 place)" in html
    markdown = invoke("score", rules, "--format", "markdown").stdout
    assert "2021-22 82; 2022-23 95; 2023-24 104" in markdown
    folder = tmp_path / "csv"
    assert invoke("score", rules, "--format", "csv", "--out", str(folder)).exit_code == 0
    audit = (folder / "audit.csv").read_text(encoding="utf-8")
    assert "datasets/examples/series.csv row 19 (2021-22), row 20 (2022-23), row 21 (2023-24)" in audit
    workbook = tmp_path / "scores.xlsx"
    assert invoke("report", rules, "--format", "xlsx", "--out", str(workbook)).exit_code == 0
    from openpyxl import load_workbook

    cells = {c.value for row in load_workbook(workbook)["Audit"].iter_rows() for c in row}
    assert "2021-22 82; 2022-23 95; 2023-24 104" in cells


def test_report_part_is_for_html_and_markdown():
    result = invoke("report", "--format", "xlsx", "--part", "audit", "--out", "never.xlsx")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: --part is for --format html and markdown (the workbook's sheets are its parts)\n"
    )
    assert not Path("never.xlsx").exists()


def test_report_markdown_summary_is_the_paste_ready_part():
    summary = invoke("report", "--format", "markdown", "--part", "summary")
    assert summary.exit_code == 0
    headings = [line for line in summary.stdout.splitlines() if line.startswith("## ")]
    assert headings == ["## Scores", "## Priorities", "## Scale", "## Priority ranking: draft text"]
