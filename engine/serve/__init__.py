"""``cspscore serve``: a local web page over the same engine, for people who click rather than type.

The rule file stays the single source of truth: the server reads it (and reloads it when it changes on disk),
never writes it; a what-if is held in the page's request, and saving one writes a separate scenario file.

- :mod:`engine.serve.state` — the live assessment: the last valid result, the problems of the file on disk, and
  whether what is shown is stale.
- :mod:`engine.serve.security` — loopback-only hosts, a per-server token against cross-site requests, and the
  response headers (a Content-Security-Policy with no inline script).
- :mod:`engine.serve.app` — the Starlette application: pages, the what-if API, downloads, static files.
- :mod:`engine.serve.pages`, :mod:`engine.serve.whatif`, :mod:`engine.serve.downloads` — what each route does.

Starlette, Jinja2 and uvicorn are imported only by ``cspscore serve`` (see README, "A page to click through").
"""
