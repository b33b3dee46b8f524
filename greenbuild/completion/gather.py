"""Gather a pilot's achieved values at completion and its baseline targets, as JSON (decimal
strings, never floats) and as the pure module's dataclasses (``verdict.Achieved``, ``Targets``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext

from greenbuild.completion.verdict import Achieved, Targets
from greenbuild.core.errors import DomainError


def completion_scorecard(project: Any) -> Any:
    """The project's GB/T 50378 completion scorecard (竣工评价), or None."""
    from greenbuild.scoring.choices import Stage
    from greenbuild.scoring.models import Scorecard

    return Scorecard.objects.filter(project=project, stage=Stage.EVALUATION).first()


def require_completion_scorecard(project: Any) -> Any:
    scorecard = completion_scorecard(project)
    if scorecard is None:
        raise DomainError(
            gettext(
                "The project has no completion scorecard (GB/T 50378 completion evaluation): "
                "the owner files it on the standards page first."
            )
        )
    return scorecard


def _dec(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return str(number) if number.is_finite() else None


def star_of_scorecard(scorecard: Any) -> tuple[str | None, bool]:
    """(level, provisional): the latest reviewed run of the completion scorecard, else the latest
    claimed run labelled provisional."""
    from greenbuild.scoring.choices import Basis

    runs = scorecard.runs.order_by("-at", "-pk")
    accepted = runs.filter(basis=Basis.ACCEPTED).first()
    if accepted is not None:
        return accepted.result.get("level"), False
    claimed = runs.filter(basis=Basis.CLAIMED).first()
    if claimed is not None:
        return claimed.result.get("level"), True
    return None, True


def gather(project: Any, scorecard: Any) -> tuple[dict[str, Any], dict[str, Any], int | None, bool]:
    """(achieved, targets, baseline version, star provisional) as JSON for the evaluation row."""
    from greenbuild.lifecycle.selectors import current_baseline
    from greenbuild.scoring.figures import latest_building_runs
    from greenbuild.scoring.selectors import current_runs

    level, provisional = star_of_scorecard(scorecard)
    runs = current_runs(project)
    building_runs = latest_building_runs(project)
    buildings = list(project.buildings.all().order_by("pk"))

    def result(engine: str, key: str) -> str | None:
        run = runs.get(engine)
        if run is None or getattr(run, "outdated", False):
            return None
        return _dec(run.result.get(key))

    mode = project.organisation_mode
    code = mode.code if mode else None
    achieved = {
        "star_level": level,
        "assembly_rates": {
            b.name: _dec(building_runs[b.pk].result.get("assembly_rate_pct")) if b.pk in building_runs else None
            for b in buildings
        },
        "waste_intensity": result("waste", "intensity_t_per_10k_m2"),
        "green_material_share": result("green-materials", "green_material_ratio_pct"),
        "carbon_intensity": result("carbon", "total_kgco2e_per_m2"),
        "standardised_design": project.standardised_design,
        "bim_stages": [s for s in ("design", "production", "construction") if getattr(project, "bim_" + s, False)],
        "smart_site": bool((project.smart_site_measures or "").strip()),
        "intelligent_equipment": bool((project.construction_robots or "").strip()),
        "epc": None if code is None else code in ("epc", "epc-consulting"),
        "whole_process_consulting": None if code is None else code in ("whole-process-consulting", "epc-consulting"),
        "pipeline_separation": project.pipeline_separation,
        "prefabricated_decoration": project.prefabricated_decoration,
    }
    baseline = current_baseline(project)
    raw = (baseline.targets or {}) if baseline else {}
    rates = raw.get("assembly_rate_pct_by_building") or {}
    targets = {
        "star_level": raw.get("star_level") or None,
        "assembly_rates": {b.name: _dec(rates.get(str(b.pk))) for b in buildings if str(b.pk) in rates},
        "waste_intensity": _dec(raw.get("waste_t_per_10k_m2")),
        "green_material_share": _dec(raw.get("green_material_pct")),
        "carbon_intensity": _dec(raw.get("carbon_kgco2e_per_m2")),
    }
    return achieved, targets, (baseline.version if baseline else None), provisional


def _d(value: Any) -> Decimal | None:
    text = _dec(value)
    return None if text is None else Decimal(text)


def to_achieved(data: dict[str, Any]) -> Achieved:
    stages = data.get("bim_stages")
    return Achieved(
        star_level=data.get("star_level") or None,
        assembly_rates={str(k): _d(v) for k, v in (data.get("assembly_rates") or {}).items()},
        waste_intensity=_d(data.get("waste_intensity")),
        green_material_share=_d(data.get("green_material_share")),
        carbon_intensity=_d(data.get("carbon_intensity")),
        standardised_design=data.get("standardised_design"),
        bim_stages=None if stages is None else frozenset(stages),
        smart_site=data.get("smart_site"),
        intelligent_equipment=data.get("intelligent_equipment"),
        epc=data.get("epc"),
        whole_process_consulting=data.get("whole_process_consulting"),
        pipeline_separation=data.get("pipeline_separation"),
        prefabricated_decoration=data.get("prefabricated_decoration"),
    )


def to_targets(data: dict[str, Any]) -> Targets:
    return Targets(
        star_level=data.get("star_level") or None,
        assembly_rates={str(k): _d(v) for k, v in (data.get("assembly_rates") or {}).items()},
        waste_intensity=_d(data.get("waste_intensity")),
        green_material_share=_d(data.get("green_material_share")),
        carbon_intensity=_d(data.get("carbon_intensity")),
    )
