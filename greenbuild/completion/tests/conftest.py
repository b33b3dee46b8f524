"""A confirmed pilot at completion: its completion scorecard filed (and reviewed), each building
assessed, waste, green materials and carbon computed — runs stored as the scoring app stores them."""

from __future__ import annotations

import pytest

from greenbuild.projects.models import Project
from greenbuild.scoring.models import ScoreRun


def store_run(project, actor, engine, result, *, building=None, scorecard=None, basis=""):
    return ScoreRun.objects.create(
        project=project,
        engine=engine,
        subject="test",
        scorecard=scorecard,
        building=building,
        basis=basis,
        edition="test",
        ruleset_version="1",
        engine_version="1",
        inputs={},
        result=result,
        headline="test",
        actor=actor,
    )


@pytest.fixture
def pilot(filed_project):
    return filed_project("confirmed", name="竣工试点")


@pytest.fixture
def completed(pilot, personas):
    """The pilot with a reviewed completion scorecard (two star) and every value meeting its baseline."""
    from greenbuild.lifecycle.selectors import current_baseline
    from greenbuild.scoring.tests.factories import file_scorecard

    file_scorecard(pilot, actor=personas["alice_owner"])
    scorecard = pilot.scorecards.get(stage="evaluation")
    bureau = personas["bureau"]
    targets = current_baseline(pilot).targets
    store_run(
        pilot, bureau, "gbt50378", {"level": "three_star", "stage": "evaluation"}, scorecard=scorecard, basis="accepted"
    )
    rates = targets.get("assembly_rate_pct_by_building") or {}
    for building in pilot.buildings.all():
        target = rates.get(str(building.pk)) or "50"
        store_run(
            pilot,
            bureau,
            "gbt51129",
            {"assembly_rate_pct": str(max(float(target), 50) + 5), "is_prefabricated": True},
            building=building,
        )
    waste = targets.get("waste_t_per_10k_m2") or "300"
    share = targets.get("green_material_pct") or "40"
    record_runs(pilot, bureau, waste=str(float(waste) - 20), share=str(float(share) + 5), carbon="420.5")
    Project.objects.filter(pk=pilot.pk).update(
        standardised_design=True,
        bim_design=True,
        bim_production=True,
        bim_construction=True,
        smart_site_measures="扬尘噪声在线监测",
        construction_robots="测量机器人",
    )
    pilot.refresh_from_db()
    return pilot


def record_runs(project, actor, *, waste=None, share=None, carbon=None):
    """Site records and the record engines' runs resting on them (current, not outdated)."""
    import datetime as dt

    from greenbuild.scoring.freshness import record_engine_inputs
    from greenbuild.scoring.models import MaterialLine, WasteRecord

    WasteRecord.objects.create(
        project=project, recorded_on=dt.date(2023, 6, 1), category="construction_waste", tonnes="100"
    )
    MaterialLine.objects.create(
        project=project,
        name="混凝土",
        item_type="concrete",
        group="main_structure_envelope",
        quantity="100",
        unit="m3",
        certified=True,
        carbon_material="concrete-c30",
        mass_t="240",
    )
    project = Project.objects.get(pk=project.pk)
    inputs = record_engine_inputs(project)
    for engine, key, value in (
        ("waste", "intensity_t_per_10k_m2", waste),
        ("green-materials", "green_material_ratio_pct", share),
        ("carbon", "total_kgco2e_per_m2", carbon),
    ):
        if value is not None:
            run = store_run(project, actor, engine, {key: value})
            ScoreRun.objects.filter(pk=run.pk).update(inputs=inputs[engine])
