"""The report's chart of totals against the cutoff, as HTML and CSS bars (no SVG, no scripts).

One row per issue in rank order: the issue's full name (wrapping, never cut), a bar as long as its total, and the
total with its status ("28, priority") in a column of its own after the bar. The cutoff is a dashed line drawn
inside each bar's track, at the same place in every row, and labelled once above the first track; no text is
ever placed inside a track, so no label can cross the line. Priorities are solid bars, others hatched, and every
bar has an outline, so the chart reads in greyscale and prints even when the browser leaves out backgrounds.

The chart is text: it takes the page's font size (at least 11 px on a phone) and, below 40rem wide, each name
goes on its own line above its bar (:data:`CHART_CSS`).
"""

from __future__ import annotations

from engine.numbers import number
from engine.report.htmltext import escape
from engine.score.scoring import Result

CHART_CSS = """
.chart { break-inside: avoid; }
.chart ol { list-style: none; margin: 0.4rem 0; padding: 0; font-size: 0.9rem; line-height: 1.25; }
.chart li { display: grid; grid-template-columns: 15rem minmax(0, 1fr) 9.5rem; column-gap: 0.6rem;
  align-items: center; padding: 0.25rem 0; break-inside: avoid; }
.chart .name { overflow-wrap: break-word; text-align: right; }
.chart .track { position: relative; height: 1.15rem; }
.chart .bar { position: absolute; left: 0; top: 0; bottom: 0; border: 1px solid #111; background: #222;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.chart .not .bar { background: repeating-linear-gradient(45deg, #111 0 1.5px, #fff 1.5px 5px); }
.chart .cut { position: absolute; top: -0.3rem; bottom: -0.3rem; width: 4px; margin-left: -2px; background: #fff;
  border-left: 2px dashed #000; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.chart .value { white-space: nowrap; font-variant-numeric: tabular-nums; }
.chart li.scale { padding: 0; }
.chart .cutoff { position: absolute; bottom: 0.1rem; transform: translateX(-50%); white-space: nowrap;
  font-weight: 700; }
.chart li.scale .track { height: 1.3rem; }
@media (max-width: 40rem) {
  .chart li { grid-template-columns: minmax(0, 1fr) auto; row-gap: 0.3rem; }
  .chart .cut { top: -0.1rem; bottom: -0.1rem; }
  .chart .name { grid-column: 1 / -1; text-align: left; font-weight: 600; }
  .chart li.scale .name { display: none; }
}
"""


def chart(result: Result, cases: list[int], prefix: str = "") -> str:
    """The chart of ``cases``' totals (in the order given) against the cutoff, as a ``<figure>``."""
    e = escape
    rules = result.rules
    cutoff = rules.priority.cutoff
    totals = {i: result.total(i) for i in cases}
    # The scale runs from 0 to a little past the largest of the totals and the cutoff, so the cutoff's label
    # and the longest bar stay inside the track.
    top = float(max([*totals.values(), cutoff])) * 1.05
    top = top if top > 0 else 1.0
    at = lambda value: f"{max(0.0, min(100.0, 100 * float(value) / top)):.1f}%"
    cut = f'<span class="cut" style="left: {at(cutoff)}" aria-hidden="true"></span>'
    rows = [
        f'<figure class="chart" id="{prefix}chart-figure">',
        f'<ol aria-label="Total score of each issue against the cutoff of {e(number(cutoff))}">',
        '<li class="scale" aria-hidden="true"><span class="name"></span><span class="track">'
        f'<span class="cutoff" style="left: {at(cutoff)}">cutoff {e(number(cutoff))}</span></span></li>',
    ]
    for i in cases:
        status = "priority" if result.priority[i] else "not a priority"
        rows.append(
            f'<li class="{"priority" if result.priority[i] else "not"}">'
            f'<span class="name">{e(rules.issues[result.issue_ids[i]].name)}</span>'
            f'<span class="track"><span class="bar" style="width: {at(totals[i])}"></span>{cut}</span>'
            f'<span class="value"><strong>{e(number(totals[i]))}</strong>, {status}</span></li>'
        )
    rows += [
        "</ol>",
        "<figcaption>Solid bars are priorities; hatched bars are not. The dashed line is the cutoff of "
        f"{e(number(cutoff))}; each total is written after its bar.</figcaption>",
        "</figure>",
    ]
    return "\n".join(rows)
