"""engine.report.render: formula-safe CSV, and each format's content."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from engine.csvfile import safe_cell
from engine.report import csvfiles, html, jsondoc, markdown
from engine.score import audit
from tests.criterion_scales import use_criterion_scales
from tests.helpers import edit, run


@pytest.mark.parametrize(
    "cell, shown",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-18.5", "-18.5"),
        ("+8", "+8"),
        ("Burglary", "Burglary"),
        (5, 5),
    ],
)
def test_safe_cell(cell, shown):
    assert safe_cell(cell) == shown


def test_csv_from_hostile_names_cannot_run_formulas(project: Path):
    edit(project / "rules.yaml", "    name: Scams\n", "    name: \"=cmd|'/c calc'!A1\"\n")
    result = run(project)
    record = audit.provenance(result, {})
    for name, text in csvfiles.csv_files(result, record).items():
        for row in csv.reader(io.StringIO(text)):
            assert not any(cell.startswith(("=", "@")) for cell in row), (name, row)
    assert "'=cmd|'/c calc'!A1" in csvfiles.csv_files(result, record)["scores.csv"]


def test_json_holds_scores_audit_provenance(project: Path):
    result = run(project)
    document = json.loads(jsondoc.to_json(result, audit.provenance(result, {"command": "score"})))
    [area] = document["areas"]
    assert area["priorities"] == ["asb"]
    assert [row["issue_id"] for row in area["scores"]] == ["asb", "scams", "burglary"]
    assert len(area["audit"]) == 9
    assert document["provenance"]["rules"]["sha256"] == result.rules.sha256
    assert document["cutoff"] == 10


def test_markdown_escapes_pipes(project: Path):
    edit(project / "rules.yaml", "    name: Scams\n", "    name: Scams | fraud\n")
    result = run(project)
    text = markdown.to_markdown(result, audit.provenance(result, {}))
    assert "| 2 | Scams \\| fraud |" in text
    assert "## Priorities\n\n1. Anti-Social Behaviour (15)\n" in text


def test_markdown_lists_each_criterion_scale_after_the_assessments(project: Path):
    use_criterion_scales(project)
    result = run(project)
    text = markdown.to_markdown(result, audit.provenance(result, {}))
    assert (
        "## Scale\n\n- **0**: None\n- **1**: Low\n- **3**: Medium\n- **5**: High\n\n"
        "Community Concern (`concern`) has its own scale:\n\n"
        "- **1**: Rare\n- **2**: Possible\n- **3**: Likely\n- **4**: Almost certain\n\n"
        "Volume (`volume`) has its own scale:\n\n"
        "- **0**: None\n- **1**: Few\n- **2**: Some\n- **3**: Many\n\n## Audit\n"
    ) in text


def test_html_shades_a_score_by_its_place_on_its_own_criterion_scale(project: Path):
    use_criterion_scales(project)
    result = run(project)
    text = html.render_html(result, audit.provenance(result, {}), [], public_data=False)
    # Burglary's 2 is second of four on concern's 1-4 scale, third of four on volume's 0-3 scale.
    assert (
        '<a href="#issue-burglary">Burglary</a></td><td class="score l1">2</td><td class="score l0">0</td>'
        '<td class="score l3">2</td>'
    ) in text
    assert (
        '<p class="legend">Community Concern:\n<span class="swatch l0"></span>1 Rare\n'
        '<span class="swatch l1"></span>2 Possible\n<span class="swatch l3"></span>3 Likely\n'
        '<span class="swatch l4"></span>4 Almost certain\n</p>\n'
        '<p class="legend">Volume:\n<span class="swatch l0"></span>0 None\n<span class="swatch l1"></span>1 Few\n'
        '<span class="swatch l3"></span>2 Some\n<span class="swatch l4"></span>3 Many\n</p>\n</section>'
    ) in text
    assert '<tr><td>Volume</td><td class="score l3">2</td>' in text


def test_without_criterion_scales_the_html_legend_is_the_assessments_alone(project: Path):
    result = run(project)
    text = html.render_html(result, audit.provenance(result, {}), [], public_data=False)
    assert (
        '<p class="legend">Scale:\n<span class="swatch l0"></span>0 None\n<span class="swatch l1"></span>1 Low\n'
        '<span class="swatch l3"></span>3 Medium\n<span class="swatch l4"></span>5 High\n</p>\n</section>'
    ) in text
