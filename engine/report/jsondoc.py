"""A result as one JSON document (the shape :mod:`engine.score.document` builds), written a piece at a time.

Layout: the rules' part and the provenance indented two spaces a level, as ``json.dumps(indent=2)`` writes them;
in each area's block every score row and audit entry is one line, so a national run stays readable line by line.
Keys keep their order, text is UTF-8, numbers are exact (:mod:`engine.jsontext`: declared places kept): the same
result gives the same bytes. :func:`json_chunks` yields the document an area at a time, so memory stays bounded
however many areas there are.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from engine.jsontext import dumps, line
from engine.score.audit import Provenance
from engine.score.document import area_documents, document_head
from engine.score.scoring import Result

#: The keys of an area's block whose lists are written one item a line.
ROW_LISTS = ("scores", "audit")


def to_json(result: Result, provenance: Provenance, result_folder: Path | None = None) -> str:
    """Everything in one JSON document (see the module docstring)."""
    return "".join(json_chunks(result, provenance, result_folder))


def json_chunks(result: Result, provenance: Provenance, result_folder: Path | None = None) -> Iterator[str]:
    """The document as pieces of text (the head, each area's block, the provenance), ending in a newline.

    ``result_folder`` is the folder the document is written to: the provenance names the rule file relative to it
    (without one, relative to the working folder), so the result replays from anywhere (:meth:`Provenance.as_dict`).
    """
    yield "{\n"
    for key, value in document_head(result).items():
        yield f"  {_text(key)}: {_indented(value, 1)},\n"
    yield '  "areas": ['
    first = True
    for block in area_documents(result):
        yield ("\n" if first else ",\n") + _area_text(block)
        first = False
    yield ("\n  ]" if not first else "]") + ",\n"
    yield f'  "provenance": {_indented(provenance.as_dict(result_folder), 1)}\n}}\n'


#: One line of JSON (``", "`` and ``": "`` between items, as an indented dump has them): one encoder for every row.
_text = line


def _indented(value: Any, level: int) -> str:
    """``value`` indented two spaces a level, starting ``level`` levels in."""
    return dumps(value, level)


def _area_text(block: dict[str, Any]) -> str:
    """One area's block, inside the ``areas`` list (two levels in)."""
    lines = []
    for key, value in block.items():
        if key in ROW_LISTS and value:
            rows = ",\n".join("        " + _text(row) for row in value)
            lines.append(f"      {_text(key)}: [\n{rows}\n      ]")
        else:
            lines.append(f"      {_text(key)}: {_text(value)}")
    return "    {\n" + ",\n".join(lines) + "\n    }"
