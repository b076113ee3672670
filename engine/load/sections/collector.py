"""The problems found while a rule file's sections are built, and what the sections share: positions and scale."""

from __future__ import annotations

from collections.abc import Mapping

from engine.errors import Problem, allowed_list, did_you_mean
from engine.load.expressions import Expression, ExpressionError, compile_expression
from engine.load.model import Criterion
from engine.load.yamlfile import KeyPath, Positions


class Collector:
    """Records problems, located by key path in the rule file; knows the scale once the scale section has read it."""

    def __init__(self, positions: Positions):
        self.positions = positions
        self.problems: list[Problem] = []
        self.scores: list[int] = []  # the scale's scores, in rule-file order

    def fail(self, path: KeyPath, message: str, hint: str = "", *, key: bool = False) -> None:
        """Record a problem at ``path`` (at its key when ``key``)."""
        self.problems.append(self.positions.problem(path, message, hint, key=key))

    def check_score(self, path: KeyPath, score: int) -> None:
        """Record a problem unless ``score`` is on the scale."""
        if score not in self.scores:
            self.fail(path, f"{score} is not on the scale (allowed: {allowed_list(self.scores)})")

    def unknown_criterion(self, path: KeyPath, cid: str, criteria: Mapping[str, Criterion], *, key: bool) -> None:
        """Record that ``cid`` names no criterion, with the closest id or the list of them."""
        hint = did_you_mean(cid, list(criteria)) or f"criteria: {allowed_list(criteria)}"
        self.fail(path, f"there is no criterion `{cid}`", hint, key=key)

    def expression(self, path: KeyPath, text: str, names: Mapping[str, str]) -> Expression | None:
        """The compiled expression, or None after recording why it is refused."""
        try:
            return compile_expression(text, names)
        except ExpressionError as exc:
            self.fail(path, exc.message, exc.hint)
            return None
