"""What-if in the browser: change the cutoff, a band edge, a weight, a judgement score or the maximum number of
priorities and see the scores, totals and priorities move; save the changes as a scenario file; sweep one
parameter over a range to see where priorities flip.

- ``POST /api/whatif`` ``{"changes": [{"path": "priority.cutoff", "value": "26"}, ...]}``: the rows of the
  assessment with the changes applied, the priorities, the issues entering and leaving them (against the rule
  file's own result) and the changes made (a moved band edge lists the neighbouring edge moved with it). Changes
  the vectorised scenario engine can vary (:mod:`engine.whatif.grid`: cutoff, band edges and scores, judgement
  and override scores, weights) are evaluated on the live result without reading a file; anything else (such as
  ``priority.max_priorities``) is applied as ``--set`` settings are and scored again (:mod:`engine.pipeline`).
- ``POST /api/scenario`` ``{"name", "changes", "overwrite"}``: the changes written as
  ``scenarios/NAME.yaml`` beside the rule file, which ``cspscore whatif --scenario`` and ``compare`` read.
- ``GET /api/sweep?path=&start=&stop=&step=``: a one-parameter sweep of the rules as written
  (:mod:`engine.whatif.sweep`): per issue, the ranges of values over which it is a priority and where it flips.

Every bad request is a 400 (a name already used: 409) with the engine's own message, never a traceback.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine.errors import CspscoreError, HintedError, InputError, Problem
from engine.load.model import RuleSet
from engine.load.yamlfile import KeyPath, format_path
from engine.numbers import number
from engine.serve.state import Snapshot

#: The largest request body read, in bytes.
MAX_BODY = 64 * 1024
#: The most changes one request may make (every control of a large assessment, with room to spare).
MAX_CHANGES = 500
#: A scenario's name: it becomes the file name, so no path characters.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
MAX_PRIORITIES = ("priority", "max_priorities")
TIES = ("priority", "ties")


class BadRequest(HintedError):
    """A request the page should not have sent: a 400 saying why (``status`` for another 4xx)."""

    def __init__(self, message: str, hint: str = "", status: int = 400) -> None:
        super().__init__(message, hint)
        self.status = status

    @property
    def text(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


@dataclass(frozen=True)
class Wanted:
    """One requested change: its key path, as written and parsed, and its value as sent (text or a number)."""

    text: str
    path: KeyPath
    value: Any


# ---------------------------------------------------------------------------------------------------------- requests


def read_changes(raw: Any) -> list[Wanted]:
    """The ``changes`` of a request body: a list of ``{"path", "value"}``; a later change of a path replaces an
    earlier one. BadRequest saying what is wrong."""
    from engine.load.overlay import parse_path

    if not isinstance(raw, list):
        raise BadRequest('`changes` must be a list of {"path": ..., "value": ...}')
    if len(raw) > MAX_CHANGES:
        raise BadRequest(f"{len(raw):,} changes is too many (the limit is {MAX_CHANGES})")
    found: dict[KeyPath, Wanted] = {}
    for n, change in enumerate(raw, start=1):
        if not isinstance(change, dict) or not isinstance(change.get("path"), str) or "value" not in change:
            raise BadRequest(f'change {n} must be {{"path": "...", "value": ...}}')
        try:
            path = parse_path(change["path"])
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        value = change["value"]
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise BadRequest(f"`{format_path(path)}`: the value must be a number, written as text or as a number")
        found.pop(path, None)
        found[path] = Wanted(change["path"], path, value)
    return list(found.values())


async def json_body(request: Any) -> dict[str, Any]:
    """The request's JSON object (numbers read as exact decimals); BadRequest if too large or not JSON."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise BadRequest(f"the request is too large (the limit is {MAX_BODY // 1024} KB)", status=413)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise BadRequest(f"the request is too large (the limit is {MAX_BODY // 1024} KB)", status=413)
    try:
        data = json.loads(body.decode("utf-8"), parse_float=Decimal, parse_int=Decimal, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("the request body is not JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("the request body must be a JSON object")
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: not JSON numbers


def _decimal(wanted: Wanted) -> Decimal:
    from engine import limits

    text = format(wanted.value, "f") if isinstance(wanted.value, Decimal) else str(wanted.value)
    try:
        return limits.parse_decimal(text)
    except HintedError as exc:
        raise BadRequest(f"`{format_path(wanted.path)}`: {exc.message}", exc.hint) from None


# ---------------------------------------------------------------------------------------------------------- what-if


@dataclass(frozen=True)
class Outcome:
    """An assessment with changes applied, as the page needs it."""

    payload: dict[str, Any]
    settings: list[tuple[KeyPath, Any]]  # the changes as a scenario file writes them: path, value


def what_if(snapshot: Snapshot, live: Any, wanted: list[Wanted]) -> Outcome:
    """The live result with ``wanted`` applied (see the module docstring); BadRequest with the engine's message."""
    from engine.whatif.grid import ParameterError, check_value, resolve, shape_of

    base = snapshot.result
    if base is None:
        raise BadRequest("there is no valid assessment to vary: fix the rule file first", status=409)
    rules: RuleSet = base.rules
    parameters = []
    for change in wanted:
        if shape_of(change.path) is None:
            return _rescored(base, live, wanted)  # not a parameter the grid varies: score the changed rules
        try:
            parameter = resolve(rules, change.path)
            value = _decimal(change)
            check_value(rules, parameter, value)
        except ParameterError as exc:
            raise BadRequest(f"`{format_path(change.path)}`: {exc.message}", exc.hint) from None
        parameters.append((parameter, value))
    return _evaluated(base, parameters)


def _evaluated(base: Any, parameters: list[Any]) -> Outcome:
    """The grid's evaluation of one scenario: ``parameters`` (parameter, value) on the live result."""
    from engine.score.scoring import grouped_rank
    from engine.score.totals import as_decimal
    from engine.whatif.grid import evaluate

    rules: RuleSet = base.rules
    evaluation = evaluate(base, [p for p, _ in parameters], [[v] for _, v in parameters])
    if not bool(evaluation.valid[0]):
        moved = sorted({p.criterion for p, _ in parameters if p.kind == "edge"})
        raise BadRequest(
            f"with these edges the bands of {', '.join(f'`{c}`' for c in moved)} would overlap or leave a gap",
            "keep each band boundary between its neighbours",
        )
    totals = evaluation.total_units[0]
    rank = grouped_rank(totals, base.inputs.case_area)
    criteria = list(rules.criteria)
    scores = [
        {cid: rules.score_of(evaluation.scores[0, i, c]) for c, cid in enumerate(criteria)}
        for i in range(len(base.issue_ids))
    ]
    totals_shown = [as_decimal(int(t), evaluation.places) for t in totals]
    changes: list[dict[str, Any]] = []
    for parameter, value in parameters:
        changes.append({"path": parameter.text, "before": number(parameter.base), "after": number(value)})
        for band, edge in parameter.linked:
            path = format_path(("criteria", parameter.criterion, "bands", band, edge))
            changes.append({"path": path, "before": number(parameter.base), "after": number(value), "linked": True})
    payload = _payload(base, scores, totals_shown, evaluation.priority[0].tolist(), rank.tolist(), changes)
    return Outcome(payload, [(p.path, v) for p, v in parameters])


def _rescored(base: Any, live: Any, wanted: list[Wanted]) -> Outcome:
    """The rules with ``wanted`` applied as ``--set`` settings are, loaded, checked and scored again."""
    from engine.load.overlay import parse_set_option
    from engine.pipeline import run

    settings = []
    for n, change in enumerate(wanted, start=1):
        text = _text(change.value)
        if change.path == MAX_PRIORITIES and not re.fullmatch(r"\s*[0-9]+\s*", text):
            raise BadRequest(f"`priority.max_priorities`: `{text.strip()}` is not a whole number", "e.g. 5")
        try:
            settings.append(parse_set_option(f"{format_path(change.path)}={text}", n))
        except InputError as exc:
            raise BadRequest(*_first(exc.problems)) from None
    if any(s.path == MAX_PRIORITIES for s in settings) and not any(s.path == TIES for s in settings):
        # A limit needs a tie rule: the one the rules hold (include_all unless written), so the file stays valid.
        settings.append(parse_set_option(f"priority.ties={base.rules.priority.ties}", len(settings) + 1))
    try:
        result = run(base.rules.path, settings, areas=live.areas, allow_outside=live.allow_outside)
    except InputError as exc:
        raise BadRequest(*_first(exc.problems)) from None
    except CspscoreError as exc:
        raise BadRequest(str(exc)) from None
    if (result.issue_ids, result.areas) != (base.issue_ids, base.areas):
        raise BadRequest("these changes add or remove issues or areas: use a scenario file and cspscore whatif")
    from engine.score.totals import as_decimal

    criteria = list(result.rules.criteria)
    scores = [{cid: result.score(cid, i) for cid in criteria} for i in range(len(result.issue_ids))]
    totals = [as_decimal(int(t), result.total_places) for t in result.total_units]
    changes = [
        {"path": format_path(c.path), "before": _shown(c.old), "after": _shown(c.new)}
        | ({"linked": True} if c.linked else {})
        for c in result.rules.changes
    ]
    payload = _payload(base, scores, totals, result.priority.tolist(), result.rank.tolist(), changes)
    written = [(c.path, _text(c.value)) for c in wanted]
    return Outcome(payload, written + [(s.path, s.value) for s in settings[len(wanted) :]])


def _text(value: Any) -> str:
    """A value as sent, as text: ``26``, ``0.5``."""
    return (format(value, "f") if isinstance(value, Decimal) else str(value)).strip()


def _first(problems: list[Problem]) -> tuple[str, str]:
    """The first problem as a 400's message and hint (a change's problem, by its path)."""
    problem = problems[0]
    message = f"`{problem.path}`: {problem.message}" if problem.path else problem.message
    return message, problem.hint or ""


def _shown(value: Any) -> str:
    if value is None:
        return "(not set)"
    return number(value) if isinstance(value, Decimal | int) and not isinstance(value, bool) else str(value)


def _payload(
    base: Any, scores: list[dict[str, Any]], totals: list[Decimal], priority: list[bool], rank: list[int], changes: Any
) -> dict[str, Any]:
    """The response of ``/api/whatif``: rows in the order of the file's own result, priorities by area and rank."""
    rules: RuleSet = base.rules
    before = base.priority.tolist()
    rows = []
    for i in base.order():
        issue_id = base.issue_ids[i]
        change = "enters" if priority[i] and not before[i] else "leaves" if before[i] and not priority[i] else None
        rows.append(
            {
                "issue_id": issue_id,
                "issue": rules.issues[issue_id].name,
                "area": base.area_of(i),
                "scores": {cid: _json_number(s) for cid, s in scores[i].items()},
                "scores_text": {cid: number(s) for cid, s in scores[i].items()},
                "total": _json_number(totals[i]),
                "total_text": number(totals[i]),
                "priority": bool(priority[i]),
                "rank": int(rank[i]),
                "change": change,
            }
        )
    ordered = sorted(rows, key=lambda r: (base.areas.index(r["area"]), r["rank"]))
    return {
        "rows": rows,
        "priorities": [r["issue_id"] for r in ordered if r["priority"]],
        "entering": [r["issue_id"] for r in ordered if r["change"] == "enters"],
        "leaving": [r["issue_id"] for r in rows if r["change"] == "leaves"],
        "changes": changes,
        "problems": [],
    }


def _json_number(value: Any) -> int | float:
    """An exact score or total as a JSON number (the ``*_text`` fields carry it exactly as the reports print it)."""
    return int(value) if Decimal(value) == Decimal(value).to_integral_value() else float(value)


# ---------------------------------------------------------------------------------------------------------- scenario


def scenario_text(name: str, rules_file: Path, settings: list[tuple[KeyPath, Any]]) -> str:
    """A scenario file setting ``settings`` on ``rules_file`` (its ``base:``, relative to the scenarios folder)."""
    lines = [
        "# Saved from cspscore serve: cspscore whatif --scenario reads it.",
        f"scenario: {json.dumps(name)}",
        f"base: {json.dumps('../' + rules_file.name)}",
        "set:" if settings else "set: {}",
    ]
    for path, value in settings:
        shown = number(value) if isinstance(value, Decimal | int) and not isinstance(value, bool) else str(value)
        plain = re.fullmatch(r"-?[0-9]+(\.[0-9]+)?|[A-Za-z_]+", shown)  # a number or a word such as include_all
        lines.append(f"  {json.dumps(format_path(path))}: {shown if plain else json.dumps(shown)}")
    return "\n".join(lines) + "\n"


def save_scenario(rules_file: Path, name: Any, settings: list[tuple[KeyPath, Any]], overwrite: bool) -> Path:
    """Write ``scenarios/NAME.yaml`` beside ``rules_file``, atomically; BadRequest for a bad name, 409 for a name
    already used unless ``overwrite``."""
    from engine.output import write_file
    from engine.paths import display_path

    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise BadRequest(
            "a scenario name is 1 to 64 letters, digits, - and _ (no spaces, dots or slashes)", "e.g. cutoff-26"
        )
    folder = rules_file.parent / "scenarios"
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise BadRequest(f"cannot save into {display_path(folder)}: it is not a folder beside the rule file")
    target = folder / f"{name}.yaml"
    if target.resolve().parent != rules_file.parent.resolve() / "scenarios":
        raise BadRequest(f"cannot save {display_path(target)}: it is outside the rule file's folder")
    if (target.exists() or target.is_symlink()) and not overwrite:
        raise BadRequest(
            f"{display_path(target)} exists already", "confirm to replace it, or choose another name", status=409
        )
    folder.mkdir(exist_ok=True)
    try:
        write_file(target, scenario_text(name, rules_file, settings), [rules_file])
    except CspscoreError as exc:
        raise BadRequest(str(exc)) from None
    return target


# ---------------------------------------------------------------------------------------------------------- sweep


def sweep_table(snapshot: Snapshot, path: str, start: str, stop: str, step: str) -> dict[str, Any]:
    """A one-parameter sweep of the rules as written: per issue, its runs in and out of the priorities."""
    from engine.whatif.sweep import parse_vary, sweep

    base = snapshot.result
    if base is None:
        raise BadRequest("there is no valid assessment to sweep: fix the rule file first", status=409)
    for name, value in (("path", path), ("start", start), ("stop", stop), ("step", step)):
        if not value.strip():
            raise BadRequest(f"say the sweep's {name}", "e.g. path=priority.cutoff&start=5&stop=20&step=1")
    try:
        axis = parse_vary(base.rules, f"{path}={start}:{stop}:{step}", 1)
        summary = sweep(base, [axis])
    except InputError as exc:
        raise BadRequest(*_first(exc.problems)) from None
    assert summary.runs is not None  # one axis: runs per case
    issues = []
    for i in base.order():
        runs = summary.runs[i]
        issue_id = base.issue_ids[i]
        issues.append(
            {
                "issue_id": issue_id,
                "issue": base.rules.issues[issue_id].name,
                "area": base.area_of(i),
                "runs": [{"priority": r.priority, "from": number(r.first), "to": number(r.last)} for r in runs],
                "flips": [number(r.first) for r in runs[1:]],
            }
        )
    return {
        "path": axis.parameter.text,
        "value": number(axis.parameter.base),
        "values": len(axis.values),
        "skipped": summary.skipped,
        "issues": issues,
    }


# ---------------------------------------------------------------------------------------------------------- controls


def controls(snapshot: Snapshot) -> dict[str, Any]:
    """What the what-if panel offers for the live rules: the cutoff, the maximum number of priorities, each data
    criterion's band edges (a shared boundary once), weights (a weighted total), each judgement score."""
    from engine.whatif.grid import all_parameters

    if snapshot.result is None:
        return {}
    rules: RuleSet = snapshot.result.rules
    edges: list[dict[str, Any]] = []
    weights: list[dict[str, Any]] = []
    judgements: list[dict[str, Any]] = []
    for parameter in all_parameters(rules):
        if parameter.kind == "edge":
            criterion = rules.data_criteria[str(parameter.criterion)]
            band = criterion.bands[int(parameter.band or 0)]
            decimals = criterion.decimals
            edges.append(
                {
                    "path": parameter.text,
                    "criterion": criterion.name,
                    "label": f"{criterion.name}: band {parameter.band} ({band.label}, score {number(band.score)}), "
                    f"{parameter.edge}",
                    "value": number(parameter.base),
                    "step": number(Decimal(1).scaleb(-decimals)),
                    "cid": parameter.criterion,
                    "band": parameter.band,
                }
            )
        elif parameter.kind == "weight":
            name = rules.criteria[str(parameter.criterion)].name
            weights.append({"path": parameter.text, "label": f"Weight of {name}", "value": number(parameter.base)})
        elif parameter.kind == "judgement" and parameter.area is None:
            issue = rules.issues[str(parameter.issue)]
            name = rules.criteria[str(parameter.criterion)].name
            judgements.append(
                {
                    "path": parameter.text,
                    "label": f"{issue.name}: {name}",
                    "value": number(parameter.base),
                    "options": [
                        (number(p.score), f"{number(p.score)} {p.meaning}".strip())
                        for p in rules.scale_of(str(parameter.criterion))
                    ],
                }
            )
    order = {cid: n for n, cid in enumerate(rules.criteria)}
    edges.sort(key=lambda e: (order[str(e.pop("cid"))], int(e.pop("band"))))  # each criterion's edges, band by band
    limit = rules.priority.max_priorities
    return {
        "cutoff": number(rules.priority.cutoff),
        "max_priorities": "" if limit is None else str(limit),
        "edges": edges,
        "weights": weights,
        "judgements": judgements,
        "sweepable": [{"path": "priority.cutoff", "label": "Cutoff", "value": number(rules.priority.cutoff)}]
        + [{"path": e["path"], "label": e["label"], "value": e["value"]} for e in edges],
    }


# ---------------------------------------------------------------------------------------------------------- routes


def _fail(exc: BadRequest) -> Any:
    from starlette.exceptions import HTTPException

    return HTTPException(exc.status, exc.text)


async def api_whatif(request: Any) -> Any:
    """``POST /api/whatif``: the assessment with the body's changes applied."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    live = request.app.state.live
    try:
        body = await json_body(request)
        wanted = read_changes(body.get("changes"))
        snapshot = live.current()
        outcome = await run_in_threadpool(what_if, snapshot, live, wanted)
    except BadRequest as exc:
        raise _fail(exc) from None
    return JSONResponse(outcome.payload)


async def api_scenario(request: Any) -> Any:
    """``POST /api/scenario``: the body's changes saved as ``scenarios/NAME.yaml`` beside the rule file."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    from engine.paths import display_path

    live = request.app.state.live
    try:
        body = await json_body(request)
        wanted = read_changes(body.get("changes"))
        overwrite = body.get("overwrite", False)
        if not isinstance(overwrite, bool):
            raise BadRequest("`overwrite` must be true or false")
        snapshot = live.current()
        outcome = await run_in_threadpool(what_if, snapshot, live, wanted)
        target = save_scenario(snapshot.result.rules.path, body.get("name"), outcome.settings, overwrite)
    except BadRequest as exc:
        raise _fail(exc) from None
    return JSONResponse({"file": display_path(target), "changes": outcome.payload["changes"]})


async def api_sweep(request: Any) -> Any:
    """``GET /api/sweep?path=&start=&stop=&step=``: where priorities flip as one parameter moves."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    query = request.query_params
    snapshot = request.app.state.live.current()
    try:
        table = await run_in_threadpool(
            sweep_table, snapshot, *(query.get(k, "") for k in ("path", "start", "stop", "step"))
        )
    except BadRequest as exc:
        raise _fail(exc) from None
    return JSONResponse(table)


def routes() -> list[Any]:
    """The what-if routes, for :func:`engine.serve.app.create_app`."""
    from starlette.routing import Route

    return [
        Route("/api/whatif", api_whatif, methods=["POST"], name="whatif"),
        Route("/api/scenario", api_scenario, methods=["POST"], name="scenario"),
        Route("/api/sweep", api_sweep, methods=["GET"], name="sweep"),
    ]
