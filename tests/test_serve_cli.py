"""``cspscore serve`` as people use it: a real process on a free port (``--port 0``), its printed address, the page,
Ctrl+C; the warning for a network host, an invalid rule file and a port in use; the other commands stay light."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import MINI, ROOT
from .serve_process import Served


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of tests/corpus/mini (rules.yaml, data/)."""
    target = tmp_path / "project"
    shutil.copytree(MINI, target)
    return target


def test_serve_prints_its_address_serves_the_page_and_stops_cleanly_on_ctrl_c(folder: Path):
    with Served("rules.yaml", "--port", "0", cwd=folder) as served:
        assert served.url, f"no address line: {served.first!r}"
        assert served.url.startswith("http://127.0.0.1:") and served.url != "http://127.0.0.1:0/"
        assert served.title == "Test assessment"
        status, body, headers = served.get("/")
        assert status == 200
        assert "Anti-Social Behaviour" in body
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert served.stop() == 0
    assert served.stdout.strip() == served.first
    assert served.stderr == ""  # no traceback, no "Aborted!"


def test_serve_on_every_interface_warns_that_the_page_is_exposed(folder: Path):
    with Served("rules.yaml", "--port", "0", "--host", "0.0.0.0", cwd=folder) as served:
        assert served.url.startswith("http://0.0.0.0:")
        port = served.url.rsplit(":", 1)[1].rstrip("/")
        status, body, _ = served.get_from(f"http://127.0.0.1:{port}/")
        assert status == 200 and "Anti-Social Behaviour" in body  # this machine's own addresses are answered
        assert served.stop() == 0
    assert served.stderr == (
        f"warning: listening on 0.0.0.0: anyone who can reach this machine on port {port} can open the page\n"
    )


def test_an_invalid_rule_file_exits_1_with_every_problem_and_serves_nothing(folder: Path):
    rules = folder / "rules.yaml"
    rules.write_text(rules.read_text().replace("cutoff: 10", "cutoff: ten"))
    with Served("rules.yaml", "--port", "0", cwd=folder) as served:
        assert served.wait() == 1
    assert "Serving" not in served.stdout
    assert "rules.yaml:" in served.stderr and "priority.cutoff" in served.stderr
    assert served.stderr.endswith("1 problem found; nothing was written.\n")
    assert "Traceback" not in served.stderr


def test_a_port_in_use_exits_2_with_a_message(folder: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with Served("rules.yaml", "--port", str(port), cwd=folder) as served:
            assert served.wait() == 2
    assert served.stdout.strip() == ""
    assert f"Error: cannot listen on 127.0.0.1:{port}: Address already in use" in served.stderr
    assert "Traceback" not in served.stderr


PROBE = """
import sys
from click.testing import CliRunner
import cli
result = CliRunner().invoke(cli.main, {args!r})
assert result.exit_code == 0, result.output
print(",".join(sorted(m for m in ("starlette", "uvicorn", "jinja2", "httpx") if m in sys.modules)))
"""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["serve", "--help"], ["score", "rules/sevenoaks-2020.yaml"], ["validate", "--rules-only"]],
)
def test_other_commands_do_not_import_the_web_server(args: list[str]):
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
