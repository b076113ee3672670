"""Benchmark national-scale output: every command's whole process against the engine's scoring, in the same run.

Writes the synthetic national workload (tests/national.py: 350 areas x 40 issues x 6 criteria, 14,000 cases,
84,000 audit rows) to a temporary folder, times the engine scoring it in this process (median of several
runs), then runs each command as a user would, in its own process, and prints for each: the whole process's
wall time (median), its ratio to the engine's scoring time, its peak resident memory and the size of what it
wrote. The commands:

- ``cspscore score rules.yaml --area all --format table|csv|json|markdown`` (to stdout, discarded);
- ``cspscore score rules.yaml --area all --format csv --out FOLDER`` (scores, audit and provenance);
- ``cspscore report rules.yaml --area all --format html|markdown|xlsx|docx``;
- ``cspscore explain rules.yaml issue_01 --area all`` (one issue in every area);
- and, for reference, ``cspscore score rules.yaml --area "District 000"`` (one area: starting Python, importing
  the engine, reading and checking the files).

Targets: ``score --area all`` within 2 s whole process; the table at most about twice the CSV; the JSON's
peak memory well under 300 MB. Run: ``python bench/bench_output.py`` (``--quick``: one run each;
``--areas N --issues M`` for another size). Timings are never part of the tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.pipeline import load  # noqa: E402
from engine.score.scoring import score  # noqa: E402
from tests.national import write_county  # noqa: E402

COMMANDS = [
    ("score, one area (table)", ["score", "rules.yaml", "--area", "District 000"], None),
    ("score --area all --format table", ["score", "rules.yaml", "--area", "all"], None),
    ("score --area all --format csv", ["score", "rules.yaml", "--area", "all", "--format", "csv"], None),
    ("score --area all --format json", ["score", "rules.yaml", "--area", "all", "--format", "json"], None),
    ("score --area all --format markdown", ["score", "rules.yaml", "--area", "all", "--format", "markdown"], None),
    ("score --area all --format csv --out", ["score", "rules.yaml", "--area", "all", "--format", "csv"], "out"),
    ("report --area all --format html", ["report", "rules.yaml", "--area", "all"], "report.html"),
    ("report --area all --format markdown", ["report", "rules.yaml", "--area", "all", "--format", "markdown"], None),
    ("report --area all --format xlsx", ["report", "rules.yaml", "--area", "all", "--format", "xlsx"], "report.xlsx"),
    ("report --area all --format docx", ["report", "rules.yaml", "--area", "all", "--format", "docx"], "report.docx"),
    ("explain issue_01 --area all", ["explain", "rules.yaml", "issue_01", "--area", "all"], None),
]


def run_once(args: list[str], folder: Path, out: str | None) -> tuple[float, float, int]:
    """One whole process: wall seconds, peak resident memory (MiB) and bytes written (stdout or --out)."""
    target = folder / out if out else None
    command = [sys.executable, "-m", "cli", *args, *(["--out", str(target)] if target else [])]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(folder / "stdout", "wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=folder, stdout=sink, stderr=subprocess.PIPE, env=environment)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory, not every child's
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {process.stderr.read().decode() if process.stderr else ''}")
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    if target is None:
        size = (folder / "stdout").stat().st_size
    elif target.is_dir():
        size = sum(p.stat().st_size for p in target.iterdir())
    else:
        size = target.stat().st_size
    return wall, peak, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one run of each command")
    parser.add_argument("--areas", type=int, default=350)
    parser.add_argument("--issues", type=int, default=40)
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        names = write_county(folder, args.areas, args.issues)
        rules, datasets = load(folder / "rules.yaml", areas=names)
        times = []
        for _ in range(5 if args.quick else 15):
            start = time.perf_counter()
            result = score(rules, datasets, names)
            times.append(time.perf_counter() - start)
        engine = statistics.median(times)
        cases = len(result.issue_ids)
        print(f"National output: {args.areas} areas x {args.issues} issues x 6 criteria = {cases:,} cases")
        print(f"engine scoring in this process (median of {len(times)}): {engine * 1000:.1f} ms\n")
        print(f"{'command (whole process)':40} {'time':>8} {'x engine':>9} {'peak':>9} {'written':>10}")
        found = {}
        for label, command, out in COMMANDS:
            runs = [run_once(command, folder, out) for _ in range(repeats)]
            wall = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            size = runs[-1][2]
            found[label] = (wall, peak)
            print(f"{label:40} {wall:7.2f}s {wall / engine:8.0f}x {peak:6.0f} MiB {size / 1e6:7.1f} MB")
    table, csv = found["score --area all --format table"][0], found["score --area all --format csv"][0]
    print(f"\ntable / csv: {table / csv:.2f} (target <= 2); score --area all (table): {table:.2f} s (target <= 2 s)")
    print(f"json peak memory: {found['score --area all --format json'][1]:.0f} MiB (target well under 300 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
