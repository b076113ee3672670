"""Load a rule file: YAML -> schema -> meaning checks -> :class:`RuleSet`.

This is the only place that reads raw rule-file dicts. Every problem found is
collected with its position and raised together as one :class:`InputError`.
Checks that need the datasets (do the named columns and categories exist?) live
in :mod:`engine.load.datasets`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine.errors import InputError, Problem, allowed_list, did_you_mean
from engine.load.bands import coverage_problems, to_units, unit_range
from engine.load.expressions import ExpressionError, compile_expression
from engine.load.model import (
    COMBINE,
    EXPRESSION_NAMES,
    METRICS,
    Assessment,
    Band,
    Criterion,
    DataCriterion,
    DatasetRef,
    Issue,
    IssueData,
    Judgement,
    JudgementCriterion,
    Override,
    PriorityRule,
    RuleSet,
    ScalePoint,
    Total,
)
from engine.load.overlay import Change, Setting, apply_settings
from engine.load.schema import schema_problems
from engine.load.yamlfile import KeyPath, Positions, parse_yaml, read_bytes
from engine.paths import data_root, display_path

_METRIC_KEYS = ("decimals", "combine", "if_no_value", "total_category", "weights", "expression", "bands")
_NEEDS = {"share_of_total": "total_category", "harm_weighted": "weights", "expression": "expression"}


def load_rules(path: Path | str, settings: Sequence[Setting] = (), *, allow_outside: bool = False) -> RuleSet:
    """Read and check the rule file at ``path``; raise :class:`InputError` listing every problem.

    ``settings`` (from ``--set`` or a scenario file) change values before the
    checks, which then apply to the result exactly as to a file written that
    way; problems a setting causes are reported where the setting was written.
    In such a variant a band may become empty (a moved boundary can close it).
    Datasets outside :func:`data_root` (symlinks resolved) are refused unless
    ``allow_outside``.
    """
    path = Path(path)
    display = display_path(path)
    raw = read_bytes(path, display)
    problems: list[Problem] = []
    data, positions = parse_yaml(raw, display, collect=problems)
    if not isinstance(data, dict):
        problems.append(positions.problem((), "a rule file must be a mapping of keys (assessment, scale, ...)"))
        raise InputError(problems)
    changes: list[Change] = []
    if settings:
        if problems:
            raise InputError(problems)
        data, changes = apply_settings(data, positions, list(settings))
    # One message per key: a value the loader already refused (an alias, `010`) is not reported again.
    refused = {p.path for p in problems}
    shape_problems = [p for p in schema_problems("rules", data, positions) if p.path not in refused]
    if problems or shape_problems:
        # Meaning checks assume the values and shapes these guarantee, so they wait for them.
        raise InputError(problems + shape_problems)
    checker = _Checker(
        path, positions, hashlib.sha256(raw).hexdigest(), variant=bool(settings), allow_outside=allow_outside
    )
    rules = checker.build(data)
    if problems or checker.problems:
        raise InputError(problems + checker.problems)
    return replace(rules, changes=tuple(changes), normalised_sha256=normalised_sha256(data))


def normalised_sha256(data: Any) -> str:
    """SHA-256 of the rules' meaning: the loaded values as canonical JSON, so comments and layout do not count."""
    import json

    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Checker:
    """Builds the typed rule set while collecting every meaning problem."""

    def __init__(
        self, path: Path, positions: Positions, sha256: str, *, variant: bool = False, allow_outside: bool = False
    ):
        self.path = path
        self.allow_outside = allow_outside
        self.sha256 = sha256
        self.variant = variant
        self.positions = positions
        self.problems: list[Problem] = []
        self.scores: list[int] = []

    def fail(self, path: KeyPath, message: str, hint: str = "", *, key: bool = False) -> None:
        self.problems.append(self.positions.problem(path, message, hint, key=key))

    def build(self, data: dict[str, Any]) -> RuleSet:
        scale = self._scale(data["scale"])
        criteria = {cid: self._criterion(cid, raw) for cid, raw in data["criteria"].items()}
        datasets = {name: self._dataset(name, raw) for name, raw in data.get("datasets", {}).items()}
        issues = {iid: self._issue(iid, raw, criteria, datasets) for iid, raw in data["issues"].items()}
        total = self._total(data.get("total", {"method": "sum"}), criteria)
        priority = self._priority(data["priority"])
        assessment = Assessment(**data["assessment"])
        return RuleSet(
            path=self.path,
            display=self.positions.file,
            sha256=self.sha256,
            assessment=assessment,
            scale=scale,
            total=total,
            priority=priority,
            datasets=datasets,
            criteria=criteria,
            issues=issues,
            positions=self.positions,
        )

    # -- scale, total, priority -------------------------------------------------

    def _scale(self, raw: list[dict[str, Any]]) -> tuple[ScalePoint, ...]:
        points = []
        for i, item in enumerate(raw):
            if item["score"] in self.scores:
                self.fail(("scale", i, "score"), f"score {item['score']} is listed twice on the scale")
                continue
            self.scores.append(item["score"])
            points.append(ScalePoint(item["score"], item["meaning"]))
        return tuple(points)

    def check_score(self, path: KeyPath, score: int) -> None:
        if score not in self.scores:
            self.fail(path, f"{score} is not on the scale (allowed: {allowed_list(self.scores)})")

    def _total(self, raw: dict[str, Any], criteria: dict[str, Criterion]) -> Total:
        method = raw["method"]
        base = ("total",)
        for key in ("weights", "expression"):
            wanted = {"weights": "weighted_sum", "expression": "expression"}[key]
            if key in raw and method != wanted:
                self.fail(base + (key,), f"`{key}` is only used when method is {wanted}", key=True)
            if key not in raw and method == wanted:
                self.fail(base + ("method",), f"method {wanted} needs `{key}`")
        weights: dict[str, Decimal] = {}
        if method == "weighted_sum" and "weights" in raw:
            for cid, weight in raw["weights"].items():
                if cid not in criteria:
                    self._unknown_criterion(base + ("weights", cid), cid, criteria, key=True)
                weights[cid] = Decimal(weight)
            for cid in criteria:
                if cid not in raw["weights"]:
                    self.fail(
                        base + ("weights",),
                        f"criterion `{cid}` has no weight",
                        "give every criterion a weight (0 to leave it out)",
                    )
        expression = None
        if method == "expression" and "expression" in raw:
            names = {cid: c.name for cid, c in criteria.items()}
            expression = self._expression(base + ("expression",), raw["expression"], names)
        return Total(method, weights, expression)

    def _priority(self, raw: dict[str, Any]) -> PriorityRule:
        limit = raw.get("max_priorities")
        if limit is not None and "ties" not in raw:
            self.fail(
                ("priority", "max_priorities"),
                "a maximum number of priorities needs a tie rule",
                "add `ties: include_all` (every issue tied at the limit is kept) or `ties: exclude_all`",
            )
        if limit is None and "ties" in raw:
            self.fail(("priority", "ties"), "`ties` only applies with `max_priorities`", key=True)
        return PriorityRule(Decimal(raw["cutoff"]), limit, raw.get("ties", "include_all"))

    # -- datasets -----------------------------------------------------------------

    def _dataset(self, name: str, raw: dict[str, Any]) -> DatasetRef:
        file = (self.path.parent / raw["file"]).resolve()  # resolve() follows symlinks: they cannot lead out
        root = data_root(self.path)
        if not self.allow_outside and not file.is_relative_to(root):
            self.fail(
                ("datasets", name, "file"),
                f"{display_path(file)} is outside the rule file's folder tree ({display_path(root)})",
                "move the data beside the rules, or pass --allow-outside-data if you trust this rule file",
            )
        return DatasetRef(name, file, display_path(file), raw["shape"], raw.get("source"), raw.get("licence"))

    # -- criteria -------------------------------------------------------------------

    def _criterion(self, cid: str, raw: dict[str, Any]) -> Criterion:
        base = ("criteria", cid)
        metric = raw.get("metric")
        if metric is None:
            for key in _METRIC_KEYS:
                if key in raw:
                    self.fail(
                        base + (key,),
                        f"`{key}` needs a metric: without one, `{cid}` is scored by judgement",
                        f"add `metric:` ({allowed_list(METRICS)}) or remove `{key}`",
                        key=True,
                    )
            return JudgementCriterion(cid, raw["name"], raw.get("description"))
        if "decimals" not in raw:
            self.fail(
                base + ("metric",),
                "a data-driven criterion needs `decimals`: the places its metric is rounded to before banding",
            )
        if "bands" not in raw:
            self.fail(base + ("metric",), "a data-driven criterion needs `bands`: which metric values give which score")
        for needing, key in _NEEDS.items():
            if metric == needing and key not in raw:
                self.fail(base + ("metric",), f"metric {metric} needs `{key}`")
            if metric != needing and key in raw:
                self.fail(base + (key,), f"`{key}` is only used with metric {needing}", key=True)
        combine = raw.get("combine", COMBINE[metric][0])
        if combine not in COMBINE[metric]:
            self.fail(
                base + ("combine",),
                f"metric {metric} cannot combine categories by `{combine}` (allowed: {allowed_list(COMBINE[metric])})",
            )
        if_no_value = raw.get("if_no_value", "error")
        if if_no_value != "error":
            self.check_score(base + ("if_no_value",), if_no_value)
        decimals = raw.get("decimals", 0)
        weights = {}
        for category, weight in raw.get("weights", {}).items():
            weights[category] = Decimal(weight)
        expression = None
        if metric == "expression" and "expression" in raw:
            expression = self._expression(base + ("expression",), raw["expression"], EXPRESSION_NAMES)
        bands = self._bands(base, raw.get("bands", []), decimals, metric)
        return DataCriterion(
            id=cid,
            name=raw["name"],
            description=raw.get("description"),
            metric=metric,
            decimals=decimals,
            combine=combine,
            if_no_value=None if if_no_value == "error" else if_no_value,
            total_category=raw.get("total_category"),
            weights=weights,
            expression=expression,
            bands=bands,
        )

    def _bands(self, base: KeyPath, raw: list[dict[str, Any]], decimals: int, metric: str) -> tuple[Band, ...]:
        bands = []
        exact = True
        for i, item in enumerate(raw):
            here = base + ("bands", i)
            self.check_score(here + ("score",), item["score"])
            for a, b in (("from", "above"), ("to", "below")):
                if a in item and b in item:
                    side = "lower" if a == "from" else "upper"
                    self.fail(
                        here + (b,),
                        f"a band has one {side} edge: use `{a}` (inclusive) or `{b}` (exclusive), not both",
                        key=True,
                    )
            for key in ("from", "above", "to", "below"):
                if key in item and to_units(Decimal(item[key]), decimals) is None:
                    exact = False
                    self.fail(
                        here + (key,),
                        f"edge {item[key]} has more decimal places than the criterion's `decimals: {decimals}`",
                        "the metric is rounded before banding, so this edge cannot be compared exactly; "
                        "round the edge or raise `decimals`",
                    )
            lower_key = "from" if "from" in item else ("above" if "above" in item else None)
            upper_key = "to" if "to" in item else ("below" if "below" in item else None)
            band = Band(
                index=i,
                score=item["score"],
                lower=None if lower_key is None else Decimal(item[lower_key]),
                lower_inclusive=lower_key == "from",
                upper=None if upper_key is None else Decimal(item[upper_key]),
                upper_inclusive=upper_key == "to",
            )
            bands.append(band)
        if not exact or not bands:
            return tuple(bands)
        ranges = [unit_range(b, decimals) for b in bands]
        empty = [r for r in ranges if r.low is not None and r.high is not None and r.low > r.high]
        if self.variant:  # a moved boundary may close a band; it then simply never matches
            empty = []
        for r in empty:
            self.fail(base + ("bands", r.band.index), f"band `{r.band.label}` contains no values")
        if empty:
            return tuple(bands)
        _, low, high = METRICS[metric]
        what = f"{metric.replace('_', ' ')} value"
        for problem in coverage_problems(ranges, decimals, (low, high), what):
            hint = f"the metric is rounded to {decimals} decimal place{'s' if decimals != 1 else ''} before banding"
            self.fail(base + ("bands", problem.index), problem.message, hint)
        return tuple(bands)

    def _expression(self, path: KeyPath, text: str, names: dict[str, str]):
        try:
            return compile_expression(text, names)
        except ExpressionError as exc:
            self.fail(path, exc.message, exc.hint)
            return None

    def _unknown_criterion(self, path: KeyPath, cid: str, criteria: dict[str, Criterion], *, key: bool) -> None:
        hint = did_you_mean(cid, list(criteria)) or f"criteria: {allowed_list(criteria)}"
        self.fail(path, f"there is no criterion `{cid}`", hint, key=key)

    # -- issues -------------------------------------------------------------------------

    def _issue(
        self, iid: str, raw: dict[str, Any], criteria: dict[str, Criterion], datasets: dict[str, DatasetRef]
    ) -> Issue:
        base = ("issues", iid)
        data = None
        if "data" in raw:
            data = self._issue_data(base + ("data",), raw["data"], datasets)
        has_data = "data" in raw
        judgements: dict[str, Judgement] = {}
        for cid, item in raw.get("judgements", {}).items():
            here = base + ("judgements", cid)
            if cid not in criteria:
                self._unknown_criterion(here, cid, criteria, key=True)
                continue
            self.check_score(here + ("score",), item["score"])
            if criteria[cid].data_driven and has_data:
                self.fail(
                    here,
                    f"`{cid}` is computed from this issue's data, so it cannot also be a judgement",
                    "to replace the computed score, move this to `overrides:` with a reason and who agreed it",
                    key=True,
                )
            judgements[cid] = Judgement(item["score"], item["rationale"], item["evidence"])
        overrides: dict[str, Override] = {}
        for cid, item in raw.get("overrides", {}).items():
            here = base + ("overrides", cid)
            if cid not in criteria:
                self._unknown_criterion(here, cid, criteria, key=True)
                continue
            self.check_score(here + ("score",), item["score"])
            if not (criteria[cid].data_driven and has_data):
                why = "is scored by judgement" if not criteria[cid].data_driven else "has no data for this issue"
                self.fail(
                    here,
                    f"nothing to override: `{cid}` {why}",
                    "record the score under `judgements:` with a rationale and evidence",
                    key=True,
                )
            overrides[cid] = Override(item["score"], item["reason"], item["agreed_by"])
        for cid, criterion in criteria.items():
            if cid in judgements or (criterion.data_driven and has_data):
                continue
            if criterion.data_driven:
                hint = f"add `data:` to the issue, or `judgements: {cid}:` with score, rationale and evidence"
            else:
                hint = f"add `judgements: {cid}:` with score, rationale and evidence"
            self.fail(base, f"issue `{iid}` has no score for criterion `{cid}`", hint, key=True)
        return Issue(iid, raw["name"], data, judgements, overrides)

    def _issue_data(self, path: KeyPath, raw: dict[str, Any], datasets: dict[str, DatasetRef]) -> IssueData | None:
        name = raw["dataset"]
        if name not in datasets:
            hint = did_you_mean(name, list(datasets)) or (
                f"datasets: {allowed_list(datasets)}" if datasets else "declare it under `datasets:`"
            )
            self.fail(path + ("dataset",), f"there is no dataset `{name}`", hint)
        elif datasets[name].shape != "crime_counts":
            self.fail(
                path + ("dataset",),
                f"dataset `{name}` has shape {datasets[name].shape}; issues read crime_counts datasets",
            )
        seen: dict[str, int] = {}
        for i, category in enumerate(raw["categories"]):
            if category in seen:
                self.fail(
                    path + ("categories", i), f"category `{category}` is listed twice (first as item {seen[category]})"
                )
            seen.setdefault(category, i)
        return IssueData(name, tuple(seen))
