"""Read a project's stored records and latest score runs into engine inputs and pilot figures."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from greenbuild.projects.models import Project
from greenbuild.scoring.choices import Basis, Stage
from greenbuild.scoring.messages import lazy_render, lazy_requirement_title
from greenbuild.scoring.models import ScoreRun
from greenbuild.standards.pilot_checks import PilotFigures, RequirementCheck, check_pilot


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def project_waste_inputs(project: Project) -> dict[str, Any] | None:
    records = list(project.waste_records.all())
    if not records or project.total_gfa_m2 is None:
        return None
    prefabricated = _prefabricated_share(project)
    inputs: dict[str, Any] = {
        "gross_floor_area_m2": _num(project.total_gfa_m2),
        "target_t_per_10k_m2": _num(project.waste_target_t_per_10k_m2),
        "records": [
            {
                "category": r.category,
                "tonnes": _num(r.tonnes),
                **({"recycled_tonnes": _num(r.recycled_tonnes)} if r.recycled_tonnes is not None else {}),
            }
            for r in records
        ],
    }
    if prefabricated is None:
        inputs["prefabricated"] = False
    else:
        inputs["prefabricated_floor_area_m2"] = _num(min(prefabricated, project.total_gfa_m2))
    if inputs["target_t_per_10k_m2"] is None:
        del inputs["target_t_per_10k_m2"]
    return inputs


def _prefabricated_share(project: Project) -> Decimal | None:
    """Floor area of the buildings whose latest GB/T 51129 run qualifies them as prefabricated (D11)."""
    latest = latest_building_runs(project)
    if not latest:
        return None
    return sum(
        (run.building.floor_area_m2 for run in latest.values() if run.result.get("is_prefabricated")), Decimal(0)
    )


def project_green_material_inputs(project: Project) -> dict[str, Any] | None:
    lines = list(project.material_lines.all())
    if not lines:
        return None
    return {
        "items": [
            {
                "name": line.name,
                "item_type": line.item_type or line.name,
                "category": line.group,
                "quantity": _num(line.quantity),
                "unit": line.unit,
                "certified": line.certified,
            }
            for line in lines
        ]
    }


def project_carbon_inputs(project: Project) -> dict[str, Any] | None:
    lines = [line for line in project.material_lines.all() if line.carbon_material]
    if not lines or project.total_gfa_m2 is None:
        return None
    materials = []
    for line in lines:
        row: dict[str, Any] = {"material": line.carbon_material, "name": line.name, "quantity": _num(line.quantity)}
        if line.mass_t is not None:
            row["mass_t"] = _num(line.mass_t)
        if line.distance_km is not None:
            row["distance_km"] = _num(line.distance_km)
        materials.append(row)
    return {
        "gross_floor_area_m2": _num(project.total_gfa_m2),
        "materials": materials,
        "construction_energy": [
            {"carrier": e.carrier, "quantity": _num(e.quantity)} for e in project.energy_records.all()
        ],
    }


def latest_runs(project: Project) -> dict[str, ScoreRun]:
    """The newest run of each project-wide engine and of each scorecard stage and basis."""
    latest: dict[str, ScoreRun] = {}
    for run in project.score_runs.select_related("building", "scorecard", "actor").order_by("-at", "-pk"):
        key = run.engine if run.scorecard_id is None and run.building_id is None else None
        if run.scorecard_id:
            key = "gbt50378:{}:{}".format(run.scorecard.stage, run.basis)
        if key and key not in latest:
            latest[key] = run
    return latest


def latest_building_runs(project: Project) -> dict[int, ScoreRun]:
    latest: dict[int, ScoreRun] = {}
    for run in project.score_runs.filter(building__isnull=False).select_related("building").order_by("-at", "-pk"):
        latest.setdefault(run.building_id, run)
    return latest


def star_level_run(latest: dict[str, ScoreRun]) -> ScoreRun | None:
    """The most authoritative GB/T 50378 run: completion before design, accepted before claimed."""
    for stage in (Stage.EVALUATION, Stage.PRE_EVALUATION):
        for basis in (Basis.ACCEPTED, Basis.CLAIMED):
            run = latest.get("gbt50378:{}:{}".format(stage, basis))
            if run is not None:
                return run
    return None


def _all_prefabricated(project: Project, building_runs: dict[int, ScoreRun]) -> bool | None:
    """R9: every single building qualifies; not yet known while any building is unassessed."""
    building_ids = [b.pk for b in project.buildings.all()]
    if not building_ids or any(pk not in building_runs for pk in building_ids):
        return None
    return all(building_runs[pk].result.get("is_prefabricated") for pk in building_ids)


def pilot_checks(
    project: Project,
    latest: dict[str, ScoreRun] | None = None,
    building_runs: dict[int, ScoreRun] | None = None,
) -> tuple[RequirementCheck, ...]:
    """R7–R14 for a project, from its declared facts and its latest score runs (pass them in when
    the caller has them already)."""
    latest = latest_runs(project) if latest is None else latest
    building_runs = latest_building_runs(project) if building_runs is None else building_runs
    star = star_level_run(latest)
    waste = latest.get("waste")
    materials = latest.get("green-materials")
    mode = project.organisation_mode
    bim = {stage for stage in ("design", "production", "construction") if getattr(project, "bim_" + stage)}

    def number(run: ScoreRun | None, key: str) -> Decimal | None:
        if run is None or run.result.get(key) is None:
            return None
        return Decimal(str(run.result[key]))

    figures = PilotFigures(
        star_level=star.result.get("level") if star else None,
        standardised_design=project.standardised_design,
        is_prefabricated=_all_prefabricated(project, building_runs),
        pipeline_separation=project.pipeline_separation,
        prefabricated_decoration=project.prefabricated_decoration,
        waste_target_t_per_10k_m2=project.waste_target_t_per_10k_m2,
        waste_intensity_t_per_10k_m2=number(waste, "intensity_t_per_10k_m2"),
        green_material_share_pct=number(materials, "green_material_ratio_pct"),
        bim_stages=frozenset(bim),
        smart_site=bool(project.smart_site_measures.strip()),
        intelligent_equipment=bool(project.construction_robots.strip()),
        epc=(mode.code in ("epc", "epc-consulting")) if mode else None,
        whole_process_consulting=(mode.code in ("whole-process-consulting", "epc-consulting")) if mode else None,
    )
    return tuple(_in_user_language(check) for check in check_pilot(figures))


def _in_user_language(check: RequirementCheck) -> RequirementCheck:
    """The check with its title and reason rendered in the language active when shown (the
    engine's are Chinese titles and English reasons); ``status`` and ``message`` stay as they are."""
    if check.message is None:
        return check
    return dataclasses.replace(
        check,
        title=lazy_requirement_title(check.requirement, check.title),
        reason=lazy_render(check.message, check.reason),
    )
