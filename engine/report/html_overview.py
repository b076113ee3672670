"""The opening of an HTML report of several areas: every area at a glance, each linking to its own section.

Two parts, in the single-area report's style: a table of areas by issues holding each total, a priority marked
``*`` and in bold (the mark is text, so nothing depends on colour or weight), with each area's count of
priorities; then each area's priority
list in rank order with totals. Every area's name links to its section (``#area-...``, from
:func:`area_anchors`); nothing else is needed to move around the page, and it has no scripts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from engine.numbers import number, plural
from engine.report.htmltext import escape
from engine.score.audit import score_columns
from engine.score.scoring import Result

#: Styles the page of several areas adds to the single-area report's: the overview's compact table (headings
#: wrap between words; on a narrow screen the table scrolls sideways), and each area's section set off by a
#: double rule. In print an area's section follows on rather than forcing a new page (a forced break would leave
#: the end of the area before mostly blank); its heading is kept with what follows.
OVERVIEW_CSS = """
h4 { font-size: 0.95rem; margin: 1.1rem 0 0.3rem; }
table.overview { font-size: 0.85rem; }
table.overview td, table.overview th { padding: 0.2rem 0.35rem; }
table.overview th[scope=row] { white-space: nowrap; }
table.overview td.pri { font-weight: 700; }
dl.lists dt { font-weight: 600; margin-top: 0.5rem; } dl.lists dd { margin: 0 0 0 1.2rem; }
dl.lists ol { margin: 0.1rem 0; padding-left: 1.4rem; }
section.area { border-top: 3px double var(--ink); margin-top: 2.5rem; }
@media print { section.area > h2 { break-after: avoid; } dl.lists dt { break-after: avoid; } }
"""


def area_anchors(areas: Sequence[str | None]) -> list[str]:
    """Each area's section id: ``area-`` and its name in lower-case ASCII letters and digits joined by hyphens
    (``Ynys Môn`` -> ``area-ynys-mon``), made unique with ``-2``, ``-3`` ... when two names read alike."""
    taken: set[str] = set()
    out = []
    for area in areas:
        plain = unicodedata.normalize("NFKD", str(area or "")).encode("ascii", "ignore").decode("ascii")
        base = "area-" + ("-".join(re.findall(r"[a-z0-9]+", plain.lower())) or "unnamed")
        anchor, n = base, 1
        while anchor in taken:
            n += 1
            anchor = f"{base}-{n}"
        taken.add(anchor)
        out.append(anchor)
    return out


def overview(result: Result, anchors: list[str]) -> list[str]:
    """The overview sections: totals by area and issue, then each area's priority list."""
    e = escape
    rules = result.rules
    table = score_columns(result)
    columns = table.columns
    issues = list(rules.issues.values())
    place = {issue.id: k for k, issue in enumerate(issues)}
    cells: list[list[str]] = [[""] * len(issues) for _ in result.areas]
    chosen: list[list[str]] = [[] for _ in result.areas]
    for area, issue, total, priority in zip(
        table.area_of_row, columns["issue_id"], columns["total"], columns["priority"], strict=True
    ):
        if priority == "yes":
            cells[area][place[str(issue)]] = f'<td class="num pri">{e(str(total))}*</td>'
            chosen[area].append(f"<li>{e(rules.issues[str(issue)].name)} ({e(str(total))})</li>")
        else:
            cells[area][place[str(issue)]] = f'<td class="num">{e(str(total))}</td>'
    cutoff = e(number(rules.priority.cutoff))
    parts = [
        '<section id="overview">',
        "<h2>Every area at a glance</h2>",
        f"<p>Each issue's total in each area; <strong>*</strong> marks a priority there (a total of at least {cutoff}"
        + (
            f", at most {plural(rules.priority.max_priorities, 'priority', 'priorities')} an area"
            if rules.priority.max_priorities
            else ""
        )
        + "). An area's name leads to its scores and how each was reached.</p>",
        '<div class="wide"><table class="overview"><thead><tr><th>Area</th>',
        "".join(f'<th class="num">{e(issue.name)}</th>' for issue in issues) + '<th class="num">Priorities</th>',
        "</tr></thead><tbody>",
    ]
    for k, name in enumerate(result.areas):
        parts.append(
            f'<tr><th scope="row"><a href="#{anchors[k]}">{e(str(name))}</a></th>{"".join(cells[k])}'
            f'<td class="num">{len(chosen[k])}</td></tr>'
        )
    parts += ["</tbody></table></div>", "</section>"]
    parts += ['<section id="area-priorities">', "<h2>Each area's priorities</h2>", '<dl class="lists">']
    for k, name in enumerate(result.areas):
        count = f"{len(chosen[k])} of {plural(len(issues), 'issue')}"
        listed = f"<ol>{''.join(chosen[k])}</ol>" if chosen[k] else "<p>None.</p>"
        parts.append(f'<dt><a href="#{anchors[k]}">{e(str(name))}</a> ({count})</dt><dd>{listed}</dd>')
    return parts + ["</dl>", "</section>"]
