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


def test_every_engine_subpackage_is_packaged():
    """A new engine subpackage missing from pyproject.toml would be left out of the wheel, silently."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "engine").rglob("__init__.py")
        if "_bundled" not in init.parts
    }
    assert found <= set(config["packages"]), sorted(found - set(config["packages"]))


def test_the_version_is_written_once():
    import engine

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "engine.__version__"}
    from importlib.metadata import version

    assert version("cspscore") == engine.__version__
