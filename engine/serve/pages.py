"""The pages: the assessment (scoring table, priorities, chart, scale, provenance; with several areas an
overview of every area first), each issue's whole ``explain`` trace, the data, and the live state the page polls.

Every page is rendered from the live assessment's latest snapshot by a Jinja2 template with autoescaping on, so
every name, rationale and data cell from the user's files is text, never markup. The only HTML taken as it is
comes from the report's own builders (the chart), which escape every text themselves.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from engine.serve.state import Snapshot


def render(request: Any, template: str, **values: Any) -> Any:
    """``template`` rendered with the snapshot, the token and ``values``, as an HTML response."""
    from starlette.responses import HTMLResponse

    snapshot: Snapshot = request.app.state.live.current()
    page = request.app.state.templates.get_template(template)
    return HTMLResponse(page.render(snapshot=snapshot, token=request.app.state.token, **values))


def current_result(request: Any) -> Any:
    """The latest valid result; 503 while the rule file has never been valid."""
    from starlette.exceptions import HTTPException

    result = request.app.state.live.current().result
    if result is None:
        raise HTTPException(503, "the rule file is not valid yet: fix the problems it lists and reload")
    return result


def area_index(result: Any, name: str | None) -> int | None:
    """The index of the area ``name`` in ``result`` (None: no area asked for, on a page of several areas);
    404 naming the nearest when there is no such area."""
    from starlette.exceptions import HTTPException

    from engine.errors import did_you_mean

    names = [str(a) for a in result.areas]
    if name is None:
        return 0 if len(names) == 1 else None
    if name in names:
        return names.index(name)
    if len(names) == 1 and result.areas[0] is None:
        raise HTTPException(404, f"this assessment has no areas to choose from (asked for `{name}`)")
    hint = did_you_mean(name, names)
    raise HTTPException(404, f"no area `{name}` in this assessment" + (f"; {hint}" if hint else ""))


def area_query(result: Any, k: int) -> str:
    """``?area=NAME`` for area ``k`` when the result has several areas, else nothing."""
    return f"?area={quote(str(result.areas[k]), safe='')}" if len(result.areas) > 1 else ""


async def assessment(request: Any) -> Any:
    """The assessment (one area's table), or with several areas and none asked for, the overview of every area."""
    snapshot: Snapshot = request.app.state.live.current()
    result = snapshot.result
    if result is None:
        return render(request, "assessment.html", view=None)
    k = area_index(result, request.query_params.get("area"))
    common = {"provenance": _provenance(result), "draft": _draft(result), "downloads": _downloads(result, k)}
    if k is None:
        return render(request, "overview.html", view=_overview(result), **common)
    return render(request, "assessment.html", view=_area_view(result, k), **common)


async def issue(request: Any) -> Any:
    """One issue's whole trace (in the area asked for, with several)."""
    from starlette.exceptions import HTTPException

    from engine.errors import did_you_mean
    from engine.serve.trace import issue_trace

    result = current_result(request)
    wanted = request.path_params["issue_id"]
    if wanted not in result.rules.issues:
        hint = did_you_mean(wanted, list(result.rules.issues))
        raise HTTPException(404, f"no issue `{wanted}` in this assessment" + (f"; {hint}" if hint else ""))
    name = request.query_params.get("area")
    k = area_index(result, name)
    if k is None:
        names = ", ".join(str(a) for a in result.areas)
        raise HTTPException(404, f"issue `{wanted}` is scored in several areas: add ?area=NAME (one of {names})")
    i = result.case(wanted, result.areas[k])
    trace = issue_trace(result, i)
    return render(request, "issue.html", trace=trace, back="/" + area_query(result, k), several=len(result.areas) > 1)


async def data(request: Any) -> Any:
    """Every dataset's rows with their file and line (each row's anchor is ``FILE-LINE``)."""
    from engine.report.headings import heading

    result = current_result(request)
    tables = []
    for name, dataset in result.datasets.items():
        frame = dataset.frame
        columns = [c for c in frame.columns if c != "row"]
        cells = [[_cell(v) for v in frame[c].tolist()] for c in columns]
        lines = frame["row"].tolist() if "row" in frame.columns else list(range(2, len(frame) + 2))
        rows = [(int(line), [column[n] for column in cells]) for n, line in enumerate(lines)]
        tables.append(
            {"name": name, "file": dataset.ref.display, "columns": [(c, heading(c)) for c in columns], "rows": rows}
        )
    return render(request, "data.html", tables=tables)


async def report_css(request: Any) -> Any:
    """The report's own chart and overview styles, as a stylesheet the pages link (the CSP allows no inline
    ``<style>``): one source for the report and the page."""
    from starlette.responses import Response

    from engine.report.html_chart import CHART_CSS
    from engine.report.html_overview import OVERVIEW_CSS

    return Response(CHART_CSS + OVERVIEW_CSS, media_type="text/css")


async def state(request: Any) -> Any:
    """The live state as JSON, which the page polls to follow the files on disk: its version, whether what is
    shown is stale, and every problem of the file on disk."""
    from starlette.responses import JSONResponse

    snapshot: Snapshot = request.app.state.live.current()
    return JSONResponse(
        {
            "version": snapshot.version,
            "stale": snapshot.stale,
            "problems": [
                {"text": str(p).splitlines()[0], "hint": p.hint, "file": p.file, "line": p.line, "column": p.column}
                for p in snapshot.problems
            ],
        }
    )


def _cell(value: object) -> str:
    import pandas as pd

    return "" if value is None or pd.isna(value) else str(value)


def _area_view(result: Any, k: int) -> dict[str, Any]:
    """One area's table, priorities, chart and scales."""
    from engine.numbers import number
    from engine.report.html_chart import chart
    from engine.report.table6 import shade_levels
    from engine.score.audit import score_columns
    from engine.score.scoring import PENDING

    rules = result.rules
    table = score_columns(result)
    level = shade_levels(rules)
    (start, stop) = next((s, e) for area, s, e in table.area_rows() if area == k)
    cases = table.cases[start:stop]
    query = area_query(result, k)
    rows = []
    for i, row in zip(cases, table.rows(start, stop), strict=True):
        scores = []
        for cid, outcome in result.outcomes.items():
            pending = outcome.source[i] == PENDING
            shade = "" if pending else f"l{level(result.score(cid, i), cid)}"
            scores.append({"id": cid, "text": str(row[cid]), "shade": shade})
        rows.append(
            {
                "id": row["issue_id"],
                "name": row["issue"],
                "href": f"/issue/{quote(str(row['issue_id']), safe='')}{query}",
                "rank": row["rank"],
                "scores": scores,
                "derived": [str(row[did]) for did in result.derived],
                "total": str(row["total"]),
                "priority": bool(result.priority[i]),
                "priority_text": str(row["priority"]),
            }
        )
    scales = [("Scale", [(p.score, p.meaning, f"l{level(p.score, None)}") for p in rules.scale])]
    scales += [
        (c.name, [(p.score, p.meaning, f"l{level(p.score, cid)}") for p in c.scale])
        for cid, c in rules.criteria.items()
        if c.scale
    ]
    return {
        "area": result.areas[k],
        "several": len(result.areas) > 1,
        "rows": rows,
        "priorities": [r for r in rows if r["priority"]],
        "chart": chart(result, cases),  # the report's chart: its texts escaped by html_chart
        "scales": scales,
        "cutoff": number(rules.priority.cutoff),
        "max_priorities": rules.priority.max_priorities,
        "criteria": [(cid, o.criterion.name) for cid, o in result.outcomes.items()],
        "derived": [d.name for d in rules.derived.values()],
        "method": rules.total.describe(),
    }


def _overview(result: Any) -> dict[str, Any]:
    """Every area's totals by issue (priorities marked in words) and each area's priorities."""
    from engine.numbers import number
    from engine.score.audit import score_columns

    rules = result.rules
    table = score_columns(result)
    issues = list(rules.issues.values())
    place = {issue.id: n for n, issue in enumerate(issues)}
    areas = []
    for k, start, stop in table.area_rows():
        cells: list[Any] = [None] * len(issues)
        chosen = []
        for row in table.rows(start, stop):
            cells[place[str(row["issue_id"])]] = (str(row["total"]), row["priority"] == "yes")
            if row["priority"] == "yes":
                chosen.append((row["issue"], str(row["total"])))
        areas.append(
            {"name": str(result.areas[k]), "href": "/" + area_query(result, k), "cells": cells, "chosen": chosen}
        )
    return {
        "issues": [issue.name for issue in issues],
        "areas": areas,
        "cutoff": number(rules.priority.cutoff),
        "max_priorities": rules.priority.max_priorities,
    }


def _provenance(result: Any) -> Any:
    from engine.score.audit import provenance

    return provenance(result, {"command": "serve"})


def _draft(result: Any) -> list[str]:
    from engine.score.audit import draft_lines

    return draft_lines(result)


def _downloads(result: Any, k: int | None) -> list[dict[str, str]]:
    """The download links: each format of what is on screen (an area's, with several and one asked for)."""
    query = area_query(result, k) if k is not None else ""
    names = {"html": "HTML report", "xlsx": "Excel workbook", "markdown": "Markdown", "json": "JSON"}
    return [{"format": f, "href": f"/download/{f}{query}", "label": label} for f, label in names.items()]
