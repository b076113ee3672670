"""Evaluate many scenarios at once: metrics are computed once, then every scenario's bands,
scores, totals and cutoff are evaluated as whole arrays (scenarios x cases x criteria).

A scenario varies *parameters* that do not change the metrics: the cutoff, a
band edge (moving the shared boundary with its neighbour, as ``whatif`` does), a
band's score, ``if_no_value``, a judgement or override score, a weight. Their
values are exact decimals. Scenarios whose bands would no longer cover every
value exactly once are marked invalid (``Evaluation.valid``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.errors import HintedError, did_you_mean
from engine.load.bands import to_units, unit_range
from engine.load.model import METRICS, TOUCHING, RuleSet
from engine.load.yamlfile import KeyPath, format_path
from engine.score.scoring import JUDGEMENT, OVERRIDE, Result, limit_priorities
from engine.score.totals import Totals, combine, decimal_places

_EDGES = ("from", "above", "to", "below")
INT_MIN, INT_MAX = -(2**62), 2**62  # "unbounded" band edges, in units


class ParameterError(HintedError):
    """A path that cannot be varied, or a value it cannot take."""


@dataclass(frozen=True)
class Parameter:
    """A number a scenario may change, resolved against the rules."""

    path: KeyPath
    kind: str  # cutoff, edge, band_score, if_no_value, judgement, override, weight; or cell (any score of an issue)
    base: Decimal
    criterion: str | None = None
    issue: str | None = None
    band: int | None = None
    edge: str | None = None
    linked: tuple[tuple[int, str], ...] = ()  # neighbouring (band, edge) that moves with an edge

    @property
    def text(self) -> str:
        return format_path(self.path)


def resolve(rules: RuleSet, path: KeyPath) -> Parameter:
    """The parameter at ``path``, or :class:`ParameterError` saying why it cannot vary."""
    p = tuple(path)
    if p == ("priority", "cutoff"):
        return Parameter(p, "cutoff", rules.priority.cutoff)
    if len(p) >= 2 and p[0] == "criteria":
        criterion = _criterion(rules, p[1])
        if len(p) == 3 and p[2] == "if_no_value" and criterion.data_driven:
            return Parameter(p, "if_no_value", Decimal(criterion.if_no_value or 0), criterion=p[1])
        if len(p) == 5 and p[2] == "bands" and isinstance(p[3], int):
            if not criterion.data_driven or p[3] >= len(criterion.bands):
                raise ParameterError(
                    f"criterion `{p[1]}` has {len(criterion.bands)} bands, so there is no bands[{p[3]}]"
                )
            band = criterion.bands[p[3]]
            if p[4] == "score":
                return Parameter(p, "band_score", Decimal(band.score), criterion=p[1], band=p[3])
            if p[4] in _EDGES:
                value = _edge_value(band, p[4])
                if value is None:
                    raise ParameterError(
                        f"bands[{p[3]}] of `{p[1]}` has no `{p[4]}` edge to vary", f"it is written `{band.label}`"
                    )
                linked = tuple(
                    (other.index, TOUCHING[p[4]])
                    for other in criterion.bands
                    if other.index != p[3] and _edge_value(other, TOUCHING[p[4]]) == value
                )
                return Parameter(
                    p,
                    "edge",
                    value,
                    criterion=p[1],
                    band=p[3],
                    edge=p[4],
                    linked=linked[:1] if len(linked) == 1 else (),
                )
    if len(p) == 5 and p[0] == "issues" and p[2] in ("judgements", "overrides") and p[4] == "score":
        issue = rules.issues.get(p[1])
        if issue is None:
            raise ParameterError(f"there is no issue `{p[1]}`", did_you_mean(p[1], list(rules.issues)))
        table = issue.judgements if p[2] == "judgements" else issue.overrides
        if p[3] not in table:
            have = ", ".join(table) or "none"
            raise ParameterError(f"issue `{p[1]}` has no {p[2][:-1]} for `{p[3]}` ({p[2]}: {have})")
        kind = "judgement" if p[2] == "judgements" else "override"
        return Parameter(p, kind, Decimal(table[p[3]].score), criterion=p[3], issue=p[1])
    if len(p) == 3 and p[:2] == ("total", "weights") and rules.total.method == "weighted_sum":
        _criterion(rules, p[2])
        return Parameter(p, "weight", rules.total.weights[p[2]], criterion=p[2])
    raise ParameterError(
        f"`{format_path(p)}` cannot be varied here",
        "sweeps vary the cutoff, band edges and scores, if_no_value, judgement and override scores, and weights; "
        "for other changes use whatif with --set or a scenario file",
    )


def all_parameters(rules: RuleSet) -> list[Parameter]:
    """Every number a scenario can vary, in rule-file order (edges that move together are listed once)."""
    paths: list[KeyPath] = [("priority", "cutoff")]
    for cid, criterion in rules.criteria.items():
        if not criterion.data_driven:
            continue
        seen: set[tuple[int, str]] = set()
        for edge in _EDGES:  # lower edges first: a boundary reads best as "from 10"
            for band in criterion.bands:
                if _edge_value(band, edge) is not None and (band.index, edge) not in seen:
                    parameter = resolve(rules, ("criteria", cid, "bands", band.index, edge))
                    seen.update({(band.index, edge), *parameter.linked})
                    paths.append(parameter.path)
        paths += [("criteria", cid, "bands", band.index, "score") for band in criterion.bands]
        paths.append(("criteria", cid, "if_no_value"))
    for iid, issue in rules.issues.items():
        paths += [("issues", iid, "judgements", c, "score") for c in issue.judgements]
        paths += [("issues", iid, "overrides", c, "score") for c in issue.overrides]
    if rules.total.method == "weighted_sum":
        paths += [("total", "weights", c) for c in rules.total.weights]
    return [resolve(rules, p) for p in paths]


def _criterion(rules: RuleSet, cid: Any) -> Any:
    if cid not in rules.criteria:
        raise ParameterError(f"there is no criterion `{cid}`", did_you_mean(str(cid), list(rules.criteria)))
    return rules.criteria[cid]


def _edge_value(band: Any, edge: str) -> Decimal | None:
    if edge in ("from", "above"):
        return band.lower if band.lower is not None and band.lower_inclusive == (edge == "from") else None
    return band.upper if band.upper is not None and band.upper_inclusive == (edge == "to") else None


def check_value(rules: RuleSet, parameter: Parameter, value: Decimal) -> None:
    """Raise :class:`ParameterError` if ``parameter`` cannot take ``value``."""
    scale = [p.score for p in rules.scale]
    if parameter.kind in ("band_score", "if_no_value", "judgement", "override"):
        if value != value.to_integral_value() or int(value) not in scale:
            raise ParameterError(f"{value} is not on the scale (allowed: {', '.join(map(str, scale))})")
    if parameter.kind == "edge":
        decimals = rules.criteria[parameter.criterion].decimals
        if to_units(value, decimals) is None:
            raise ParameterError(
                f"{value} has more decimal places than the criterion's `decimals: {decimals}`",
                "step by whole units of the criterion's precision",
            )
    if parameter.kind == "weight" and value < 0:
        raise ParameterError(f"a weight cannot be negative ({value})")


@dataclass(frozen=True)
class Column:
    """One parameter's value in each scenario, stored as distinct values and an index per scenario."""

    values: list[Decimal]
    index: Any  # int array, one entry per scenario

    def __len__(self) -> int:
        return len(self.index)

    @classmethod
    def of(cls, column: Any) -> Column:
        """A Column from a Column or a plain sequence of values."""
        import numpy as np

        if isinstance(column, Column):
            return column
        distinct: dict[Decimal, int] = {}
        index = np.array([distinct.setdefault(Decimal(v), len(distinct)) for v in column], dtype=np.int64)
        return cls(list(distinct), index)

    def ints(self) -> Any:
        import numpy as np

        return np.array([int(v) for v in self.values], dtype=np.int64)[self.index]

    def units(self, places: int) -> Any:
        import numpy as np

        return np.array([int(v.scaleb(places)) for v in self.values], dtype=np.int64)[self.index]


@dataclass(frozen=True)
class Evaluation:
    """Every scenario's outcome: arrays indexed [scenario, case(, criterion)]."""

    scores: Any
    total_units: Any
    places: int
    cutoff_units: Any
    priority: Any
    valid: Any


def evaluate(result: Result, parameters: list[Parameter], columns: list[Any]) -> Evaluation:
    """Evaluate ``len(columns[0])`` scenarios; column p holds parameter p's value (Decimal) per scenario."""
    import numpy as np

    rules = result.rules
    columns = [Column.of(c) for c in columns]
    k = len(columns[0]) if columns else 1
    n = len(result.issue_ids)
    valid = np.ones(k, dtype=bool)
    finals = []
    for cid, outcome in result.outcomes.items():
        mine = [(p, col) for p, col in zip(parameters, columns, strict=True) if p.criterion == cid]
        final = np.broadcast_to(outcome.final, (k, n)).copy()
        criterion = outcome.criterion
        if criterion.data_driven:
            rule_score, ok = _data_scores(result, cid, mine, k)
            valid &= ok
            from_data = np.isin(outcome.source, ["data", "no value"])
            final[:, from_data] = rule_score[:, from_data]
        # Cells (any score of an issue, used by the distance-to-flip search) apply last: they set the final score.
        for parameter, column in sorted(mine, key=lambda pc: pc[0].kind == "cell"):
            if parameter.kind in ("judgement", "override", "cell"):
                cases = result.inputs.case_issue == list(rules.issues).index(parameter.issue)
                if parameter.kind != "cell":  # a cell sets the final score whatever its source
                    cases &= outcome.source == (JUDGEMENT if parameter.kind == "judgement" else OVERRIDE)
                final[:, cases] = column.ints()[:, None]
        finals.append(final)
    scores = np.stack(finals, axis=2)
    cutoffs = [col for p, col in zip(parameters, columns, strict=True) if p.kind == "cutoff"]
    cutoff = cutoffs[-1] if cutoffs else Column([rules.priority.cutoff], np.zeros(k, dtype=np.int64))
    totals = _totals(result, scores, parameters, columns, k).rescaled(decimal_places(cutoff.values))
    total_units, places = totals.units, totals.places
    cutoff_units = cutoff.units(places)
    reaches = total_units >= cutoff_units[:, None]
    priority = limit_priorities(
        reaches, total_units, result.inputs.case_area, rules.priority.max_priorities, rules.priority.ties
    )
    return Evaluation(scores, total_units, places, cutoff_units, priority, valid)


def _data_scores(result: Result, cid: str, mine: list[tuple[Parameter, Any]], k: int) -> tuple[Any, Any]:
    """The data rule's score per scenario and case, and which scenarios keep a valid band table."""
    import numpy as np

    outcome = result.outcomes[cid]
    criterion = outcome.criterion
    n = len(result.issue_ids)
    bands = criterion.bands
    scores = np.tile(np.array([b.score for b in bands], dtype=np.int64), (k, 1))
    no_value = np.full(k, criterion.if_no_value or 0, dtype=np.int64)
    edges = [(p, col) for p, col in mine if p.kind == "edge"]
    for parameter, column in mine:
        if parameter.kind == "band_score":
            scores[:, parameter.band] = column.ints()
        if parameter.kind == "if_no_value":
            no_value = column.ints()
    defined = outcome.metric.defined
    if not edges:
        band = np.broadcast_to(outcome.band, (k, n))
        ok = np.ones(k, dtype=bool)
    else:
        # Bands depend only on the edge values: work on each distinct combination once, then spread.
        sizes = [len(column.values) for _, column in edges]
        combined = np.ravel_multi_index([column.index for _, column in edges], sizes)
        distinct, spread = np.unique(combined, return_inverse=True)
        picks = np.unravel_index(distinct, sizes)
        ranges = [unit_range(b, criterion.decimals) for b in bands]
        u = len(distinct)
        low = np.tile(np.array([INT_MIN if r.low is None else r.low for r in ranges], dtype=np.int64), (u, 1))
        high = np.tile(np.array([INT_MAX if r.high is None else r.high for r in ranges], dtype=np.int64), (u, 1))
        for (parameter, column), pick in zip(edges, picks, strict=True):
            units = np.array([to_units(v, criterion.decimals) for v in column.values], dtype=np.int64)[pick]
            for band_index, edge in ((parameter.band, parameter.edge), *parameter.linked):
                if edge == "from":
                    low[:, band_index] = units
                elif edge == "above":
                    low[:, band_index] = units + 1
                elif edge == "to":
                    high[:, band_index] = units
                else:
                    high[:, band_index] = units - 1
        values = np.where(defined, outcome.metric.units, 0).astype(np.int64)
        inside = (low[:, None, :] <= values[None, :, None]) & (values[None, :, None] <= high[:, None, :])
        band = np.where(inside.any(axis=2), inside.argmax(axis=2), -1)[spread]
        ok = _covers_once(low, high, criterion.metric, criterion.decimals)[spread]
    band = np.where(defined[None, :], band, -1)
    picked = np.take_along_axis(scores, np.clip(band, 0, None), axis=1)
    return np.where(band >= 0, picked, no_value[:, None]), ok


def _covers_once(low: Any, high: Any, metric: str, decimals: int) -> Any:
    """Per scenario: do the bands cover every possible value exactly once? (counted at every edge)"""
    import numpy as np

    _, dom_low, dom_high = METRICS[metric]
    lo = INT_MIN if dom_low is None else to_units(dom_low, decimals)
    hi = INT_MAX if dom_high is None else to_units(dom_high, decimals)
    points = np.concatenate([low, high + 1, np.full((low.shape[0], 1), lo)], axis=1)
    points = np.clip(points, lo, hi)
    covering = ((low[:, None, :] <= points[:, :, None]) & (points[:, :, None] <= high[:, None, :])).sum(axis=2)
    return (covering == 1).all(axis=1)


def _totals(result: Result, scores: Any, parameters: list[Parameter], columns: list[Column], k: int) -> Totals:
    """Every scenario's totals, by the one total rule; varied weights become a [scenario, 1, criterion] matrix."""
    import numpy as np

    rules = result.rules
    weights = None
    if rules.total.method == "weighted_sum":
        by_criterion = {c: Column([w], np.zeros(k, dtype=np.int64)) for c, w in rules.total.weights.items()}
        for parameter, column in zip(parameters, columns, strict=True):
            if parameter.kind == "weight" and parameter.criterion is not None:
                by_criterion[parameter.criterion] = column
        places = decimal_places(w for column in by_criterion.values() for w in column.values)
        matrix = np.stack([by_criterion[c].units(places) for c in rules.criteria], axis=1)  # [k, criteria]
        weights = (matrix[:, None, :], places)
    return combine(rules.total, list(rules.criteria), scores, weights)
