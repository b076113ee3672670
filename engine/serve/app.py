"""The Starlette application of ``cspscore serve``: routes, templates, static files and the guard around them.

:func:`create_app` is what ``cspscore serve`` runs under uvicorn and what the tests drive with Starlette's test
client. Route handlers live in their own modules (pages, what-if, downloads); they read the live assessment
through ``request.app.state.live`` and render templates through ``request.app.state.templates``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.serve.security import Guard, allowed_hosts, new_token
from engine.serve.state import LiveAssessment

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def create_app(live: LiveAssessment, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> Any:
    """The ASGI application serving ``live``, answering only requests addressed to ``host:port``."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from engine.serve import downloads, pages, whatif

    async def http_error(request: Request, exc: Exception) -> PlainTextResponse:
        assert isinstance(exc, HTTPException)
        return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code)

    async def server_error(request: Request, exc: Exception) -> PlainTextResponse:
        # A bug, not bad input: the page says so plainly; the traceback stays out of the response.
        return PlainTextResponse("internal error: this is a bug in cspscore; please report it\n", status_code=500)

    routes = [
        # pages (engine/serve/pages.py)
        Route("/", pages.assessment, name="assessment"),
        Route("/issue/{issue_id}", pages.issue, name="issue"),
        Route("/data", pages.data, name="data"),
        Route("/report.css", pages.report_css, name="report_css"),
        Route("/api/state", pages.state, name="state"),
        # what-if (engine/serve/whatif.py)
        *whatif.routes(),
        # downloads (engine/serve/downloads.py)
        Route("/download/{format}", downloads.download, name="download"),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error, Exception: server_error})
    token = token or new_token()
    app.state.live = live
    app.state.token = token
    app.state.templates = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True), trim_blocks=True
    )
    app.state.templates.globals["whatif_controls"] = whatif.controls  # the what-if panel's controls
    return Guard(app, allowed_hosts(host, port), token)
