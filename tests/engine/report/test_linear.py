"""Rendering grows linearly with the number of areas: twice the areas, at most about twice the work.

Work is counted, not timed: the Python function calls each renderer makes (cProfile's count) for a result of
N areas and one of 2N. A renderer that rebuilt a whole-result table once per area (the quadratic scoring table
350 areas exposed) makes about four times the calls for twice the areas, and fails here.
"""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.checks import explain
from engine.pipeline import run
from engine.report import csvfiles, html, jsondoc, markdown, narrative, table6, terminal, word, xlsx
from engine.score import audit
from engine.score.scoring import Result
from tests.national import write_county

RENDERERS: dict[str, Callable[[Result, Any], Any]] = {
    "table": terminal.to_table,
    "csv": lambda result, record: csvfiles.scores_csv(result),
    "csv files": csvfiles.csv_files,
    "json": jsondoc.to_json,
    "markdown": markdown.to_markdown,
    "html": lambda result, record: html.render_html(result, record, narrative.drafts(result), False),
    "xlsx": xlsx.workbook_bytes,
    "docx": lambda result, record: word.document_bytes(result, record, narrative.drafts(result), table6.table6(result)),
    "explain every case": lambda result, record: "".join(explain.explain_cases(result, result.order())),
}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Result]:
    made = {}
    for areas in (4, 8, 16):
        folder: Path = tmp_path_factory.mktemp(f"areas{areas}")
        write_county(folder, areas=areas, issues=4)
        made[areas] = run(folder / "rules.yaml", areas="all")
    return made


def calls(function: Callable[[], Any]) -> int:
    profile = cProfile.Profile()
    profile.enable()
    try:
        function()
    finally:
        profile.disable()
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", list(RENDERERS))
def test_twice_the_areas_at_most_two_and_a_half_times_the_work(name: str, results: dict[int, Result]):
    render = RENDERERS[name]
    render(results[4], audit.provenance(results[4], {}))  # warms what results share, so both counts start alike
    small, large = results[8], results[16]
    record_small, record_large = audit.provenance(small, {}), audit.provenance(large, {})
    ratio = calls(lambda: render(large, record_large)) / calls(lambda: render(small, record_small))
    assert ratio <= 2.5, f"{name}: {ratio:.2f} times the calls for twice the areas"


def test_the_scoring_table_builds_the_score_rows_once_for_every_area(results: dict[int, Result], monkeypatch):
    built = []
    real = terminal.score_columns

    def counted(result: Result) -> audit.ScoreColumns:
        built.append(result)
        return real(result)

    monkeypatch.setattr(terminal, "score_columns", counted)
    text = terminal.to_table(results[16], audit.provenance(results[16], {}))
    assert text.count("\nArea: ") == 16
    assert len(built) == 1


@pytest.mark.parametrize("name", list(RENDERERS))
def test_each_table_is_built_at_most_once_for_every_area(name: str, results: dict[int, Result], monkeypatch):
    from engine.report import html_overview
    from engine.score import document

    built: dict[str, int] = {"score_columns": 0, "audit_columns": 0}
    for table in built:
        real = getattr(audit, table)

        def counted(*args: Any, _real: Any = real, _table: str = table, **kwargs: Any) -> Any:
            built[_table] += 1
            return _real(*args, **kwargs)

        for module in (terminal, csvfiles, document, markdown, html, html_overview, xlsx, explain, audit):
            if hasattr(module, table):
                monkeypatch.setattr(module, table, counted)
    RENDERERS[name](results[16], audit.provenance(results[16], {}))
    assert built["score_columns"] <= 1, built
    assert built["audit_columns"] <= 1, built  # 16 areas x 4 issues: one block
