"""What the ingestion tests share: where the real data is, and small police.uk files written on the spot."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.ingest.periods import build
from engine.ingest.police import Ingested, Options, ingest_police_uk
from tests.conftest import ROOT

SHARED = ROOT.parent / "shared" / "data"
KENT = SHARED / "police-uk-kent-2024"
THREE = SHARED / "police-uk-2018-19-dorset-suffolk-south-wales"
needs_shared = pytest.mark.skipif(not THREE.is_dir(), reason="../shared/data is not beside the project")

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context"
)


def row(month: str, lsoa: str, crime: str, force: str = "Kent Police", code: str = "E01000001") -> str:
    """One police.uk street-level row."""
    return f",{month},{force},{force},0.1,51.2,On or near X,{code},{lsoa},{crime},,"


def write(folder: Path, name: str, rows: list[str]) -> Path:
    """A police.uk file of ``rows`` (header added) at ``folder/name``."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def run(
    paths: list[Path],
    current: str | None = "2024-03:2024-04",
    previous: str | None = "2024-01:2024-02",
    periods: tuple[str, ...] = (),
    **options: object,
) -> Ingested:
    """``ingest police-uk`` as the CLI calls it."""
    return ingest_police_uk(list(paths), build(current, previous, list(periods)), Options(**options))  # type: ignore[arg-type]
