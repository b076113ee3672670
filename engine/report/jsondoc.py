"""A result as one JSON document (the shape :func:`engine.score.audit.result_document` builds)."""

from __future__ import annotations

import json

from engine.numbers import json_default
from engine.score.audit import Provenance, result_document
from engine.score.scoring import Result


def to_json(result: Result, provenance: Provenance) -> str:
    """Everything in one JSON document (keys in a fixed order, UTF-8, 2-space indent)."""
    return json.dumps(result_document(result, provenance), indent=2, ensure_ascii=False, default=json_default) + "\n"
