"""Read a project's stored records and latest score runs into engine inputs and pilot figures."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy, pgettext

from greenbuild.projects.models import Project
from greenbuild.scoring.choices import Basis, Stage
from greenbuild.scoring.messages import lazy_render, lazy_requirement_title
from greenbuild.scoring.models import ScoreRun
from greenbuild.standards.messages import msg
from greenbuild.standards.pilot_checks import CheckStatus, PilotFigures, RequirementCheck, check_pilot


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
    """The GB/T 50378 run of record: the latest reviewed (accepted) run, completion before design.
    Claims nobody reviewed are never the result of record (issue 16 item 7); the pending claims are
    ``scoring.selectors.result_of_record(project).pending``."""
    for stage in (Stage.EVALUATION, Stage.PRE_EVALUATION):
        run = latest.get("gbt50378:{}:{}".format(stage, Basis.ACCEPTED))
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
    the caller has them already). Where a baseline is locked, R9–R11 compare the achieved values
    with it (``_against_baseline``); each reason says what it compares."""
    from greenbuild.lifecycle.selectors import current_baseline

    baseline = current_baseline(project)
    targets = (baseline.targets or {}) if baseline else {}
    if latest is None:  # the runs that still stand: none whose records are gone (item 6)
        from greenbuild.scoring.selectors import current_runs

        latest = current_runs(project)
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
        waste_target_t_per_10k_m2=(
            _decimal(targets.get("waste_t_per_10k_m2")) if baseline else project.waste_target_t_per_10k_m2
        ),
        waste_intensity_t_per_10k_m2=number(waste, "intensity_t_per_10k_m2"),
        green_material_share_pct=number(materials, "green_material_ratio_pct"),
        bim_stages=frozenset(bim),
        smart_site=bool(project.smart_site_measures.strip()),
        intelligent_equipment=bool(project.construction_robots.strip()),
        epc=(mode.code in ("epc", "epc-consulting")) if mode else None,
        whole_process_consulting=(mode.code in ("whole-process-consulting", "epc-consulting")) if mode else None,
    )
    checks = tuple(_in_user_language(check) for check in check_pilot(figures))
    checks = tuple(_against_baseline(check, baseline, figures, project, building_runs) for check in checks)
    return tuple(_labelled_if_outdated(check, waste, materials) for check in checks)


def _labelled_if_outdated(
    check: RequirementCheck, waste: ScoreRun | None, materials: ScoreRun | None
) -> RequirementCheck:
    """R10 and R11 read a result whose records changed since (``run.outdated``, set by
    ``selectors.current_runs``): the reason says it waits to be recomputed (SCO-05)."""
    run = {"R10": waste, "R11": materials}.get(check.requirement)
    if run is None or not getattr(run, "outdated", False):
        return check
    return dataclasses.replace(
        check, reason=_lazy_fmt(gettext_lazy("%(reason)s (waiting to be recomputed)"), reason=check.reason)
    )


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _join_reason(head: Any, tail: Any) -> str:
    return "{}{}{}".format(head, pgettext("reason joiner", ": "), tail)


_lazy_join = lazy(_join_reason, str)

NATIONAL_ASSEMBLY_MINIMUM_PCT = Decimal("50")  # GB/T 51129 §3.0.3


def _against_baseline(
    check: RequirementCheck, baseline: Any, figures: PilotFigures, project: Project, building_runs: dict[int, ScoreRun]
) -> RequirementCheck:
    """R9–R11 read the locked baseline (SCO-04): the reason starts with what is compared."""
    requirement = check.requirement
    if requirement not in ("R9", "R10", "R11"):
        return check
    version = baseline.version if baseline else None
    targets = (baseline.targets or {}) if baseline else {}
    if requirement == "R10":
        head = (
            _lazy_fmt(gettext_lazy("achieved vs the target of baseline version %(version)s"), version=version)
            if baseline
            else gettext_lazy("achieved vs the declared target")
        )
        intensity = figures.waste_intensity_t_per_10k_m2
        cap = _national_waste_cap(project, targets) if baseline and intensity is not None else None
        if cap is not None and intensity is not None and intensity > cap:
            # a target above the national cap is an approved exception, never a pass (REV-02)
            head = _lazy_fmt(
                gettext_lazy("achieved %(intensity)s t/10,000 m² is above the national target of %(cap)s t/10,000 m²"),
                intensity=_show(intensity),
                cap=_show(cap.quantize(Decimal("0.01"))),
            )
            code = msg(
                "pilot.baseline.r10.above_national_target",
                intensity=_show(intensity),
                cap=_show(cap.quantize(Decimal("0.01"))),
            )
            return dataclasses.replace(
                check, status=CheckStatus.FAIL, reason=_lazy_join(head, check.reason), message=code
            )
        return dataclasses.replace(check, reason=_lazy_join(head, check.reason))
    if requirement == "R11":
        target = _decimal(targets.get("green_material_pct"))
        share = figures.green_material_share_pct
        if target is None:
            return dataclasses.replace(
                check, reason=_lazy_join(gettext_lazy("achieved share vs the share before"), check.reason)
            )
        params = {"version": version, "share": _show(share), "target": _show(target)}
        if share is not None and share < target:
            head = _lazy_fmt(
                gettext_lazy("achieved %(share)s %% is below the target %(target)s %% of baseline version %(version)s"),
                **params,
            )
            code = msg("pilot.baseline.r11.below_target", **params)
            return dataclasses.replace(
                check, status=CheckStatus.FAIL, reason=_lazy_join(head, check.reason), message=code
            )
        head = (
            _lazy_fmt(
                gettext_lazy("achieved %(share)s %% meets the target %(target)s %% of baseline version %(version)s"),
                **params,
            )
            if share is not None
            else _lazy_fmt(gettext_lazy("target %(target)s %% of baseline version %(version)s"), **params)
        )
        return dataclasses.replace(check, reason=_lazy_join(head, check.reason))
    # R9: each building's achieved assembly rate vs its baseline target, and the national minimum
    rates = targets.get("assembly_rate_pct_by_building") or {}
    below = []
    for building in project.buildings.all():
        run = building_runs.get(building.pk)
        achieved = _decimal(run.result.get("assembly_rate_pct")) if run else None
        target = _decimal(rates.get(str(building.pk)))
        if achieved is not None and target is not None and achieved < target:
            below.append("{} {}% < {}%".format(building.name, _show(achieved), _show(target)))
    if baseline is None:
        head = _lazy_fmt(
            gettext_lazy("achieved vs the national minimum of %(minimum)s %%"), minimum=NATIONAL_ASSEMBLY_MINIMUM_PCT
        )
        return dataclasses.replace(check, reason=_lazy_join(head, check.reason))
    if below:
        head = _lazy_fmt(
            gettext_lazy("achieved below the targets of baseline version %(version)s: %(buildings)s"),
            version=version,
            buildings=pgettext("list separator", ", ").join(below),
        )
        code = msg("pilot.baseline.r9.below_target", version=version, buildings=", ".join(below))
        return dataclasses.replace(check, status=CheckStatus.FAIL, reason=_lazy_join(head, check.reason), message=code)
    head = _lazy_fmt(
        gettext_lazy(
            "achieved vs the targets of baseline version %(version)s and the national minimum of %(minimum)s %%"
        ),
        version=version,
        minimum=NATIONAL_ASSEMBLY_MINIMUM_PCT,
    )
    return dataclasses.replace(check, reason=_lazy_join(head, check.reason))


def _national_waste_cap(project: Project, targets: dict[str, Any]) -> Decimal:
    """R10's national target for the project, weighted by floor area with the baseline's assembly
    rates (the plan self-check's reading: ``plans.selfcheck.national_waste_target``)."""
    from greenbuild.plans.selfcheck import national_waste_target

    buildings = list(project.buildings.all()) if project.category.is_building else []
    rates = {str(k): _decimal(v) for k, v in (targets.get("assembly_rate_pct_by_building") or {}).items()}
    return national_waste_target(buildings, rates)


def _show(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return format(value.normalize(), "f")


def _format(template: Any, **params: Any) -> str:
    return str(template) % params


_lazy_fmt = lazy(_format, str)


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
