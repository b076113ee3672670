"""Replay a saved result: re-run it from its recorded inputs and say whether it reproduces exactly.

A result saved with ``score --format json`` carries its provenance: the rule
file and each dataset with their SHA-256, and the parameters. Replaying checks
every input file against its recorded hash (naming each one that changed or is
missing), scores again with the same parameters, and compares the scores and
the audit cell by cell, as flat rows (:func:`engine.score.document.expanded_rows`),
so a result saved before documents had per-area blocks replays too. The time
and Python version are not compared.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.errors import InputError, Problem
from engine.numbers import json_default, plural
from engine.paths import bundled_root, data_root
from engine.text import check_regular, read_regular

#: The largest saved result read (a national result is tens of MB).
MAX_RESULT_BYTES = 1_000_000_000
#: How deep a saved result may nest (a saved result nests fewer than 10 levels).
MAX_NESTING = 100
_OUTSIDE_HINT = (
    "replay reads only the files `score` could read: the rule file inside the folder replay runs in (or the "
    "result's folder), its datasets inside the rule file's folder tree; give --allow-outside-data for a result "
    "you trust"
)


@dataclass(frozen=True)
class Replay:
    record: str
    generated_at: str
    engine_version: str
    inputs: list[tuple[str, str, str]]  # (role, file, status: "unchanged" / "changed" / "missing")
    differences: list[str]

    @property
    def reproduced(self) -> bool:
        return not self.differences and all(status != "changed" and status != "missing" for _, _, status in self.inputs)

    @property
    def verdict(self) -> str:
        """One sentence: reproduced, or why not (the inputs changed, or the same inputs now give another result)."""
        if self.reproduced:
            return "Reproduced exactly."
        if any(status != "unchanged" for _, _, status in self.inputs):
            return "Not reproduced: the inputs changed"
        return "Not reproduced: the same inputs give a different result"


def load_record(path: Path, display: str) -> dict[str, Any]:
    """The saved result, or InputError if it is not a result written by ``score --format json``."""
    raw = read_regular(path, display, MAX_RESULT_BYTES)
    if _depth(raw) > MAX_NESTING:
        raise InputError(
            [Problem(display, 1, 1, "", f"this is not a saved JSON result (nested over {MAX_NESTING} levels deep)")]
        )
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError([Problem(display, 1, 1, "", f"this is not a saved JSON result ({exc})")]) from None
    keys = set(document) if isinstance(document, dict) else set()
    if not ({"areas", "provenance"} <= keys or {"scores", "audit", "provenance"} <= keys):
        raise InputError(
            [
                Problem(
                    display,
                    1,
                    1,
                    "",
                    "this is not a result saved with `cspscore score --format json`",
                    "replay needs its scores, audit and provenance",
                )
            ]
        )
    return document


def _depth(raw: bytes) -> int:
    """An upper bound on the JSON's nesting depth, counted without parsing (brackets inside strings count too)."""
    import numpy as np

    data = np.frombuffer(raw, dtype=np.uint8)
    steps = np.isin(data, (ord("["), ord("{"))).astype(np.int64) - np.isin(data, (ord("]"), ord("}")))
    return int(np.cumsum(steps).max(initial=0))


def check_reach(record: dict[str, Any], path: Path, display: str) -> None:
    """Refuse a result naming files ``score`` could not read: a rule file outside the working folder, the result's
    folder and the bundled rules; a dataset outside its rule file's folder tree (see :func:`engine.paths.data_root`).
    Nothing outside is opened or even looked for, so a result cannot probe which files exist."""
    provenance = record["provenance"]
    rules = Path(str(provenance["rules"]["file"]))
    roots = [Path.cwd().resolve(), path.resolve().parent, bundled_root().resolve()]
    problems = []
    if not _inside(rules, roots):
        problems.append(("provenance.rules.file", rules))
    else:
        root = data_root(rules)
        for n, dataset in enumerate(provenance.get("datasets", [])):
            if not _inside(Path(str(dataset["file"])), [root]):
                problems.append((f"provenance.datasets[{n}].file", Path(str(dataset["file"]))))
    if problems:
        raise InputError(
            [
                Problem(display, 1, 1, key, f"{file} is outside the project, so it is not read", _OUTSIDE_HINT)
                for key, file in problems
            ]
        )


def _inside(file: Path, roots: list[Path]) -> bool:
    where = file.resolve()
    return any(where == root or root in where.parents for root in roots)


def _normalised(file: str) -> str:
    from engine.load.rules import normalised_sha256
    from engine.load.yamlfile import load_yaml

    try:
        data, _ = load_yaml(Path(file))
    except InputError:
        return ""
    return normalised_sha256(data)


def file_status(file: str, recorded: str) -> str:
    path = Path(file)
    if not path.is_file():
        return "missing"
    check_regular(path, file)
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return "unchanged" if digest.hexdigest() == recorded else "changed"


def rerun(rules_file: Path, parameters: dict[str, Any], *, allow_outside: bool = False) -> dict[str, Any]:
    """Score ``rules_file`` again with the recorded parameters; the result as its saved JSON would read back."""
    from engine.pipeline import parse_areas, run
    from engine.score.audit import provenance
    from engine.score.document import result_document

    result = run(rules_file, areas=parse_areas(parameters.get("area")), allow_outside=allow_outside)
    # Through JSON and back, so numbers and text compare exactly as they were saved.
    return json.loads(
        json.dumps(result_document(result, provenance(result, parameters)), ensure_ascii=False, default=json_default)
    )


def replay(path: Path, display: str, *, allow_outside: bool = False) -> Replay:
    """Check the inputs of the result at ``path``, score again from them, and compare cell by cell."""
    record = load_record(path, display)
    if not allow_outside:
        check_reach(record, path, display)
    provenance = record["provenance"]
    rules = provenance["rules"]
    status = file_status(rules["file"], rules["sha256"])
    if (
        status == "changed"
        and rules.get("normalised_sha256")
        and _normalised(rules["file"]) == rules["normalised_sha256"]
    ):
        status = "changed in comments or layout only: the rules read the same"
    inputs = [("rules", rules["file"], status)]
    inputs += [(f"dataset {d['name']}", d["file"], file_status(d["file"], d["sha256"])) for d in provenance["datasets"]]
    differences: list[str] = []
    if inputs[0][2] == "missing":
        differences.append(f"the rule file {rules['file']} is missing, so the result cannot be recomputed")
    else:
        try:
            now = rerun(Path(rules["file"]), provenance.get("parameters", {}), allow_outside=allow_outside)
        except InputError as exc:
            differences.append(f"the inputs no longer score: {exc.problems[0]}")
            now = None
        if now is not None:
            differences += _compare(record, now)
    return Replay(
        display, provenance.get("generated_at", ""), provenance.get("engine_version", ""), inputs, differences
    )


def _compare(then: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """Every score and audit cell that differs, compared as flat rows (so a result saved before results had
    per-area blocks compares too), and the priorities."""
    from engine.score.document import expanded_rows

    out = []
    before, after = expanded_rows(then), expanded_rows(now)
    for section, old, new in (("scores", before[0], after[0]), ("audit", before[1], after[1])):
        if len(old) != len(new):
            out.append(f"{section}: {plural(len(old), 'row')} then, {len(new)} now")
        for n, (a, b) in enumerate(zip(old, new, strict=False)):
            label = a.get("issue_id") if section == "scores" else f"{a.get('issue_id')}.{a.get('criterion_id')}"
            if a.get("area"):
                label = f"{label} in {a['area']}"
            for column in sorted(set(a) | set(b)):
                if a.get(column) != b.get(column):
                    out.append(f"{section}[{label or n}].{column}: {a.get(column)!r} then, {b.get(column)!r} now")
    if before[2] != after[2]:
        out.append(f"priorities: {before[2]} then, {after[2]} now")
    return out
