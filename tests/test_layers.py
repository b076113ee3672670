"""The engine's layers, checked: data flows one way, helpers are shared through the foundation, nothing prints.

The layers, lowest first (see the package docstring of :mod:`engine`):

    foundation (errors, numbers, stats, text, visible, paths, output, csvfile, plaintable, jsontext, textwidth) -> load -> score -> pipeline
    -> whatif -> checks -> report -> serve;   ingest stands beside them on the foundation alone.

A module may import from its own layer and the layers below, never above; no
module imports another module's private (``_``-prefixed) names; only ``cli.py``
prints.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

ENGINE = ROOT / "engine"
FOUNDATION = {
    "engine",
    "engine.errors",
    "engine.numbers",
    "engine.limits",
    "engine.stats",
    "engine.text",
    "engine.paths",
    "engine.output",
    "engine.csvfile",
    "engine.plaintable",
    "engine.visible",
    "engine.jsontext",
    "engine.textwidth",
}
ORDER = ["foundation", "load", "score", "pipeline", "whatif", "checks", "report", "serve"]


def layer(module: str) -> str:
    """The layer of an engine module: its subpackage, or foundation / pipeline for the top-level modules."""
    if module in FOUNDATION:
        return "foundation"
    part = module.split(".")[1]
    return part if part in (*ORDER, "ingest") else f"unknown ({module})"


def may_import(importer: str, imported: str) -> bool:
    a, b = layer(importer), layer(imported)
    if b == "foundation":
        return True
    if a == "ingest" or b == "ingest":
        return a == b
    return ORDER.index(b) <= ORDER.index(a)


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(ENGINE.rglob("*.py")):
        if "_bundled" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found.append((name, path))
    return found


def imports(name: str, path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) of every ``from engine... import`` in the file, at any depth."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            if module == "engine" or module.startswith("engine."):
                out.append((node.lineno, module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names if a.name.startswith("engine.")]
    return out


def test_every_module_is_in_a_known_layer():
    assert [n for n, _ in modules() if layer(n).startswith("unknown")] == []


def test_nothing_imports_a_later_layer():
    wrong = []
    for name, path in modules():
        for line, module, names in imports(name, path):
            targets = [module] if module != "engine" else [f"engine.{n}" for n in names if n != "__version__"]
            for target in targets:
                if not may_import(name, target):
                    wrong.append(f"{path.relative_to(ROOT)}:{line}: {layer(name)} imports {target} ({layer(target)})")
    assert wrong == []


def test_no_module_imports_a_private_name_of_another():
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {module}.{n}"
        for name, path in modules()
        for line, module, names in imports(name, path)
        for n in names
        if n.startswith("_") and n != "__version__" and module != name
    ]
    assert wrong == []


@pytest.mark.parametrize("call", ["print", "echo", "secho"])
def test_the_engine_never_prints(call):
    calls = []
    for _, path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if called == call:
                    calls.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert calls == []


def test_the_test_oracle_does_not_ship():
    assert not (ENGINE / "reference.py").exists()
    assert not any("reference_evaluate" in path.read_text(encoding="utf-8") for _, path in modules())


@pytest.mark.parametrize(
    ("importer", "imported", "allowed"),
    [
        ("engine.load.rules", "engine.errors", True),
        ("engine.score.scoring", "engine.load.model", True),
        ("engine.load.rules", "engine.score.scoring", False),
        ("engine.report.terminal", "engine.whatif.comparison", True),
        ("engine.whatif.grid", "engine.report.terminal", False),
        ("engine.ingest.police", "engine.load.rules", False),
        ("engine.ingest.police", "engine.paths", True),
        ("engine.checks.replay", "engine.pipeline", True),
        ("engine.pipeline", "engine.whatif.grid", False),
    ],
)
def test_the_layer_rule_itself(importer, imported, allowed):
    assert may_import(importer, imported) is allowed
