"""Benchmark national police.uk ingestion in one call, against plain pandas and plain pyarrow, in the same run.

It builds a national-size folder from the real shared files (../shared/data): the street-level files of Dorset,
Suffolk, South Wales (2018-19, the district names of their time) and Kent (2024, today's names), copied as other
months (the Month column rewritten) into month folders as the police.uk archive unpacks
(``2016-01/2016-01-kent-street.csv``), until it holds about 1.5 million rows (``--rows``). Then, each in a fresh
process so that its peak memory is its own, it times:

- ``cspscore``: :func:`engine.ingest.police.ingest_police_uk` end to end over the whole folder: find the files,
  read and hash each once, count, resolve every district name to today's partnership, account for every row,
  build crime, series, population and areas tables (one period per year, Christchurch declared Bournemouth);
- plain ``pandas.read_csv`` of the four needed columns and a ``groupby`` count per file, the per-file counts
  then summed in one ``groupby`` (the counting alone: no districts, partnerships, periods, hashing or provenance);
- plain ``pyarrow.csv.read_csv`` of the same columns and a ``group_by`` count per file, summed likewise.

It prints rows per second, each time and its ratio to cspscore's, and peak memory: the process's resident set
(``resource.getrusage``, including Python and the libraries) and the peak of pyarrow's memory pool. The same is
measured on half the files to show that peak memory does not grow with the number of files. Run:
``python bench/bench_ingest.py`` (``--rows N`` for another size). The files go to a temporary folder and are
removed. Not a test: timings are never part of the test suite.
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
SHARED = ROOT.parent / "shared" / "data"
SOURCES = [SHARED / "police-uk-2018-19-dorset-suffolk-south-wales", SHARED / "police-uk-kent-2024"]
FIRST_YEAR = 2016

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
folder = Path({folder!r})
files = sorted(folder.rglob("*-street.csv"))[: {limit}]
import pandas as pd  # imports are not timed
import pyarrow as pa
import pyarrow.csv as pacsv
from engine.ingest.periods import build
from engine.ingest.police import Options, ingest_police_uk
COLUMNS = ["Month", "Falls within", "LSOA name", "Crime type"]
start = time.perf_counter()
if {mode!r} == "cspscore":
    periods = build(None, None, [f"{{y}}={{y}}-01:{{y}}-12" for y in range({first}, {last} + 1)])
    made = ingest_police_uk(files, periods, Options(maps=("Christchurch=Bournemouth",)))
    rows = made.provenance["rows"]["read"]
elif {mode!r} == "pandas":
    pieces = [pd.read_csv(p, usecols=COLUMNS, dtype=str).groupby(COLUMNS, dropna=False).size() for p in files]
    rows = int(pd.concat(pieces).groupby(level=[0, 1, 2, 3], dropna=False).sum().sum())
else:
    pieces = [
        pacsv.read_csv(p, convert_options=pacsv.ConvertOptions(include_columns=COLUMNS))
        .group_by(COLUMNS).aggregate([([], "count_all")])
        for p in files
    ]
    total = pa.concat_tables(pieces).group_by(COLUMNS).aggregate([("count_all", "sum")])
    rows = int(pa.compute.sum(total["count_all_sum"]).as_py())
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
arrow = pa.default_memory_pool().max_memory()
print(json.dumps({{"rows": rows, "seconds": seconds, "peak": peak, "arrow": arrow, "files": len(files)}}))
"""


def synthesise(folder: Path, total: int) -> tuple[int, int, int]:
    """Month folders of real files copied as other months, about ``total`` rows; (rows, files, last year)."""
    bases: dict[str, list[tuple[str, str]]] = {}
    for source in SOURCES:
        for path in sorted(source.glob("*-street.csv")):
            force = path.name[8 : -len("-street.csv")]
            header, body = path.read_text(encoding="utf-8").split("\n", 1)
            bases.setdefault(force, []).append((header, body if body.endswith("\n") else body + "\n"))
    rows = files = 0
    month = 0
    while rows < total:
        year, number = FIRST_YEAR + month // 12, month % 12 + 1
        label = f"{year}-{number:02d}"
        for force, copies in sorted(bases.items()):
            header, body = copies[month % len(copies)]
            original = body.split(",", 2)[1]
            target = folder / label / f"{label}-{force}-street.csv"
            target.parent.mkdir(exist_ok=True)
            target.write_text(header + "\n" + body.replace(f",{original},", f",{label},"), encoding="utf-8")
            rows += body.count("\n")
            files += 1
        month += 1
    return rows, files, FIRST_YEAR + (month - 1) // 12


def measure(folder: Path, mode: str, limit: int, last: int) -> dict[str, float]:
    code = CHILD.format(root=str(ROOT), folder=str(folder), mode=mode, limit=limit, first=FIRST_YEAR, last=last)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_500_000, help="rows to synthesise (default 1,500,000)")
    args = parser.parse_args()
    if not all(source.is_dir() for source in SOURCES):
        print(f"needs the real police.uk files in {SHARED}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        start = time.perf_counter()
        rows, files, last = synthesise(folder, args.rows)
        sizes = [p.stat().st_size for p in folder.rglob("*.csv")]
        took = time.perf_counter() - start
        print(
            f"Synthesised {rows:,} rows in {files} files of 4 forces, {FIRST_YEAR}-01 to {last} "
            f"({sum(sizes) / 1e6:.0f} MB; largest file {max(sizes) / 1e6:.1f} MB) in {took:.1f} s"
        )
        for limit, label in ((files, "all files"), (files // 2, "half the files")):
            results = {mode: measure(folder, mode, limit, last) for mode in ("cspscore", "pandas", "pyarrow")}
            mine = results["cspscore"]["seconds"]
            print(f"\n{label} ({results['cspscore']['files']} files, {results['cspscore']['rows']:,} rows):")
            for mode, title in (
                ("cspscore", "cspscore ingest police-uk"),
                ("pandas", "pandas.read_csv + groupby"),
                ("pyarrow", "pyarrow read_csv + group_by"),
            ):
                found = results[mode]
                print(
                    f"  {title:29} {found['rows'] / found['seconds'] / 1e6:5.2f} M rows/s  {found['seconds']:6.2f} s"
                    f"  ({found['seconds'] / mine:4.2f} x cspscore's time)  peak RSS {found['peak'] / 2**20:5.0f} MiB"
                    f"  pyarrow pool peak {found['arrow'] / 2**20:5.1f} MiB"
                )
    print("\nTargets for ingestion: at least as fast as the pandas baseline; peak memory bounded by the largest file.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
