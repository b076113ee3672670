"""Evaluate many scenarios at once: metrics are computed once, then every scenario's bands,
scores, totals and cutoff are evaluated as whole arrays (scenarios x cases x criteria).

A scenario varies *parameters* that do not change the metrics: the cutoff, a
band edge (moving the shared boundary with its neighbour, as ``whatif`` does), a
band's score, ``if_no_value``, a judgement or override score, a weight. Their
values are exact decimals. Scenarios whose bands would no longer cover every
value exactly once are marked invalid (``Evaluation.valid``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from engine.errors import HintedError, did_you_mean, no_such_index
from engine.load.bands import to_units, unit_range
from engine.load.model import (
    METRICS,
    TOUCHING,
    AreaEntries,
    Band,
    Criterion,
    DataCriterion,
    Issue,
    Judgement,
    Override,
    RuleSet,
    score_units,
)
from engine.load.yamlfile import KeyPath, format_path
from engine.score.metrics import MetricValues
from engine.score.scoring import (
    DATA,
    JUDGEMENT,
    NO_VALUE,
    OVERRIDE,
    CriterionOutcome,
    Result,
    area_limits,
    limit_priorities,
    no_value_scores,
)
from engine.score.totals import Totals, combine, decimal_places

if TYPE_CHECKING:
    from engine.numbers import BoolArray, IntArray

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
    reason: str | None = None  # if_no_value for one reason (criteria.x.if_no_value.zero_to_some); None: every reason
    area: str | None = None  # an area's own judgement or override (issues.x.areas.<area>...); None: the issue's

    @property
    def text(self) -> str:
        return format_path(self.path)


#: The shape of a key path: its keys, with ``*`` for any key, ``[*]`` for any list index and
#: ``<edge>`` for one of ``from``, ``above``, ``to``, ``below``.
Shape = tuple[str, ...]
ANY, INDEX, EDGE = "*", "[*]", "<edge>"

#: Resolves a path of its shape to a parameter; None when these rules give that path nothing to vary.
Resolver = Callable[[RuleSet, KeyPath], Parameter | None]


def resolve(rules: RuleSet, path: KeyPath) -> Parameter:
    """The parameter at ``path``, or :class:`ParameterError` saying why it cannot vary."""
    p = tuple(path)
    _check_criterion_keys(rules, p)
    shape = shape_of(p)
    parameter = None if shape is None else RESOLVERS[shape](rules, p)
    if parameter is None:
        raise ParameterError(
            f"`{format_path(p)}` cannot be varied here",
            _section_hint(rules, p)
            or "sweeps vary the cutoff, band edges and scores, if_no_value, judgement and override scores, and "
            "weights; for other changes use whatif with --set or a scenario file",
        )
    return parameter


def _section_hint(rules: RuleSet, p: KeyPath) -> str:
    """ "did you mean `priority.cutoff`?" for a path written without its section (``cutoff``,
    ``trend.bands[3].from``), when exactly one section makes it a parameter that can vary."""
    found = []
    for section in ("priority", "criteria", "issues", "total"):
        full = (section, *p)
        shape = shape_of(full)
        try:
            if shape is not None and RESOLVERS[shape](rules, full) is not None:
                found.append(full)
        except ParameterError:
            continue
    return f"did you mean `{format_path(found[0])}`?" if len(found) == 1 else ""


def shape_of(path: KeyPath) -> Shape | None:
    """The shape in :data:`RESOLVERS` that ``path`` has, or None (the shapes do not overlap)."""
    return next((shape for shape in RESOLVERS if _has_shape(tuple(path), shape)), None)


def _has_shape(path: KeyPath, shape: Shape) -> bool:
    return len(path) == len(shape) and all(_key_fits(key, want) for key, want in zip(path, shape, strict=True))


def _key_fits(key: Any, want: str) -> bool:
    if want == ANY:
        return True
    if want == INDEX:
        return isinstance(key, int)
    if want == EDGE:
        return key in _EDGES
    return bool(key == want)


def _check_criterion_keys(rules: RuleSet, p: KeyPath) -> None:
    """A path into ``criteria`` names a criterion, and a band by index, that must exist whatever follows.

    Checked before the path's shape, so ``criteria.trnd.decimals`` reports the
    misspelt criterion rather than a path that cannot vary.
    """
    if len(p) >= 2 and p[0] == "criteria":
        _criterion(rules, p[1])
        if len(p) == 5 and p[2] == "bands" and isinstance(p[3], int):
            _band(rules, p)


def _cutoff(rules: RuleSet, p: KeyPath) -> Parameter:
    return Parameter(p, "cutoff", rules.priority.cutoff)


def _if_no_value(rules: RuleSet, p: KeyPath) -> Parameter | None:
    criterion = _criterion(rules, p[1])
    if not isinstance(criterion, DataCriterion):
        return None  # only a data criterion has an if_no_value
    if criterion.if_no_value_for:
        raise ParameterError(
            f"`{p[1]}` gives a score per reason: vary one of them",
            "e.g. " + ", ".join(format_path((*p, r)) for r in criterion.if_no_value_for),
        )
    return Parameter(p, "if_no_value", Decimal(criterion.if_no_value or 0), criterion=p[1])


def _if_no_value_for(rules: RuleSet, p: KeyPath) -> Parameter | None:
    criterion = _criterion(rules, p[1])
    if not isinstance(criterion, DataCriterion) or p[3] not in criterion.if_no_value_for:
        raise ParameterError(
            f"`{p[1]}` gives no score for `{p[3]}` in if_no_value",
            did_you_mean(str(p[3]), list(getattr(criterion, "if_no_value_for", {}))) or "",
        )
    base = criterion.if_no_value_for[str(p[3])]
    return Parameter(p, "if_no_value", Decimal(base or 0), criterion=p[1], reason=str(p[3]))


def _band_score(rules: RuleSet, p: KeyPath) -> Parameter:
    _, band = _band(rules, p)
    return Parameter(p, "band_score", Decimal(band.score), criterion=p[1], band=p[3])


def _band_edge(rules: RuleSet, p: KeyPath) -> Parameter:
    """An edge, with the neighbour's edge that touches it (they move together) when exactly one does."""
    criterion, band = _band(rules, p)
    value = _edge_value(band, p[4])
    if value is None:
        raise ParameterError(f"bands[{p[3]}] of `{p[1]}` has no `{p[4]}` edge to vary", f"it is written `{band.label}`")
    touching = TOUCHING[p[4]]
    linked = tuple(
        (other.index, touching)
        for other in criterion.bands
        if other.index != p[3] and _edge_value(other, touching) == value
    )
    return Parameter(
        p, "edge", value, criterion=p[1], band=p[3], edge=p[4], linked=linked[:1] if len(linked) == 1 else ()
    )


def _judgement(rules: RuleSet, p: KeyPath) -> Parameter:
    return _entered_score(rules, p, "judgement")


def _override(rules: RuleSet, p: KeyPath) -> Parameter:
    return _entered_score(rules, p, "override")


def _area_judgement(rules: RuleSet, p: KeyPath) -> Parameter:
    return _entered_score(rules, p, "judgement")


def _area_override(rules: RuleSet, p: KeyPath) -> Parameter:
    return _entered_score(rules, p, "override")


def _entered_score(rules: RuleSet, p: KeyPath, kind: str) -> Parameter:
    """``issues.<issue>.judgements.<criterion>.score`` (or ``overrides``; or an area's own, under
    ``issues.<issue>.areas.<area>.``): the score recorded there."""
    issue = rules.issues.get(p[1])
    if issue is None:
        raise ParameterError(f"there is no issue `{p[1]}`", did_you_mean(p[1], list(rules.issues)))
    area = str(p[3]) if p[2] == "areas" else None
    held: Issue | AreaEntries = issue
    if area is not None:
        if area not in issue.areas:
            raise ParameterError(
                f"issue `{p[1]}` has no entries for area `{area}`",
                did_you_mean(area, list(issue.areas)) or f"areas: {', '.join(issue.areas) or 'none'}",
            )
        held = issue.areas[area]
    section, cid = p[-3], p[-2]
    entered: dict[str, Judgement] | dict[str, Override] = held.judgements if kind == "judgement" else held.overrides
    if cid not in entered:
        have = ", ".join(entered) or "none"
        raise ParameterError(f"issue `{p[1]}` has no {section[:-1]} for `{cid}` ({section}: {have})")
    return Parameter(p, kind, Decimal(entered[cid].score), criterion=cid, issue=p[1], area=area)


def _weight(rules: RuleSet, p: KeyPath) -> Parameter | None:
    if rules.total.method != "weighted_sum":
        return None  # only a weighted sum has weights
    _criterion(rules, p[2])
    return Parameter(p, "weight", rules.total.weights[p[2]], criterion=p[2])


#: Every path a scenario can vary, by shape, and how each resolves against the rules.
RESOLVERS: dict[Shape, Resolver] = {
    ("priority", "cutoff"): _cutoff,
    ("criteria", ANY, "if_no_value"): _if_no_value,
    ("criteria", ANY, "if_no_value", ANY): _if_no_value_for,
    ("criteria", ANY, "bands", INDEX, "score"): _band_score,
    ("criteria", ANY, "bands", INDEX, EDGE): _band_edge,
    ("issues", ANY, "judgements", ANY, "score"): _judgement,
    ("issues", ANY, "overrides", ANY, "score"): _override,
    ("issues", ANY, "areas", ANY, "judgements", ANY, "score"): _area_judgement,
    ("issues", ANY, "areas", ANY, "overrides", ANY, "score"): _area_override,
    ("total", "weights", ANY): _weight,
}


def _criterion(rules: RuleSet, cid: Any) -> Criterion:
    if cid not in rules.criteria:
        raise ParameterError(f"there is no criterion `{cid}`", did_you_mean(str(cid), list(rules.criteria)))
    return rules.criteria[cid]


def _band(rules: RuleSet, p: KeyPath) -> tuple[DataCriterion, Band]:
    """``criteria.<id>.bands[<n>]...``: the criterion and that band, or ParameterError if it has no such band."""
    criterion = _criterion(rules, p[1])
    if isinstance(criterion, DataCriterion) and p[3] < len(criterion.bands):
        return criterion, criterion.bands[p[3]]
    if not isinstance(criterion, DataCriterion):
        raise ParameterError(f"criterion `{p[1]}` is scored by judgement, so it has no bands")
    raise ParameterError(*no_such_index(format_path(p[:3]), len(criterion.bands), p[3]))


def _decimals(rules: RuleSet, cid: str | None) -> int:
    """The ``decimals`` of criterion ``cid``, whose band edge a parameter varies."""
    criterion = _criterion(rules, cid)
    assert isinstance(criterion, DataCriterion)  # only a data criterion has bands, so edges
    return criterion.decimals


def _edge_value(band: Band, edge: str) -> Decimal | None:
    if edge in ("from", "above"):
        return band.lower if band.lower is not None and band.lower_inclusive == (edge == "from") else None
    return band.upper if band.upper is not None and band.upper_inclusive == (edge == "to") else None


def all_parameters(rules: RuleSet) -> list[Parameter]:
    """Every number a scenario can vary, in rule-file order (edges that move together are listed once)."""
    paths: list[KeyPath] = [("priority", "cutoff")]
    for cid, criterion in rules.data_criteria.items():
        paths += _band_paths(rules, cid, criterion)
        if criterion.if_no_value_for:
            paths += [("criteria", cid, "if_no_value", reason) for reason in criterion.if_no_value_for]
        else:
            paths.append(("criteria", cid, "if_no_value"))
    for iid, issue in rules.issues.items():
        paths += [("issues", iid, "judgements", c, "score") for c in issue.judgements]
        paths += [("issues", iid, "overrides", c, "score") for c in issue.overrides]
        for area, own in issue.areas.items():
            paths += [("issues", iid, "areas", area, "judgements", c, "score") for c in own.judgements]
            paths += [("issues", iid, "areas", area, "overrides", c, "score") for c in own.overrides]
    if rules.total.method == "weighted_sum":
        paths += [("total", "weights", c) for c in rules.total.weights]
    return [resolve(rules, p) for p in paths]


def _band_paths(rules: RuleSet, cid: str, criterion: DataCriterion) -> list[KeyPath]:
    """Each band edge of a criterion (a shared boundary once, by its first edge), then each band's score."""
    paths: list[KeyPath] = []
    seen: set[tuple[int, str]] = set()
    for edge in _EDGES:  # lower edges first: a boundary reads best as "from 10"
        for band in criterion.bands:
            if _edge_value(band, edge) is not None and (band.index, edge) not in seen:
                parameter = resolve(rules, ("criteria", cid, "bands", band.index, edge))
                seen.update({(band.index, edge), *parameter.linked})
                paths.append(parameter.path)
    return paths + [("criteria", cid, "bands", band.index, "score") for band in criterion.bands]


def check_value(rules: RuleSet, parameter: Parameter, value: Decimal) -> None:
    """Raise :class:`ParameterError` if ``parameter`` cannot take ``value`` (a score: one on its criterion's scale)."""
    if parameter.kind in ("band_score", "if_no_value", "judgement", "override"):
        assert parameter.criterion is not None  # every score a scenario varies is some criterion's
        scale = [p.score for p in rules.scale_of(parameter.criterion)]
        if value not in scale:
            own = rules.criteria[parameter.criterion].scale
            which = f"the scale of `{parameter.criterion}`" if own else "the scale"
            raise ParameterError(f"{value} is not on {which} (allowed: {', '.join(map(str, scale))})")
    if parameter.kind == "edge":
        decimals = _decimals(rules, parameter.criterion)
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
    index: IntArray  # one entry per scenario

    def __len__(self) -> int:
        return len(self.index)

    @classmethod
    def of(cls, column: Column | Iterable[Any]) -> Column:
        """A Column from a Column or a plain sequence of values."""
        import numpy as np

        if isinstance(column, Column):
            return column
        distinct: dict[Decimal, int] = {}
        index = np.array([distinct.setdefault(Decimal(v), len(distinct)) for v in column], dtype=np.int64)
        return cls(list(distinct), index)

    def units(self, places: int) -> IntArray:
        import numpy as np

        return np.array([int(v.scaleb(places)) for v in self.values], dtype=np.int64)[self.index]


@dataclass(frozen=True)
class Evaluation:
    """Every scenario's outcome: arrays indexed [scenario, case(, criterion)]."""

    scores: IntArray
    total_units: IntArray
    places: int
    cutoff_units: IntArray
    priority: BoolArray
    valid: BoolArray


#: Parameters of one criterion, each with its column of values.
_Varied = list[tuple[Parameter, Column]]


def evaluate(result: Result, parameters: list[Parameter], columns: Sequence[Column | Iterable[Any]]) -> Evaluation:
    """Evaluate ``len(columns[0])`` scenarios; column p holds parameter p's value (Decimal) per scenario."""
    import numpy as np

    rules = result.rules
    given = [Column.of(c) for c in columns]
    k = len(given[0]) if given else 1
    valid = np.ones(k, dtype=bool)
    finals = []
    for cid, outcome in result.outcomes.items():
        mine = [(p, col) for p, col in zip(parameters, given, strict=True) if p.criterion == cid]
        final, ok = _final_scores(result, outcome, mine, k)
        valid &= ok
        finals.append(final)
    scores = np.stack(finals, axis=2)
    cutoffs = [col for p, col in zip(parameters, given, strict=True) if p.kind == "cutoff"]
    cutoff = cutoffs[-1] if cutoffs else Column([rules.priority.cutoff], np.zeros(k, dtype=np.int64))
    totals = _totals(result, scores, parameters, given, k).rescaled(decimal_places(cutoff.values))
    total_units, places = totals.units, totals.places
    cutoff_units = cutoff.units(places)
    reaches = total_units >= cutoff_units[:, None]
    priority = limit_priorities(
        reaches, total_units, result.inputs.case_area, area_limits(rules, result.areas), rules.priority.ties
    )
    return Evaluation(scores, total_units, places, cutoff_units, priority, valid)


def _final_scores(result: Result, outcome: CriterionOutcome, mine: _Varied, k: int) -> tuple[IntArray, BoolArray]:
    """One criterion's final score per scenario and case, and which scenarios keep its bands valid."""
    import numpy as np

    final = np.broadcast_to(outcome.final, (k, len(result.issue_ids))).copy()
    ok = np.ones(k, dtype=bool)
    criterion = outcome.criterion
    if isinstance(criterion, DataCriterion):
        assert outcome.metric is not None  # scoring computes the metric of every data criterion
        rule_score, ok = _data_scores(criterion, outcome, outcome.metric, mine, k, result.rules.score_places)
        from_data = np.isin(outcome.source, [DATA, NO_VALUE])
        final[:, from_data] = rule_score[:, from_data]
    # Cells (any score of an issue, used by the distance-to-flip search) apply last: they set the final score.
    for parameter, column in sorted(mine, key=lambda pc: pc[0].kind == "cell"):
        if parameter.kind in ("judgement", "override", "cell"):
            final[:, _cases_set_by(result, outcome, parameter)] = column.units(result.rules.score_places)[:, None]
    return final, ok


def _cases_set_by(result: Result, outcome: CriterionOutcome, parameter: Parameter) -> BoolArray:
    """The cases a judgement, override or cell parameter sets: its issue's (where the issue records one)."""
    assert parameter.issue is not None  # these kinds always name their issue
    cases = result.inputs.case_issue == list(result.rules.issues).index(parameter.issue)
    if parameter.area is not None:  # an area's own entry: that area's case only (none if it is not scored)
        scored = parameter.area in result.areas
        cases &= result.inputs.case_area == (result.areas.index(parameter.area) if scored else -1)
    elif parameter.kind != "cell":  # the issue's own entry: not where an area's own replaces it
        issue = result.rules.issues[parameter.issue]
        for area, own in issue.areas.items():
            entries = own.judgements if parameter.kind == "judgement" else own.overrides
            if parameter.criterion in entries and area in result.areas:
                cases &= result.inputs.case_area != result.areas.index(area)
    if parameter.kind != "cell":  # a cell sets the final score whatever its source
        cases &= outcome.source == (JUDGEMENT if parameter.kind == "judgement" else OVERRIDE)
    return cases


def _data_scores(
    criterion: DataCriterion, outcome: CriterionOutcome, metric: MetricValues, mine: _Varied, k: int, places: int
) -> tuple[IntArray, BoolArray]:
    """The data rule's score per scenario and case (units of ``10**-places``), and which keep a valid band table."""
    import numpy as np

    scores = np.tile(np.array([score_units(b.score, places) for b in criterion.bands], dtype=np.int64), (k, 1))
    no_value = np.tile(no_value_scores(criterion, metric.reason, places), (k, 1))  # [scenario, case]
    for parameter, column in mine:
        if parameter.kind == "band_score":
            scores[:, parameter.band] = column.units(places)
        if parameter.kind == "if_no_value":
            cases = metric.reason != "" if parameter.reason is None else metric.reason == parameter.reason
            no_value[:, cases] = column.units(places)[:, None]
    edges = [(p, col) for p, col in mine if p.kind == "edge"]
    if edges:
        band, ok = _moved_bands(criterion, metric, edges)
    else:
        band = np.broadcast_to(outcome.band, (k, len(outcome.band)))
        ok = np.ones(k, dtype=bool)
    band = np.where(metric.defined[None, :], band, -1)
    picked = np.take_along_axis(scores, np.clip(band, 0, None), axis=1)
    return np.where(band >= 0, picked, no_value), ok


def _moved_bands(criterion: DataCriterion, metric: MetricValues, edges: _Varied) -> tuple[IntArray, BoolArray]:
    """With edges moved: the band each case falls in per scenario (-1: none), and which scenarios keep valid bands.

    Bands depend only on the edge values: each distinct combination is worked out once, then spread.
    """
    import numpy as np

    sizes = [len(column.values) for _, column in edges]
    combined = np.ravel_multi_index([column.index for _, column in edges], sizes)
    distinct, spread = np.unique(combined, return_inverse=True)
    picks = np.unravel_index(distinct, sizes)
    low, high = _unit_bounds(criterion, len(distinct))
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
    values = np.where(metric.defined, metric.units, 0).astype(np.int64)
    inside = (low[:, None, :] <= values[None, :, None]) & (values[None, :, None] <= high[:, None, :])
    band = np.where(inside.any(axis=2), inside.argmax(axis=2), -1)[spread]
    return band, _covers_once(low, high, criterion.metric, criterion.decimals)[spread]


def _unit_bounds(criterion: DataCriterion, u: int) -> tuple[IntArray, IntArray]:
    """The bands' inclusive low and high edges in units, repeated for ``u`` scenarios (unbounded: INT_MIN/INT_MAX)."""
    import numpy as np

    ranges = [unit_range(b, criterion.decimals) for b in criterion.bands]
    low = np.tile(np.array([INT_MIN if r.low is None else r.low for r in ranges], dtype=np.int64), (u, 1))
    high = np.tile(np.array([INT_MAX if r.high is None else r.high for r in ranges], dtype=np.int64), (u, 1))
    return low, high


def _covers_once(low: IntArray, high: IntArray, metric: str, decimals: int) -> BoolArray:
    """Per scenario: do the bands cover every possible value exactly once? (counted at every edge)"""
    import numpy as np

    _, dom_low, dom_high = METRICS[metric]
    lo = INT_MIN if dom_low is None else to_units(dom_low, decimals)
    hi = INT_MAX if dom_high is None else to_units(dom_high, decimals)
    points = np.concatenate([low, high + 1, np.full((low.shape[0], 1), lo)], axis=1)
    points = np.clip(points, lo, hi)
    covering = ((low[:, None, :] <= points[:, :, None]) & (points[:, :, None] <= high[:, None, :])).sum(axis=2)
    return (covering == 1).all(axis=1)


def _totals(result: Result, scores: IntArray, parameters: list[Parameter], columns: list[Column], k: int) -> Totals:
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
    return combine(rules.total, list(rules.criteria), scores, weights, derived=rules.derived, places=rules.score_places)
