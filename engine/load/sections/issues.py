"""The `issues:` section: each issue's data, judgements and overrides, and a score source for every criterion."""

from __future__ import annotations

from typing import Any

from engine.errors import allowed_list, did_you_mean
from engine.load.model import (
    COUNT_SHAPES,
    AreaEntries,
    Criterion,
    DataCriterion,
    DatasetRef,
    Issue,
    IssueData,
    Judgement,
    Override,
)
from engine.load.sections.collector import Collector
from engine.load.yamlfile import KeyPath


def build_issue(
    collector: Collector,
    iid: str,
    raw: dict[str, Any],
    criteria: dict[str, Criterion],
    datasets: dict[str, DatasetRef],
) -> Issue:
    """The issue; each criterion is scored from its data or by a judgement, and only a computed score is overridden."""
    base = ("issues", iid)
    data = None
    if "data" in raw:
        data = _issue_data(collector, base + ("data",), raw["data"], datasets)
    has_data = "data" in raw
    written = raw.get("judgements", {})
    pending = {cid: str(item.get("rationale", "")) for cid, item in written.items() if item["score"] == "to_be_agreed"}
    written = {cid: item for cid, item in written.items() if cid not in pending}
    _pending_known(collector, base, pending, criteria, has_data=has_data)
    judgements = _judgements(collector, base, written, criteria, has_data=has_data)
    overrides = _overrides(collector, base, raw.get("overrides", {}), criteria, has_data=has_data)
    for area, item in raw.get("areas", {}).items():
        for cid, entry in item.get("judgements", {}).items():
            if entry["score"] == "to_be_agreed":
                collector.fail(
                    base + ("areas", area, "judgements", cid, "score"),
                    "an area's own judgement records a score; `to_be_agreed` belongs to the issue's own judgements",
                    "remove this entry until the area agrees its score",
                )
    areas = {
        area: AreaEntries(
            _judgements(
                collector,
                base + ("areas", area),
                {c: j for c, j in item.get("judgements", {}).items() if j["score"] != "to_be_agreed"},
                criteria,
                has_data=has_data,
            ),
            _overrides(collector, base + ("areas", area), item.get("overrides", {}), criteria, has_data=has_data),
        )
        for area, item in raw.get("areas", {}).items()
    }
    for cid, criterion in criteria.items():
        computed = isinstance(criterion, DataCriterion)
        if cid in judgements or cid in pending or (computed and has_data):
            continue
        if areas and all(cid in own.judgements for own in areas.values()):
            continue  # judged area by area; an area scored without its own judgement is a data check
        if computed:
            hint = f"add `data:` to the issue, or `judgements: {cid}:` with score, rationale and evidence"
        else:
            hint = f"add `judgements: {cid}:` with score, rationale and evidence"
        collector.fail(base, f"issue `{iid}` has no score for criterion `{cid}`", hint, key=True)
    return Issue(iid, raw["name"], data, judgements, overrides, areas, pending)


def _pending_known(
    collector: Collector, base: KeyPath, pending: dict[str, str], criteria: dict[str, Criterion], *, has_data: bool
) -> None:
    """A judgement still to be agreed names a criterion the issue scores by judgement."""
    for cid in pending:
        here = base + ("judgements", cid)
        if cid not in criteria:
            collector.unknown_criterion(here, cid, criteria, key=True)
        elif isinstance(criteria[cid], DataCriterion) and has_data:
            collector.fail(
                here,
                f"`{cid}` is computed from this issue's data, so it cannot also be a judgement",
                "to leave a score from missing data to be agreed, set `if_no_value: to_be_agreed` on the criterion",
                key=True,
            )


def _issue_data(
    collector: Collector, path: KeyPath, raw: dict[str, Any], datasets: dict[str, DatasetRef]
) -> IssueData | None:
    """The crime_counts or crime_series dataset the issue reads, and its categories, each once."""
    name = raw["dataset"]
    if name not in datasets:
        hint = did_you_mean(name, list(datasets)) or (
            f"datasets: {allowed_list(datasets)}" if datasets else "declare it under `datasets:`"
        )
        collector.fail(path + ("dataset",), f"there is no dataset `{name}`", hint)
    elif datasets[name].shape not in COUNT_SHAPES:
        collector.fail(
            path + ("dataset",),
            f"dataset `{name}` has shape {datasets[name].shape}; issues read crime_counts or crime_series datasets",
        )
    seen: dict[str, int] = {}
    for i, category in enumerate(raw["categories"]):
        if category in seen:
            collector.fail(
                path + ("categories", i), f"category `{category}` is listed twice (first as item {seen[category]})"
            )
        seen.setdefault(category, i)
    return IssueData(name, tuple(seen))


def _judgements(
    collector: Collector, base: KeyPath, raw: dict[str, Any], criteria: dict[str, Criterion], *, has_data: bool
) -> dict[str, Judgement]:
    """Judgements of known criteria, on their scales; a criterion computed from the issue's data cannot have one."""
    judgements: dict[str, Judgement] = {}
    for cid, item in raw.items():
        here = base + ("judgements", cid)
        if cid not in criteria:
            collector.unknown_criterion(here, cid, criteria, key=True)
            continue
        score = collector.check_score(here + ("score",), item["score"], cid)
        if isinstance(criteria[cid], DataCriterion) and has_data:
            collector.fail(
                here,
                f"`{cid}` is computed from this issue's data, so it cannot also be a judgement",
                "to replace the computed score, move this to `overrides:` with a reason and who agreed it",
                key=True,
            )
        judgements[cid] = Judgement(score, item["rationale"], item["evidence"])
    return judgements


def _overrides(
    collector: Collector, base: KeyPath, raw: dict[str, Any], criteria: dict[str, Criterion], *, has_data: bool
) -> dict[str, Override]:
    """Overrides of known criteria, on their scales; only a score computed from the issue's data can be overridden."""
    overrides: dict[str, Override] = {}
    for cid, item in raw.items():
        here = base + ("overrides", cid)
        if cid not in criteria:
            collector.unknown_criterion(here, cid, criteria, key=True)
            continue
        score = collector.check_score(here + ("score",), item["score"], cid)
        computed = isinstance(criteria[cid], DataCriterion)
        if not (computed and has_data):
            why = "is scored by judgement" if not computed else "has no data for this issue"
            collector.fail(
                here,
                f"nothing to override: `{cid}` {why}",
                "record the score under `judgements:` with a rationale and evidence",
                key=True,
            )
        overrides[cid] = Override(score, item["reason"], item["agreed_by"])
    return overrides
