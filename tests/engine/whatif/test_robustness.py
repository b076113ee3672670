"""engine.whatif.robustness: distance to flip, checked against direct re-scoring."""

from __future__ import annotations

from pathlib import Path

from engine.load.datasets import load_datasets
from engine.load.overlay import parse_set_option
from engine.load.rules import load_rules
from engine.score.scoring import score
from engine.whatif.robustness import distances
from tests.conftest import DEFAULT_RULES
from tests.criterion_scales import use_criterion_scales
from tests.helpers import edit
from tests.helpers import run as run_project


def run(*options):
    rules = load_rules(DEFAULT_RULES, [parse_set_option(o, n) for n, o in enumerate(options, start=1)])
    return score(rules, load_datasets(rules))


def test_distances_of_the_bundled_assessment():
    found = {d.issue_id: d for d in distances(run())}
    substance = found["substance_misuse"]
    assert substance.cutoff is not None and substance.score is not None
    assert substance.cutoff.describe() == "priority.cutoff 20 -> 25 (+5)"
    assert substance.score.describe() == "community_concern 5 -> 0 (3 steps)"
    assert substance.threshold is None  # no single boundary move takes 5 points off
    assert found["serious_acquisitive"].score is None


def test_each_flip_really_flips_and_nothing_nearer_does():
    result = run("priority.cutoff=24")  # substance misuse now sits exactly on the cutoff
    found = {d.issue_id: d for d in distances(result)}
    flip = found["substance_misuse"]
    assert flip.cutoff is not None and flip.threshold is not None
    assert flip.cutoff.describe() == "priority.cutoff 24 -> 25 (+1)"
    assert flip.threshold.describe() == "criteria.trend.bands[3].from 10 -> 12.9 (+2.9)"
    changed = run("priority.cutoff=24", "criteria.trend.bands[3].from=12.9")
    assert not changed.priority[changed.case("substance_misuse")]
    nearer = run("priority.cutoff=24", "criteria.trend.bands[3].from=12.8")
    assert nearer.priority[nearer.case("substance_misuse")]


def test_score_flips_step_along_the_criterion_scale(project: Path):
    use_criterion_scales(project)
    edit(project / "rules.yaml", "  cutoff: 10", "  cutoff: 12")  # asb (concern 4 on a 1-4 scale) sits on the cutoff
    result = run_project(project)
    found = {d.issue_id: d for d in distances(result)}
    asb = found["asb"]
    assert asb.priority and asb.score is not None
    assert asb.score.describe() == "concern 4 -> 3 (1 step)"
    assert found["scams"].score is None  # 8: trend 3 -> 5 and volume 1 -> 3 each add only 2
    edit(
        project / "rules.yaml",
        "        score: 4\n        rationale: Residents",
        "        score: 3\n        rationale: Residents",
    )
    again = run_project(project)
    assert not again.priority[again.case("asb")]


def test_score_steps_count_positions_on_the_criterion_scale(project: Path):
    use_criterion_scales(project)
    edit(project / "rules.yaml", "  cutoff: 10", "  cutoff: 12")
    edit(
        project / "rules.yaml",
        "        score: 3\n        rationale: Reports",
        "        score: 5\n        rationale: Reports",
    )
    found = {d.issue_id: d for d in distances(run_project(project))}
    scams = found["scams"]  # 4 + 5 + 1 = 10: only volume can still add the 2 points it needs
    assert not scams.priority and scams.score is not None
    assert scams.score.describe() == "volume 1 -> 3 (2 steps)"  # on volume's own 0-3 scale, 1 -> 2 -> 3
