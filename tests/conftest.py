"""Shared fixtures: the repository root, and a small valid project to break in each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RULES = ROOT / "rules" / "sevenoaks-2020.yaml"
MINI = Path(__file__).resolve().parent / "corpus" / "mini"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/corpus/mini (rules.yaml, data/) in a temporary folder, which is the working folder."""
    target = tmp_path / "project"
    shutil.copytree(MINI, target)
    monkeypatch.chdir(target)
    return target
