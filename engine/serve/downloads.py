"""Downloads: the report and score outputs of what is on screen, what-if included.

``/download/html|xlsx|markdown|json`` take the page's what-if as repeated ``set=PATH=VALUE`` query parameters
(the same form as the command line's ``--set``, read by :mod:`engine.load.overlay`) and ``area=NAME`` for one
area of several; with neither, the live result is written as it is. Each answer is an attachment with a safe
file name made from the assessment's title.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

#: Each format's media type and file extension.
FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "markdown": ("text/markdown; charset=utf-8", "md"),
    "json": ("application/json", "json"),
}


def safe_name(title: str, suffix: str) -> str:
    """``title`` as a file name of ASCII letters, digits and hyphens (``Sevenoaks: 2020`` -> ``sevenoaks-2020``)."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    stem = "-".join(re.findall(r"[a-z0-9]+", plain.lower()))[:80].strip("-") or "assessment"
    return f"{stem}.{suffix}"


def settings_of(values: list[str]) -> list[Any]:
    """The ``set=PATH=VALUE`` parameters as settings; 400 with the problem when one is malformed."""
    from starlette.exceptions import HTTPException

    from engine.errors import InputError
    from engine.load.overlay import parse_set_option

    settings = []
    for n, value in enumerate(values, start=1):
        try:
            settings.append(parse_set_option(value, n))
        except InputError as exc:
            raise HTTPException(400, _problems(exc)) from None
    return settings


def result_for(request: Any) -> Any:
    """The result on screen: the live one, or re-scored with the what-if's settings and for the area asked for."""
    from starlette.exceptions import HTTPException

    from engine.errors import InputError
    from engine.pipeline import run
    from engine.serve.pages import area_index, current_result

    live = request.app.state.live
    result = current_result(request)
    settings = settings_of(request.query_params.getlist("set"))
    name = request.query_params.get("area")
    k = area_index(result, name)
    several = len(result.areas) > 1
    if not settings and (k is None or not several):
        return result
    areas = [str(result.areas[k])] if several and k is not None else live.areas
    try:
        return run(live.rules, settings, areas=areas, allow_outside=live.allow_outside)
    except InputError as exc:
        raise HTTPException(400, _problems(exc)) from None


async def download(request: Any) -> Any:
    """One output of what is on screen, as an attachment."""
    from starlette.concurrency import run_in_threadpool
    from starlette.exceptions import HTTPException
    from starlette.responses import Response

    fmt = request.path_params["format"]
    if fmt not in FORMATS:
        raise HTTPException(404, f"no download `{fmt}`: choose one of {', '.join(FORMATS)}")
    result = await run_in_threadpool(result_for, request)
    settings = request.query_params.getlist("set")
    body = await run_in_threadpool(_content, result, fmt, settings)
    media, suffix = FORMATS[fmt]
    name = safe_name(result.rules.assessment.title, suffix)
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _content(result: Any, fmt: str, settings: list[str]) -> bytes:
    from engine.report import narrative
    from engine.score.audit import provenance

    record = provenance(
        result, {"command": "serve", "format": fmt, **{f"set[{n}]": s for n, s in enumerate(settings, 1)}}
    )
    if fmt == "xlsx":
        from engine.report.xlsx import workbook_bytes

        return workbook_bytes(result, record)
    if fmt == "json":
        from engine.report.jsondoc import to_json

        return to_json(result, record).encode("utf-8")
    drafts = narrative.drafts(result)
    if fmt == "html":
        from engine.report.html import render_html

        public_data = any(d.licence == "OGL-3.0" for d in result.rules.datasets.values())
        return render_html(result, record, drafts, public_data).encode("utf-8")
    from engine.report.markdown import to_markdown

    return to_markdown(result, record, drafts).encode("utf-8")


def _problems(exc: Exception) -> str:
    problems = getattr(exc, "problems", [])
    return "\n".join(str(p) for p in problems) or str(exc)
