"""Benchmark police.uk ingestion on a synthetic year for every force, against plain pandas.read_csv.

It synthesises about 6 million rows from the real Kent files (../shared/data/police-uk-kent-2024):
twelve monthly files, each the four real months' rows replicated to about 500,000 rows (the volume of
a month for every force in England and Wales). Then, each in a fresh process so that peak memory is
its own, it times:

- ``cspscore``'s ingestion end to end (read, count, assign districts, rates, positions);
- plain ``pandas.read_csv`` of the same files (all columns, nothing else done).

and prints rows per second and peak resident memory for both. Run: ``python bench/bench_ingest.py``
(``--rows N`` for another size). The files go to a temporary folder and are removed. Not a test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KENT = ROOT.parent / "shared" / "data" / "police-uk-kent-2024"

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
folder = Path({folder!r})
import pandas as pd  # imports are not timed
import pyarrow
from engine.ingest.police import ingest_police_uk, months
start = time.perf_counter()
if {mode!r} == "ingest":
    reference = Path({root!r}) / "datasets" / "reference"
    made = ingest_police_uk([folder], months("2024-07:2024-12", "c"), months("2024-01:2024-06", "p"),
                            reference / "census-2021-population-by-area.csv",
                            reference / "lad-to-csp-to-pfa-dec-2019.csv")
    rows = made.provenance["rows"]["read"]
else:
    rows = 0
    for path in sorted(folder.glob("*.csv")):
        rows += len(pd.read_csv(path))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({{"rows": rows, "seconds": seconds, "peak": peak}}))
"""


def synthesise(folder: Path, total: int) -> int:
    """Twelve monthly Kent files with about ``total`` rows in all; returns the row count."""
    bodies = []
    header = ""
    for path in sorted(KENT.glob("*.csv")):
        header, body = path.read_text(encoding="utf-8").split("\n", 1)
        bodies.append(body if body.endswith("\n") else body + "\n")
    per_month = total // 12
    written = 0
    for month in range(1, 13):
        body = bodies[(month - 1) % len(bodies)]
        source_month = body.split(",", 2)[1]
        body = body.replace(f",{source_month},", f",2024-{month:02d},")
        lines = body.count("\n")
        copies = max(1, per_month // lines)
        with (folder / f"2024-{month:02d}-kent-street.csv").open("w", encoding="utf-8") as stream:
            stream.write(header + "\n")
            for _ in range(copies):
                stream.write(body)
        written += copies * lines
    return written


def measure(folder: Path, mode: str) -> dict[str, float]:
    code = CHILD.format(root=str(ROOT), folder=str(folder), mode=mode)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=6_000_000, help="rows to synthesise (default 6,000,000)")
    args = parser.parse_args()
    if not KENT.is_dir():
        print(f"needs the real Kent files in {KENT}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        start = time.perf_counter()
        rows = synthesise(folder, args.rows)
        size = sum(p.stat().st_size for p in folder.glob("*.csv"))
        print(f"Synthesised {rows:,} rows in 12 files ({size / 1e9:.2f} GB) in {time.perf_counter() - start:.1f} s")
        for mode, label in (("ingest", "cspscore ingest police-uk"), ("pandas", "plain pandas.read_csv")):
            found = measure(folder, mode)
            print(
                f"{label:28} {found['rows'] / found['seconds'] / 1e6:5.2f} M rows/s   "
                f"{found['seconds']:6.2f} s   peak memory {found['peak'] / 2**20:7.0f} MiB"
            )
    print("Targets for ingestion: at least 1.3 M rows/s end to end, peak memory under 1 GB.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
