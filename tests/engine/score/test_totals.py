"""engine.score.totals: the one total rule, and derived values computed with it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from engine.pipeline import run
from tests.helpers import edit

DERIVED = (
    "derived:\n"
    "  harm: {name: Harm, expression: concern + trend}\n"
    "  risk: {name: Risk, expression: harm * volume / 2, decimals: 1}\n"
    "total:\n  method: expression\n  expression: risk\n"
)


def test_derived_values_feed_the_total_as_rounded(project: Path):
    edit(project / "rules.yaml", "total:\n  method: sum\n", DERIVED)
    result = run(project / "rules.yaml")
    for i, _ in enumerate(result.issue_ids):
        scores = {c: int(result.outcomes[c].final[i]) for c in result.rules.criteria}
        harm = scores["concern"] + scores["trend"]
        risk = (Decimal(harm) * scores["volume"] / 2).quantize(Decimal("0.1"))
        assert result.derived["harm"].value(i) == harm
        assert result.derived["risk"].value(i) == risk
        assert result.total(i) == risk


def test_derived_values_are_columns_of_the_scores_table(project: Path):
    from engine.score.audit import score_rows

    edit(project / "rules.yaml", "total:\n  method: sum\n", DERIVED)
    rows = score_rows(run(project / "rules.yaml"))
    assert list(rows[0])[:7] == ["issue_id", "issue", "concern", "trend", "volume", "harm", "risk"]


def test_the_grid_agrees_with_scoring_when_the_total_uses_derived_values(project: Path):
    from engine.load.overlay import parse_set_option
    from engine.whatif.grid import evaluate, resolve

    edit(project / "rules.yaml", "total:\n  method: sum\n", DERIVED)
    result = run(project / "rules.yaml")
    parameter = resolve(result.rules, ("issues", "asb", "judgements", "concern", "score"))
    values = [Decimal(0), Decimal(1), Decimal(3), Decimal(5)]
    evaluation = evaluate(result, [parameter], [values])
    for k, value in enumerate(values):
        again = run(project / "rules.yaml", [parse_set_option(f"{parameter.text}={value}", 1)])
        totals = [Decimal(int(u)).scaleb(-evaluation.places) for u in evaluation.total_units[k]]
        assert totals == [again.total(i) for i in range(len(again.issue_ids))]


def test_reports_show_derived_values_as_columns(project: Path):
    from engine.report.html import render_html
    from engine.report.markdown import to_markdown
    from engine.score.audit import provenance

    edit(project / "rules.yaml", "total:\n  method: sum\n", DERIVED)
    result = run(project / "rules.yaml")
    record = provenance(result, {"command": "test"})
    markdown = to_markdown(result, record)
    assert "| Rank | Issue | Community Concern | Trend Increase | Volume | Harm | Risk | Total | Priority |" in markdown
    assert "| 2 | Burglary | 3 | 0 | 3 | 3 | 4.5 | 4.5 | no |" in markdown
    html = render_html(result, record, [], False)
    headers = html.split('<section id="scores">')[1].split("</thead>")[0]
    assert headers.index('<th class="num">Volume</th>') < headers.index('<th class="num">Harm</th>')
    assert headers.index('<th class="num">Harm</th>') < headers.index('<th class="num">Risk</th>')
    assert headers.index('<th class="num">Risk</th>') < headers.index('<th class="num">Total</th>')
