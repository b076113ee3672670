"""Shared fixtures and test settings: the repository root, a small valid project to break in each test,
and how hard hypothesis tries.

Hypothesis profiles, chosen by the environment variable ``CSPSCORE_TEST_PROFILE``:

- ``quick`` (the default): a fast inner loop for local runs, a tenth of CI's examples;
- ``ci``: today's full depth, which ``.ci/run`` selects (``CSPSCORE_TEST_PROFILE=ci``).

A test that sets its own example count declares its CI count through :func:`examples`
(``@settings(max_examples=examples(1200))``), so the ``ci`` profile runs exactly that many and
``quick`` scales it down. Tests that need a browser, LibreOffice or national-size data are marked
``slow``: plain ``pytest`` deselects them and ``pytest -m slow`` runs exactly them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RULES = ROOT / "rules" / "sevenoaks-2020.yaml"
MINI = Path(__file__).resolve().parent / "corpus" / "mini"

PROFILE_VARIABLE = "CSPSCORE_TEST_PROFILE"
CI_EXAMPLES = 100  # hypothesis's own default: the depth of a test that does not set its own count
settings.register_profile("ci", max_examples=CI_EXAMPLES, print_blob=True)
settings.register_profile("quick", max_examples=CI_EXAMPLES // 10)
settings.load_profile(os.environ.get(PROFILE_VARIABLE) or "quick")


def examples(thorough: int, profile: settings | None = None) -> int:
    """``max_examples`` for a test that runs ``thorough`` examples in CI, scaled to ``profile``.

    Exactly ``thorough`` under ``ci``; under ``quick`` a tenth of it, but at least 5 (or ``thorough``,
    if smaller). ``profile`` defaults to the loaded one, read when the test module is imported, so
    ``pytest --hypothesis-profile=ci`` works too.
    """
    scaled = thorough * (profile or settings.default).max_examples // CI_EXAMPLES
    return max(scaled, min(thorough, 5))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/corpus/mini (rules.yaml, data/) in a temporary folder, which is the working folder."""
    target = tmp_path / "project"
    shutil.copytree(MINI, target)
    monkeypatch.chdir(target)
    return target


@pytest.fixture(autouse=True)
def _no_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Terminal tables fit COLUMNS: the tests' own expected widths, not the developer's terminal, decide them."""
    monkeypatch.delenv("COLUMNS", raising=False)
