"""The server's skeleton as a browser meets it (Starlette's test client): the guard, the headers, the assessment
page and the live state that follows the rule file on disk."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from engine.serve.app import create_app
from engine.serve.security import CSP
from engine.serve.state import LiveAssessment
from tests.conftest import MINI

TOKEN = "test-token"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def client(project: Path) -> TestClient:
    app = create_app(LiveAssessment(project / "rules.yaml"), "127.0.0.1", 8000, token=TOKEN)
    return TestClient(app, base_url="http://127.0.0.1:8000")


def touch_later(path: Path) -> None:
    """Move a file's modification time on, as saving it in an editor a moment later does."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 2_000_000_000))


def test_the_assessment_page_lists_every_issue_with_the_headers_that_keep_it_inert(client: TestClient):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-eval" not in CSP
    assert response.headers["x-frame-options"] == "DENY"
    for name in ("Anti-Social Behaviour", "Scams", "Burglary"):
        assert name in response.text
    assert f'<meta name="csrf-token" content="{TOKEN}">' in response.text
    assert "<script>" not in response.text  # scripts only from the server's own files


def test_a_request_addressed_to_another_host_is_refused(project: Path):
    app = create_app(LiveAssessment(project / "rules.yaml"), "127.0.0.1", 8000, token=TOKEN)
    response = TestClient(app, base_url="http://attacker.example").get("/")
    assert response.status_code == 400
    assert response.text == "this server answers only requests addressed to 127.0.0.1\n"


def test_a_post_without_the_token_or_from_another_origin_is_refused(client: TestClient):
    assert client.post("/api/state").text == "refused: the page's token is missing or out of date; reload the page\n"
    response = client.post("/api/state", headers={"X-CSRF-Token": TOKEN, "Origin": "http://attacker.example"})
    assert response.status_code == 403
    assert response.text == "refused: this request came from another site\n"


def test_the_state_follows_the_rule_file_and_keeps_the_last_valid_result_when_it_breaks(
    client: TestClient, project: Path
):
    first = client.get("/api/state").json()
    assert first == {"version": 1, "stale": False, "problems": []}
    rules = project / "rules.yaml"
    text = rules.read_text()
    rules.write_text(text.replace("cutoff: 10", "cutoff: [10"))
    touch_later(rules)
    broken = client.get("/api/state").json()
    assert broken["version"] == 2 and broken["stale"] is True
    assert broken["problems"][0]["text"].startswith("rules.yaml:") or "rules.yaml:" in broken["problems"][0]["text"]
    page = client.get("/").text
    assert "the result below is the last valid one (stale)" in page
    assert "Anti-Social Behaviour" in page  # the last valid result stays visible
    rules.write_text(text)
    touch_later(rules)
    assert client.get("/api/state").json() == {"version": 3, "stale": False, "problems": []}


def test_an_unknown_page_is_a_plain_404(client: TestClient):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.text == "Not Found\n"
