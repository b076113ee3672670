"""A self-contained HTML report: one file, no scripts, no network, printable on A4.

Sections: title and period; the priority list; the scoring table with each
score shaded by its level (the number is always printed, so nothing depends on
colour); a chart of totals against the cutoff (inline SVG with text labels,
readable in greyscale); draft "Priority Ranking" paragraphs; for every issue
how each score was reached (the ``explain`` trace); provenance and licence.
Every text from rule and data files is escaped.

With several areas the page opens with an overview of every area
(:mod:`engine.report.html_overview`: totals by area and issue with the
priorities marked, and each area's priority list), each area's name linking to
its own section further down, which holds the sections above for that area
(their ids prefixed with the area's anchor, so every id is unique). The page is
built an area at a time (:func:`html_chunks`), the audit a block of areas at a
time, so its size grows linearly with the number of areas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from engine.load.model import Publication, RuleSet, Score
from engine.numbers import number, plural
from engine.report.headings import heading
from engine.report.html_chart import CHART_CSS, chart
from engine.report.html_overview import OVERVIEW_CSS, area_anchors, overview
from engine.report.htmltext import escape
from engine.report.narrative import DRAFT_LABEL, Draft
from engine.report.parts import PART_NOTE, has_audit, has_summary
from engine.report.public import public_audit, public_rows, version_line
from engine.report.table6 import shade_levels
from engine.score.audit import AuditColumns, DataRows, Provenance, audit_columns, data_rows_of, draft_lines
from engine.score.scoring import DATA, JUDGEMENT, NO_VALUE, OVERRIDE, PENDING, Result

OGL = (
    "Contains public sector information licensed under the "
    '<a href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/">'
    "Open Government Licence v3.0</a>."
)

CSS = """
:root { --ink: #111; --muted: #555; --rule: #bbb; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; color: var(--ink); margin: 0 auto; max-width: 60rem;
       padding: 1.5rem; line-height: 1.45; font-size: 11pt; overflow-wrap: break-word; }
h1 { font-size: 1.7rem; margin: 0.2rem 0 0.4rem; } h2 { font-size: 1.25rem; border-bottom: 2px solid var(--ink);
  padding-bottom: 0.2rem; margin-top: 2rem; } h3 { font-size: 1.05rem; margin: 1.4rem 0 0.4rem; }
.kicker { text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 0; font-size: 0.85rem; }
.meta { color: var(--muted); margin: 0.1rem 0; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0; font-size: 0.9rem; }
th, td { border: 1px solid var(--rule); padding: 0.25rem 0.4rem; vertical-align: top; text-align: left; }
th { background: #eee; font-weight: 600; hyphens: manual; overflow-wrap: normal; word-break: normal; }
.wide { overflow-x: auto; } .data table { font-size: 0.8rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.score { text-align: center; font-weight: 600; min-width: 2.2rem; }
.l0 { background: #ffffff; } .l1 { background: #e0e0e0; } .l2 { background: #a9a9a9; }
.l3 { background: #6b6b6b; color: #fff; } .l4 { background: #2f2f2f; color: #fff; }
.l0, .l1, .l2, .l3, .l4, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
tr.priority td.issue { font-weight: 700; }
.tag { display: inline-block; border: 1px solid var(--ink); border-radius: 3px; padding: 0 0.3rem; font-size: 0.8rem;
       font-weight: 700; }
.legend span.swatch { display: inline-block; width: 1rem; height: 1rem; border: 1px solid var(--rule);
  vertical-align: middle; margin: 0 0.3rem 0 0.8rem; }
.draft { border: 2px dashed var(--ink); padding: 0.6rem 0.9rem; margin: 0.8rem 0; }
.draft .label { font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em; font-size: 0.8rem; }
.how { font-size: 0.85rem; } .how dt { font-weight: 600; float: left; clear: left; width: 5.5rem; }
.how dd { margin: 0 0 0.15rem 5.8rem; }
figure { margin: 0.5rem 0; } figcaption { color: var(--muted); font-size: 0.85rem; }
footer { margin-top: 2.5rem; border-top: 1px solid var(--ink); padding-top: 0.6rem; font-size: 0.8rem;
         color: var(--muted); }
footer code { word-break: break-all; }
@media (max-width: 40rem) {
  body { padding: 0.8rem; }
  .how dt { float: none; width: auto; } .how dd { margin: 0 0 0.3rem 0.6rem; }
  table.issue-how td:first-child { width: 6rem; }
}
@page { size: A4; margin: 15mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  h2, h3, h4, p.rows { break-after: avoid; }
  /* Keep small blocks whole; tables that can be long (the scores, an issue's workings) break between rows
     (their headings repeated), never inside one, so no block is pushed whole onto the next page leaving most
     of this one blank. */
  figure, .draft, .data table, .legend { break-inside: avoid; }
  tr, li { break-inside: avoid; }
  .wide { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"""


#: The shade class of a score of a criterion (None: on the assessment's scale): ``l0`` (lowest on the criterion's
#: scale) to ``l4`` (highest).
Level = Callable[[Score, str | None], str]


#: How many cases' audit and data rows are worked out at once (a block of areas).
BLOCK_CASES = 2000


def render_html(
    result: Result,
    provenance: Provenance,
    drafts: list[Draft],
    public_data: bool,
    part: str = "all",
    publication: Publication | None = None,
) -> str:
    """The whole report (or its ``part``: :mod:`engine.report.parts`) as one HTML document (UTF-8 text)."""
    return "".join(html_chunks(result, provenance, drafts, public_data, part, publication))


def html_chunks(
    result: Result,
    provenance: Provenance,
    drafts: list[Draft],
    public_data: bool,
    part: str = "all",
    publication: Publication | None = None,
) -> Iterator[str]:
    """The report in pieces (the head and overview, then each area's section, then the footer): joined, the page.

    ``part`` (:mod:`engine.report.parts`): ``summary`` leaves out how each issue was scored and the provenance
    (the licence attribution stays), ``audit`` the priorities, scoring table, chart, drafts and overview.
    ``publication``: the public version (:mod:`engine.report.public`): small counts and names left out.
    """
    level = _levels(result.rules)
    order = result.order()
    audited = has_audit(part)
    if len(result.areas) == 1:
        cases = [i for i in order if result.inputs.case_area[i] == 0]
        parts = _head(result, cases, part=part, publication=publication) + _draft_banner(result)
        details = _Details(result, cases, publication) if audited else None
        parts += area_body(result, cases, level, drafts, details, part=part)
        yield "\n".join([*parts, _footer(provenance, public_data, audited), "</body>", "</html>"]) + "\n"
        return
    anchors = area_anchors(result.areas)
    opening = _head(result, [], OVERVIEW_CSS, part, publication) + _draft_banner(result)
    yield "\n".join(opening + (overview(result, anchors) if has_summary(part) else [])) + "\n"
    by_area: dict[int, list[int]] = {}
    for i in order:
        by_area.setdefault(int(result.inputs.case_area[i]), []).append(i)
    drafted: dict[str | None, list[Draft]] = {}
    for draft in drafts:
        drafted.setdefault(draft.area, []).append(draft)
    areas = list(by_area)
    start = 0
    while start < len(areas):  # a block of areas at a time: the audit read in large pieces, memory bounded
        stop, size = start, 0
        while stop < len(areas) and (stop == start or size + len(by_area[areas[stop]]) <= BLOCK_CASES):
            size += len(by_area[areas[stop]])
            stop += 1
        block = [i for k in areas[start:stop] for i in by_area[k]]
        details = _Details(result, block, publication) if audited else None
        for k in areas[start:stop]:
            name = str(result.areas[k])
            anchor = anchors[k]
            parts = [f'<section class="area" id="{anchor}">', f"<h2>{escape(name)}</h2>"]
            if has_summary(part):
                parts.append('<p class="meta"><a href="#overview">Back to the overview of every area</a></p>')
            parts += area_body(result, by_area[k], level, drafted.get(name, []), details, f"{anchor}-", 3, part)
            parts.append("</section>")
            yield "\n".join(parts) + "\n"
        start = stop
    yield "\n".join([_footer(provenance, public_data, audited), "</body>", "</html>"]) + "\n"


class _Details:
    """The audit rows and data rows of a block of cases, worked out together (not case by case)."""

    def __init__(self, result: Result, cases: list[int], publication: Publication | None = None) -> None:
        self.audit: AuditColumns = audit_columns(result, cases)
        self.place = {i: n for n, i in enumerate(cases)}
        rows = data_rows_of(result, cases)
        if publication is not None:
            self.audit = public_audit(result, self.audit, publication)
            rows = [public_rows(r, publication) for r in rows]
        self.data = dict(zip(cases, rows, strict=True))
        self.names = {cid: escape(o.criterion.name) for cid, o in result.outcomes.items()}

    def cell(self, criterion: str, i: int, column: str) -> Any:
        """Case ``i``'s cell of the audit's ``column`` for ``criterion``."""
        return self.audit.by_criterion[criterion][column][self.place[i]]


def _draft_banner(result: Result) -> list[str]:
    """For a draft, a section saying so and listing every score still to be agreed (else nothing)."""
    draft = draft_lines(result)
    if not draft:
        return []
    parts = ['<section id="draft" class="draft">', f"<p><strong>{escape(draft[0])}</strong></p>", "<ul>"]
    return parts + [f"<li>{escape(line.strip())}</li>" for line in draft[1:]] + ["</ul>", "</section>"]


def area_body(
    result: Result,
    cases: list[int],
    level: Level,
    drafts: list[Draft],
    details: _Details | None,
    prefix: str = "",
    depth: int = 2,
    part: str = "all",
) -> list[str]:
    """One area's sections: priorities, scoring table, chart, drafts (the summary), how each issue was scored
    (the audit: needs ``details``); ``part`` says which (:mod:`engine.report.parts`).

    ``prefix`` goes before every id (each area's own, on a page of several); ``depth`` is the sections' heading
    level (their drafts and issues one below).
    """
    h, sub = f"h{depth}", f"h{depth + 1}"
    if not has_summary(part):
        return _issues(result, cases, level, details, prefix, h)
    parts = _priorities(result, cases, prefix, h)
    parts += _scoring_table(result, cases, level, prefix, h, linked=details is not None)
    parts += [f'<section id="{prefix}chart">', f"<{h}>Totals against the cutoff</{h}>"]
    parts += [chart(result, cases, prefix), "</section>"]
    parts += [f'<section id="{prefix}drafts">', f"<{h}>Priority ranking: draft text</{h}>"]
    parts += [
        f'<div class="draft" id="{prefix}draft-{escape(draft.issue_id)}"><p class="label">{escape(DRAFT_LABEL)}</p>'
        f"<{sub}>{escape(draft.title)}</{sub}><p>{escape(draft.text)}</p></div>"
        for draft in drafts
    ]
    parts.append("</section>")
    return parts + (_issues(result, cases, level, details, prefix, h) if has_audit(part) else [])


def _issues(result: Result, cases: list[int], level: Level, details: _Details | None, prefix: str, h: str) -> list[str]:
    """The audit section: how each issue was scored."""
    assert details is not None, "the audit needs the cases' details"
    sub = f"h{int(h[1:]) + 1}"
    parts = [f'<section id="{prefix}issues">', f"<{h}>How each issue was scored</{h}>"]
    parts += [_issue_section(result, i, level, details, prefix, sub) for i in cases]
    return parts + ["</section>"]


def _levels(rules: RuleSet) -> Level:
    """Shade a score by its position on its criterion's own scale (the assessment's, for None or no own scale):
    the class ``l0``-``l4`` of Table 6's shade level (:func:`engine.report.table6.shade_levels`), so the page,
    the workbook and the Word table shade alike."""
    level = shade_levels(rules)
    return lambda score, criterion: f"l{level(score, criterion)}"


def _head(
    result: Result, cases: list[int], extra_css: str = "", part: str = "all", publication: Publication | None = None
) -> list[str]:
    """The document's head and the report's header: title, partnership, area (or how many), period and the rules
    in force; for one part of the report, which (and where the rest is); which version it is, public or full, when
    the rule file declares a public version."""
    e = escape
    rules = result.rules
    a = rules.assessment
    area = result.area_of(cases[0]) if cases else None
    where = f"Area: {e(area)}. " if area else ""
    if len(result.areas) > 1:
        where = f"{plural(len(result.areas), 'area')}. "
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(a.title)}: {e(a.partnership)}</title>",
        f"<style>{CSS}{CHART_CSS}{extra_css}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<p class="kicker">{e(a.partnership)}</p>',
        f"<h1>{e(a.title)}</h1>",
        f'<p class="meta">{where}Data period: {e(a.period)}'
        + (f" (compared with {e(a.previous_period)})" if a.previous_period else "")
        + ".</p>",
        f'<p class="meta">Scored with the rules in <code>{e(rules.display)}</code>: '
        f"{e(rules.total.describe())}; an issue is a priority when its total is at least "
        f"{e(number(rules.priority.cutoff))}"
        + (
            f", at most {plural(rules.priority.max_priorities, 'priority', 'priorities')}"
            if rules.priority.max_priorities
            else ""
        )
        + ".</p>",
        *([f'<p class="meta part">{e(PART_NOTE[part])}</p>'] if part in PART_NOTE else []),
        *([f'<p class="meta version">{e(version_line(publication))}</p>'] if rules.publication else []),
        "</header>",
    ]


def _priorities(result: Result, cases: list[int], prefix: str = "", h: str = "h2") -> list[str]:
    e = escape
    chosen = [i for i in cases if result.priority[i]]
    listed = "".join(
        f"<li>{e(result.rules.issues[result.issue_ids[i]].name)} ({e(number(result.total(i)))})</li>" for i in chosen
    )
    are = "is a priority" if len(chosen) == 1 else "are priorities"
    return [
        f'<section id="{prefix}priorities">',
        f"<{h}>Priorities</{h}>",
        f"<p>{len(chosen)} of {plural(len(cases), 'issue')} {are}.</p>",
        f"<ol>{listed}</ol>" if chosen else "<p>None.</p>",
        "</section>",
    ]


def _scoring_table(
    result: Result, cases: list[int], level: Level, prefix: str = "", h: str = "h2", linked: bool = True
) -> list[str]:
    """Every issue's scores, shaded by level (the number always printed), total and priority; then the scales.

    ``linked``: each issue's name links to how it was scored (when the page holds it)."""
    e = escape
    rules = result.rules
    parts = [f'<section id="{prefix}scores">', f"<{h}>Scoring table</{h}>", '<div class="wide"><table class="scores">']
    parts.append("<thead><tr><th>Rank</th><th>Issue</th>")
    parts += [f'<th class="num">{e(c.name)}</th>' for c in rules.criteria.values()]
    parts += [f'<th class="num">{e(d.name)}</th>' for d in rules.derived.values()]
    parts += ['<th class="num">Total</th><th>Priority</th></tr></thead>', "<tbody>"]
    for i in cases:
        issue = rules.issues[result.issue_ids[i]]
        cells = "".join(
            '<td class="score">to be agreed</td>'
            if o.source[i] == PENDING
            else f'<td class="score {level(result.score(cid, i), cid)}">{result.score(cid, i)}</td>'
            for cid, o in result.outcomes.items()
        )
        cells += "".join(
            f'<td class="num">{e("no value" if v.value(i) is None else number(v.value(i)))}</td>'
            for v in result.derived.values()
        )
        mark = '<span class="tag">Priority</span>' if result.priority[i] else "no"
        parts.append(
            f'<tr class="{"priority" if result.priority[i] else ""}"><td class="num">{int(result.rank[i])}</td>'
            f'<td class="issue">{_linked(e(issue.name), f"#{prefix}issue-{e(issue.id)}", linked)}</td>{cells}'
            f'<td class="num"><strong>{e(number(result.total(i)))}</strong></td><td>{mark}</td></tr>'
        )
    parts += ["</tbody></table></div>", '<p class="legend">Scale:']
    parts += [f'<span class="swatch {level(p.score, None)}"></span>{p.score} {e(p.meaning)}' for p in rules.scale]
    parts.append("</p>")
    for cid, criterion in rules.criteria.items():
        if criterion.scale:
            parts.append(f'<p class="legend">{e(criterion.name)}:')
            parts += [
                f'<span class="swatch {level(p.score, cid)}"></span>{p.score} {e(p.meaning)}' for p in criterion.scale
            ]
            parts.append("</p>")
    return parts + ["</section>"]


def _issue_section(result: Result, i: int, level: Level, details: _Details, prefix: str = "", h: str = "h3") -> str:
    """How one issue was scored: its data rows, then each criterion's score and how it was reached."""
    e = escape
    issue = result.rules.issues[result.issue_ids[i]]
    verdict = "a priority" if result.priority[i] else "not a priority"
    out = [
        f'<article class="issue" id="{prefix}issue-{e(issue.id)}">',
        f"<{h}>{e(issue.name)}: {e(number(result.total(i)))}, {verdict}</{h}>",
    ]
    out += _data_rows(details.data[i])
    out.append('<table class="issue-how"><thead><tr><th>Criterion</th><th>Score</th><th>How</th></tr></thead><tbody>')
    for cid in result.outcomes:
        final = details.cell(cid, i, "final_score")
        source = details.cell(cid, i, "source")
        if source == PENDING:
            final = "to be agreed"
        found = _details(partial(details.cell, cid, i), source)
        listed = "".join(f"<dt>{k}</dt><dd>{e(str(v))}</dd>" for k, v in found)  # the labels are plain words
        out.append(
            f'<tr><td>{details.names[cid]}</td><td class="score {level(final, cid)}">{final}</td>'
            f'<td class="how"><strong>{HOW[source]}</strong><dl>{listed}</dl></td></tr>'
        )
    out.append("</tbody></table></article>")
    return "\n".join(out)


def _data_rows(found: DataRows | None) -> list[str]:
    """The data rows an issue's scores were computed from, as a table (or a note that it has none)."""
    e = escape
    if found is None:
        return ["<p>No data: every criterion is a recorded judgement.</p>"]
    out = [
        f'<p class="rows">Data rows from <code>{e(found.file)}</code>:</p><div class="wide data"><table><thead><tr>'
        '<th class="num">Row</th>',
        "".join(f'<th title="column {e(c)}">{e(heading(c))}</th>' for c in found.columns) + "</tr></thead><tbody>",
    ]
    for line, cells in found.rows:
        shown = "".join(f"<td>{e(cell)}</td>" for cell in cells)
        out.append(f'<tr><td class="num">{line}</td>{shown}</tr>')
    return out + ["</tbody></table></div>"]


#: How a score was set, as the report words it.
HOW = {
    DATA: "from the data",
    NO_VALUE: "no value",
    JUDGEMENT: "judgement",
    OVERRIDE: "override",
    PENDING: "to be agreed (draft)",
}


def _details(row: Callable[[str], Any], source: str) -> list[tuple[str, object]]:
    """The audit behind one score, as (label, text) pairs: inputs and band, override, or rationale; ``row``
    gives a column of its audit row."""
    details: list[tuple[str, object]] = []
    if source in (DATA, NO_VALUE, OVERRIDE) and row("metric"):
        band, rule_score = row("band"), row("rule_score")
        details += [
            ("Inputs", row("inputs")),
            ("Rows", row("source_rows")),
            ("Working", row("calculation")),
            ("Band", f"{band} gives {rule_score}" if rule_score != "" else band),
        ]
    if source == OVERRIDE:
        details += [
            ("Override", f"{row('override_score')}: {row('override_reason')}"),
            ("Agreed by", row("agreed_by")),
        ]
    if source == JUDGEMENT:
        details += [("Rationale", row("rationale")), ("Evidence", row("evidence"))]
    if source == PENDING and row("rationale"):
        details += [("Needed", row("rationale"))]
    return details


def _linked(text: str, target: str, linked: bool) -> str:
    return f'<a href="{target}">{text}</a>' if linked else text


def _footer(provenance: Provenance, public_data: bool, audited: bool = True) -> str:
    """The provenance (when ``audited``) and the licence attribution (whenever the data are public)."""
    e = escape
    if not audited:
        return '<footer id="provenance">' + (f"<p>{OGL}</p>" if public_data else "") + "</footer>"
    files = "".join(
        f"<li>{e(d['name'])}: <code>{e(d['file'])}</code> ({plural(d['rows'], 'row')}), "
        f"SHA-256 <code>{e(d['sha256'])}</code></li>"
        for d in provenance.datasets
    )
    return (
        '<footer id="provenance">'
        f"<p>Generated {e(provenance.generated_at)} by cspscore {e(provenance.engine_version)} "
        f"({e(provenance.python_version)}). Rules <code>{e(provenance.rules_file)}</code>, "
        f"SHA-256 <code>{e(provenance.rules_sha256)}</code>.</p>"
        + (f"<ul>{files}</ul>" if files else "")
        + (f"<p>{OGL}</p>" if public_data else "")
        + "</footer>"
    )
