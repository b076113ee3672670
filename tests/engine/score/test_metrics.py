"""engine.score.metrics: every metric over whole columns, aggregation across categories, undefined values."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.score.scoring import DATA, NO_VALUE
from tests.helpers import edit, finals, run, with_measures

RULES = "rules.yaml"


def metric_values(result, criterion):
    outcome = result.outcomes[criterion]
    decimals = outcome.criterion.decimals
    return {i: outcome.metric.value(n, decimals) for n, i in enumerate(result.issue_ids)}


def test_percent_change_and_rate_summed_over_categories(project: Path):
    result = run(project)
    trend = metric_values(result, "trend")
    assert str(trend["asb"]) == "15.0"  # exactly at the 15 edge: scores 5
    assert str(trend["burglary"]) == "-10.0"  # (150 + 120) vs (200 + 100)
    assert trend["scams"] is None  # no data: a judgement
    assert finals(result, "trend") == {"asb": 5, "burglary": 0, "scams": 3}
    assert str(metric_values(result, "volume")["burglary"]) == "2.7"  # 270 / 100000 x 1000


def use_metric(project: Path, block: str) -> None:
    edit(project / RULES, "    metric: rate_per_1000\n    decimals: 1\n", block)


def test_county_position_worst_and_best(project: Path):
    use_metric(project, "    metric: county_position\n    decimals: 0\n    combine: worst\n")
    edit(project / RULES, "      - below: 1\n        score: 1\n      - from: 1\n", "      - from: 1\n")
    assert str(metric_values(run(project), "volume")["burglary"]) == "7"
    edit(project / RULES, "combine: worst", "combine: best")
    assert str(metric_values(run(project), "volume")["burglary"]) == "2"


def test_missing_county_position_is_undefined_and_if_no_value_scores_it(project: Path):
    use_metric(project, "    metric: county_position\n    decimals: 0\n    if_no_value: 1\n")
    edit(project / RULES, "      - below: 1\n        score: 1\n      - from: 1\n", "      - from: 1\n")
    edit(project / "data/crime.csv", "Burglary business,100,120,2", "Burglary business,100,120,")
    result = run(project)
    i = result.issue_ids.index("burglary")
    assert result.outcomes["volume"].source[i] == NO_VALUE
    assert finals(result, "volume")["burglary"] == 1
    assert result.outcomes["volume"].source[0] == DATA


def test_share_of_total(project: Path):
    use_metric(project, "    metric: share_of_total\n    total_category: Anti-social behaviour\n    decimals: 1\n")
    result = run(project)
    assert str(metric_values(result, "volume")["burglary"]) == "23.5"  # 270 / 1150 x 100 = 23.478...


def test_count(project: Path):
    use_metric(project, "    metric: count\n    decimals: 0\n")
    assert str(metric_values(run(project), "volume")["asb"]) == "1150"


def test_harm_weighted(project: Path):
    use_metric(
        project,
        "    metric: harm_weighted\n    decimals: 1\n    weights:\n      Anti-social behaviour: 0.5\n"
        "      Burglary residential: 2.25\n      Burglary business: 1\n",
    )
    values = metric_values(run(project), "volume")
    assert str(values["asb"]) == "575.0"
    assert str(values["burglary"]) == "457.5"  # 150 x 2.25 + 120 x 1


def test_expression_metric(project: Path):
    use_metric(
        project, "    metric: expression\n    expression: (current - previous) / population * 100000\n    decimals: 1\n"
    )
    values = metric_values(run(project), "volume")
    assert str(values["asb"]) == "150.0" and str(values["burglary"]) == "-30.0"


def test_county_rank_is_computed_from_every_areas_own_rate(tmp_path: Path, monkeypatch):
    import shutil

    from tests.conftest import ROOT

    root = tmp_path / "county"
    shutil.copytree(ROOT / "tests" / "corpus" / "county", root)
    monkeypatch.chdir(root)
    result = run(root)
    # Burglary per 1,000: Beckton 2.0, Dunmore 2.0, Carrow 2.1, Ashdown 3.3; vehicle: Carrow 0.45, Dunmore 0.91, ...
    assert {k: str(v) for k, v in metric_values(result, "performance").items()} == {"burglary": "4", "vehicle": "3"}
    # A change in another district's data changes Ashdown's position.
    edit(root / "data/crime.csv", "Carrow,Burglary,400,420", "Carrow,Burglary,400,900")
    assert str(metric_values(run(root), "performance")["burglary"]) == "3"


def test_all_areas_scored_in_one_pass(tmp_path: Path):
    import shutil

    from engine.load.datasets import load_datasets
    from engine.load.rules import load_rules
    from engine.score.scoring import score
    from tests.conftest import ROOT

    root = tmp_path / "county"
    shutil.copytree(ROOT / "tests" / "corpus" / "county", root)
    rules = load_rules(root / "rules.yaml")
    result = score(rules, load_datasets(rules), ["Ashdown", "Beckton", "Carrow", "Dunmore"])
    assert result.areas == ("Ashdown", "Beckton", "Carrow", "Dunmore")
    ranks = result.outcomes["performance"].metric.units.tolist()
    assert ranks == [4, 3, 1, 4, 3, 1, 1, 2]
    assert result.rank.tolist() == [1, 2, 2, 1, 1, 2, 2, 1]  # within each area


RANKED = ["Ashdown", "Beckton", "Carrow", "Dunmore"]


def _burglary_positions(tmp_path: Path, rank: str, decimals: int = 0, population: str | None = None) -> dict:
    """Each district's county_rank for burglary (per 1,000: Ashdown 3.3, Beckton 2.0, Carrow 2.1, Dunmore 2.0)."""
    import shutil

    from engine.pipeline import run as score_rules
    from tests.conftest import ROOT

    root = tmp_path / "county"
    shutil.copytree(ROOT / "tests" / "corpus" / "county", root)
    edit(
        root / "rules.yaml",
        "    metric: county_rank\n    decimals: 0\n",
        f"    metric: county_rank\n    rank: {rank}\n    decimals: {decimals}\n",
    )
    edit(root / "rules.yaml", "        to: 2\n", "        below: 3\n")  # bands that also cover half positions
    if population is not None:
        (root / "data" / "population.csv").write_text(population)
    result = score_rules(root / "rules.yaml", areas=RANKED)
    values = result.outcomes["performance"].metric
    return {area: str(values.value(result.case("burglary", area), decimals)) for area in RANKED}


@pytest.mark.parametrize(
    ("rank", "decimals", "expected"),
    [
        ("{}", 0, {"Ashdown": "4", "Beckton": "1", "Carrow": "3", "Dunmore": "1"}),
        ("{ties: min}", 0, {"Ashdown": "4", "Beckton": "1", "Carrow": "3", "Dunmore": "1"}),
        ("{ties: average}", 1, {"Ashdown": "4.0", "Beckton": "1.5", "Carrow": "3.0", "Dunmore": "1.5"}),
        ("{ties: max}", 0, {"Ashdown": "4", "Beckton": "2", "Carrow": "3", "Dunmore": "2"}),
        ("{ties: dense}", 0, {"Ashdown": "3", "Beckton": "1", "Carrow": "2", "Dunmore": "1"}),
        ("{order: highest_first}", 0, {"Ashdown": "1", "Beckton": "3", "Carrow": "2", "Dunmore": "3"}),
        ("{order: highest_first, ties: max}", 0, {"Ashdown": "1", "Beckton": "4", "Carrow": "2", "Dunmore": "4"}),
        # An average of two positions, at 0 places, rounds half away from zero: 1.5 -> 2.
        ("{ties: average}", 0, {"Ashdown": "4", "Beckton": "2", "Carrow": "3", "Dunmore": "2"}),
    ],
)
def test_county_rank_tie_methods_and_order(tmp_path: Path, rank, decimals, expected):
    assert _burglary_positions(tmp_path, rank, decimals) == expected


def test_county_rank_among_a_group_compares_only_that_group(tmp_path: Path):
    population = (
        "area,population,group_county\n"
        "Ashdown,100000,North\nBeckton,50000,North\nCarrow,200000,South\nDunmore,100000,South\n"
    )
    found = _burglary_positions(tmp_path, "{among: county}", population=population)
    assert found == {"Ashdown": "2", "Beckton": "1", "Carrow": "2", "Dunmore": "1"}


def test_the_audit_names_the_rank_rule_and_the_areas_compared(tmp_path: Path):
    from engine.pipeline import run as score_rules
    from engine.score.audit import audit_row

    _burglary_positions(
        tmp_path,
        "{ties: average, among: county}",
        1,
        population=(
            "area,population,group_county\n"
            "Ashdown,100000,North\nBeckton,50000,North\nCarrow,200000,South\nDunmore,100000,South\n"
        ),
    )
    result = score_rules(tmp_path / "county" / "rules.yaml", areas=RANKED)
    row = audit_row(result, result.outcomes["performance"], result.case("burglary", "Carrow"))
    assert "Dunmore 2" in row["inputs"] and "Ashdown" not in row["inputs"]


def test_poisson_z_bands_a_change_by_its_significance(project: Path):
    """ASB 1000 -> 1150 (+15 %, z = 4.58): significant; burglary 300 -> 270 (-10 %, z = -1.78): within chance."""
    edit(
        project / "rules.yaml",
        "    metric: percent_change\n    decimals: 1\n",
        "    metric: poisson_z\n    decimals: 2\n",
    )
    edit(project / "rules.yaml", "      - to: 0\n", "      - to: -1.96\n")
    edit(project / "rules.yaml", "      - above: 0\n        below: 15\n", "      - above: -1.96\n        below: 1.96\n")
    edit(project / "rules.yaml", "      - from: 15\n", "      - from: 1.96\n")
    result = run(project)
    values = {k: str(v) for k, v in metric_values(result, "trend").items()}
    assert values["asb"] == "4.58" and values["burglary"] == "-1.78"
    assert finals(result, "trend")["asb"] == 5 and finals(result, "trend")["burglary"] == 3


def test_expressions_can_require_a_significant_rise(project: Path):
    """'5 only if the rise is significant': a percentage that counts only when poisson_p < 0.05."""
    edit(
        project / "rules.yaml",
        "    metric: percent_change\n    decimals: 1\n",
        "    metric: expression\n"
        "    expression: where(poisson_p(previous, current) < 0.05, (current - previous) / previous * 100, 0)\n"
        "    decimals: 1\n",
    )
    result = run(project)
    values = {k: str(v) for k, v in metric_values(result, "trend").items()}
    assert values["asb"] == "15.0"  # 1000 -> 1150: significant, so the rise counts


def test_a_rate_measure_takes_the_worst_category_and_bands_exactly_at_an_edge(project: Path):
    with_measures(project, "    metric: measure\n    measure: pct_worried\n")
    edit(
        project / RULES,
        "        below: 5\n        score: 3\n      - from: 5\n",
        "        below: 25\n        score: 3\n      - from: 25\n",
    )
    result = run(project)
    values = metric_values(result, "volume")
    assert str(values["asb"]) == "25.0"  # 24.95 rounds half away from zero to 25.0: in the band from 25
    assert str(values["burglary"]) == "25.0"  # the worst of 25.0 and 18
    assert finals(result, "volume") == {"asb": 5, "burglary": 5, "scams": 1}
    edit(project / "data/crime.csv", ",24.95,", ",24.94,")
    assert str(metric_values(run(project), "volume")["asb"]) == "24.9"
    assert finals(run(project), "volume")["asb"] == 3


def test_a_count_measure_is_summed_over_categories(project: Path):
    with_measures(project, "    metric: measure\n    measure: fires\n")
    values = metric_values(run(project), "volume")
    assert str(values["burglary"]) == "2.3"  # 3.5 + -1.25 = 2.25, rounded half away from zero
    assert str(values["asb"]) == "12.0"


def test_a_missing_measure_value_scores_if_no_value(project: Path):
    with_measures(project, "    metric: measure\n    measure: pct_worried\n    if_no_value: {missing: 0}\n")
    edit(project / "data/crime.csv", ",18,", ",,")
    result = run(project)
    i = result.issue_ids.index("burglary")
    outcome = result.outcomes["volume"]
    assert outcome.source[i] == NO_VALUE and str(outcome.metric.reason[i]) == "missing"
    assert finals(result, "volume")["burglary"] == 0


def test_an_expression_reads_measures_combined_by_their_kind(project: Path):
    with_measures(project, "    metric: expression\n    expression: pct_worried + fires\n")
    result = run(project)
    values = metric_values(result, "volume")
    assert str(values["burglary"]) == "27.3"  # worst 25.0 + summed 2.25 = 27.25 -> 27.3
    edit(project / "data/crime.csv", ",-1.25\n", ",\n")
    edit(
        project / RULES,
        "    decimals: 1\n    bands:\n      - below: 1\n",
        "    decimals: 1\n    if_no_value: 0\n    bands:\n      - below: 1\n",
    )
    result = run(project)
    assert metric_values(result, "volume")["burglary"] is None  # a missing value: NaN, no value
    assert finals(result, "volume")["burglary"] == 0
