"""The files of an ingested dataset folder: ``crime.csv``, ``population.csv``, ``provenance.json`` and, from
police.uk files, ``series.csv`` and ``areas.csv``."""

from __future__ import annotations

import json
from typing import Any

from engine.csvfile import to_csv


def _csv(frame: Any) -> str:
    """A frame as CSV text, blank where a value is missing."""
    return to_csv(frame.astype(object).where(frame.notna(), "").to_dict("records"), list(frame.columns))


def dataset_files(
    counts: Any, population: Any, provenance: dict[str, Any], series: Any = None, areas: Any = None
) -> dict[str, str]:
    """File name -> text, ready for :func:`engine.output.write_folder`."""
    files = {"crime.csv": _csv(counts), "population.csv": _csv(population)}
    if series is not None:
        files["series.csv"] = _csv(series)
    if areas is not None:
        files["areas.csv"] = _csv(areas)
    files["provenance.json"] = json.dumps(provenance, indent=2, ensure_ascii=False) + "\n"
    return files
