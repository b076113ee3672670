"""Start-up stays fast: help and rule-only checks never import pandas or numpy."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT

PROBE = """
import sys
from click.testing import CliRunner
import cli
result = CliRunner().invoke(cli.main, {args!r})
assert result.exit_code == 0, result.output
heavy = sorted(m for m in ("pandas", "numpy") if m in sys.modules)
print(",".join(heavy))
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["score", "--help"], ["validate", "--rules-only", "rules/sevenoaks-2020.yaml"]]
)
def test_light_commands_do_not_import_pandas(args):
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
