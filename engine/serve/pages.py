"""The pages: the assessment (scoring table, priorities), and the live state the page polls.

Every page is rendered from the live assessment's latest snapshot by a Jinja2 template with autoescaping on, so
every name, rationale and data cell from the user's files is text, never markup.
"""

from __future__ import annotations

from typing import Any

from engine.serve.state import Snapshot


def render(request: Any, template: str, **values: Any) -> Any:
    """``template`` rendered with the snapshot, the token and ``values``, as an HTML response."""
    from starlette.responses import HTMLResponse

    snapshot: Snapshot = request.app.state.live.current()
    page = request.app.state.templates.get_template(template)
    return HTMLResponse(page.render(snapshot=snapshot, token=request.app.state.token, **values))


async def assessment(request: Any) -> Any:
    """The assessment: title, the scoring table shaded by score, the priorities."""
    from engine.score.audit import score_columns

    snapshot: Snapshot = request.app.state.live.current()
    table = score_columns(snapshot.result).rows() if snapshot.result is not None else []
    return render(request, "assessment.html", rows=table)


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
