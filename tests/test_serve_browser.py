"""``cspscore serve`` in a real headless Chromium (Debian's ``chromium``), as an officer uses it.

The real server runs in a subprocess (``cspscore serve --port 0``) over a copy of the bundled assessment in the
test's tmp folder; the browser opens the page, clicks, types, and the test waits for what a person would see.
Screenshots at 1280 and 390 px go to the test's tmp folder (``artifacts/``), and to ``docs/serve.png`` for the
README when ``UPDATE_SCREENSHOTS=1``. Skipped without chromium, unless CSPSCORE_REQUIRE_BROWSER is set (CI sets it).

The server start, the live reload and the page's first look run on every branch. The parts that use the issue
page and the what-if panel need those routes; each such test says which and is skipped, with that reason, only
while its route is not yet in the application (``needs``) — once merged they must run and pass.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .browser import CHROMIUM, Chromium
from .conftest import ROOT
from .helpers import edit
from .serve_process import Served, cspscore

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("CSPSCORE_REQUIRE_BROWSER"),
        reason="no chromium on PATH (CI installs Debian's chromium; install it to run this)",
    ),
]

WIDTHS = (1280, 390)
RULES = "rules/sevenoaks-2020.yaml"


def needs(route: str, who: str) -> None:
    """Skip the rest of the test while the application has no ``route`` (built by ``who``, not yet merged)."""
    from engine.serve.app import create_app
    from engine.serve.state import LiveAssessment

    app = create_app(LiveAssessment(ROOT / RULES)).app
    paths = [getattr(r, "path", "") for r in app.routes]
    if not any(p == route or p.startswith(route.rstrip("/") + "/") for p in paths):
        pytest.skip(f"waits for {route} ({who}): not in this branch's application yet")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the bundled assessment (rules/ and datasets/) to serve and edit."""
    target = tmp_path / "project"
    target.mkdir()
    shutil.copytree(ROOT / "rules", target / "rules")
    shutil.copytree(ROOT / "datasets", target / "datasets")
    return target


@pytest.fixture
def served(folder: Path):
    with Served(RULES, "--port", "0", cwd=folder) as server:
        assert server.url, f"no address line: {server.first!r}"
        yield server
        assert server.stop() == 0


@pytest.fixture
def browser(tmp_path: Path):
    with Chromium(tmp_path / "profile") as chromium:
        chromium.resize(1280)
        chromium.watch_errors()
        yield chromium
        # No page raised a script error, logged one, broke its Content-Security-Policy or failed to load a file.
        # (A saved scenario's name refused by the server is a 4xx the page reports, not a page error.)
        assert chromium.errors == [], chromium.errors


def test_the_assessment_page_opens_and_screenshots_at_1280_and_390(served: Served, browser: Chromium, tmp_path: Path):
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    browser.navigate(served.url)
    assert browser.text("h1") == "Strategic Assessment 2020"
    names = browser.texts("tbody th")
    assert "Domestic Abuse" in names and len(names) == 6
    for width in WIDTHS:
        browser.resize(width)
        browser.wait_for(f"window.innerWidth === {width}", f"the window at {width} px")
        browser.screenshot(artifacts / f"serve-{width}.png")
        assert (artifacts / f"serve-{width}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        smallest = browser.evaluate(
            "Math.min(...[...document.querySelectorAll('main td, main th')].map(e => parseFloat(getComputedStyle(e).fontSize)))"
        )
        assert smallest >= 12, f"table text {smallest} px at {width} px"
        # nothing runs off the side of a phone: a wide table scrolls inside its own box, not the page
        overflow = browser.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow} px wider than the window at {width} px"
    # keyboard: the first Tab reaches the skip link, and the focused element is visibly outlined
    browser.resize(1280)
    browser.navigate(served.url)
    browser.evaluate("document.activeElement.blur()")
    browser.key("Tab")
    focused = browser.evaluate(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return {text: e.textContent.trim(), outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; })()"
    )
    assert focused["text"] == "Skip to the content", focused
    assert focused["outline"] != "none" and focused["width"] >= 2, focused
    if os.environ.get("UPDATE_SCREENSHOTS"):
        browser.resize(1280, 800)
        browser.navigate(served.url)
        browser.screenshot(ROOT / "docs" / "serve.png")


def test_the_page_follows_the_rule_file_on_disk(served: Served, browser: Chromium, folder: Path):
    rules = folder / RULES
    browser.navigate(served.url)
    assert browser.text("h1") == "Strategic Assessment 2020"
    edit(rules, "title: Strategic Assessment 2020", "title: Strategic Assessment 2020 (draft 2)")
    browser.wait_for("document.querySelector('h1').textContent === 'Strategic Assessment 2020 (draft 2)'", "the edit")
    # Broken: every problem listed with its place and hint, the last valid result still shown, marked stale.
    edit(rules, "  cutoff: 20", "  cutof: 20")
    browser.wait_for("document.querySelector('.problems') !== null", "the problems")
    browser.wait_for(
        "(document.querySelector('.problems h2') || {textContent: ''}).textContent"
        ".includes('the result below is the last valid one (stale)')",
        "the stale notice",
    )
    problems = browser.texts(".problems li .where")
    assert problems and all(p.startswith("rules/sevenoaks-2020.yaml:") for p in problems), problems
    assert browser.texts(".problems .hint"), "no hint shown"
    browser.wait_for(
        "(document.querySelector('h1') || {}).textContent === 'Strategic Assessment 2020 (draft 2)'", "the last result"
    )
    # Mended: the problems go, the result is current again.
    edit(rules, "  cutof: 20", "  cutoff: 20")
    # (a page between two documents has no .problems either: wait for the mended page itself)
    browser.wait_for(
        "document.querySelector('.problems') === null"
        " && (document.querySelector('h1') || {}).textContent === 'Strategic Assessment 2020 (draft 2)'",
        "the problems to go",
    )


def test_an_issue_link_opens_its_trace(served: Served, browser: Chromium):
    needs("/issue/", "the pages engineer: engine/serve/pages.py")
    browser.navigate(served.url)
    browser.wait_for_selector('table#scores tr[data-issue="domestic_abuse"] a.issue-link')
    browser.click('tr[data-issue="domestic_abuse"] a.issue-link')
    browser.wait_for("location.pathname === '/issue/domestic_abuse'", "the issue page")
    browser.wait_for_selector("section#trace")
    assert browser.text("h1").strip() == "Domestic Abuse"
    assert browser.text("section#trace").strip()


def leaving_on_the_page(browser: Chromium) -> list[str]:
    return list(
        browser.evaluate(
            "[...document.querySelectorAll('table#scores tr[data-issue]')]"
            ".filter(r => (r.querySelector('td.priority span.change') || {}).textContent === 'leaves')"
            ".map(r => r.dataset.issue)"
        )
    )


def whatif_json(folder: Path, *args: str) -> dict:
    done = subprocess.run(
        [*cspscore("whatif", RULES, *args, "--format", "json")],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout)["variants"][0])


def test_a_higher_cutoff_shows_a_priority_leaving_and_a_saved_scenario_scores_the_same(
    served: Served, browser: Chromium, folder: Path, tmp_path: Path
):
    needs("/api/whatif", "the what-if engineer: engine/serve/whatif.py, static/whatif.js")
    browser.navigate(served.url)
    browser.wait_for_selector("form#whatif input#cutoff")
    assert browser.evaluate("document.querySelector('input#cutoff').value") == "20"
    browser.type("input#cutoff", "26")
    browser.wait_for("document.querySelector('td.priority span.change') !== null", "a change badge")
    assert leaving_on_the_page(browser) == ["substance_misuse"]
    expected = whatif_json(folder, "--cutoff", "26")
    assert expected["leaving"] == ["substance_misuse"] and expected["entering"] == []
    row = 'tr[data-issue="substance_misuse"] td.priority'
    assert browser.text(row).split()[0] == "no"  # a text label, not colour alone
    shown = browser.texts("ol#priorities li")
    assert len(shown) == 5
    browser.screenshot(tmp_path / "whatif-1280.png")

    needs("/api/scenario", "the what-if engineer: saving a scenario")
    before = set((folder / "rules" / "scenarios").glob("*.yaml"))
    browser.type("input#scenario-name", "cutoff-26-from-the-page")
    browser.click("button#save-scenario")
    browser.wait_for("document.querySelector('p#save-status').textContent.trim() !== ''", "the save status")
    status = browser.text("p#save-status")
    written = sorted(set((folder / "rules" / "scenarios").glob("*.yaml")) - before)
    assert len(written) == 1, (status, written)
    assert written[0].name in status
    saved = whatif_json(folder, "--scenario", str(written[0].relative_to(folder)))
    assert saved["leaving"] == expected["leaving"] and saved["entering"] == expected["entering"]
    assert [c["path"] for c in saved["changes"]] == ["priority.cutoff"]
    # The rule file itself is untouched by the page.
    assert (folder / RULES).read_bytes() == (ROOT / RULES).read_bytes()

    browser.click("button#reset")
    browser.wait_for("document.querySelector('td.priority span.change') === null", "the reset")
    assert browser.evaluate("document.querySelector('input#cutoff').value") == "20"


def test_the_server_is_stopped_by_ctrl_c_while_a_page_is_open(folder: Path, browser: Chromium):
    with Served(RULES, "--port", "0", cwd=folder) as server:
        browser.navigate(server.url)
        browser.wait_for_selector("h1")
        assert server.stop() == 0
    assert server.stderr == ""  # no traceback, no "Aborted!"
