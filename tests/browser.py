"""Drive Debian's headless Chromium from tests, with the standard library alone.

:class:`Chromium` talks the DevTools protocol over ``--remote-debugging-pipe`` (JSON messages ending in NUL on the
browser's file descriptors 3 and 4), which lets a test open a page at a given window width, measure it with
JavaScript, take a screenshot and print it to PDF as the print dialog would; and use a page as a person does:
navigate, click, type into a field, wait for a selector or a condition (``cspscore serve``'s pages).
:func:`page_spans` reads such a PDF back: for each page in order, the share of its height that holds ink, so a
test can find a printed page left mostly blank.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import time
import zlib
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


class Chromium:
    """One headless browser with one tab; use as a context manager (the browser is ended on exit)."""

    def __init__(self, profile: Path) -> None:
        assert CHROMIUM is not None
        to_browser, its_input = os.pipe()[::-1]  # (write end, read end)
        its_output, from_browser = os.pipe()[::-1]

        # The browser reads commands on fd 3 and writes replies on fd 4; dup first so neither lands on itself.
        def descriptors() -> None:
            read, write = os.dup(its_input), os.dup(its_output)
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=descriptors,
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(its_input)
        os.close(its_output)
        self.to_browser, self.from_browser = to_browser, from_browser
        self.pending = b""
        self.last_id = 0
        self.errors: list[str] = []  # kept once watch_errors() is called
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.kill()
        self.process.wait(timeout=30)
        os.close(self.to_browser)
        os.close(self.from_browser)

    def send(self, method: str, params: dict[str, Any] | None = None, tab: bool = False) -> dict[str, Any]:
        """Send one command (to the tab when ``tab``) and return its result; events in between are dropped."""
        self.last_id += 1
        message: dict[str, Any] = {"id": self.last_id, "method": method, "params": params or {}}
        if tab:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            while b"\0" not in self.pending:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError(f"chromium closed the pipe during {method}")
                self.pending += chunk
            raw, self.pending = self.pending.split(b"\0", 1)
            reply = json.loads(raw)
            self.note(reply)
            if reply.get("id") == self.last_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return dict(reply["result"])
        raise TimeoutError(method)

    def watch_errors(self) -> None:
        """From now on, keep the page's errors in :attr:`errors`: uncaught script exceptions, console errors, and
        the browser's own error log (a Content-Security-Policy violation, a resource that failed to load)."""
        self.send("Runtime.enable", tab=True)
        self.send("Log.enable", tab=True)

    def note(self, message: dict[str, Any]) -> None:
        """Keep an error event (see :meth:`watch_errors`); drop every other event."""
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.errors.append(str(details.get("exception", {}).get("description") or details.get("text")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            self.errors.append(f"{entry.get('source')}: {entry.get('text')} ({entry.get('url', '')})")

    def open(self, url: str, width: int, height: int = 900) -> None:
        """Load ``url`` in a window ``width`` CSS pixels wide and wait until it has loaded."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            tab=True,
        )
        self.send("Page.navigate", {"url": url}, tab=True)
        while self.evaluate("document.readyState") != "complete":
            time.sleep(0.05)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-able)."""
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, tab=True)
        if "exceptionDetails" in reply:
            raise RuntimeError(reply["exceptionDetails"])
        return reply["result"].get("value")

    def navigate(self, url: str) -> None:
        """Load ``url`` in the current window and wait until it has loaded."""
        self.send("Page.navigate", {"url": url}, tab=True)
        time.sleep(0.05)
        self.wait_for("document.readyState === 'complete'", f"{url} to load")

    def resize(self, width: int, height: int = 900) -> None:
        """Make the window ``width`` CSS pixels wide (the page reflows; nothing reloads)."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            tab=True,
        )

    def wait_for(self, expression: str, what: str, timeout: float = 60) -> Any:
        """Evaluate ``expression`` until it is truthy and return its value; fail naming ``what`` after ``timeout``
        seconds (a page that reloads meanwhile is tried again)."""
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            try:
                last = self.evaluate(expression)
            except RuntimeError as error:  # the page is between two documents
                last = error
            else:
                if last:
                    return last
            time.sleep(0.1)
        raise TimeoutError(f"timed out waiting for {what} (last: {last!r})")

    def wait_for_selector(self, selector: str, timeout: float = 60) -> None:
        """Wait until an element matches ``selector``."""
        self.wait_for(f"document.querySelector({json.dumps(selector)}) !== null", selector, timeout)

    def text(self, selector: str) -> str:
        """The text of the first element matching ``selector`` (an error if there is none)."""
        value = self.evaluate(f"document.querySelector({json.dumps(selector)}).textContent")
        return str(value)

    def texts(self, selector: str) -> list[str]:
        """The trimmed text of every element matching ``selector``, in document order."""
        found = self.evaluate(f"[...document.querySelectorAll({json.dumps(selector)})].map(e => e.textContent.trim())")
        return list(found)

    def click(self, selector: str) -> None:
        """Click the first element matching ``selector`` as a person does: the mouse pressed and released at its
        centre (scrolled into view first), so a link is followed and a button's handlers run."""
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}});"
            " const r = e.getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1},
                tab=True,
            )

    def type(self, selector: str, text: str) -> None:
        """Focus the field matching ``selector``, clear it and type ``text`` as keystrokes (each fires ``input``);
        then fire ``change``, as leaving the field does."""
        self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.focus(); e.select && e.select();"
            " e.value = ''; e.dispatchEvent(new Event('input', {bubbles: true})); })()"
        )
        self.send("Input.insertText", {"text": text}, tab=True)
        self.evaluate(
            f"document.querySelector({json.dumps(selector)}).dispatchEvent(new Event('change', {{bubbles: true}}))"
        )

    def key(self, name: str) -> None:
        """Press and release a key as a person does (``Tab``, ``Enter``): the page's focus moves as it would."""
        codes = {"Tab": 9, "Enter": 13}
        for kind in ("keyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": name, "code": name, "windowsVirtualKeyCode": codes[name]},
                tab=True,
            )

    def screenshot(self, path: Path, selector: str | None = None) -> None:
        """The whole page (not just the window), or the first element matching ``selector``, as a PNG."""
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": True}
        if selector is not None:
            box = self.evaluate(
                f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
                " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; })()"
            )
            params["clip"] = {**box, "scale": 1}
        shot = self.send("Page.captureScreenshot", params, tab=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def pdf(self) -> bytes:
        """The page printed as the print dialog would (print styles, the page's own @page size, no header)."""
        printed = self.send("Page.printToPDF", {"preferCSSPageSize": True, "displayHeaderFooter": False}, tab=True)
        return base64.b64decode(printed["data"])


_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)")
_TOKEN = re.compile(
    rb"<<|>>|<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|/[^\s/<>\[\]()]+|\[|\]|[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z'\"*]+"
)
_PAINT = {b"f", b"f*", b"F", b"S", b"s", b"B", b"B*", b"b", b"b*"}

Matrix = tuple[float, float, float, float, float, float]


def _times(a: Matrix, b: Matrix) -> Matrix:
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _inked_heights(content: bytes) -> list[float]:
    """The page heights (PDF units, from the bottom) at which a content stream draws text or paints a path.

    Follows the operators Chromium writes: ``q``/``Q``/``cm`` for the transform, ``BT``/``Tm``/``Td`` and ``Tj``/
    ``TJ`` for text, ``re``/``m``/``l``/``c`` then a paint operator for shapes (a clip's ``n`` paints nothing).
    """
    ctm: Matrix = (1, 0, 0, 1, 0, 0)
    saved: list[Matrix] = []
    line: Matrix = ctm
    numbers: list[float] = []
    path: list[float] = []
    heights: list[float] = []

    def height(x: float, y: float, m: Matrix) -> float:
        return x * m[1] + y * m[3] + m[5]

    for token in _TOKEN.findall(content):
        if _NUMBER.fullmatch(token):
            numbers.append(float(token))
            continue
        if token == b"q":
            saved.append(ctm)
        elif token == b"Q":
            ctm = saved.pop()
        elif token == b"cm":
            ctm = _times(tuple(numbers[-6:]), ctm)  # type: ignore[arg-type]
        elif token == b"BT":
            line = (1, 0, 0, 1, 0, 0)
        elif token == b"Tm":
            line = tuple(numbers[-6:])  # type: ignore[assignment]
        elif token == b"Td":
            line = _times((1, 0, 0, 1, numbers[-2], numbers[-1]), line)
        elif token in (b"Tj", b"TJ"):
            heights.append(height(0, 0, _times(line, ctm)))
        elif token == b"re":
            x, y, _, h = numbers[-4:]
            path += [height(x, y, ctm), height(x, y + h, ctm)]
        elif token in (b"m", b"l", b"c", b"v", b"y"):
            path.append(height(numbers[-2], numbers[-1], ctm))
        elif token in _PAINT:
            heights += path
            path = []
        elif token == b"n":
            path = []
        if token[:1].isalpha():
            numbers = []
    return heights


def page_spans(pdf: bytes) -> list[float]:
    """For each page of a PDF Chromium printed, in order: the share of the page's height from the top of its ink
    to the bottom of its ink (0 for a blank page)."""
    objects = {int(m[1]): m[2] for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)}
    root = next(body for body in objects.values() if re.search(rb"/Type\s*/Pages\b", body) and b"/Parent" not in body)

    def leaves(body: bytes) -> list[bytes]:
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
        if kids is None:
            return [body]
        return [leaf for k in re.findall(rb"(\d+) 0 R", kids[1]) for leaf in leaves(objects[int(k)])]

    spans = []
    for page in leaves(root):
        box = re.search(rb"/MediaBox\s*\[\s*\S+\s+\S+\s+\S+\s+(\S+)\s*\]", page)
        assert box is not None
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", page)
        heights: list[float] = []
        for ref in re.findall(rb"(\d+) 0 R", contents[1] if contents else b""):
            stream = re.search(rb"stream\r?\n(.*)endstream", objects[int(ref)], re.S)
            assert stream is not None
            heights += _inked_heights(zlib.decompress(stream[1]))
        spans.append((max(heights) - min(heights)) / float(box[1]) if heights else 0.0)
    return spans
