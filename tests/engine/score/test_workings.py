"""engine/score/workings.py: the audit's words for many cases at once, the same as for one."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from engine.pipeline import run
from engine.score import audit
from engine.score.workings import fixed_text
from tests.conftest import ROOT


@given(st.integers(-(10**15), 10**15), st.integers(0, 8))
def test_fixed_text_is_the_decimals_own_text(units: int, decimals: int):
    assert fixed_text(units, decimals) == format(Decimal(units).scaleb(-decimals), "f")


def test_the_audit_of_many_cases_is_the_audit_of_each_alone():
    result = run(ROOT / "rules" / "kent-districts-2024.yaml", areas="all")
    together = audit.audit_columns(result)
    for n, i in enumerate(together.cases[::7]):  # every 7th case, each on its own
        alone = audit.audit_columns(result, [i])
        for cid in result.outcomes:
            assert alone.row(cid, 0) == together.row(cid, n * 7)
