"""The problems found while a rule file's sections are built, and what the sections share: positions and scales."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from engine.errors import Problem, allowed_list, did_you_mean
from engine.load.expressions import Expression, ExpressionError, compile_expression
from engine.load.model import Criterion, Score, plain_score
from engine.load.yamlfile import KeyPath, Positions


class Collector:
    """Records problems, located by key path in the rule file; knows the scales once their sections have read them.

    The assessment's scale comes from the scale section; a criterion with its own scale registers it when the
    criteria section builds it, so every later score of that criterion is checked against its own.
    """

    def __init__(self, positions: Positions):
        self.positions = positions
        self.problems: list[Problem] = []
        self.scores: list[Score] = []  # the assessment scale's scores, in rule-file order
        self.own_scores: dict[str, list[Score]] = {}  # criterion id -> its own scale's scores, in rule-file order

    def fail(self, path: KeyPath, message: str, hint: str = "", *, key: bool = False) -> None:
        """Record a problem at ``path`` (at its key when ``key``)."""
        self.problems.append(self.positions.problem(path, message, hint, key=key))

    def check_score(self, path: KeyPath, score: int | Decimal, criterion: str) -> Score:
        """``score`` as a plain score (1.0 is 1); a problem is recorded unless it is on ``criterion``'s scale.

        The scale is the criterion's own, else the assessment's.
        """
        score = plain_score(score)
        if criterion in self.own_scores:
            allowed = self.own_scores[criterion]
            if score not in allowed:
                self.fail(path, f"{score} is not on the scale of `{criterion}` (allowed: {allowed_list(allowed)})")
        elif score not in self.scores:
            self.fail(path, f"{score} is not on the scale (allowed: {allowed_list(self.scores)})")
        return score

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
