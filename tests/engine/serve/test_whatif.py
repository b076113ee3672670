"""What-if in the browser: POST /api/whatif for every kind of change, scenarios saved beside the rule file,
the sweep, and every bad request answered with a 4xx and the engine's own message."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from cli import main
from engine.paths import default_rules
from engine.serve.app import create_app
from engine.serve.state import LiveAssessment
from tests.conftest import MINI

TOKEN = "test-token"
HEADERS = {"X-CSRF-Token": TOKEN}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(MINI, target)
    return target


def client_for(rules: Path) -> TestClient:
    return TestClient(create_app(LiveAssessment(rules), token=TOKEN), base_url="http://127.0.0.1:8000")


@pytest.fixture
def client(project: Path) -> TestClient:
    return client_for(project / "rules.yaml")


def whatif(client: TestClient, *changes: tuple[str, Any]) -> Any:
    return client.post("/api/whatif", json={"changes": [{"path": p, "value": v} for p, v in changes]}, headers=HEADERS)


def rows(response: Any) -> dict[str, dict[str, Any]]:
    assert response.status_code == 200, response.text
    return {row["issue_id"]: row for row in response.json()["rows"]}


# The mini assessment as written: asb 5+5+5 = 15 (priority), scams 5+3+1 = 9, burglary 3+0+3 = 6; cutoff 10.


def test_no_change_gives_the_rules_as_written(client: TestClient):
    body = whatif(client).json()
    assert [(r["issue_id"], r["total"], r["priority"], r["rank"], r["change"]) for r in body["rows"]] == [
        ("asb", 15, True, 1, None),
        ("scams", 9, False, 2, None),
        ("burglary", 6, False, 3, None),
    ]
    assert body["priorities"] == ["asb"] and body["entering"] == [] and body["leaving"] == []
    assert body["changes"] == [] and body["problems"] == []


def test_a_lower_cutoff_brings_issues_in(client: TestClient):
    body = whatif(client, ("priority.cutoff", "9")).json()
    assert body["priorities"] == ["asb", "scams"]
    assert body["entering"] == ["scams"] and body["leaving"] == []
    assert rows(whatif(client, ("priority.cutoff", 9)))["scams"]["change"] == "enters"
    assert body["changes"] == [{"path": "priority.cutoff", "before": "10", "after": "9"}]


def test_a_higher_cutoff_takes_issues_out(client: TestClient):
    body = whatif(client, ("priority.cutoff", "16")).json()
    assert body["priorities"] == [] and body["leaving"] == ["asb"]
    assert rows(whatif(client, ("priority.cutoff", "16")))["asb"]["change"] == "leaves"


def test_a_band_edge_moves_its_neighbour_and_rescores(client: TestClient):
    response = whatif(client, ("criteria.trend.bands[2].from", "20"))
    body = response.json()
    assert body["changes"] == [
        {"path": "criteria.trend.bands[2].from", "before": "15", "after": "20"},
        {"path": "criteria.trend.bands[1].below", "before": "15", "after": "20", "linked": True},
    ]
    got = rows(response)
    assert got["asb"]["scores"] == {"concern": 5, "trend": 3, "volume": 5}
    assert got["asb"]["total"] == 13 and got["asb"]["priority"] is True


def test_the_grid_and_the_cli_agree_on_a_band_edge(project: Path, client: TestClient):
    got = rows(whatif(client, ("criteria.trend.bands[2].from", "20"), ("priority.cutoff", "13")))
    out = CliRunner().invoke(
        main,
        ["whatif", str(project / "rules.yaml"), "--set", "criteria.trend.bands[2].from=20", "--cutoff", "13"],
    )
    assert out.exit_code == 0, out.output
    assert "asb" in out.output
    assert {k: (v["total"], v["priority"]) for k, v in got.items()} == {
        "asb": (13, True),
        "scams": (9, False),
        "burglary": (6, False),
    }


def test_a_judgement_score(client: TestClient):
    response = whatif(client, ("issues.scams.judgements.concern.score", "0"))
    got = rows(response)
    assert got["scams"]["scores"]["concern"] == 0 and got["scams"]["total"] == 4
    assert response.json()["changes"] == [
        {"path": "issues.scams.judgements.concern.score", "before": "5", "after": "0"}
    ]


def test_a_weight(project: Path):
    rules = project / "rules.yaml"
    rules.write_text(
        rules.read_text().replace(
            "  method: sum\n", "  method: weighted_sum\n  weights:\n    concern: 1\n    trend: 1\n    volume: 1\n"
        )
    )
    client = client_for(rules)
    page = client.get("/").text
    assert 'class="weight"' in page and 'data-path="total.weights.trend"' in page
    response = whatif(client, ("total.weights.trend", "2"))
    got = rows(response)
    assert (got["asb"]["total"], got["scams"]["total"], got["burglary"]["total"]) == (20, 12, 6)
    assert response.json()["entering"] == ["scams"]


def test_max_priorities_goes_through_the_rule_file_with_a_tie_rule(client: TestClient):
    response = whatif(client, ("priority.cutoff", "5"), ("priority.max_priorities", "2"))
    body = response.json()
    assert body["priorities"] == ["asb", "scams"] and body["entering"] == ["scams"]
    assert rows(response)["burglary"]["priority"] is False
    assert {c["path"]: (c["before"], c["after"]) for c in body["changes"]} == {
        "priority.cutoff": ("10", "5"),
        "priority.max_priorities": ("(not set)", "2"),
        "priority.ties": ("(not set)", "include_all"),
    }


def test_the_bundled_assessment_is_evaluated_correctly_and_quickly():
    from engine.load.overlay import parse_set_option
    from engine.pipeline import run
    from engine.score.totals import as_decimal

    client = client_for(default_rules())
    whatif(client)  # first request: the live assessment is scored
    sets = (
        "criteria.trend.bands[3].from=15",
        "issues.safeguarding.judgements.community_concern.score=1",
        "priority.cutoff=25",
    )
    started = time.perf_counter()
    response = whatif(client, *(tuple(s.split("=")) for s in sets))  # type: ignore[misc]
    elapsed = time.perf_counter() - started
    print(f"what-if on the bundled assessment: {elapsed * 1000:.1f} ms")  # the report quotes it (pytest -s)
    got = rows(response)
    expected = run(default_rules(), [parse_set_option(s, n) for n, s in enumerate(sets, start=1)])
    for i, issue in enumerate(expected.issue_ids):
        assert got[issue]["total_text"] == str(as_decimal(int(expected.total_units[i]), expected.total_places))
        assert got[issue]["priority"] == bool(expected.priority[i])
        assert got[issue]["rank"] == int(expected.rank[i])
    assert any(row["change"] for row in got.values())  # the change matters: some issue enters or leaves


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ([("priority.cutof", "9")], "`priority.cutof`: unknown key `cutof` (did you mean `cutoff`?)"),
        ([("priority.cutoff", "abc")], "`priority.cutoff`: `abc` is not a number (e.g. 5, 0.5 or 1e3)"),
        (
            [("issues.scams.judgements.concern.score", "4")],
            "`issues.scams.judgements.concern.score`: 4 is not on the scale (allowed: 0, 1, 3, 5)",
        ),
        (
            [("issues.nobody.judgements.concern.score", "3")],
            "`issues.nobody.judgements.concern.score`: there is no issue `nobody`",
        ),
        (
            [("criteria.trend.bands[9].from", "3")],
            "`criteria.trend.bands[9].from`: criteria.trend.bands has 3 entries, [0] to [2], so there is no [9] "
            "(counting starts at 0: the first entry is [0], the last [2])",
        ),
        (
            [("criteria.trend.bands[2].from", "-5")],
            "with these edges the bands of `trend` would overlap or leave a gap "
            "(keep each band boundary between its neighbours)",
        ),
        ([("criteria.trend.bands[2].from", "15.05")], None),
        ([("priority.max_priorities", "two")], "`priority.max_priorities`: `two` is not a whole number (e.g. 5)"),
        ([("priority.cutoff", True)], "`priority.cutoff`: the value must be a number, written as text or as a number"),
        ([("priority..cutoff", "9")], None),
    ],
)
def test_a_bad_change_is_a_400_with_the_engines_message(client: TestClient, changes: Any, message: str | None):
    response = whatif(client, *changes)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert "Traceback" not in response.text
    if message is not None:
        assert response.text == message + "\n"
    else:
        assert response.text.strip()


def test_bad_bodies_are_refused_plainly(client: TestClient):
    post = lambda content: client.post("/api/whatif", content=content, headers=HEADERS)
    assert (post(b"{not json").status_code, post(b"{not json").text) == (400, "the request body is not JSON\n")
    assert post(b"[1, 2]").text == "the request body must be a JSON object\n"
    assert post(b'{"changes": 3}').text == '`changes` must be a list of {"path": ..., "value": ...}\n'
    assert post(b'{"changes": [{"path": "priority.cutoff"}]}').text == (
        'change 1 must be {"path": "...", "value": ...}\n'
    )
    assert post(b'{"changes": [{"path": "priority.cutoff", "value": NaN}]}').text == "the request body is not JSON\n"
    many = {"changes": [{"path": "priority.cutoff", "value": "9"}] * 501}
    response = client.post("/api/whatif", json=many, headers=HEADERS)
    assert (response.status_code, response.text) == (400, "501 changes is too many (the limit is 500)\n")
    big = b'{"changes": [], "pad": "' + b"x" * (65 * 1024) + b'"}'
    response = post(big)
    assert (response.status_code, response.text) == (413, "the request is too large (the limit is 64 KB)\n")


def test_the_api_needs_the_pages_token(client: TestClient):
    response = client.post("/api/whatif", json={"changes": []})
    assert response.status_code == 403
    assert response.text == "refused: the page's token is missing or out of date; reload the page\n"
    response = client.post("/api/scenario", json={"name": "x", "changes": []})
    assert response.status_code == 403
    assert client.get("/api/whatif").status_code == 405


def test_the_panel_offers_every_control_of_the_contract(client: TestClient):
    page = client.get("/").text
    for needle in (
        '<form id="whatif"',
        'id="cutoff" type="number"',
        'id="max-priorities" type="number"',
        'class="band-edge" type="number" step="0.1" inputmode="decimal" data-path="criteria.trend.bands[1].above"',
        'data-path="criteria.volume.bands[2].from"',
        '<select id="judgement-1" class="judgement" data-path="issues.asb.judgements.concern.score" data-base="5">',
        '<option value="5" selected>5 High</option>',
        '<button id="reset" type="button">',
        '<input id="scenario-name"',
        '<button id="save-scenario"',
        '<p id="save-status" role="status"',
        '<ul id="changes">',
        '<section id="sweep"',
        '<script src="/static/whatif.js" defer></script>',
    ):
        assert needle in page, needle
    assert 'class="weight"' not in page  # a plain sum has no weights
    assert client.get("/static/whatif.js").status_code == 200
    assert client.get("/static/whatif.css").status_code == 200


def save(client: TestClient, name: Any, *changes: tuple[str, Any], overwrite: Any = False) -> Any:
    body = {"name": name, "changes": [{"path": p, "value": v} for p, v in changes], "overwrite": overwrite}
    return client.post("/api/scenario", json=body, headers=HEADERS)


def test_a_saved_scenario_is_read_by_cspscore_whatif_with_the_same_totals(
    client: TestClient, project: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(project)
    changes = (("criteria.trend.bands[2].from", "20"), ("priority.cutoff", "9"), ("priority.max_priorities", "1"))
    response = save(client, "trend-20", *changes)
    assert response.status_code == 200, response.text
    assert response.json()["file"] == "scenarios/trend-20.yaml"
    written = (project / "scenarios" / "trend-20.yaml").read_text()
    assert 'scenario: "trend-20"\nbase: "../rules.yaml"\n' in written
    assert '"criteria.trend.bands[2].from": 20' in written
    out = CliRunner().invoke(main, ["whatif", "rules.yaml", "--scenario", "scenarios/trend-20.yaml", "--format", "csv"])
    assert out.exit_code == 0, out.output
    page = rows(whatif(client, *changes))
    assert page["asb"]["total"] == 13 and page["scams"]["priority"] is False  # at most one priority
    for issue, row in page.items():
        line = next(line for line in out.output.splitlines() if f",{issue}," in f",{line}")
        assert f",{row['total_text']}," in f",{line},", (line, row)


def test_saving_refuses_to_overwrite_unless_asked(client: TestClient, project: Path):
    assert save(client, "cut-9", ("priority.cutoff", "9")).status_code == 200
    again = save(client, "cut-9", ("priority.cutoff", "8"))
    assert again.status_code == 409
    assert again.text.endswith("scenarios/cut-9.yaml exists already (confirm to replace it, or choose another name)\n")
    assert 'priority.cutoff": 9' in (project / "scenarios" / "cut-9.yaml").read_text()
    replaced = save(client, "cut-9", ("priority.cutoff", "8"), overwrite=True)
    assert replaced.status_code == 200
    assert 'priority.cutoff": 8' in (project / "scenarios" / "cut-9.yaml").read_text()


@pytest.mark.parametrize("name", ["../escape", "a/b", "a\\b", ".hidden", "", "with space", "x" * 65, 5, None, "é"])
def test_saving_refuses_names_with_path_characters(client: TestClient, project: Path, name: Any):
    response = save(client, name, ("priority.cutoff", "9"))
    assert response.status_code == 400
    assert response.text == (
        "a scenario name is 1 to 64 letters, digits, - and _ (no spaces, dots or slashes) (e.g. cutoff-26)\n"
    )
    assert not (project / "scenarios").exists()
    assert sorted(p.name for p in project.parent.iterdir()) == ["project"]


def test_saving_a_bad_change_saves_nothing(client: TestClient, project: Path):
    response = save(client, "bad", ("priority.cutoff", "abc"))
    assert (response.status_code, response.text) == (
        400,
        "`priority.cutoff`: `abc` is not a number (e.g. 5, 0.5 or 1e3)\n",
    )
    assert save(client, "ok", ("priority.cutoff", "9"), overwrite="yes").text == "`overwrite` must be true or false\n"
    assert not (project / "scenarios").exists()


def test_saving_refuses_a_scenarios_folder_that_leads_elsewhere(client: TestClient, project: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "scenarios").symlink_to(elsewhere)
    response = save(client, "x", ("priority.cutoff", "9"))
    assert response.status_code == 400
    assert "it is not a folder beside the rule file" in response.text
    assert list(elsewhere.iterdir()) == []


def test_the_sweep_shows_where_priorities_flip(client: TestClient):
    response = client.get("/api/sweep", params={"path": "priority.cutoff", "start": "5", "stop": "16", "step": "1"})
    assert response.status_code == 200
    body = response.json()
    assert (body["path"], body["value"], body["values"], body["skipped"]) == ("priority.cutoff", "10", 12, 0)
    flips = {issue["issue_id"]: issue["flips"] for issue in body["issues"]}
    assert flips == {"asb": ["16"], "scams": ["10"], "burglary": ["7"]}
    asb = body["issues"][0]
    assert asb["runs"] == [
        {"priority": True, "from": "5", "to": "15"},
        {"priority": False, "from": "16", "to": "16"},
    ]


def test_a_band_edge_sweep_counts_the_values_it_skips(client: TestClient):
    params = {"path": "criteria.trend.bands[2].from", "start": "-10", "stop": "30", "step": "10"}
    body = client.get("/api/sweep", params=params).json()
    assert body["values"] == 5 and body["skipped"] >= 1  # a boundary at or below 0 overlaps band 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"path": "priority.cutoff", "start": "5", "stop": "1", "step": "1"},
            "`priority.cutoff`: START:STOP:STEP needs STEP above 0 and STOP at least START",
        ),
        ({"path": "priority.cutof", "start": "5", "stop": "9", "step": "1"}, None),
        (
            {"path": "priority.cutoff", "start": "", "stop": "9", "step": "1"},
            "say the sweep's start (e.g. path=priority.cutoff&start=5&stop=20&step=1)",
        ),
        ({"path": "priority.cutoff", "start": "x", "stop": "9", "step": "1"}, None),
        ({"path": "priority.cutoff", "start": "0", "stop": "1000000", "step": "0.0001"}, None),
    ],
)
def test_a_bad_sweep_is_a_400(client: TestClient, params: dict[str, str], message: str | None):
    response = client.get("/api/sweep", params=params)
    assert response.status_code == 400
    assert "Traceback" not in response.text
    if message is not None:
        assert response.text == message + "\n"
