"""Benchmark reading a large dataset: ``cspscore score`` over a 1 M-row crime CSV against plain pandas, in one run.

Copies the small test assessment (tests/corpus/mini) to a temporary folder and appends a million rows to its
crime counts (one per made-up area: the worst case for the checks, which look at every area), then runs, each
in its own process and timed as a whole:

- ``cspscore score rules.yaml``: read the file, check every cell, every row's length and every key, check the
  rules against the data, score, and print the table;
- for reference, plain ``pandas.read_csv`` of the same file with no checks at all.

Prints each one's wall time (median of ``--runs``), its ratio to the plain read, and its peak resident memory.
Targets: the score within about 3 s and 500 MB on the development machine. Run:
``python bench/bench_dataset.py`` (``--rows N`` for another size). Timings are never part of the tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "corpus" / "mini"

PLAIN_READ = "import pandas, sys; pandas.read_csv(sys.argv[1])"


def write_project(folder: Path, rows: int) -> Path:
    """The mini assessment with ``rows`` more crime rows; returns its rule file."""
    shutil.copytree(MINI, folder, dirs_exist_ok=True)
    crime = folder / "data" / "crime.csv"
    lines = ["area,category,previous,current,county_position"] + crime.read_text().splitlines()[1:]
    lines += [f"Area {n:07d},Burglary residential,{n % 500},{n * 7 % 600},{n % 30 + 1}" for n in range(rows)]
    crime.write_text("\n".join(lines) + "\n")
    return folder / "rules.yaml"


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak resident MiB) of ``command`` run in its own process (the peak is read from the OS's
    account of waited-for children, so each command runs from a fresh helper process)."""
    probe = (
        "import resource, subprocess, sys, time; start = time.perf_counter(); "
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
        "took = time.perf_counter() - start; "
        "print(took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)"
    )
    out = subprocess.run([sys.executable, "-c", probe, *command], cwd=cwd, capture_output=True, text=True, check=True)
    took, peak_kib, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(command)} exited {code}")
    return float(took), int(peak_kib) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cli = shutil.which("cspscore", path=os.path.dirname(sys.executable)) or "cspscore"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_project(folder, args.rows)
        size = (folder / "data" / "crime.csv").stat().st_size
        commands = {
            "plain pandas.read_csv (no checks)": [sys.executable, "-c", PLAIN_READ, "data/crime.csv"],
            "cspscore score rules.yaml": [cli, "score", "rules.yaml"],
        }
        results = {}
        for name, command in commands.items():
            runs = [timed(command, folder) for _ in range(args.runs)]
            results[name] = (statistics.median(t for t, _ in runs), max(m for _, m in runs))
    base = results["plain pandas.read_csv (no checks)"][0]
    print(f"{args.rows:,} data rows, {size / 1e6:.1f} MB; median of {args.runs} runs, peak of them")
    print("| command (whole process) | time | × plain read | peak resident memory |")
    print("|---|---|---|---|")
    for name, (took, peak) in results.items():
        print(f"| `{name}` | {took:.2f} s | {took / base:.2f} | {peak:,.0f} MiB |")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    started = time.perf_counter()
    main()
    print(f"(benchmark took {time.perf_counter() - started:.0f} s)")
