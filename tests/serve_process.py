"""``cspscore serve`` as people run it: a real process on a free port, read its address, stop it with Ctrl+C.

:class:`Served` starts ``cspscore serve ... --port 0`` (the machine picks a free port), waits for the line
``Serving TITLE at http://HOST:PORT/ (Ctrl+C to stop)`` and keeps the process until :meth:`Served.stop` sends it
SIGINT, as Ctrl+C in a terminal does. Used by the serve command's tests and the real-browser tests.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from .conftest import ROOT

SERVING = re.compile(r"^Serving (?P<title>.+) at (?P<url>http://\S+/) \(Ctrl\+C to stop\)$")
#: Seconds to wait for the address line or for the process to end: generous, the machine may be busy.
PATIENCE = 60


def cspscore(*args: str) -> list[str]:
    """The command line of ``cspscore`` run by this interpreter from this checkout (no PATH lookup)."""
    return [sys.executable, "-c", "import cli; cli.main()", *args]


class Served:
    """One ``cspscore serve`` process; a context manager that stops it (Ctrl+C, then kill) on exit."""

    def __init__(self, *args: str, cwd: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            cspscore("serve", *args),
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.first = ""
        self.url = ""
        self.title = ""
        self.stdout = ""
        self.stderr = ""
        self._lines: list[str] = []
        reader = threading.Thread(target=self._read_first, daemon=True)
        reader.start()
        reader.join(PATIENCE)

    def _read_first(self) -> None:
        assert self.process.stdout is not None
        self.first = self.process.stdout.readline().rstrip("\n")
        found = SERVING.match(self.first)
        if found:
            self.url, self.title = found["url"], found["title"]

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.stop()

    def get(self, path: str = "/", headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
        """(status, body, headers) of a GET of ``path``; 4xx/5xx answers are returned, not raised."""
        return self.get_from(self.url.rstrip("/") + path, headers)

    def get_from(self, url: str, headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
        """(status, body, headers) of a GET of ``url``."""
        request = urllib.request.Request(url, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=PATIENCE) as response:
                return response.status, response.read().decode("utf-8"), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8"), error.headers

    def stop(self) -> int:
        """Ctrl+C: SIGINT, then the exit status (killed after :data:`PATIENCE` seconds)."""
        self.process.send_signal(signal.SIGINT)
        return self.wait()

    def wait(self) -> int:
        """The exit status once the process ended, with everything it printed kept in ``stdout``/``stderr``."""
        try:
            out, err = self.process.communicate(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        self.stdout, self.stderr = self.first + "\n" + out, err
        return self.process.returncode


def wait_for(condition: Any, what: str, timeout: float = PATIENCE) -> Any:
    """Poll ``condition()`` until it returns something truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
