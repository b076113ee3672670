"""What the checks found, as text: reconcile, replay, lint and the officer's rule tests."""

from __future__ import annotations

from collections.abc import Sequence

from engine.checks.lint import Finding
from engine.checks.reconcile import Reconciliation, rows
from engine.checks.replay import Replay
from engine.checks.rule_tests import Outcome
from engine.csvfile import to_csv
from engine.jsontext import dumps
from engine.numbers import plural

RECONCILE_COLUMNS = ["line", "issue_id", "column", "published", "computed"]


def reconcile_text(found: Reconciliation, computed: str, fmt: str) -> str:
    """Every differing cell and the summary, as a table, CSV or JSON; ``computed`` names the rule file."""
    if fmt == "json":  # typed: schemas/output/reconcile.schema.json
        document = {
            "published": found.published_file,
            "agrees": found.agrees,
            "summary": found.summary(),
            "compared": found.compared,
            "differences": [
                {
                    "line": d.line,
                    "issue_id": d.issue_id,
                    "column": d.column,
                    "published": d.published,
                    "computed": d.computed,
                }
                for d in found.differences
            ],
        }
        return dumps(document) + "\n"
    table = rows(found)
    if fmt == "csv":
        return to_csv(table, RECONCILE_COLUMNS)
    from tabulate import tabulate

    out = f"Computed: {computed}\nPublished: {found.published_file}\n\n"
    if table:
        grid = tabulate(
            [list(r.values()) for r in table], headers=list(table[0]), tablefmt="simple", disable_numparse=True
        )
        out += grid + "\n\n"
    return out + found.summary() + "\n"


def replay_text(found: Replay) -> str:
    """Each recorded input's status, every difference, and the verdict."""
    out = [f"Replaying {found.record} (made {found.generated_at} by cspscore {found.engine_version})"]
    out += [f"  {role}: {file}: {status}" for role, file, status in found.inputs]
    out += [f"  differs: {difference}" for difference in found.differences]
    out.append(found.verdict)
    return "\n".join(out) + "\n"


def lint_text(display: str, findings: Sequence[Finding]) -> str:
    """Every finding, then how many there are."""
    count = len(findings)
    return "".join(f"{finding}\n" for finding in findings) + f"{display}: {plural(count, 'warning')}.\n"


def rule_tests_text(outcomes: Sequence[Outcome]) -> str:
    """PASS or FAIL per test (a failure with its line and both values), then the counts."""
    out = []
    for outcome in outcomes:
        mark = "PASS" if outcome.passed else "FAIL"
        out.append(f"{mark} {outcome.name}" + ("" if outcome.passed else f"\n     {outcome.where}: {outcome.detail}"))
    failed = sum(not o.passed for o in outcomes)
    out.append(f"{len(outcomes) - failed} passed, {failed} failed")
    return "\n".join(out) + "\n"
