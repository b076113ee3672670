"""The `criteria:` section: criteria scored by judgement, and criteria scored from data with their bands."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from engine.errors import allowed_list, did_you_mean
from engine.load.bands import CoverageProblem, coverage_problems, to_units, unit_range
from engine.load.model import (
    COMBINE,
    EXPRESSION_NAMES,
    METRICS,
    NO_VALUE_REASONS,
    PERIOD_METRICS,
    Band,
    Criterion,
    DataCriterion,
    JudgementCriterion,
    Measure,
    RankRule,
    ScalePoint,
    Score,
)
from engine.load.sections.collector import Collector
from engine.load.sections.scale import build_criterion_scale
from engine.load.yamlfile import KeyPath

#: keys that only a data-driven criterion (one with a metric) may have.
_METRIC_KEYS = (
    "decimals",
    "combine",
    "rank",
    "if_no_value",
    "total_category",
    "weights",
    "expression",
    "measure",
    "periods",
    "bands",
    "data_needed",
)
#: key -> the metrics that need it (and no other metric may have).
_NEEDS: dict[str, tuple[str, ...]] = {
    "total_category": ("share_of_total",),
    "weights": ("harm_weighted",),
    "expression": ("expression",),
    "measure": ("measure",),
    "periods": PERIOD_METRICS,
}
#: what a needed key says, where naming it alone would not tell an officer what to write.
_WHAT_IT_IS = {"periods": "how many of the latest periods it uses (at least 2)"}
#: metric -> a key only it may have, but need not (its defaults apply).
_ONLY = {"county_rank": "rank"}
#: a band's two ways of writing each edge: inclusive, exclusive.
_EDGES = (("from", "above"), ("to", "below"))


def build_criterion(
    collector: Collector,
    cid: str,
    raw: dict[str, Any],
    *,
    variant: bool = False,
    measures: Mapping[str, Measure] | None = None,
) -> Criterion:
    """A judgement criterion (no metric) or a data criterion; ``variant``: settings were applied (see _coverage).

    ``measures`` are the rule file's declared measures: a ``measure`` metric names one, and an expression may
    use their ids. Its own scale, when it has one, is built first: every score of the criterion is checked
    against it.
    """
    scale = build_criterion_scale(collector, cid, raw["scale"]) if "scale" in raw else ()
    if raw.get("metric") is None:
        return _judgement_criterion(collector, cid, raw, scale)
    return _data_criterion(collector, cid, raw, scale, variant=variant, measures=measures or {})


def _judgement_criterion(
    collector: Collector, cid: str, raw: dict[str, Any], scale: tuple[ScalePoint, ...]
) -> JudgementCriterion:
    for key in _METRIC_KEYS:
        if key in raw:
            collector.fail(
                ("criteria", cid, key),
                f"`{key}` needs a metric: without one, `{cid}` is scored by judgement",
                f"add `metric:` ({allowed_list(METRICS)}) or remove `{key}`",
                key=True,
            )
    return JudgementCriterion(cid, raw["name"], raw.get("description"), scale)


def _data_criterion(
    collector: Collector,
    cid: str,
    raw: dict[str, Any],
    scale: tuple[ScalePoint, ...],
    *,
    variant: bool,
    measures: Mapping[str, Measure],
) -> DataCriterion:
    base = ("criteria", cid)
    metric = raw["metric"]
    _metric_keys(collector, base, raw, metric)
    measure = _measure(collector, base, raw, measures) if metric == "measure" and "measure" in raw else None
    if measure is not None and "combine" not in raw:
        raw = {**raw, "combine": measure.combine}
    combine = _combine(collector, base, raw, metric)
    if measure is not None and combine != measure.combine:
        collector.fail(
            base + ("combine",),
            f"measure `{measure.id}` is a {measure.kind}, so an issue's categories combine by `{measure.combine}`",
            "remove `combine`: a measure's kind decides it",
        )
    if_no_value, if_no_value_for, pending_for = _if_no_value(collector, cid, raw.get("if_no_value", "error"), metric)
    decimals = raw.get("decimals", 0)
    weights = {category: Decimal(weight) for category, weight in raw.get("weights", {}).items()}
    expression = None
    if metric == "expression" and "expression" in raw:
        names = {**EXPRESSION_NAMES, **{mid: f"the measure {m.name}" for mid, m in measures.items()}}
        expression = collector.expression(base + ("expression",), raw["expression"], names)
    bands = _bands(collector, cid, raw.get("bands", []), decimals, metric, variant=variant)
    return DataCriterion(
        id=cid,
        name=raw["name"],
        description=raw.get("description"),
        metric=metric,
        decimals=decimals,
        combine=combine,
        if_no_value=if_no_value,
        if_no_value_for=if_no_value_for,
        total_category=raw.get("total_category"),
        weights=weights,
        expression=expression,
        measure=None if measure is None else measure.id,
        rank=RankRule(**raw.get("rank", {})),
        periods=raw.get("periods") if metric in PERIOD_METRICS else None,
        bands=bands,
        scale=scale,
        pending_for=pending_for,
        data_needed=raw.get("data_needed"),
    )


def _metric_keys(collector: Collector, base: KeyPath, raw: dict[str, Any], metric: str) -> None:
    """Every data criterion has `decimals` and `bands`; a metric's own key is there, no other metric's."""
    if "decimals" not in raw:
        collector.fail(
            base + ("metric",),
            "a data-driven criterion needs `decimals`: the places its metric is rounded to before banding",
        )
    if "bands" not in raw:
        collector.fail(
            base + ("metric",), "a data-driven criterion needs `bands`: which metric values give which score"
        )
    for key, needing in _NEEDS.items():
        if metric in needing and key not in raw:
            what = _WHAT_IT_IS.get(key, "")
            collector.fail(base + ("metric",), f"metric {metric} needs `{key}`" + (f": {what}" if what else ""))
        if metric not in needing and key in raw:
            collector.fail(base + (key,), f"`{key}` is only used with metric {' or '.join(needing)}", key=True)
    for owner, key in _ONLY.items():
        if metric != owner and key in raw:
            collector.fail(base + (key,), f"`{key}` is only used with metric {owner}", key=True)


def _measure(
    collector: Collector, base: KeyPath, raw: dict[str, Any], measures: Mapping[str, Measure]
) -> Measure | None:
    """The declared measure the criterion names, or None after recording that it names none."""
    mid = raw["measure"]
    if mid in measures:
        return measures[mid]
    if measures:
        hint = did_you_mean(mid, list(measures)) or f"measures: {allowed_list(measures)}"
    else:
        hint = "declare it under `measures:` in the rule file"
    collector.fail(base + ("measure",), f"there is no measure `{mid}`", hint)
    return None


#: ``if_no_value`` as read: one score for any reason, a score per reason, and the reasons still to be agreed.
NoValueRule = tuple[Score | None, dict[str, Score | None], frozenset[str]]


def _if_no_value(collector: Collector, cid: str, raw: Any, metric: str) -> NoValueRule:
    """One score (or `error`, or `to_be_agreed`) for any missing value, or one per reason it can have no value."""
    here = ("criteria", cid, "if_no_value")
    reasons = NO_VALUE_REASONS.get(metric, {})
    if not isinstance(raw, dict):
        if raw == "to_be_agreed":
            return None, {}, frozenset(reasons)
        if raw == "error":
            return None, {}, frozenset()
        return collector.check_score(here, raw, cid), {}, frozenset()
    scores: dict[str, Score | None] = {}
    pending = frozenset(reason for reason, score in raw.items() if score == "to_be_agreed")
    for reason, score in raw.items():
        if reason not in reasons:
            if reasons:
                message = f"`{reason}` is not a reason {metric} can have no value"
                hint = did_you_mean(reason, list(reasons)) or f"reasons: {allowed_list(reasons)}"
            else:
                message = f"metric {metric} always has a value, so `{reason}` can never apply"
                hint = "remove `if_no_value`"
            collector.fail(here + (reason,), message, hint, key=True)
            continue
        if score in ("error", "to_be_agreed"):
            scores[reason] = None
        else:
            scores[reason] = collector.check_score(here + (reason,), score, cid)
    return None, scores, pending


def _combine(collector: Collector, base: KeyPath, raw: dict[str, Any], metric: str) -> str:
    """How the metric combines an issue's categories: as written if the metric allows it, else its default."""
    combine: str = raw.get("combine", COMBINE[metric][0])
    if combine not in COMBINE[metric]:
        collector.fail(
            base + ("combine",),
            f"metric {metric} cannot combine categories by `{combine}` (allowed: {allowed_list(COMBINE[metric])})",
        )
    return combine


# -- bands ---------------------------------------------------------------------------------


def _bands(
    collector: Collector, cid: str, raw: list[dict[str, Any]], decimals: int, metric: str, *, variant: bool
) -> tuple[Band, ...]:
    """The bands as written; when every edge is exact, they must also cover the metric's values once each."""
    base = ("criteria", cid)
    bands = []
    exact = True
    for i, item in enumerate(raw):
        band, band_exact = _band(collector, cid, i, item, decimals)
        bands.append(band)
        exact = exact and band_exact
    if exact and bands:
        _coverage(collector, base, bands, decimals, metric, variant=variant)
    return tuple(bands)


def _band(collector: Collector, cid: str, index: int, item: dict[str, Any], decimals: int) -> tuple[Band, bool]:
    """One band, and whether its edges are exact at ``decimals`` places; a score on its scale, one edge a side."""
    here = ("criteria", cid, "bands", index)
    score = collector.check_score(here + ("score",), item["score"], cid)
    for inclusive, exclusive in _EDGES:
        if inclusive in item and exclusive in item:
            side = "lower" if inclusive == "from" else "upper"
            collector.fail(
                here + (exclusive,),
                f"a band has one {side} edge: use `{inclusive}` (inclusive) or `{exclusive}` (exclusive), not both",
                key=True,
            )
    exact = True
    for key in ("from", "above", "to", "below"):
        if key in item and to_units(Decimal(item[key]), decimals) is None:
            exact = False
            collector.fail(
                here + (key,),
                f"edge {item[key]} has more decimal places than the criterion's `decimals: {decimals}`",
                "the metric is rounded before banding, so this edge cannot be compared exactly; "
                "round the edge or raise `decimals`",
            )
    lower_key = "from" if "from" in item else ("above" if "above" in item else None)
    upper_key = "to" if "to" in item else ("below" if "below" in item else None)
    band = Band(
        index=index,
        score=score,
        lower=None if lower_key is None else Decimal(item[lower_key]),
        lower_inclusive=lower_key == "from",
        upper=None if upper_key is None else Decimal(item[upper_key]),
        upper_inclusive=upper_key == "to",
    )
    return band, exact


def _coverage(
    collector: Collector, base: KeyPath, bands: list[Band], decimals: int, metric: str, *, variant: bool
) -> None:
    """No band is empty (unless ``variant``), and the bands cover every possible value of the metric exactly once.

    In a variant (settings applied) a moved boundary may close a band; it then simply never matches.
    """
    ranges = [unit_range(b, decimals) for b in bands]
    empty = [r for r in ranges if r.low is not None and r.high is not None and r.low > r.high]
    if variant:
        empty = []
    for r in empty:
        collector.fail(base + ("bands", r.band.index), f"band `{r.band.label}` contains no values")
    if empty:
        return
    _, low, high = METRICS[metric]
    what = f"{metric.replace('_', ' ')} value"
    for problem in coverage_problems(ranges, decimals, (low, high), what):
        hint = f"the metric is rounded to {decimals} decimal place{'s' if decimals != 1 else ''} before banding"
        collector.fail(base + ("bands", problem.index), problem.message + _fixes_text(collector, base, problem), hint)


def _fixes_text(collector: Collector, base: KeyPath, problem: CoverageProblem) -> str:
    """``: change `bands[2].from` (line 41) to 10, or `bands[1].to` (line 38) to 11.9``: the neighbouring edges
    to change, each with its line, so a hand-edited edge is found at once."""
    if not problem.fixes:
        return ""
    words = []
    shown_in = collector.positions.locate(base + ("bands", problem.index))[0]
    for fix in problem.fixes:
        here = base + ("bands", fix.index)
        edge = here + (fix.key,)
        file, line, _ = collector.positions.locate(edge if edge in collector.positions.values else here)
        # An edge in another file than the problem's (a --set, a scenario, or the rule file beside them) says which.
        where = f"line {line}" if file == shown_in else f"{file}, line {line}"
        value = fix.value.normalize() if fix.value == fix.value.to_integral_value() else fix.value
        words.append(f"`bands[{fix.index}].{fix.key}` ({where}) to {value:f}")
    return ": change " + ", or ".join(words)
