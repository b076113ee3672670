"""``explain``: why did this issue score what it scored? A readable trace, criterion by criterion.

Written for an auditor who has never seen the rule file: it names the
assessment and scale, lists the data rows used (with any figures the source
published beside them), then for each criterion gives its own scale where it
has one, the inputs, the arithmetic, the band that matched, the judgement or
override with its reason, and ends with the total against the cutoff.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from functools import lru_cache

from engine.load.model import Band, DataCriterion, RuleSet, ScalePoint
from engine.numbers import number, plural
from engine.score.audit import AuditColumns, AuditRow, DataRows, audit_columns, data_rows_of, left_out
from engine.score.scoring import DATA, JUDGEMENT, NO_VALUE, OVERRIDE, PENDING, CriterionOutcome, Result
from engine.score.workings import derived_working
from engine.textwidth import fit_table, wrap_lines

WIDTH = 88
#: How many cases' audit and data rows are worked out at once when explaining many.
BLOCK_CASES = 2000


def find_issue(rules: RuleSet, wanted: str) -> str | None:
    """The id of the issue named ``wanted`` (its id, or its name ignoring case), or None."""
    if wanted in rules.issues:
        return wanted
    folded = wanted.strip().casefold()
    for issue in rules.issues.values():
        if issue.name.casefold() == folded or issue.id.casefold() == folded:
            return issue.id
    return None


def explain(result: Result, issue_id: str, area: str | None = None) -> str:
    """The full trace for one issue, as plain text ending in a newline."""
    return next(explain_cases(result, [result.case(issue_id, area)]))


def explain_cases(result: Result, cases: list[int], width: int | None = None) -> Iterator[str]:
    """The trace of each case in turn (an issue in an area), the audit worked out a block of cases at a time;
    every line at most ``width`` columns (None: the data table in full, the text wrapped at 88)."""
    for start in range(0, len(cases), BLOCK_CASES):
        block = cases[start : start + BLOCK_CASES]
        audit = audit_columns(result, block)
        data = data_rows_of(result, block)
        for n, i in enumerate(block):
            yield _trace(result, i, audit, n, data[n], width)


def _trace(result: Result, i: int, audit: AuditColumns, n: int, data: DataRows | None, width: int | None) -> str:
    """Case ``i``'s trace; it is the ``n``-th case of ``audit``, and ``data`` are its data rows; every line at most
    ``width`` columns (None: fields wrapped at 88, the rest as long as it is)."""
    limit = WIDTH if width is None else min(WIDTH, width)
    rules = result.rules
    issue = rules.issues[result.issue_ids[i]]
    a = rules.assessment
    out: list[str] = []
    total = number(result.total(i))
    draft = any(o.source[i] == PENDING for o in result.outcomes.values())
    if draft:
        out.append(f"Why {issue.name} scores {total} to {number(result.total_max(i))} so far (DRAFT)")
    else:
        out.append(f"Why {issue.name} scored {total}")
    out.append("=" * min(len(out[0]), limit))
    out.append(f"Assessment: {a.title}, {a.partnership}")
    period = f"Period: {a.period}" + (f" (compared with {a.previous_period})" if a.previous_period else "")
    area_name = result.area_of(i)
    out.append((f"Area: {area_name}. " if area_name else "") + period)
    out.append(f"Rules: {rules.display} (SHA-256 {rules.sha256[:16]}...)")
    out.append("Scale: " + _scale_text(rules.scale))
    out.append("")
    out.extend(_data_rows(result, i, data, width))

    for k, outcome in enumerate(result.outcomes.values(), start=1):
        out.extend(_criterion_trace(result, outcome, k, i, audit.row(outcome.criterion.id, n), limit))
        out.append("")

    for did, derived in rules.derived.items():
        working = "to be agreed (it reads scores still to be agreed)" if draft else derived_working(result, did, i)
        out.append(f"Derived: {derived.name}: {working}")
    if rules.derived:
        out.append("")
    out.append(f"Total: {total_working(result, i)}")
    out.append(verdict(result, i))
    return wrap_lines("\n".join(out) + "\n", width)


def _criterion_trace(
    result: Result, outcome: CriterionOutcome, n: int, i: int, row: AuditRow, width: int = WIDTH
) -> list[str]:
    """The ``n``-th criterion of case ``i``: its score, how it was reached, and the reasons recorded (``row`` is
    its audit row)."""
    if outcome.source[i] == PENDING:
        what = "missing data" if isinstance(outcome.criterion, DataCriterion) else "a judgement"
        out = [f"{n}. {outcome.criterion.name}: to be agreed ({what}; this assessment is a draft)"]
        if row["rationale"]:
            out.extend(_field(width, "Needed", str(row["rationale"])))
        return out
    final = result.score(outcome.criterion.id, i)
    source = outcome.source[i]
    criterion = outcome.criterion
    how = {
        DATA: "from the data",
        NO_VALUE: "from the data (no value)",
        JUDGEMENT: "by judgement",
        OVERRIDE: f"by override (the data rule gave {_rule_score_text(row)})",
    }[source]
    out = [f"{n}. {criterion.name}: {final} ({result.rules.meaning(final, criterion.id)}), {how}"]
    if criterion.scale and criterion.scale != result.rules.scale:
        out.extend(_field(width, "Scale", _scale_text(criterion.scale)))
    # Data, no value and override all come from a data criterion (an override replaces its data rule's score).
    if source in (DATA, NO_VALUE, OVERRIDE) and isinstance(criterion, DataCriterion):
        out.extend(_field(width, "Metric", f"{row['metric']} = {row['formula']}"))
        out.extend(_field(width, "Inputs", row["inputs"]))
        out.extend(_field(width, "Rows", row["source_rows"]))
        out.extend(_field(width, "Working", row["calculation"]))
        bands = _bands_text(criterion)
        matched = f"{row['band']} -> score {row['rule_score']}" if row["rule_score"] != "" else row["band"]
        out.extend(_field(width, "Band", f"{matched}   (bands: {bands})"))
    if source == OVERRIDE:
        out.extend(_field(width, "Override", f"{row['override_score']}. {row['override_reason']}"))
        out.extend(_field(width, "Agreed by", row["agreed_by"]))
    if source == JUDGEMENT:
        out.extend(_field(width, "Rationale", row["rationale"]))
        out.extend(_field(width, "Evidence", row["evidence"]))
    return out


def _bands_text(criterion: DataCriterion) -> str:
    """A criterion's bands and their scores: ``to 0 -> 0 | above 0 below 10 -> 1`` (worded once per band list)."""
    return _bands_words(criterion.bands)


@lru_cache(maxsize=256)
def _bands_words(bands: tuple[Band, ...]) -> str:
    return " | ".join(f"{b.label} -> {b.score}" for b in bands)


def _scale_text(scale: tuple[ScalePoint, ...]) -> str:
    """A scale in words: ``1 = Rare, 2 = Possible``."""
    return ", ".join(f"{p.score} = {p.meaning}" for p in scale)


def _rule_score_text(row: AuditRow) -> str:
    return "no value" if row["rule_score"] == "" else str(row["rule_score"])


def _field(width: int, label: str, text: object) -> list[str]:
    prefix = f"   {label + ':':<11}"
    shown = str(text)
    if shown and len(prefix) + len(shown) <= width and shown == shown.strip() and shown.isprintable():
        return [prefix + shown]  # what textwrap gives a line that fits, without its cost
    return textwrap.wrap(shown, width=width, initial_indent=prefix, subsequent_indent=" " * len(prefix)) or [
        prefix.rstrip()
    ]


def _data_rows(result: Result, i: int, found: DataRows | None, width: int | None = None) -> list[str]:
    if found is None:
        return ["Data: none; every criterion of this issue is a recorded judgement.", ""]
    table = [[line, *cells] for line, cells in found.rows]
    where = f"Data: {found.file}" + (f", area {result.area_of(i)}" if result.area_of(i) else "")
    lines = [where]
    drawn = fit_table(table, ["row", *found.columns], ["left"] * (len(found.columns) + 1), width, indent="   ")
    lines.extend("   " + line for line in drawn.text.splitlines())
    return lines + [""]


def _draft_verdict(result: Result, i: int) -> str:
    """A draft case: what its range of totals decides, and what it leaves to the scores to be agreed."""
    cutoff = number(result.rules.priority.cutoff)
    low, high = number(result.total(i)), number(result.total_max(i))
    if result.undecided is not None and result.undecided[i]:
        return (
            f"Cutoff: {cutoff} lies between {low} and {high}, so whether this issue is a priority depends on the "
            "scores still to be agreed (DRAFT)."
        )
    status = "IS" if result.priority[i] else "is NOT"
    return f"Cutoff: {cutoff}; whatever the scores still to be agreed, this issue {status} a priority (DRAFT)."


def total_working(result: Result, i: int) -> str:
    """How case ``i``'s total was reached, in words (also the issue page's, :mod:`engine.serve.trace`)."""
    if any(o.source[i] == PENDING for o in result.outcomes.values()):
        return (
            f"{number(result.total(i))} to {number(result.total_max(i))} (DRAFT: each score to be agreed taken at "
            "the bottom, then the top, of its scale)"
        )
    rules = result.rules
    scores = {cid: result.score(cid, i) for cid in result.outcomes}
    total = number(result.total(i))
    method = rules.total
    if method.method == "sum":
        return " + ".join(str(s) for s in scores.values()) + f" = {total} (sum of the criterion scores)"
    if method.method == "weighted_sum":
        parts = " + ".join(f"{number(method.weights[c])} x {s}" for c, s in scores.items())
        return f"{parts} = {total} (weighted sum)"
    assert method.expression is not None  # the loader requires an expression for this method
    held = {did: values.value(i) for did, values in result.derived.items() if did in method.expression.names}
    values = ", ".join(
        [f"{c} = {s}" for c, s in scores.items()]
        + [f"{did} = {'no value' if v is None else number(v)}" for did, v in held.items()]
    )
    return f"{method.expression.text} with {values} = {total}"


def verdict(result: Result, i: int) -> str:
    """Case ``i``'s total against the cutoff: priority or not, by how much, its rank and ties."""
    if any(o.source[i] == PENDING for o in result.outcomes.values()):
        return _draft_verdict(result, i)
    cutoff = number(result.rules.priority.cutoff)
    total = number(result.total(i))
    margin = result.margin(i)
    rank = int(result.rank[i])
    same_area = result.area_cases(i)  # its own area's cases only: explaining every case stays linear
    tied = [result.issue_ids[j] for j in same_area if j != i and result.rank[j] == rank]
    rank_text = f"Rank {rank} of {len(same_area)}" + (f" (tied with {', '.join(tied)})" if tied else "") + "."
    if result.priority[i]:
        gap = "exactly at the cutoff" if margin == 0 else f"{number(margin)} above the cutoff"
        return f"Cutoff: {total} >= {cutoff}, so this issue IS a priority ({gap}). {rank_text}"
    limited = left_out(result, i)
    if limited is not None:
        why = (
            f"it is tied at the limit, where the rules leave out every tied issue (ties: {limited.ties})"
            if limited.tied_with
            else f"at rank {limited.rank} it is beyond the limit"
        )
        return (
            f"Cutoff: {total} >= {cutoff}, but this issue is NOT a priority: the rules allow at most "
            f"{plural(limited.limit, 'priority', 'priorities')} and {why}. {rank_text}"
        )
    return (
        f"Cutoff: {total} < {cutoff}, so this issue is NOT a priority ({number(-margin)} below the cutoff). {rank_text}"
    )
