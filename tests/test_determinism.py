"""Every output is the same, byte for byte, from one process to the next, whatever the hash seed.

Python salts string hashes per process (``PYTHONHASHSEED``), so anything ordered by a set or other
hash-dependent iteration can change between runs but never within one: two renderings in one process
cannot catch it. Here two subprocesses with different seeds run the same commands from the repository
root, each through ``cli.main`` as ``python -m cli`` does (one process per seed keeps this to a few
seconds), and everything they produce - stdout, stderr, files written, every part of the workbook -
must be identical but for the provenance timestamp (``generated_at``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

OUT = "@OUT@"  # the run's output folder; different in each run, masked before comparing
COMMANDS = {
    "score-table": "score",
    "score-json": "score --format json",
    "score-csv": f"score --format csv --out {OUT}/csv",
    "score-markdown": "score --format markdown",
    "explain": "explain rules/sevenoaks-2020.yaml all",
    "report-html": f"report --previous rules/sevenoaks-2019.yaml --format html --out {OUT}/report.html",
    "report-xlsx": f"report --format xlsx --out {OUT}/report.xlsx",
    "whatif-json": "whatif -s rules/scenarios/trend-15.yaml -s rules/scenarios/cutoff-26.yaml --format json",
    "sweep-json": "sweep --vary priority.cutoff=18:28:1 --vary criteria.trend.bands[3].from=5:15:1 --format json",
    "compare-json": "compare rules/sevenoaks-2019.yaml rules/sevenoaks-2020.yaml --format json",
    "kent-all-areas-json": "score rules/kent-districts-2024.yaml --area all --format json",
}
DRIVER = """
import json, shlex, sys
from pathlib import Path
from click.testing import CliRunner
import cli
out, commands = Path(sys.argv[1]), json.loads(sys.argv[2])
exits = {"hash of 'cspscore'": hash("cspscore")}
for name, command in commands.items():
    result = CliRunner().invoke(cli.main, shlex.split(command.replace("@OUT@", str(out))), prog_name="cspscore")
    (out / (name + ".stdout")).write_bytes(result.stdout_bytes)
    (out / (name + ".stderr")).write_bytes(result.stderr_bytes)
    exits[name] = result.exit_code
(out / "exits.json").write_text(json.dumps(exits))
"""
TIMESTAMP = re.compile(rb"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")


def masked(data: bytes, out: Path) -> bytes:
    return TIMESTAMP.sub(b"(generated_at)", data.replace(str(out).encode(), OUT.encode()))


def produced(out: Path) -> dict[str, bytes]:
    """Every file a run wrote (a workbook as its list of parts and each part), masked."""
    files: dict[str, bytes] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name != "exits.json"):
        name = path.relative_to(out).as_posix()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                files[name] = "\n".join(book.namelist()).encode()
                for part in book.namelist():
                    files[f"{name}/{part}"] = masked(book.read(part), out)
        else:
            files[name] = masked(path.read_bytes(), out)
    return files


@pytest.mark.slow  # two whole processes per output (~8 s); CI runs it
def test_outputs_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    runs = {seed: tmp_path / f"seed-{seed}" for seed in ("1", "2")}
    processes = []
    for seed, out in runs.items():
        out.mkdir()
        processes.append(
            subprocess.Popen(
                [sys.executable, "-c", DRIVER, str(out), json.dumps(COMMANDS)],
                cwd=ROOT,
                env={**os.environ, "PYTHONHASHSEED": seed},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
        )
    for process in processes:
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, output.decode(errors="replace")

    exits = [json.loads((out / "exits.json").read_text()) for out in runs.values()]
    assert exits[0].pop("hash of 'cspscore'") != exits[1].pop("hash of 'cspscore'")  # the seeds did differ
    for out, codes in zip(runs.values(), exits, strict=True):
        assert sorted(codes) == sorted(COMMANDS)
        failed = {name: (out / f"{name}.stderr").read_text() for name, code in codes.items() if code != 0}
        assert failed == {}
    first, second = (produced(out) for out in runs.values())
    assert b"(generated_at)" in first["score-json.stdout"]  # the timestamp's format is the one masked
    assert "report.xlsx/xl/worksheets/sheet1.xml" in first and "csv/scores.csv" in first
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == [], f"these outputs differ between hash seeds 1 and 2: {differ}"
