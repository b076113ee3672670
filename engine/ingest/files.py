"""The files of an ingested dataset folder: ``crime.csv``, ``population.csv`` and ``provenance.json``."""

from __future__ import annotations

import json
from typing import Any

from engine.csvfile import to_csv


def _csv(frame: Any) -> str:
    """A frame as CSV text, blank where a value is missing."""
    return to_csv(frame.astype(object).where(frame.notna(), "").to_dict("records"), list(frame.columns))


def dataset_files(counts: Any, population: Any, provenance: dict[str, Any]) -> dict[str, str]:
    """File name -> text, ready for :func:`engine.output.write_folder`."""
    return {
        "crime.csv": _csv(counts),
        "population.csv": _csv(population),
        "provenance.json": json.dumps(provenance, indent=2, ensure_ascii=False) + "\n",
    }
