"""What keeps the local server local and its pages inert.

- **Hosts.** Only requests addressed to the host the server listens on are answered (``127.0.0.1``,
  ``localhost`` or an explicit ``--host``, with the port): a web page elsewhere cannot reach the server through
  a DNS name that it points at 127.0.0.1 (DNS rebinding).
- **Cross-site requests.** Every request that changes something (POST) must carry the server's token, made afresh
  when the server starts and placed in each page (``<meta name="csrf-token">``), in the ``X-CSRF-Token`` header;
  a browser sends no such header across sites without asking, and another site cannot read the token. An
  ``Origin`` header, when sent, must be the server's own.
- **Headers.** A Content-Security-Policy allowing scripts, styles, images and requests from the server only (no
  inline script, no ``eval``), no framing, no sniffing, no referrer, nothing cached.

Every refusal is a 4xx with a plain message, never a traceback.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
TOKEN_HEADER = "x-csrf-token"
#: Methods that change nothing: they need no token.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def new_token() -> str:
    """A fresh unguessable token for one server run."""
    return secrets.token_urlsafe(32)


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` header values the server answers: its own host (and ``localhost`` for loopback), with and
    without the port."""
    names = {host, "localhost", "127.0.0.1"} if host in LOOPBACK else {host}
    if host in LOOPBACK_V6:
        names = {"[::1]", "localhost"}
    if host in EVERY_INTERFACE:  # --host 0.0.0.0: this machine's own names and addresses, not any name at all
        names = {"localhost", "127.0.0.1", "[::1]", *_own_names()}
    return frozenset({*names, *(f"{name}:{port}" for name in names)})


LOOPBACK = ("127.0.0.1", "localhost")
LOOPBACK_V6 = ("::1", "[::1]")
EVERY_INTERFACE = ("0.0.0.0", "::", "[::]")


def _own_names() -> set[str]:
    """This machine's host name, full name and addresses: what another machine on the network addresses it by."""
    import socket

    name = socket.gethostname()
    names = {name, socket.getfqdn()}
    try:
        names.update(socket.gethostbyname_ex(name)[2])
    except OSError:
        pass  # a host name that does not resolve: the names alone
    return {n for n in names if n} | {f"[{n}]" for n in names if ":" in n}


class Guard:
    """ASGI middleware: refuses other hosts (400) and unsafe requests without the token or from another origin
    (403), and adds :data:`HEADERS` to every response."""

    def __init__(self, app: Any, hosts: frozenset[str], token: str) -> None:
        self.app = app
        self.hosts = hosts
        self.token = token

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[Any]], send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        refusal = self.refusal(scope["method"], headers)
        if refusal is not None:
            status, message = refusal
            await _plain(send, status, message)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)

    def refusal(self, method: str, headers: dict[str, str]) -> tuple[int, str] | None:
        """(status, message) when the request must be refused, else None."""
        host = headers.get("host", "")
        if host not in self.hosts:
            return 400, f"this server answers only requests addressed to {sorted(self.hosts)[0]}"
        if method in SAFE_METHODS:
            return None
        origin = headers.get("origin")
        if origin is not None and origin.split("://", 1)[-1] not in self.hosts:
            return 403, "refused: this request came from another site"
        if not hmac.compare_digest(headers.get(TOKEN_HEADER, ""), self.token):
            return 403, "refused: the page's token is missing or out of date; reload the page"
        return None


async def _plain(send: Any, status: int, message: str) -> None:
    body = (message + "\n").encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
