"""engine.ingest.starter (`cspscore init`): a draft assessment for any partnership in Table C2."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from engine.errors import InputError
from engine.ingest.ons import read_table
from engine.ingest.reference import CSP_TABLE, LOOKUP, POPULATION, reference_table
from engine.ingest.starter import ISSUES, build_starter, find_partnership, performance_bands, write_starter
from engine.pipeline import run

from .helpers import KENT, needs_shared

TABLE = reference_table(CSP_TABLE)


def _first_with_population() -> dict[str, str]:
    """Per police force area in Table C2, its first partnership (by name) the census table gives a population."""
    from engine.ingest.ons import _csp_population

    people = _csp_population(reference_table(POPULATION), reference_table(LOOKUP))
    chosen: dict[str, str] = {}
    for row in sorted(read_table(TABLE).rows, key=lambda r: r["name"]):
        if row["code"].strip() in people:
            chosen.setdefault(row["force"], row["name"].strip())
    return chosen


def _started(tmp_path: Path, area: str, **options) -> Path:
    starter = build_starter(TABLE, area, reference_table(POPULATION), reference_table(LOOKUP), **options)
    write_starter(starter, tmp_path / "start", [])
    return tmp_path / "start" / "rules.yaml"


def test_a_partnership_is_found_by_name_loosely_or_by_code():
    assert find_partnership(TABLE, "dartford & gravesham").name == "Dartford and Gravesham"
    assert find_partnership(TABLE, "E22000144").name == "Sevenoaks"
    assert find_partnership(TABLE, "King's Lynn and West Norfolk").force == "Norfolk"
    with pytest.raises(InputError) as caught:
        find_partnership(TABLE, "Sevenoak")
    assert [str(p) for p in caught.value.problems] == [
        "AREA:1:1: no Community Safety Partnership `Sevenoak` in Table C2\n    hint: did you mean `Sevenoaks`?"
    ]


def test_a_starter_is_a_draft_listing_every_score_to_be_agreed(tmp_path: Path):
    result = run(_started(tmp_path, "Sevenoaks"))
    assert result.draft and len(result.issue_ids) == len(ISSUES)
    pending = {cid for _, cid in result.pending()}
    assert pending == {"community_concern", "trend", "harm", "partnership"}  # trend: no previous edition given
    burglary = result.case("burglary")
    assert (result.score("volume", burglary), result.score("performance", burglary)) == (3, 5)
    assert (result.total(burglary), result.total_max(burglary)) == (8, 28)
    assert bool(result.undecided[burglary]) and not result.priority.any()


def test_a_census_figure_of_a_merged_district_is_never_shared_out(tmp_path: Path):
    with pytest.raises(InputError) as caught:
        _started(tmp_path, "Wycombe")
    assert caught.value.problems[0].message.startswith("the Census 2021 table gives no population for Wycombe")
    result = run(_started(tmp_path, "Wycombe", population=171644))
    assert result.inputs.populations["Wycombe"] == 171644
    population = (tmp_path / "start" / "data" / "population.csv").read_text(encoding="utf-8")
    assert "Aylesbury Vale" not in population and "Chiltern" not in population  # Buckinghamshire's figure is not theirs


def test_performance_bands_are_the_force_areas_thirds():
    assert performance_bands(12).splitlines() == [
        "      - {from: 1, to: 4, score: 1}      # best third of 12",
        "      - {above: 4, to: 8, score: 3}",
        "      - {above: 8, score: 5}     # worst third",
    ]
    assert performance_bands(1).strip().startswith("- {from: 1, score: 1}")


def test_init_then_score_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    made = CliRunner().invoke(cli.main, ["init", "Dartford & Gravesham", "--out", "dg"])
    assert made.exit_code == 0, made.output
    assert made.output == (
        "Started a DRAFT assessment for Dartford and Gravesham (E22000352, Kent).\n"
        "Wrote dg/data/crime.csv, dg/data/population.csv, dg/data/provenance.json, dg/rules.yaml\n"
        "Next: cspscore score dg/rules.yaml\n"
    )
    assert CliRunner().invoke(cli.main, ["validate", "dg/rules.yaml"]).exit_code == 0
    scored = CliRunner().invoke(cli.main, ["score", "dg/rules.yaml", "--wide"])
    assert scored.exit_code == 0
    assert "DRAFT: 44 scores still to be agreed" in scored.output
    assert (
        "  harm: judgement to be agreed (agree the harm to victims and the community, with the evidence relied on): every issue"
        in scored.output
    )


@pytest.mark.slow
@pytest.mark.parametrize("force, area", sorted(_first_with_population().items()))
def test_init_scores_a_partnership_of_every_police_force_area(tmp_path: Path, force: str, area: str):
    result = run(_started(tmp_path, area))
    assert result.draft and result.rules.assessment.area == area
    assert all(result.total(i) <= result.total_max(i) for i in range(len(result.issue_ids)))


@pytest.mark.parametrize("area", ["Sevenoaks", "Vale of Glamorgan", "Westminster"])
def test_init_scores_a_sample_of_forces(tmp_path: Path, area: str):
    assert run(_started(tmp_path, area)).draft


@needs_shared
def test_police_files_add_anti_social_behaviour_with_its_trend(tmp_path: Path):
    from engine.ingest.starter import PoliceFiles

    police = PoliceFiles([KENT], "2024-03:2024-04", "2024-01:2024-02")
    result = run(_started(tmp_path, "Sevenoaks", police=police))
    asb = result.case("anti_social_behaviour")
    assert result.outcomes["trend"].metric.value(asb, 1) == Decimal("42.5")  # 127 -> 181 in Sevenoaks
    assert result.score("trend", asb) == 5 and result.draft
    assert (tmp_path / "start" / "data" / "police" / "series.csv").is_file()
