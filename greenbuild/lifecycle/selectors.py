"""Reading the baseline and the steps: the current baseline, R7–R14 side by side, waiting steps."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, pgettext

from greenbuild.lifecycle.choices import StepStatus
from greenbuild.lifecycle.models import Baseline, ProjectStep


def current_baseline(project: Any) -> Baseline | None:
    """The baseline in force: the highest locked version (None before the plan passes)."""
    return Baseline.objects.filter(project=project).select_related("locked_by").order_by("-version").first()


def project_steps(project: Any) -> list[ProjectStep]:
    """The project's steps in order, with their department, signer, items and documents (4 queries)."""
    return list(
        ProjectStep.objects.filter(project=project)
        .select_related("type", "type__department", "signed_by")
        .prefetch_related("items__guideline_item", "documents")
        .order_by("type__order", "pk")
    )


def waiting_steps(department: Any) -> list[ProjectStep]:
    """Open steps waiting for ``department``'s sign-off, the longest waiting first (1 query)."""
    return list(
        ProjectStep.objects.filter(type__department=department, status=StepStatus.OPEN)
        .select_related("project", "type")
        .order_by("opened_at", "pk")
    )


def waiting_days(step: ProjectStep) -> int | None:
    if step.opened_at is None:
        return None
    return (timezone.localdate() - timezone.localtime(step.opened_at).date()).days


# --- R7–R14: declared, baseline, achieved ----------------------------------------------------


@dataclass(frozen=True)
class SideBySide:
    requirement: str
    title: str
    declared: str
    baseline: str
    status: str  # the achieved check: pass / fail / unknown
    achieved: str  # the check's reason


def _dash(value: Any) -> str:
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _yes_no(value: Any) -> str:
    if value is None:
        return "—"
    return gettext("Yes") if value else gettext("No")


def _pct(value: Any) -> str:
    return "—" if value in (None, "") else "{}%".format(_dash(value))


def _star(value: Any) -> str:
    from greenbuild.projects.choices import StarLevel

    if not value:
        return "—"
    try:
        return str(StarLevel(value).label)
    except ValueError:
        return str(value)


def side_by_side(project: Any, checks: Any = None) -> list[SideBySide]:
    """R7–R14 for ``project``: what the application declared, what the baseline locked, and the
    achieved check (``scoring.figures.pilot_checks``, passed in when the caller has it)."""
    if checks is None:
        from greenbuild.scoring.figures import pilot_checks

        checks = pilot_checks(project)
    baseline = current_baseline(project)
    targets = baseline.targets if baseline else {}
    plan = (baseline.source_plan_version.data if baseline and baseline.source_plan_version_id else {}) or {}
    buildings = list(project.buildings.all())
    sep = pgettext("list separator", ", ")
    rates = targets.get("assembly_rate_pct_by_building") or {}
    project_bim = [s for s in ("design", "production", "construction") if getattr(project, "bim_" + s, False)]
    plan_bim = (plan.get("bim_plan") or {}).get("stages") or []
    smart = plan.get("smart_site_plan") or {}
    mode = project.organisation_mode
    stage_names = {
        "design": gettext("design"),
        "production": gettext("production"),
        "construction": gettext("construction"),
        "operation": gettext("operation"),
    }
    declared = {
        "R7": _star(project.target_star_level),
        "R8": _yes_no(project.standardised_design),
        "R9": sep.join("{} {}".format(b.name, _pct(b.target_assembly_rate_pct)) for b in buildings) or "—",
        "R10": _dash(project.waste_target_t_per_10k_m2),
        "R11": _pct(project.green_material_target_pct),
        "R12": sep.join(stage_names[s] for s in project_bim) or "—",
        "R13": _yes_no(bool((project.smart_site_measures or "").strip())),
        "R14": mode.name if mode else "—",
    }
    locked = {key: "—" for key in declared}
    if baseline:
        locked.update(
            {
                "R7": _star(targets.get("star_level")),
                "R9": sep.join(
                    "{} {}".format(b.name, _pct(rates.get(str(b.pk)))) for b in buildings if str(b.pk) in rates
                )
                or "—",
                "R10": _dash(targets.get("waste_t_per_10k_m2")),
                "R11": _pct(targets.get("green_material_pct")),
                "R12": sep.join(stage_names.get(s, s) for s in plan_bim) or "—",
                "R13": _yes_no(bool((smart.get("smart_site") or "").strip())) if smart else "—",
                "R14": _mode_name(plan.get("organisation_mode")),
            }
        )
    return [
        SideBySide(
            requirement=check.requirement,
            title=str(check.title),
            declared=declared.get(check.requirement, "—"),
            baseline=locked.get(check.requirement, "—"),
            status=str(check.status),
            achieved=str(check.reason or ""),
        )
        for check in checks
    ]


def _mode_name(code: Any) -> str:
    from greenbuild.reference.models import OrganisationMode

    if not code:
        return "—"
    mode = OrganisationMode.objects.filter(code=code).first()
    return mode.name if mode else str(code)
