"""engine.checks.lint.priority_on_one_judgement: one step up or down the judgement's own criterion's scale."""

from __future__ import annotations

from pathlib import Path

from engine.checks.lint import lint
from tests.criterion_scales import use_criterion_scales
from tests.helpers import edit, run


def l010(project: Path) -> list[str]:
    return [str(f) for f in lint(run(project)) if f.id == "L010"]


def test_the_neighbouring_scores_are_those_of_the_criterion_scale(project: Path):
    use_criterion_scales(project)
    edit(project / "rules.yaml", "  cutoff: 10", "  cutoff: 12")  # asb: 4 + 5 + 3 = 12
    assert l010(project) == [
        "rules.yaml:78:16: warning: issues.asb.judgements.concern.score: `asb` is a priority only because this "
        "judgement is 4: 3 would change that [L010 priority-on-one-judgement]\n"
        "    hint: make sure the rationale and evidence carry the weight of the decision"
    ]


def test_a_step_up_may_reach_a_score_only_the_criterion_scale_has(project: Path):
    use_criterion_scales(project)
    edit(project / "rules.yaml", "  cutoff: 10", "  cutoff: 9")  # scams: 4 + 3 + 1 = 8, one short
    assert l010(project) == [
        "rules.yaml:99:16: warning: issues.scams.judgements.trend.score: `scams` is not a priority only because this "
        "judgement is 3: 5 would change that [L010 priority-on-one-judgement]\n"
        "    hint: make sure the rationale and evidence carry the weight of the decision",
        "rules.yaml:103:16: warning: issues.scams.judgements.volume.score: `scams` is not a priority only because this "
        "judgement is 1: 2 would change that [L010 priority-on-one-judgement]\n"
        "    hint: make sure the rationale and evidence carry the weight of the decision",
    ]
