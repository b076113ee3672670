"""The HTML report measured in a real headless Chromium (Debian's ``chromium``), at 1280 and 390 px and printed.

Each test writes its screenshots and PDF under its own tmp folder (``artifacts/``) for a person to look at, and
checks what readers reported, geometrically: no chart text crosses the cutoff line, chart text is at least 11 px
on a phone, names are whole, no table heading is broken inside a word, and no printed page but the last is left
mostly blank. Skipped without chromium, unless CSPSCORE_REQUIRE_BROWSER is set (CI sets it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

from .browser import CHROMIUM, Chromium, page_spans
from .conftest import ROOT
from .helpers import edit

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("CSPSCORE_REQUIRE_BROWSER"),
        reason="no chromium on PATH (CI installs Debian's chromium; install it to run this)",
    ),
]

WIDTHS = (1280, 390)

#: Every chart text's box and every cutoff line's box, in page coordinates.
CHART_BOXES = """(() => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return [...document.querySelectorAll('figure.chart')].map(f => ({
    texts: [...f.querySelectorAll('.name, .value, .cutoff')].filter(e => e.textContent.trim())
      .map(e => ({text: e.textContent, box: box(e), px: parseFloat(getComputedStyle(e).fontSize),
                  cut: e.scrollWidth > e.clientWidth + 1})),
    cuts: [...f.querySelectorAll('.cut')].map(box),
  }));
})()"""

#: Table headings with a word laid out on two lines (a word's range has more than one line box); a line may
#: break after a hyphen ("Anti-" / "social"), so a hyphen ends a word.
BROKEN_HEADINGS = r"""(() => {
  const broken = [];
  for (const th of document.querySelectorAll('th')) {
    const text = th.firstChild && th.firstChild.nodeType === 3 ? th.firstChild : null;
    if (!text) continue;
    for (const word of text.data.matchAll(/[^\s-]+-?/g)) {
      const range = document.createRange();
      range.setStart(text, word.index); range.setEnd(text, word.index + word[0].length);
      const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(th.textContent);
    }
  }
  return broken;
})()"""


def overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def write_report(out: Path, *args: str) -> Path:
    result = CliRunner().invoke(cli.main, ["report", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def check_page(page: Path, artifacts: Path, names: list[str]) -> list[float]:
    """Open ``page`` at each width, save screenshots, check the chart and headings; return the printed spans."""
    artifacts.mkdir(exist_ok=True)
    with Chromium(artifacts / "profile") as browser:
        for width in WIDTHS:
            browser.open(page.as_uri(), width)
            browser.screenshot(artifacts / f"chart-{width}.png", "figure.chart")
            browser.screenshot(artifacts / f"top-{width}.png", "header")
            charts = browser.evaluate(CHART_BOXES)
            assert charts, "the page has no chart"
            for figure in charts:
                assert figure["cuts"], "the chart draws no cutoff line"
                shown = [t["text"] for t in figure["texts"]]
                assert set(names) <= set(shown), f"names cut or missing at {width} px: {shown}"
                for text in figure["texts"]:
                    crossing = [cut for cut in figure["cuts"] if overlaps(text["box"], cut)]
                    assert crossing == [], f"{text['text']!r} crosses the cutoff line at {width} px"
                    assert text["px"] >= 11, f"{text['text']!r} is {text['px']} px at {width} px"
                    assert not text["cut"], f"{text['text']!r} is clipped at {width} px"
            assert browser.evaluate(BROKEN_HEADINGS) == [], f"headings broken inside a word at {width} px"
        pdf = browser.pdf()
    (artifacts / "report.pdf").write_bytes(pdf)
    return page_spans(pdf)


def test_the_sevenoaks_report_in_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(ROOT)
    page = write_report(
        tmp_path / "report.html", "rules/sevenoaks-2020.yaml", "--previous", "rules/sevenoaks-2019.yaml"
    )
    names = [
        "Serious & Acquisitive Crime (incl OCG, Emerging Trends, County Lines)",
        "Safeguarding (incl Prevent, Modern Slavery, Human Trafficking, CSE, Online, Mental Health, "
        "Vulnerable Adults and Children)",
    ]
    spans = check_page(page, tmp_path / "artifacts", names)
    # Every page but the last is at least half used (it was 11 pages, the first 27% used, the sixth 12%).
    assert all(span >= 0.5 for span in spans[:-1]), [round(s, 2) for s in spans]
    assert len(spans) <= 11


def test_totals_just_below_the_cutoff_keep_their_labels_off_the_line(project: Path):
    # Scams totals 9 against a cutoff of 10: a label written at the bar's end would sit on the line.
    edit(
        project / "rules.yaml",
        "    name: Scams\n",
        "    name: Scams, doorstep fraud and other frauds against older residents\n",
    )
    page = write_report(project / "report.html", "rules.yaml")
    spans = check_page(page, project / "artifacts", ["Scams, doorstep fraud and other frauds against older residents"])
    assert all(span >= 0.5 for span in spans[:-1]), spans


def test_a_county_report_in_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(ROOT)
    page = write_report(tmp_path / "kent.html", "rules/kent-districts-2024.yaml", "--area", "Sevenoaks,Medway,Swale")
    spans = check_page(page, tmp_path / "artifacts", ["Anti-social behaviour"])
    assert all(span >= 0.5 for span in spans[:-1]), [round(s, 2) for s in spans]
