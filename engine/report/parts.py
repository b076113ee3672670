"""Which part of a report to write: the whole report, the part an officer pastes into the Strategic Assessment,
or the part an auditor checks.

- ``summary``: the priorities, the scoring table (Table 6) with the scale, the chart of totals against the cutoff
  (HTML) and the draft "Priority Ranking" text: nothing that needs editing out before pasting.
- ``audit``: how every score was reached (inputs, working, band, judgement rationale and evidence, override
  reason and who agreed it, the data rows) and the provenance of the rules and data.
- ``all``: both, the summary first (the default).

The HTML and Markdown reports honour it (``cspscore report --part``); each part names the other in its header so
a reader of one knows the other exists.
"""

from __future__ import annotations

PARTS = ("all", "summary", "audit")


def has_summary(part: str) -> bool:
    """Whether a report of ``part`` holds the paste-ready summary."""
    return part in ("all", "summary")


def has_audit(part: str) -> bool:
    """Whether a report of ``part`` holds the audit and provenance."""
    return part in ("all", "audit")


#: The line a partial report opens with, saying what it leaves out.
PART_NOTE = {
    "summary": "This is the summary: how each score was reached and the provenance are in the audit part "
    "(cspscore report --part audit).",
    "audit": "This is the audit: the priorities, scoring table and draft text are in the summary part "
    "(cspscore report --part summary).",
}
