"""Every bundled folder ships in the wheel: pyproject.toml lists each one as package data."""

from __future__ import annotations

import pytest

from .conftest import ROOT

tomllib = pytest.importorskip("tomllib")  # Python 3.11+


def test_every_rules_and_datasets_folder_is_packaged():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    mapped = {folder for folder in config["package-dir"].values()}
    folders = {"rules", "schemas"}
    folders |= {f"rules/{p.name}" for p in (ROOT / "rules").iterdir() if p.is_dir()}
    folders |= {f"datasets/{p.name}" for p in (ROOT / "datasets").iterdir() if p.is_dir()}
    assert folders <= mapped, sorted(folders - mapped)
    for package, folder in config["package-dir"].items():
        assert package in config["packages"] and package in config["package-data"], package
        assert (ROOT / folder).is_dir(), folder
