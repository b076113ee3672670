"""The pages and downloads as a browser meets them (Starlette's test client): the assessment, the overview of
several areas, each issue's whole trace, the data, and every download of what is on screen, what-if included."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from starlette.testclient import TestClient

from engine.serve.app import create_app
from engine.serve.downloads import safe_name
from engine.serve.state import LiveAssessment
from tests.conftest import MINI, ROOT

TOKEN = "test-token"
KENT = ROOT / "rules" / "kent-districts-2024.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(MINI, target)
    return target


def client_for(rules: Path, areas: object = None) -> TestClient:
    app = create_app(LiveAssessment(rules, areas), "127.0.0.1", 8000, token=TOKEN)
    return TestClient(app, base_url="http://127.0.0.1:8000")


@pytest.fixture
def client(project: Path) -> TestClient:
    return client_for(project / "rules.yaml")


@pytest.fixture(scope="module")
def kent() -> TestClient:
    return client_for(KENT, "all")


def row_of(page: str, issue: str) -> str:
    found = re.search(rf'<tr data-issue="{issue}"[^>]*>(.*?)</tr>', page, re.S)
    assert found, f"no row for {issue}"
    return found.group(1)


def test_the_assessment_page_holds_the_table_priorities_chart_scale_and_provenance(client: TestClient):
    response = client.get("/")
    assert response.status_code == 200
    page = response.text
    asb = row_of(page, "asb")
    assert '<a class="issue-link" href="/issue/asb">Anti-Social Behaviour</a>' in asb
    assert '<td class="score l4" data-criterion="trend">5</td>' in asb  # shaded, the number printed
    assert '<td class="num total">15</td><td class="priority">yes</td>' in asb
    assert '<table id="scores" class="scores">' in page
    assert re.search(r'<ol id="priorities">\s*<li data-issue="asb">', page)
    assert '<figure class="chart"' in page and "cutoff 10" in page
    assert '<link rel="stylesheet" href="/report.css">' in page
    assert "Scale: <span" in page and "5 High" in page
    assert "SHA-256 <code>" in page and "rules.yaml" in page
    for fmt in ("html", "xlsx", "markdown", "json"):
        assert f'<a class="download" data-format="{fmt}" data-href="/download/{fmt}" href="/download/{fmt}">' in page
    assert '<a class="skip" href="#main">' in page and '<main id="main">' in page
    assert '<script src="/static/whatif.js" defer></script>' in page
    assert "<style" not in page and "<script>" not in page


def test_the_report_css_is_the_reports_own_chart_and_overview_styles(client: TestClient):
    from engine.report.html_chart import CHART_CSS

    response = client.get("/report.css")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/css; charset=utf-8"
    assert response.text.startswith(CHART_CSS)


def test_a_hostile_issue_name_stays_text_on_every_page(project: Path):
    rules = project / "rules.yaml"
    rules.write_text(rules.read_text().replace("name: Anti-Social Behaviour", 'name: "<script>alert(1)</script>"'))
    client = client_for(rules)
    for url in ("/", "/issue/asb", "/download/html"):
        text = client.get(url).text
        assert "<script>alert(1)</script>" not in text, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, url


def test_the_issue_page_holds_the_whole_trace(client: TestClient):
    response = client.get("/issue/asb")
    assert response.status_code == 200
    page = response.text
    assert "<h1>Anti-Social Behaviour</h1>" in page
    trace = page.split('<section id="trace"', 1)[1]
    assert re.search(r'<a href="/data#[^"]*data/crime\.csv-2"><code>[^<]*data/crime\.csv</code> row 2</a>', trace)
    assert "<dt>Working</dt><dd>(1150 - 1000) / 1000 x 100 = 15.0</dd>" in trace
    # every band listed, the one that matched said in words
    assert '<td>to 0</td><td class="num">0</td><td>no</td>' in trace
    assert '<tr class="matched"><td>from 15</td><td class="num">5</td><td><strong>matched' in trace
    assert "<dt>Rationale</dt><dd>Residents raise it at every PACT meeting.</dd>" in trace
    assert "<dt>Evidence</dt><dd>PACT minutes 2023-24</dd>" in trace
    assert "Total: 5 + 5 + 5 = 15 (sum of the criterion scores)" in trace
    assert "Cutoff: 15 &gt;= 10, so this issue IS a priority (5 above the cutoff). Rank 1 of" in trace


def test_every_source_row_linked_from_a_trace_is_on_the_data_page(client: TestClient):
    trace = client.get("/issue/asb").text
    targets = set(re.findall(r'href="/data#([^"]+)"', trace))
    assert targets
    data = client.get("/data")
    assert data.status_code == 200
    for target in targets:
        assert f'<tr id="{target}">' in data.text
    assert '<th scope="col" title="column previous">Previous year</th>' in data.text


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/issue/asbb", 404, "no issue `asbb` in this assessment; did you mean `asb`?\n"),
        ("/issue/zzz", 404, "no issue `zzz` in this assessment\n"),
        ("/?area=Testshir", 404, "no area `Testshir` in this assessment; did you mean `Testshire`?\n"),
        ("/download/pdf", 404, "no download `pdf`: choose one of html, xlsx, markdown, json\n"),
        ("/download/json?set=priority.cutoff", 400, "--set[1]:1:1: `priority.cutoff` has no `=`\n"),
    ],
)
def test_bad_requests_get_a_plain_message(client: TestClient, url: str, status: int, message: str):
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.splitlines()[0] == message.splitlines()[0]


def test_a_setting_the_rules_reject_is_a_400_naming_it(client: TestClient):
    response = client.get("/download/json", params={"set": "priority.cutof=26"})
    assert response.status_code == 400
    assert "priority.cutof" in response.text and "Traceback" not in response.text


@pytest.mark.parametrize(
    ("fmt", "media", "name"),
    [
        ("html", "text/html; charset=utf-8", "test-assessment.html"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "test-assessment.xlsx"),
        ("markdown", "text/markdown; charset=utf-8", "test-assessment.md"),
        ("json", "application/json", "test-assessment.json"),
    ],
)
def test_each_download_is_an_attachment_of_its_type(client: TestClient, fmt: str, media: str, name: str):
    response = client.get(f"/download/{fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'


def test_the_workbook_opens_with_openpyxl(client: TestClient):
    book = openpyxl.load_workbook(io.BytesIO(client.get("/download/xlsx").content))
    assert book.sheetnames[0] == "Scores"


def test_downloads_reflect_the_what_if(client: TestClient):
    before = json.loads(client.get("/download/json").text)
    after = json.loads(client.get("/download/json", params={"set": "priority.cutoff=26"}).text)
    assert (before["cutoff"], before["areas"][0]["priorities"]) == (10, ["asb"])
    assert (after["cutoff"], after["areas"][0]["priorities"]) == (26, [])
    assert after["provenance"]["parameters"]["set[1]"] == "priority.cutoff=26"
    html = client.get("/download/html?set=priority.cutoff=26").text
    assert "an issue is a priority when its total is at least 26" in html
    markdown = client.get("/download/markdown?set=priority.cutoff=26").text
    assert "26" in markdown
    book = openpyxl.load_workbook(io.BytesIO(client.get("/download/xlsx?set=priority.cutoff=26").content))
    assert book["Scores"].max_row > 1


def test_several_areas_open_on_an_overview_linking_to_each_area(kent: TestClient):
    page = kent.get("/").text
    assert "Every area at a glance" in page
    assert '<a class="area-link" href="/?area=Sevenoaks">Sevenoaks</a>' in page
    assert '<span class="visually-hidden">priority</span>' in page
    area = kent.get("/?area=Sevenoaks")
    assert area.status_code == 200
    assert "<h1>" in area.text and ": Sevenoaks</h1>" in area.text
    assert 'href="/issue/anti_social_behaviour?area=Sevenoaks"' in area.text
    assert 'href="/download/html?area=Sevenoaks"' in area.text


def test_an_issue_of_several_areas_needs_its_area(kent: TestClient):
    response = kent.get("/issue/anti_social_behaviour")
    assert response.status_code == 404
    assert response.text.startswith("issue `anti_social_behaviour` is scored in several areas: add ?area=NAME")
    page = kent.get("/issue/anti_social_behaviour?area=Sevenoaks")
    assert page.status_code == 200
    assert "Rank 1 of" in page.text


def test_an_area_download_holds_that_area_only(kent: TestClient):
    document = json.loads(kent.get("/download/json?area=Dartford").text)
    assert [a["area"] for a in document["areas"]] == ["Dartford"]
    assert len(json.loads(kent.get("/download/json").text)["areas"]) == 13


def test_safe_file_names():
    assert safe_name("Ynys Môn: 2024/25 <x>", "html") == "ynys-mon-2024-25-x.html"
    assert safe_name("***", "md") == "assessment.md"
