"""Load a rule file: YAML -> schema -> meaning checks -> :class:`RuleSet`.

This module and its section builders are the only place that reads raw
rule-file dicts. There is one builder module per section of the file -
``rules_scale``, ``rules_criteria`` (with the bands), ``rules_datasets``,
``rules_issues``, ``rules_total``, ``rules_priority`` - each turning its
section's schema-checked values into typed ones and recording problems in a
shared :class:`~engine.load.sections.collector.Collector`. Every problem found is
collected with its position and raised together as one :class:`InputError`.
Checks that need the datasets (do the named columns and categories exist?) live
in :mod:`engine.load.data_checks`.
"""

from __future__ import annotations

import copy
import functools
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from engine.errors import InputError, Problem
from engine.load.model import Assessment, RuleSet
from engine.load.overlay import Change, Setting, apply_settings
from engine.load.schema import schema_problems
from engine.load.sections.collector import Collector
from engine.load.sections.criteria import build_criterion
from engine.load.sections.datasets import build_dataset
from engine.load.sections.derived import build_derived
from engine.load.sections.issues import build_issue
from engine.load.sections.measures import build_measures
from engine.load.sections.priority import build_priority
from engine.load.sections.publication import build_publication
from engine.load.sections.scale import build_scale, score_places
from engine.load.sections.total import build_total
from engine.load.stages import consequence, units_of, without
from engine.load.yamlfile import KeyPath, Positions, parse_yaml, read_bytes
from engine.paths import display_path


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
    problems += [p for p in schema_problems("rules", data, positions) if p.path not in refused]
    sha256 = hashlib.sha256(raw).hexdigest()
    build = functools.partial(_build, path=path, sha256=sha256, variant=bool(settings), allow_outside=allow_outside)
    if not problems:
        collector = Collector(positions)
        rules = build(collector, data)
        if not collector.problems:
            return replace(rules, changes=tuple(changes), normalised_sha256=normalised_sha256(data))
        problems = collector.problems
        broken = units_of(problems)
        meaning: list[Problem] = []
    else:
        # Meaning checks assume the values and shapes the schema guarantees: they read only the parts it passed.
        broken = units_of(problems)
        if broken is None:
            raise InputError(problems)
        collector = Collector(positions)
        build(collector, without(data, broken))
        meaning = [p for p in collector.problems if not consequence(p, broken)]
        more = units_of(collector.problems)
        broken = None if more is None else broken | more
    raise IncompleteRules(problems + meaning, _sound_part(data, positions, broken, build))


def _sound_part(
    data: dict[str, Any], positions: Positions, broken: set[KeyPath] | None, build: Callable[..., RuleSet]
) -> RuleSet | None:
    """The rule set of every part no problem touched, for the data checks; None when nothing can be trusted (a
    problem outside the parts that stand alone, or in a dataset's section, or leaving out the broken parts breaks
    something else)."""
    for _ in range(3):  # leaving a part out may leave its users dangling: leave them out too, a few rounds at most
        if broken is None or any(unit[0] == "datasets" for unit in broken):
            return None  # the data checks reason about the datasets as a whole: one left out would mislead them
        collector = Collector(copy.deepcopy(positions))
        rules = build(collector, without(data, broken))
        if not collector.problems:
            return rules
        more = units_of(collector.problems)
        broken = None if more is None or more <= broken else broken | more
    return None


class IncompleteRules(InputError):
    """A rule file with problems; ``sound`` is the rule set of the parts they leave untouched (or None), which the
    data checks still read, so one run reports the data's problems too (see :mod:`engine.load.stages`)."""

    def __init__(self, problems: Iterable[Problem], sound: RuleSet | None):
        super().__init__(problems)
        self.sound = sound


def normalised_sha256(data: Any) -> str:
    """SHA-256 of the rules' meaning: the loaded values as canonical JSON, so comments and layout do not count."""
    import json

    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _build(
    collector: Collector,
    data: dict[str, Any],
    *,
    path: Path,
    sha256: str,
    variant: bool,
    allow_outside: bool,
) -> RuleSet:
    """The typed rule set, section by section; problems go to ``collector``.

    The scale comes first (later sections check scores against it), then the
    measures criteria may read, then the criteria and datasets that issues and the total refer to.
    """
    scale = build_scale(collector, data["scale"])
    measures = build_measures(collector, data.get("measures", {}))
    criteria = {
        cid: build_criterion(collector, cid, raw, variant=variant, measures=measures)
        for cid, raw in data["criteria"].items()
    }
    datasets = {
        name: build_dataset(collector, name, raw, path, allow_outside=allow_outside, measures=measures)
        for name, raw in data.get("datasets", {}).items()
    }
    issues = {iid: build_issue(collector, iid, raw, criteria, datasets) for iid, raw in data["issues"].items()}
    derived = build_derived(collector, data.get("derived", {}), criteria)
    total = build_total(collector, data.get("total", {"method": "sum"}), criteria, derived)
    priority = build_priority(collector, data["priority"])
    return RuleSet(
        path=path,
        display=collector.positions.file,
        sha256=sha256,
        assessment=Assessment(**data["assessment"]),
        scale=scale,
        total=total,
        priority=priority,
        datasets=datasets,
        criteria=criteria,
        issues=issues,
        positions=collector.positions,
        derived=derived,
        measures=measures,
        score_places=score_places([scale, *(c.scale for c in criteria.values())]),
        publication=build_publication(data.get("publication")),
    )
