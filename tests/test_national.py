"""National-size output (350 areas x 40 issues, tests/national.py), each command in its own process: memory stays
bounded and the outputs hold every area. Slow: run by ``pytest -m slow``. Peak memory is measured (the child's
own, by ``os.wait4``); time is not (bench/bench_output.py reports it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.national import write_county

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("national")
    write_county(folder)
    return folder


def peak_mib(folder: Path, *args: str) -> float:
    """Run ``cspscore ARGS`` in ``folder``; its peak resident memory in MiB (it must succeed)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "cli", *args]
    with open(folder / "stdout", "wb") as sink:
        process = subprocess.Popen(command, cwd=folder, stdout=sink, stderr=subprocess.DEVNULL, env=environment)
        _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, args
    return usage.ru_maxrss / 1024


def test_the_json_of_a_national_run_is_written_in_bounded_memory_and_replays(national: Path):
    peak = peak_mib(national, "score", "rules.yaml", "--area", "all", "--format", "json", "--out", "result.json")
    assert peak < 300, f"{peak:.0f} MiB"
    document = json.loads((national / "result.json").read_text())
    assert len(document["areas"]) == 350
    assert sum(len(block["audit"]) for block in document["areas"]) == 350 * 40 * 6
    peak_mib(national, "replay", "result.json")
    assert (national / "stdout").read_text().endswith("Reproduced exactly.\n")


def test_the_report_of_every_area_links_each_one(national: Path):
    peak = peak_mib(national, "report", "rules.yaml", "--area", "all", "--out", "report.html")
    assert peak < 400, f"{peak:.0f} MiB"
    text = (national / "report.html").read_text()
    assert text.count('<section class="area" id="area-district-') == 350
    for n in (0, 175, 349):
        assert f'<a href="#area-district-{n:03d}">District {n:03d}</a>' in text


def test_the_workbook_of_every_area_is_written_in_bounded_memory(national: Path):
    peak = peak_mib(national, "report", "rules.yaml", "--area", "all", "--format", "xlsx", "--out", "scores.xlsx")
    assert peak < 400, f"{peak:.0f} MiB"
