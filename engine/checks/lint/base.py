"""What every check shares: a :class:`Finding`, and a :class:`Check` that produces findings for a scored result."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from engine.errors import Problem
from engine.load.model import DataCriterion
from engine.load.yamlfile import KeyPath
from engine.score.scoring import Result


@dataclass(frozen=True)
class Finding:
    """One weakness a check found: the check's ``id`` and ``name``, and a positioned warning."""

    id: str
    name: str
    problem: Problem

    def __str__(self) -> str:
        """``file:line:col: warning: path: message [L001 band-unreachable]`` and the hint below."""
        head, _, hint = str(self.problem).partition("\n")
        return f"{head} [{self.id} {self.name}]" + (f"\n{hint}" if hint else "")


@dataclass(frozen=True)
class Check:
    """One static check: a stable ``id`` and ``name``, a one-line ``doc``, and ``run`` giving its findings."""

    id: str
    name: str
    doc: str
    run: Callable[[Result], Iterable[Finding]]

    def finding(self, result: Result, path: KeyPath, message: str, hint: str = "") -> Finding:
        """A finding of this check: a warning at ``path`` of the rule file ``result`` was scored with."""
        return Finding(self.id, self.name, result.rules.positions.problem(path, message, hint, severity="warning"))


def metric_words(criterion: DataCriterion) -> str:
    """The criterion's metric as words: ``percent change``."""
    return criterion.metric.replace("_", " ")
