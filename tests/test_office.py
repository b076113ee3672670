"""The workbook as LibreOffice prints it: Table 6 on one page wide (slow: a real LibreOffice, headless).

Skipped where ``soffice`` is absent, unless CSPSCORE_REQUIRE_OFFICE=1 (which .ci/run sets after installing it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from engine.pipeline import run
from engine.report.table6 import table6
from engine.report.xlsx import scores_sheet
from engine.report.xlsxfile import workbook

from .conftest import ROOT

pytestmark = pytest.mark.slow


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CSPSCORE_REQUIRE_OFFICE") == "1":
            pytest.fail("CSPSCORE_REQUIRE_OFFICE=1 but no soffice on PATH")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def pdf_pages(path: Path, tmp_path: Path) -> tuple[int, bytes]:
    """``path`` printed to PDF by LibreOffice: its page count and bytes."""
    profile = tmp_path / "profile"  # a profile of its own: no clash with another LibreOffice running
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    data = (tmp_path / (path.stem + ".pdf")).read_bytes()
    return len(re.findall(rb"/Type\s*/Page[^s]", data)), data


@pytest.mark.parametrize("previous", [False, True])
def test_table_6_prints_on_one_page(tmp_path: Path, previous: bool):
    from engine.whatif.comparison import compare_results

    result = run(ROOT / "rules/sevenoaks-2020.yaml")
    last = None
    if previous:  # the widest Table 6: 13 columns
        last = compare_results(run(ROOT / "rules/sevenoaks-2019.yaml"), result, "previous", match_names=True)
    table = scores_sheet(table6(result, last))
    sheet = tmp_path / "scores.xlsx"
    sheet.write_bytes(workbook([table]))  # the Scores sheet alone
    pages, _ = pdf_pages(sheet, tmp_path)
    assert pages == 1  # it printed on 4 portrait pages before it was set up to print
    unfitted = tmp_path / "unfitted" / "scores.xlsx"
    unfitted.parent.mkdir()
    unfitted.write_bytes(workbook([replace(table, fit_width=False)]))
    assert pdf_pages(unfitted, unfitted.parent)[0] > 1  # the fitting is what keeps it on one page


def test_every_area_prints_one_page_wide(tmp_path: Path):
    from tests.national import write_county

    write_county(tmp_path, areas=30, issues=40)  # 1,200 rows: many pages tall
    result = run(tmp_path / "rules.yaml", areas="all")
    sheet = tmp_path / "scores.xlsx"
    sheet.write_bytes(workbook([scores_sheet(table6(result))]))
    pages, _ = pdf_pages(sheet, tmp_path)
    # One page wide: the pages are those the rows need down the page, never twice that for a second column of pages.
    assert 1 < pages < 1200 / 20
