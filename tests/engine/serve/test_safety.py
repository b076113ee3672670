"""What keeps ``cspscore serve`` local and its answers inert (README, "A page to click through"): loopback hosts
only, the token on every POST, the Origin checked, the CSP on every response (pages, static files, refusals,
errors), no way out of /static, only the rule file's tree read, and no traceback in any 4xx or 5xx; and the page
following the rule file on disk: a broken file lists every problem with its place and hint, the last valid result
staying visible, marked stale."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from engine.serve.app import create_app
from engine.serve.security import CSP, HEADERS, allowed_hosts
from engine.serve.state import LiveAssessment
from tests.conftest import MINI
from tests.helpers import edit

from .test_app import TOKEN, touch_later


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(MINI, target)
    return target


def app_for(project: Path, host: str = "127.0.0.1") -> Any:
    return create_app(LiveAssessment(project / "rules.yaml"), host, 8000, token=TOKEN)


@pytest.fixture
def client(project: Path) -> TestClient:
    return TestClient(app_for(project), base_url="http://127.0.0.1:8000", raise_server_exceptions=False)


def raw_get(app: Any, path: bytes, host: bytes = b"127.0.0.1:8000") -> tuple[int, dict[str, str], str]:
    """(status, headers, body) of a GET whose path reaches the app exactly as written (no client tidies it)."""
    sent: list[dict[str, Any]] = []
    decoded = path.decode("latin-1")
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": decoded.split("?")[0],
        "raw_path": path,
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", host)],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent[1:]).decode("utf-8", "replace")
    return start["status"], headers, body


def assert_inert(headers: Any) -> None:
    for name, value in HEADERS.items():
        assert headers[name.lower()] == value, name


# --- hosts -------------------------------------------------------------------------------------------------------


def test_loopback_is_the_default_and_only_loopback_names_are_answered():
    assert allowed_hosts("127.0.0.1", 8000) == {
        "127.0.0.1",
        "localhost",
        "127.0.0.1:8000",
        "localhost:8000",
    }


@pytest.mark.parametrize(
    "host",
    ["attacker.example", "attacker.example:8000", "127.0.0.1.nip.io:8000", "127.0.0.1:8001", "localhost.:8000", ""],
)
def test_a_request_addressed_to_any_other_host_is_refused_plainly(project: Path, host: str):
    status, headers, body = raw_get(app_for(project), b"/", host.encode())
    assert status == 400
    assert body == "this server answers only requests addressed to 127.0.0.1\n"
    assert_inert(headers)


def test_an_explicit_host_is_answered_only_under_its_own_name(project: Path):
    app = app_for(project, "192.0.2.7")
    assert raw_get(app, b"/", b"192.0.2.7:8000")[0] == 200
    assert raw_get(app, b"/", b"127.0.0.1:8000")[0] == 400


# --- cross-site requests -----------------------------------------------------------------------------------------

POSTS = ["/api/whatif", "/api/scenario", "/api/state", "/", "/issue/asb", "/no-such-page"]


@pytest.mark.parametrize("path", POSTS)
def test_every_post_without_the_token_is_refused(client: TestClient, path: str):
    for headers in ({}, {"X-CSRF-Token": ""}, {"X-CSRF-Token": TOKEN + "x"}, {"X-CSRF-Token": "test-toke"}):
        response = client.post(path, json={"changes": []}, headers=headers)
        assert response.status_code == 403, headers
        assert response.text == "refused: the page's token is missing or out of date; reload the page\n"
        assert_inert(response.headers)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_changing_methods_need_the_token_too(client: TestClient, method: str):
    response = client.request(method, "/api/scenario")
    assert response.status_code == 403


@pytest.mark.parametrize(
    "origin", ["http://attacker.example", "http://127.0.0.1:8001", "null", "http://localhost.attacker.example:8000"]
)
def test_a_post_from_another_origin_is_refused_even_with_the_token(client: TestClient, origin: str):
    response = client.post("/api/whatif", json={"changes": []}, headers={"X-CSRF-Token": TOKEN, "Origin": origin})
    assert response.status_code == 403
    assert response.text == "refused: this request came from another site\n"


def test_the_token_is_in_every_page_and_new_for_every_server(project: Path):
    page = TestClient(app_for(project), base_url="http://127.0.0.1:8000").get("/").text
    assert f'<meta name="csrf-token" content="{TOKEN}">' in page
    one = create_app(LiveAssessment(project / "rules.yaml")).app.state.token
    two = create_app(LiveAssessment(project / "rules.yaml")).app.state.token
    assert one != two and len(one) >= 32


# --- headers on every response -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/api/state", "/static/style.css", "/static/live.js", "/no-such-page"])
def test_every_response_carries_the_csp_and_the_other_headers(client: TestClient, path: str):
    response = client.get(path)
    assert response.headers["content-security-policy"] == CSP
    assert_inert(response.headers)


def test_the_csp_allows_no_inline_script_no_eval_and_nothing_from_the_network():
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-eval" not in CSP and "unsafe-inline" not in directives["script-src"]
    assert "http" not in CSP


def test_pages_and_scripts_carry_no_inline_script_or_handler(client: TestClient):
    import re

    page = client.get("/").text
    assert re.findall(r"<script(?![^>]*\bsrc=\"/static/)[^>]*>", page) == []
    assert re.findall(r"\son[a-z]+\s*=", page) == []


# --- static files: no way out --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        b"/static/../../etc/passwd",
        b"/static/../app.py",
        b"/static/..%2f..%2fetc%2fpasswd",
        b"/static/%2e%2e/%2e%2e/etc/passwd",
        b"/static/%2e%2e%2fapp.py",
        b"/static/....//....//etc/passwd",
        b"/static//etc/passwd",
        b"/static/%252e%252e/app.py",
    ],
)
def test_no_path_leaves_the_static_folder(project: Path, path: bytes):
    status, headers, body = raw_get(app_for(project), path)
    assert status == 404
    assert body == "Not Found\n"
    assert "root:" not in body and "create_app" not in body
    assert_inert(headers)


def test_the_static_files_are_served(client: TestClient):
    response = client.get("/static/live.js")
    assert response.status_code == 200
    assert "/api/state" in response.text


# --- reading only the rule file's tree -----------------------------------------------------------------------------


def test_a_dataset_outside_the_rule_files_tree_is_refused_as_score_refuses_it(tmp_path: Path, project: Path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(project / "data" / "crime.csv", outside / "crime.csv")
    edit(project / "rules.yaml", "file: data/crime.csv", "file: ../elsewhere/crime.csv")
    snapshot = LiveAssessment(project / "rules.yaml").current()
    assert snapshot.result is None
    assert any("outside" in str(p) for p in snapshot.problems), [str(p) for p in snapshot.problems]
    page = TestClient(app_for(project), base_url="http://127.0.0.1:8000").get("/")
    assert page.status_code == 200
    assert "The rule file is not valid" in page.text
    assert "Anti-Social Behaviour" not in page.text


# --- no traceback -------------------------------------------------------------------------------------------------


def test_a_bug_is_a_plain_500_without_a_traceback(project: Path, monkeypatch: pytest.MonkeyPatch):
    from engine.serve import pages

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("secret internals /etc/passwd")

    monkeypatch.setattr(pages, "render", broken)
    response = TestClient(app_for(project), base_url="http://127.0.0.1:8000", raise_server_exceptions=False).get("/")
    assert response.status_code == 500
    assert response.text == "internal error: this is a bug in cspscore; please report it\n"
    assert_inert(response.headers)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/no-such-page"), ("GET", "/static/nothing.js"), ("POST", "/api/state"), ("GET", "/%ff")],
)
def test_no_refusal_shows_a_traceback(client: TestClient, method: str, path: str):
    response = client.request(method, path)
    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert response.headers["content-type"].startswith("text/plain")


# --- the rule file on disk ------------------------------------------------------------------------------------------


def test_an_edit_on_disk_shows_the_new_result(client: TestClient, project: Path):
    assert "Test assessment" in client.get("/").text
    edit(project / "rules.yaml", "title: Test assessment", "title: Edited assessment")
    touch_later(project / "rules.yaml")
    page = client.get("/").text
    assert "Edited assessment" in page and "Test assessment" not in page
    assert client.get("/api/state").json() == {"version": 2, "stale": False, "problems": []}


def test_a_broken_file_lists_every_problem_with_its_place_and_hint_and_keeps_the_last_result_stale(
    client: TestClient, project: Path
):
    client.get("/")
    rules = project / "rules.yaml"
    edit(rules, "cutoff: 10", "cutof: 10")  # a misspelt key: a hint
    edit(rules, "    name: Community Concern", "    name: Community Concern\n    nmae: x")
    touch_later(rules)
    state = client.get("/api/state").json()
    assert state["stale"] is True
    problems = state["problems"]
    assert len(problems) >= 2
    for problem in problems:
        assert problem["file"].endswith("rules.yaml") and problem["line"] > 0 and problem["column"] > 0
        assert problem["text"].startswith(f"{problem['file']}:{problem['line']}:{problem['column']}: ")
    assert any(p["hint"] for p in problems)
    page = client.get("/").text
    assert "the result below is the last valid one (stale)" in page
    assert "Anti-Social Behaviour" in page
    for problem in problems:
        assert f'<code class="where">{problem["text"]}</code>' in page.replace("&#39;", "'").replace("&#34;", '"')
        if problem["hint"]:
            assert "Hint: " in page
