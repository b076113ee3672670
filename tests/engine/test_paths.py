"""engine.paths: the shipped files are found."""

from __future__ import annotations

from engine.paths import bundled_root, default_rules, schema_path


def test_bundled_files_exist():
    assert default_rules().is_file()
    assert schema_path("rules").is_file()
    assert (bundled_root() / "datasets" / "sevenoaks-2020" / "crime-figures.csv").is_file()
