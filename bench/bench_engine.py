"""Benchmark the vectorised engine against the straightforward reference evaluator, in the same run.

Two workloads:

1. a 10,000-scenario sweep of the bundled Sevenoaks 2020 assessment
   (cutoff 16..25 x trend boundary 5.0..14.9 x volume boundary 5..14);
2. a synthetic county-wide assessment: 350 areas x 40 issues x 6 criteria
   (four data-driven - percentage change, rate per 1,000, county rank, count -
   and two judgements), scored for every area at once.

For each it prints the engine's time (median of several runs), the reference
evaluator's time on the same work, their ratio, and checks that both agree
exactly. Run: ``python bench/bench_engine.py`` (add ``--quick`` for fewer repeats).
Timings are never part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.pipeline import load, run  # noqa: E402
from engine.score.scoring import score  # noqa: E402
from engine.whatif.grid import Column, evaluate  # noqa: E402
from engine.whatif.sweep import parse_vary, sweep  # noqa: E402
from tests.national import write_county  # noqa: E402
from tests.reference_evaluator import reference_evaluate  # noqa: E402


def timed(function, repeats: int) -> tuple[float, object]:
    """Median wall time of ``repeats`` calls, and the last result."""
    times, value = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def sweep_workload(repeats: int) -> dict[str, float]:
    import numpy as np

    result = run(ROOT / "rules" / "sevenoaks-2020.yaml")
    rules = result.rules
    axes = [
        parse_vary(rules, "priority.cutoff=16:25:1", 1),
        parse_vary(rules, "criteria.trend.bands[3].from=5:14.9:0.1", 2),
        parse_vary(rules, "criteria.volume.bands[3].from=5:14:1", 3),
    ]
    sizes = [len(a.values) for a in axes]
    count = int(np.prod(sizes))
    indexes = np.unravel_index(np.arange(count), sizes)
    columns = [Column(a.values, i) for a, i in zip(axes, indexes, strict=True)]
    parameters = [a.parameter for a in axes]
    engine, fast = timed(lambda: evaluate(result, parameters, columns), repeats)
    whole, _ = timed(lambda: sweep(result, axes), max(1, repeats // 2))
    reference, slow = timed(lambda: reference_evaluate(result, parameters, columns), 1)
    agree = fast.valid.tolist() == slow.valid and all(
        fast.priority[s].tolist() == slow.priority[s]
        and [Decimal(int(u)).scaleb(-fast.places) for u in fast.total_units[s]] == slow.totals[s]
        for s in range(count)
        if slow.valid[s]
    )
    return {"scenarios": count, "engine": engine, "sweep": whole, "reference": reference, "agree": agree}


def county_workload(folder: Path, repeats: int, areas: int = 350, issues: int = 40) -> dict[str, float]:
    """Write a synthetic county-wide rule file and data, then score every area."""
    names = write_county(folder, areas, issues)
    start = time.perf_counter()
    rules, datasets = load(folder / "rules.yaml", areas=names)
    loading = time.perf_counter() - start
    engine, result = timed(lambda: score(rules, datasets, names), repeats)
    reference, slow = timed(lambda: reference_evaluate(result, [], []), 1)
    agree = slow.priority[0] == result.priority.tolist() and slow.totals[0] == [
        Decimal(int(u)) for u in result.total_units
    ]
    return {"cases": len(result.issue_ids), "load": loading, "engine": engine, "reference": reference, "agree": agree}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 3 if args.quick else 15
    one = sweep_workload(repeats)
    print(f"1. Sweep of the bundled assessment: {one['scenarios']:,} scenarios")
    print(f"   engine (vectorised evaluation) {one['engine'] * 1000:8.1f} ms   target <= 50 ms")
    print(f"   whole sweep incl. summary and distance to flip {one['sweep'] * 1000:8.1f} ms")
    print(f"   reference evaluator            {one['reference'] * 1000:8.1f} ms")
    print(f"   ratio                          {one['reference'] / one['engine']:8.0f}x  target >= 100x")
    print(f"   agree on every scenario: {'yes' if one['agree'] else 'NO'}")
    with tempfile.TemporaryDirectory() as folder:
        two = county_workload(Path(folder), max(3, repeats // 3))
    print(f"2. County-wide scoring: 350 areas x 40 issues x 6 criteria = {two['cases']:,} cases")
    print(f"   engine (score every area)      {two['engine'] * 1000:8.1f} ms   target <= 200 ms")
    print(f"   loading and checking the files {two['load'] * 1000:8.1f} ms")
    print(f"   reference evaluator            {two['reference'] * 1000:8.1f} ms")
    print(f"   ratio                          {two['reference'] / two['engine']:8.0f}x")
    print(f"   agree on every case: {'yes' if two['agree'] else 'NO'}")
    return 0 if one["agree"] and two["agree"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
