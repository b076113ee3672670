"""How close is each issue to entering or leaving the priority list? Its distance to flip.

For the rules as written, three kinds of single change are searched, each exactly:

- **score**: one criterion of the issue given another score on its scale (the
  criterion's own, else the assessment's); the nearest in steps along that
  scale that flips it (e.g. harm 5 -> 3, one step);
- **threshold**: one band boundary of a data-driven criterion moved (with its
  neighbour, as in ``whatif``); the smallest move that flips it, measured
  relative to the boundary's value, among every boundary of every criterion;
- **cutoff**: the nearest cutoff that flips it.

Candidates are evaluated all at once with :mod:`engine.whatif.grid`, so the search
accounts for every issue moving together (and for ``max_priorities``).
Scenarios whose bands would stop covering every value once are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from engine.load.model import DataCriterion
from engine.numbers import number
from engine.score.scoring import Result
from engine.whatif.grid import Column, Parameter, all_parameters, evaluate

if TYPE_CHECKING:
    from engine.numbers import BoolArray


@dataclass(frozen=True)
class Flip:
    """One change that flips an issue: ``path`` from ``base`` to ``value``."""

    kind: str  # score, threshold, cutoff
    path: str
    base: Decimal
    value: Decimal
    steps: int | None = None  # scale steps, for a score change

    def describe(self) -> str:
        delta = self.value - self.base
        if self.kind == "score":
            steps = f"{self.steps} step{'s' if self.steps != 1 else ''}"
            return f"{self.path} {number(self.base)} -> {number(self.value)} ({steps})"
        sign = "+" if delta > 0 else ""
        return f"{self.path} {number(self.base)} -> {number(self.value)} ({sign}{number(delta)})"


@dataclass(frozen=True)
class Distance:
    """The nearest flip of each kind for one case (None: no such single change flips it)."""

    case: int
    issue_id: str
    priority: bool
    score: Flip | None
    threshold: Flip | None
    cutoff: Flip | None


def distances(result: Result) -> list[Distance]:
    """The distance to flip of every case, in the result's order."""
    import numpy as np

    baseline = np.asarray(result.priority, dtype=bool)
    score = _score_flips(result, baseline)
    threshold = _threshold_flips(result, baseline)
    cutoff = _cutoff_flips(result, baseline)
    return [
        Distance(i, result.issue_ids[i], bool(baseline[i]), score[i], threshold[i], cutoff[i]) for i in result.order()
    ]


def _nearest(
    flipped: Any, values: list[Decimal], base: Decimal, weight: Any, valid: Any
) -> list[tuple[float, int] | None]:
    """Per case, (distance, candidate index) of the nearest candidate that flips it."""
    import numpy as np

    distance = np.array([float(abs(v - base)) for v in values]) * weight
    distance = np.where(valid, distance, np.inf)
    out: list[tuple[float, int] | None] = []
    for case in range(flipped.shape[1]):
        d = np.where(flipped[:, case], distance, np.inf)
        best = int(np.argmin(d)) if len(d) else 0
        out.append(None if not len(d) or not np.isfinite(d[best]) else (float(d[best]), best))
    return out


def _cutoff_flips(result: Result, baseline: BoolArray) -> list[Flip | None]:
    import numpy as np

    step = Decimal(1).scaleb(-result.total_places)
    totals = sorted({result.total(i) for i in range(len(baseline))})
    values = sorted({t for t in totals} | {t + step for t in totals})
    parameter = Parameter(("priority", "cutoff"), "cutoff", result.rules.priority.cutoff)
    evaluation = evaluate(result, [parameter], [Column(values, np.arange(len(values)))])
    flipped = evaluation.priority != baseline[None, :]
    found = _nearest(flipped, values, parameter.base, 1.0, evaluation.valid)
    return [None if f is None else Flip("cutoff", "priority.cutoff", parameter.base, values[f[1]]) for f in found]


def _threshold_flips(result: Result, baseline: BoolArray) -> list[Flip | None]:
    best: list[tuple[float, Flip] | None] = [None] * len(baseline)
    for parameter in all_parameters(result.rules):
        if parameter.kind == "edge":
            for case, hit in enumerate(_edge_flips(result, baseline, parameter)):
                best[case] = _nearer(best[case], hit)
    return [None if b is None else b[1] for b in best]


def _edge_flips(result: Result, baseline: BoolArray, parameter: Parameter) -> list[tuple[float, Flip] | None]:
    """Per case, the nearest move of one band edge that flips it: (distance relative to the edge's value, flip).

    The candidate values are each case's metric value and one precision step either side.
    """
    import numpy as np

    assert parameter.criterion is not None  # an edge names its criterion
    outcome = result.outcomes[parameter.criterion]
    criterion, metric = outcome.criterion, outcome.metric
    assert isinstance(criterion, DataCriterion) and metric is not None  # only a data criterion has band edges
    decimals = criterion.decimals
    units = {int(u) for u, d in zip(metric.units, metric.defined, strict=True) if d}
    candidates = sorted({u + delta for u in units for delta in (-1, 0, 1)})
    values = [Decimal(u).scaleb(-decimals) for u in candidates]
    if not values:
        return [None] * len(baseline)
    evaluation = evaluate(result, [parameter], [Column(values, np.arange(len(values)))])
    flipped = evaluation.priority != baseline[None, :]
    scale = max(abs(parameter.base), Decimal(1).scaleb(-decimals))
    found = _nearest(flipped, values, parameter.base, 1.0 / float(scale), evaluation.valid)
    return [
        None if hit is None else (hit[0], Flip("threshold", parameter.text, parameter.base, values[hit[1]]))
        for hit in found
    ]


def _nearer(best: tuple[float, Flip] | None, hit: tuple[float, Flip] | None) -> tuple[float, Flip] | None:
    """The nearer of two flips; on a tie, the one found first."""
    return hit if hit is not None and (best is None or hit[0] < best[0]) else best


def _score_flips(result: Result, baseline: BoolArray) -> list[Flip | None]:
    import numpy as np

    best: list[tuple[float, Flip] | None] = [None] * len(baseline)
    for k, issue_id in enumerate(result.rules.issues):
        cases = np.flatnonzero(result.inputs.case_issue == k)
        for cid in result.outcomes:
            scale = [Decimal(p.score) for p in sorted(result.rules.scale_of(cid), key=lambda p: p.score)]
            position = {s: n for n, s in enumerate(scale)}
            parameter = Parameter(("issues", issue_id, "score", cid), "cell", Decimal(0), criterion=cid, issue=issue_id)
            evaluation = evaluate(result, [parameter], [Column(scale, np.arange(len(scale)))])
            for case in cases:
                current = Decimal(result.score(cid, int(case)))
                for n, value in enumerate(scale):
                    if not evaluation.priority[n, case] != baseline[case]:
                        continue
                    steps = abs(position[value] - position[current])
                    best[case] = _nearer(best[case], (steps, Flip("score", cid, current, value, steps)))
    return [None if b is None else b[1] for b in best]
