"""Replay a saved result: re-run it from its recorded inputs and say whether it reproduces exactly.

A result saved with ``score --format json`` carries its provenance: the rule
file and each dataset with their SHA-256, and the parameters. The rule file is
recorded relative to the result's own folder (``rules.relative_to: result
folder``; printed to stdout, relative to the working folder) and each dataset
relative to the rule file's folder, so a result replays from any folder and
after the whole project folder moves (:func:`input_paths`; a result saved
before this recorded every path relative to the working folder, and is read so).
Replaying checks every input file against its recorded hash (naming each one
that is missing or changed, and the verdict says which), scores again with the
same parameters, and compares the scores and the audit cell by cell, as flat
rows (:func:`engine.score.document.expanded_rows`). Numbers are read as exact
decimals. The time and Python version are not compared.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine.errors import InputError, Problem
from engine.jsontext import dumps, line
from engine.numbers import plural
from engine.paths import bundled_root, data_root, display_path
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
        """One sentence: reproduced, or why not (inputs missing, inputs changed, or the same inputs now give
        another result)."""
        if self.reproduced:
            return "Reproduced exactly."
        missing = sum(status == "missing" for _, _, status in self.inputs)
        changed = sum(status == "changed" for _, _, status in self.inputs)
        if missing and changed:
            return f"Not reproduced: {plural(missing, 'input')} missing and {changed} changed"
        if missing:
            return f"Not reproduced: {plural(missing, 'input')} {'is' if missing == 1 else 'are'} missing"
        if changed:
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
        document = json.loads(raw.decode("utf-8"), parse_float=Decimal)
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


def input_paths(record: dict[str, Any], path: Path) -> tuple[Path, list[Path]]:
    """Where the rule file and each dataset of the result at ``path`` are: the rule file relative to the result's
    folder (``rules.relative_to: result folder``) or the working folder, each dataset relative to the rule file's
    folder; in a result saved before paths were recorded so, every path relative to the working folder."""
    provenance = record["provenance"]
    recorded = provenance["rules"]
    base = path.parent if recorded.get("relative_to") == "result folder" else Path()
    rules = base / str(recorded["file"])
    if "relative_to" not in recorded:  # the earlier layout: every path relative to the working folder
        return rules, [Path(str(d["file"])) for d in provenance.get("datasets", [])]
    return rules, [rules.parent / str(d["file"]) for d in provenance.get("datasets", [])]


def check_reach(record: dict[str, Any], path: Path, display: str) -> None:
    """Refuse a result naming files ``score`` could not read: a rule file outside the working folder, the result's
    folder and the bundled rules; a dataset outside its rule file's folder tree (see :func:`engine.paths.data_root`).
    Nothing outside is opened or even looked for, so a result cannot probe which files exist."""
    rules, datasets = input_paths(record, path)
    roots = [Path.cwd().resolve(), path.resolve().parent, bundled_root().resolve()]
    problems = []
    if not _inside(rules, roots):
        problems.append(("provenance.rules.file", rules))
    else:
        root = data_root(rules)
        for n, dataset in enumerate(datasets):
            if not _inside(dataset, [root]):
                problems.append((f"provenance.datasets[{n}].file", dataset))
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


def _normalised(file: Path) -> str:
    from engine.load.rules import normalised_sha256
    from engine.load.yamlfile import load_yaml

    try:
        data, _ = load_yaml(file)
    except InputError:
        return ""
    return normalised_sha256(data)


def file_status(path: Path, recorded: str) -> str:
    """``unchanged``, ``changed`` (its SHA-256 is not the recorded one) or ``missing``."""
    if not path.is_file():
        return "missing"
    check_regular(path, display_path(path))
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
    return json.loads(dumps(result_document(result, provenance(result, parameters))), parse_float=Decimal)


def replay(path: Path, display: str, *, allow_outside: bool = False) -> Replay:
    """Check the inputs of the result at ``path``, score again from them, and compare cell by cell."""
    record = load_record(path, display)
    if not allow_outside:
        check_reach(record, path, display)
    provenance = record["provenance"]
    rules = provenance["rules"]
    rules_path, dataset_paths = input_paths(record, path)
    status = file_status(rules_path, rules["sha256"])
    if status == "changed" and rules.get("normalised_sha256") and _normalised(rules_path) == rules["normalised_sha256"]:
        status = "changed in comments or layout only: the rules read the same"
    inputs = [("rules", display_path(rules_path), status)]
    inputs += [
        (f"dataset {d['name']}", display_path(p), file_status(p, d["sha256"]))
        for d, p in zip(provenance["datasets"], dataset_paths, strict=True)
    ]
    differences: list[str] = []
    if inputs[0][2] == "missing":
        differences.append(f"the rule file {inputs[0][1]} is missing, so the result cannot be recomputed")
    else:
        try:
            now = rerun(rules_path, provenance.get("parameters", {}), allow_outside=allow_outside)
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
                    out.append(
                        f"{section}[{label or n}].{column}: {_shown(a.get(column))} then, {_shown(b.get(column))} now"
                    )
    if before[2] != after[2]:
        out.append(f"priorities: {before[2]} then, {after[2]} now")
    return out


def _shown(value: Any) -> str:
    """A saved cell as JSON writes it (``24``, ``"yes"``, ``null``)."""
    try:
        return line(value)
    except TypeError:  # a float in a result saved by hand
        return repr(value)
