"""engine.score.scoring: judgements and overrides, totals, cutoff, ties, max_priorities, and invariants."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.score.scoring import JUDGEMENT, OVERRIDE, grouped_rank, limit_priorities
from tests.conftest import examples
from tests.helpers import edit, finals, run

RULES = "rules.yaml"
OVERRIDE_BLOCK = (
    "  burglary:\n    name: Burglary\n    overrides:\n      trend:\n        score: 5\n"
    "        reason: Burglaries of sheds rose sharply.\n        agreed_by: CSP board\n"
)


def test_override_replaces_the_rule_score_and_keeps_it_for_the_audit(project: Path):
    edit(project / RULES, "  burglary:\n    name: Burglary\n", OVERRIDE_BLOCK)
    result = run(project)
    i = result.issue_ids.index("burglary")
    outcome = result.outcomes["trend"]
    assert outcome.source[i] == OVERRIDE
    assert int(outcome.rule_score[i]) == 0 and int(outcome.final[i]) == 5
    assert result.outcomes["concern"].source[i] == JUDGEMENT


def test_totals_ranks_and_margins(project: Path):
    result = run(project)
    assert [result.issue_ids[i] for i in result.order()] == ["asb", "scams", "burglary"]
    assert [str(result.total(i)) for i in range(3)] == ["15", "6", "9"]
    assert [str(result.margin(i)) for i in range(3)] == ["5", "-4", "-1"]
    assert result.priority.tolist() == [True, False, False]


def test_cutoff_is_inclusive(project: Path):
    edit(project / RULES, "  cutoff: 10", "  cutoff: 9")
    assert run(project).priority.tolist() == [True, False, True]


def test_decimal_cutoff_and_weights_are_exact(project: Path):
    edit(
        project / RULES,
        "  method: sum\n",
        "  method: weighted_sum\n  weights:\n    concern: 0.1\n    trend: 0.2\n    volume: 0.3\n",
    )
    edit(project / RULES, "  cutoff: 10", "  cutoff: 3.0")
    result = run(project)
    # asb: 5 x 0.1 + 5 x 0.2 + 5 x 0.3 = 3.0 exactly (floats would give 2.9999999999999996)
    assert result.total(0) == Decimal("3.0") and result.priority[0]


def half_point_cutoff(project: Path, cutoff: str) -> None:
    """The mini project with a cutoff finer than its whole-number totals: asb totals 10 (concern 0), scams 11."""
    edit(project / RULES, "  cutoff: 10", f"  cutoff: {cutoff}")
    edit(project / RULES, "score: 5\n        rationale: Residents", "score: 0\n        rationale: Residents")
    edit(project / RULES, "      trend:\n        score: 3\n", "      trend:\n        score: 5\n")


@pytest.mark.parametrize(
    ("cutoff", "margins"),
    [("10.5", ["-0.5", "-4.5", "0.5"]), ("10.25", ["-0.25", "-4.25", "0.75"])],
)
def test_cutoff_with_more_decimal_places_than_the_totals(project: Path, cutoff: str, margins: list[str]):
    half_point_cutoff(project, cutoff)
    result = run(project)
    assert list(result.issue_ids) == ["asb", "burglary", "scams"]
    assert [result.total(i) for i in range(3)] == [10, 6, 11]
    assert result.priority.tolist() == [False, False, True]  # 10 < cutoff <= 11
    assert [str(result.margin(i)) for i in range(3)] == margins
    assert [result.issue_ids[i] for i in result.order()] == ["scams", "asb", "burglary"]


def test_expression_total(project: Path):
    edit(project / RULES, "  method: sum\n", "  method: expression\n  expression: concern * max(trend, volume)\n")
    result = run(project)
    assert [str(result.total(i)) for i in range(3)] == ["25", "9", "15"]


def test_competition_ranking_within_each_area():
    totals = np.array([28, 28, 26, 30, 26, 5, 9, 9])
    areas = np.array([0, 0, 0, 0, 0, 1, 1, 1])
    assert grouped_rank(totals, areas).tolist() == [2, 2, 4, 1, 4, 3, 1, 1]


def test_max_priorities_tie_rules_within_each_area():
    totals = np.array([30, 28, 28, 20, 10, 30, 28, 28, 20, 10])
    areas = np.repeat([0, 1], 5)
    reaches = totals >= 20
    limit = lambda n, ties: limit_priorities(reaches, totals, areas, [n, n], ties)[:5].tolist()
    assert limit(2, "include_all") == [True, True, True, False, False]
    assert limit(2, "exclude_all") == [True, False, False, False, False]
    assert limit(3, "exclude_all") == [True, True, True, False, False]
    assert limit(None, "include_all") == reaches[:5].tolist()
    both = limit_priorities(reaches, totals, areas, [2, 2], "exclude_all")
    assert both[5:].tolist() == [True, False, False, False, False]


def test_each_area_may_have_its_own_limit():
    totals = np.array([30, 28, 28, 20, 10, 30, 28, 28, 20, 10])
    areas = np.repeat([0, 1], 5)
    reaches = totals >= 20
    own = limit_priorities(reaches, totals, areas, [1, None], "include_all").tolist()
    assert own == [True, False, False, False, False, True, True, True, True, False]


scale = st.sampled_from([0, 1, 3, 5])


@settings(max_examples=examples(40), deadline=None)
@given(
    concern=st.lists(scale, min_size=3, max_size=3),
    weights=st.lists(st.decimals(min_value=0, max_value=10, places=2), min_size=3, max_size=3),
    cutoff=st.integers(0, 40),
)
def test_invariants_total_is_the_declared_combination_and_priority_iff_cutoff(
    tmp_path_factory, concern, weights, cutoff
):
    import shutil

    from tests.conftest import MINI

    root = tmp_path_factory.mktemp("p")
    shutil.copytree(MINI, root, dirs_exist_ok=True)
    text = (root / RULES).read_text()
    text = text.replace(
        "  method: sum\n",
        "  method: weighted_sum\n  weights:\n"
        + "".join(f"    {c}: {w}\n" for c, w in zip(["concern", "trend", "volume"], weights, strict=True)),
    )
    text = text.replace("  cutoff: 10", f"  cutoff: {cutoff}")
    for old, new in zip(
        [
            "score: 5\n        rationale: Residents",
            "score: 3\n        rationale: Raised",
            "score: 5\n        rationale: Trading",
        ],
        concern,
        strict=True,
    ):
        text = text.replace(old, f"score: {new}\n        rationale: {old.split('rationale: ')[1]}")
    (root / RULES).write_text(text)
    result = run(root)
    for i, issue in enumerate(result.issue_ids):
        scores = finals(result, "concern")[issue], finals(result, "trend")[issue], finals(result, "volume")[issue]
        expected = sum(Decimal(s) * w for s, w in zip(scores, weights, strict=True))
        assert result.total(i) == expected
        assert bool(result.priority[i]) == (expected >= cutoff)
        assert result.rank[i] == 1 + sum(result.total(j) > result.total(i) for j in range(3))


ZERO_BASES = (
    "Testshire,Anti-social behaviour,0,0,3\n"  # nothing then, nothing now
    "Testshire,Burglary residential,0,150,7\n"  # from nothing: a new problem
    "Testshire,Burglary business,,120,2\n"  # previous count blank
)


def _zero_base_project(project: Path, if_no_value: str) -> None:
    from tests.helpers import edit

    crime = project / "data" / "crime.csv"
    crime.write_text(crime.read_text().splitlines()[0] + "\n" + ZERO_BASES)
    edit(
        project / "rules.yaml",
        "    metric: percent_change\n",
        f"    metric: percent_change\n    if_no_value: {if_no_value}\n",
    )


def test_each_reason_for_no_value_scores_as_declared(project: Path):
    from tests.helpers import finals, run

    _zero_base_project(project, "{zero_to_zero: 0, zero_to_some: 5, missing: 1}")
    result = run(project)
    reasons = dict(zip(result.issue_ids, result.outcomes["trend"].metric.reason.tolist(), strict=True))
    assert reasons == {"asb": "zero_to_zero", "burglary": "missing", "scams": ""}  # scams has no data: judged
    trend = finals(result, "trend")
    assert trend["asb"] == 0 and trend["burglary"] == 1  # burglary's business row is blank: missing outweighs 0 -> 150


def test_a_reason_without_a_score_is_an_error_at_its_data_row(project: Path):
    from engine.errors import InputError
    from tests.helpers import run

    _zero_base_project(project, "{zero_to_zero: 0, zero_to_some: 5}")
    with pytest.raises(InputError) as caught:
        run(project)
    assert [str(p).splitlines()[0] for p in caught.value.problems] == [
        "data/crime.csv:4:3: previous: `trend` cannot be computed for issue `burglary`: "
        "a previous count is missing, so the percentage change is undefined"
    ]


def test_one_score_for_every_reason_still_works(project: Path):
    from tests.helpers import finals, run

    _zero_base_project(project, "3")
    trend = finals(run(project), "trend")
    assert trend["asb"] == 3 and trend["burglary"] == 3


def test_the_grid_varies_one_reasons_score(project: Path):
    from engine.whatif.grid import evaluate, resolve
    from tests.helpers import run

    _zero_base_project(project, "{zero_to_zero: 0, zero_to_some: 5, missing: 1}")
    result = run(project)
    parameter = resolve(result.rules, ("criteria", "trend", "if_no_value", "zero_to_zero"))
    evaluation = evaluate(result, [parameter], [[Decimal(0), Decimal(5)]])
    asb, burglary = result.case("asb"), result.case("burglary")
    assert evaluation.scores[:, asb, 1].tolist() == [0, 5]  # trend is the second criterion
    assert evaluation.scores[:, burglary, 1].tolist() == [1, 1]  # its reason is another one


def test_from_nothing_to_something_scores_its_own_outcome(project: Path):
    _zero_base_project(project, "{zero_to_zero: 0, zero_to_some: 5, missing: 1}")
    edit(project / "data" / "crime.csv", "Testshire,Burglary business,,120,2", "Testshire,Burglary business,0,120,2")
    result = run(project)
    assert result.outcomes["trend"].metric.reason[result.case("burglary")] == "zero_to_some"
    assert finals(result, "trend")["burglary"] == 5


def test_a_missing_measure_is_reported_at_its_blank_cell(tmp_path: Path):
    """A measure with no value and no if_no_value points at the cell to fill, not at the rule."""
    import shutil

    from engine.errors import InputError
    from tests.conftest import ROOT

    (tmp_path / "rules").mkdir()
    shutil.copytree(ROOT / "datasets" / "examples", tmp_path / "datasets" / "examples")
    text = (ROOT / "rules" / "examples" / "partner-indicator.yaml").read_text()
    text = text.replace("../../datasets", "../datasets")
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("if_no_value: 1")) + "\n"
    (tmp_path / "rules" / "r.yaml").write_text(text)
    with pytest.raises(InputError) as caught:
        run(tmp_path, "rules/r.yaml")
    (problem,) = caught.value.problems
    assert (problem.file.endswith("survey.csv"), problem.line, problem.path) == (True, 7, "pct_worried")
