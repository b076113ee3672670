"""engine.report.html_chart and the report's parts: the chart's rows, whole names, escaping; --part's content."""

from __future__ import annotations

from pathlib import Path

from engine.report import html, markdown
from engine.report.html_chart import chart
from engine.score import audit
from tests.helpers import edit, run

LONG = "Scams, doorstep fraud and other frauds against older residents <b>& carers</b>"


def test_chart_rows_hold_whole_escaped_names_bars_to_scale_and_totals_after_the_bar(project: Path):
    edit(project / "rules.yaml", "    name: Scams\n", f'    name: "{LONG}"\n')
    result = run(project)
    text = chart(result, result.order())
    assert "Scams, doorstep fraud and other frauds against older residents &lt;b&gt;&amp; carers&lt;/b&gt;" in text
    assert "<b>" not in text
    # Totals 15, 9, 8 against the cutoff 10: the scale runs to 15 x 1.05 = 15.75.
    assert text.count('<span class="cut" style="left: 63.5%" aria-hidden="true"></span>') == 3
    assert '<span class="cutoff" style="left: 63.5%">cutoff 10</span>' in text
    assert '<li class="not"><span class="name">Scams, doorstep' in text
    assert '<span class="bar" style="width: 57.1%"></span>' in text  # 9 / 15.75
    assert '<span class="value"><strong>9</strong>, not a priority</span></li>' in text
    assert '<span class="value"><strong>15</strong>, priority</span></li>' in text


def test_html_summary_has_no_workings_and_the_audit_no_scoring_table(project: Path):
    result = run(project)
    record = audit.provenance(result, {})
    whole = html.render_html(result, record, [], False)
    summary = html.render_html(result, record, [], False, "summary")
    workings = html.render_html(result, record, [], False, "audit")
    assert 'id="issues"' in whole and 'id="scores"' in whole and "SHA-256" in whole
    assert 'id="issues"' not in summary and 'href="#issue-' not in summary and "SHA-256" not in summary
    assert 'id="scores"' in summary and 'figure class="chart"' in summary
    assert "This is the summary: how each score was reached" in summary
    assert 'id="scores"' not in workings and "chart" not in workings.split("<body>")[1]
    assert 'id="issue-scams"' in workings and "SHA-256" in workings
    assert "This is the audit: the priorities" in workings


def test_markdown_audit_has_evidence_and_agreed_by_and_the_parts_split(project: Path):
    result = run(project)
    record = audit.provenance(result, {})
    whole = markdown.to_markdown(result, record)
    assert "| rationale | evidence | override\\_reason | agreed\\_by |" in whole
    assert "| Trading Standards report many calls. | Trading Standards annual report |" in whole
    summary = markdown.to_markdown(result, record, [], "summary")
    workings = markdown.to_markdown(result, record, [], "audit")
    assert "## Scores" in summary and "## Audit" not in summary and "## Provenance" not in summary
    assert "## Scores" not in workings and "## Audit" in workings and "## Provenance" in workings
    assert whole.startswith(
        summary.rstrip("\n").replace(
            "_This is the summary: how each score was reached and the provenance are in the audit part "
            "\\(cspscore report --part audit\\)._\n\n",
            "",
        )
    )
