"""Sweeps: evaluate every combination of values of one or more parameters, and summarise.

``--vary PATH=START:STOP:STEP`` gives a parameter the values START, START+STEP,
... up to STOP (included when a step lands on it), as exact decimals; each number is
within the one number policy (:mod:`engine.limits`) and a parameter has at most
:data:`engine.limits.MAX_SWEEP_VALUES` values. Every
combination is a scenario. The summary, per issue: the share of scenarios in
which it is a priority; for a one-parameter sweep, the value ranges over which
it is in and out (its flip points); the number of distinct priority lists seen;
and each issue's distance to flip for the rules as written
(:mod:`engine.whatif.robustness`). Scenarios whose bands would stop covering every
value exactly once are skipped and counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from engine import limits
from engine.errors import HintedError, InputError, Problem
from engine.load.model import RuleSet
from engine.load.overlay import parse_path
from engine.score.scoring import Result
from engine.whatif.grid import Column, Parameter, ParameterError, check_value, evaluate, resolve
from engine.whatif.robustness import Distance, distances

if TYPE_CHECKING:
    from engine.numbers import BoolArray

MAX_SCENARIOS = 2_000_000
CHUNK = 20_000
_RANGE = re.compile(r"\s*([^:]+):([^:]+):([^:]+)\s*")


@dataclass(frozen=True)
class Axis:
    """One varied parameter and its values."""

    parameter: Parameter
    values: list[Decimal]


def parse_vary(rules: RuleSet, option: str, number: int) -> Axis:
    """``PATH=START:STOP:STEP`` (the ``number``-th --vary) as an axis; InputError positioned at the option."""
    source = f"--vary[{number}]"
    path_text, _, spec = option.partition("=")
    column = len(path_text) + 2

    def fail(message: str, hint: str = "", at: int = 1) -> InputError:
        return InputError([Problem(source, 1, at, path_text.strip(), message, hint)])

    try:
        path = parse_path(path_text)
    except ValueError as exc:
        raise fail(str(exc), "write --vary PATH=START:STOP:STEP") from None
    try:
        parameter = resolve(rules, path)
    except ParameterError as exc:
        raise fail(exc.message, exc.hint) from None
    try:
        values = _range(spec)
    except HintedError as exc:
        raise fail(exc.message, exc.hint, column) from None
    for value in values:
        try:
            check_value(rules, parameter, value)
        except ParameterError as exc:
            raise fail(f"{value}: {exc.message}", exc.hint, column) from None
    return Axis(parameter, values)


def _range(spec: str) -> list[Decimal]:
    """The values of ``START:STOP:STEP``; HintedError saying what is wrong with it."""
    match = _RANGE.fullmatch(spec)
    if not match:
        raise HintedError(f"`{spec}` is not START:STOP:STEP", "e.g. 5:20:0.5")
    try:
        start, stop, step = (Decimal(x.strip()) for x in match.groups())
    except InvalidOperation:
        raise HintedError(f"`{spec}` is not START:STOP:STEP in numbers", "e.g. 5:20:0.5") from None
    # Finiteness first: comparing a NaN raises InvalidOperation.
    if not all(x.is_finite() for x in (start, stop, step)) or step <= 0 or stop < start:
        raise HintedError("START:STOP:STEP needs STEP above 0 and STOP at least START")
    for text in match.groups():
        limits.parse_decimal(text)  # the one number policy: no 1e-999999999 step
    count = int((stop - start) / step) + 1
    if count > limits.MAX_SWEEP_VALUES:
        raise HintedError(
            f"{count:,} values is too many for one parameter (the limit is {limits.MAX_SWEEP_VALUES:,})",
            "use a larger step or a shorter range",
        )
    return [start + n * step for n in range(count)]


@dataclass(frozen=True)
class Run:
    """A stretch of consecutive values of a one-parameter sweep with the same outcome."""

    priority: bool
    first: Decimal
    last: Decimal


@dataclass(frozen=True)
class SweepResult:
    """The summary of a sweep (see the module docstring)."""

    baseline: Result
    axes: list[Axis]
    scenarios: int
    skipped: int
    share: Any  # per case: share of valid scenarios in which it is a priority
    runs: list[list[Run]] | None  # per case, one-parameter sweeps only
    lists: list[tuple[tuple[str, ...], int]]  # distinct priority lists (per the first area) and how often
    distances: list[Distance]
    example_skipped: str = ""

    @property
    def valid(self) -> int:
        """The scenarios evaluated (those not skipped)."""
        return self.scenarios - self.skipped

    def cases(self) -> list[tuple[int, Distance, int]]:
        """Each case in the baseline's order, with its distance to flip and the number of valid scenarios in
        which it is a priority: what every rendering of a sweep lists, issue by issue."""
        by_case = {d.case: d for d in self.distances}
        valid = self.valid
        return [(i, by_case[i], round(float(self.share[i]) * valid)) for i in self.baseline.order()]


def sweep(
    result: Result, axes: list[Axis], progress: Callable[[int], None] | None = None, chunk: int = CHUNK
) -> SweepResult:
    """Evaluate every combination of the axes' values; ``progress(n)`` is told of each n scenarios done."""
    import numpy as np

    sizes = [len(a.values) for a in axes]
    total = int(np.prod(sizes)) if sizes else 1
    if total > MAX_SCENARIOS:
        raise _vary_error(
            f"{total:,} scenarios is too many (the limit is {MAX_SCENARIOS:,})", "use fewer values or a larger step"
        )
    priority, valid = _evaluate_all(result, axes, total, progress, chunk)
    kept = priority[valid]
    if not len(kept):
        raise _vary_error(
            "in every scenario the bands would overlap or leave a gap", "keep each band boundary between its neighbours"
        )
    share = kept.mean(axis=0)
    runs = _runs(axes[0].values, priority, valid) if len(axes) == 1 else None
    example = ""
    if (~valid).any():
        at = np.unravel_index(int(np.flatnonzero(~valid)[0]), sizes)
        example = ", ".join(f"{a.parameter.text}={a.values[int(i)]}" for a, i in zip(axes, at, strict=True))
    return SweepResult(
        result, axes, total, int((~valid).sum()), share, runs, _priority_lists(result, kept), distances(result), example
    )


def _vary_error(message: str, hint: str) -> InputError:
    return InputError([Problem("--vary", 1, 1, "", message, hint)])


def _evaluate_all(
    result: Result, axes: list[Axis], total: int, progress: Callable[[int], None] | None, chunk: int
) -> tuple[BoolArray, BoolArray]:
    """Per scenario (combinations in row-major order), which cases are priorities and whether its bands are valid.

    Scenarios are evaluated ``chunk`` at a time, so memory stays bounded whatever the grid's size.
    """
    import numpy as np

    sizes = [len(a.values) for a in axes]
    priority = np.zeros((total, len(result.issue_ids)), dtype=bool)
    valid = np.zeros(total, dtype=bool)
    for start in range(0, total, chunk):
        stop = min(start + chunk, total)
        indexes = np.unravel_index(np.arange(start, stop), sizes) if sizes else ()
        columns = [Column(a.values, idx) for a, idx in zip(axes, indexes, strict=True)]
        evaluation = evaluate(result, [a.parameter for a in axes], columns) if axes else evaluate(result, [], [])
        priority[start:stop] = evaluation.priority
        valid[start:stop] = evaluation.valid
        if progress is not None:
            progress(stop - start)
    return priority, valid


def _priority_lists(result: Result, kept: BoolArray) -> list[tuple[tuple[str, ...], int]]:
    """The distinct priority lists of the first area among ``kept`` scenarios, most frequent first."""
    import numpy as np

    first_area = result.inputs.case_area == 0
    ids = np.array(result.issue_ids, dtype=object)[first_area]
    unique, counts = np.unique(kept[:, first_area], axis=0, return_counts=True)
    return sorted(((tuple(ids[row]), int(c)) for row, c in zip(unique, counts, strict=True)), key=lambda x: -x[1])


def _runs(values: list[Decimal], priority: BoolArray, valid: BoolArray) -> list[list[Run]]:
    """Per case, maximal stretches of consecutive valid values with the same priority status."""
    out = []
    for case in range(priority.shape[1]):
        runs: list[Run] = []
        for value, ok, status in zip(values, valid, priority[:, case], strict=True):
            if not ok:
                continue
            if runs and runs[-1].priority == bool(status):
                runs[-1] = Run(runs[-1].priority, runs[-1].first, value)
            else:
                runs.append(Run(bool(status), value, value))
        out.append(runs)
    return out
