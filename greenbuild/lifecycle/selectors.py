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
    return (
        Baseline.objects.filter(project=project)
        .select_related("locked_by", "change_request", "source_plan_version")
        .order_by("-version")
        .first()
    )


# --- the effect of a change request ------------------------------------------------------------


@dataclass(frozen=True)
class EffectRow:
    requirement: str
    title: str
    before: Any  # plans.selfcheck.CheckRow: the baseline in force
    after: Any  # the baseline with the change

    @property
    def changed(self) -> bool:
        return self.before.status != self.after.status

    @property
    def broken(self) -> bool:
        return self.after.failed and not self.before.failed


@dataclass(frozen=True)
class ChangeEffect:
    rows: list[EffectRow]
    failing_before: list[str]
    failing_after: list[str]
    error: str = ""  # the engine could not check the change (its reason)

    @property
    def broken(self) -> list[str]:
        """Requirements the change breaks (they passed or were unknown before)."""
        return [row.requirement for row in self.rows if row.broken]


def proposed_plan_data(change: Any) -> dict[str, Any]:
    """The plan as the baseline would hold it with ``change`` approved."""
    data = change.baseline.plan_data()
    data["targets"] = {**data["targets"], **(change.proposed_targets or {})}
    data["measures"] = {**data["measures"], **(change.proposed_measures or {})}
    return data


def change_effect(change: Any) -> ChangeEffect:
    """R7–R14 of the baseline the request would change, without and with the change, computed by
    the plan self-check (``plans.selfcheck.check_rows``: the pilot engine, R9 per building, R10
    with the area-weighted national cap)."""
    from greenbuild.plans.selfcheck import check_rows
    from greenbuild.standards.types import StandardsInputError

    project = change.project
    try:
        before = check_rows(project, change.baseline.plan_data())
        after = check_rows(project, proposed_plan_data(change))
    except StandardsInputError as error:
        return ChangeEffect([], [], [], error=str(error))
    by_requirement = {row.requirement: row for row in before}
    rows = [
        EffectRow(row.requirement, row.title, by_requirement[row.requirement], row)
        for row in after
        if row.requirement in by_requirement
    ]
    return ChangeEffect(
        rows=rows,
        failing_before=[row.requirement for row in before if row.failed],
        failing_after=[row.requirement for row in after if row.failed],
    )


def baseline_exceptions(baseline: Baseline | None) -> list[str]:
    """The requirements the baseline in force does not meet, approved as exceptions by the bureau
    (the project page flags them)."""
    if baseline is None or not baseline.change_request_id:
        return []
    return list(baseline.change_request.exception_requirements or [])


def work_started(project: Any) -> bool:
    """Work has started once the construction step is open (or signed), or site records exist:
    before that, nothing is achieved yet."""
    from greenbuild.lifecycle.choices import StepStatus

    if (
        ProjectStep.objects.filter(project=project, type__code="construction")
        .exclude(status=StepStatus.PENDING)
        .exists()
    ):
        return True
    return any(getattr(project, name).exists() for name in ("waste_records", "material_lines", "energy_records"))


def project_steps(project: Any) -> list[ProjectStep]:
    """The project's steps in order, with their department, signer, instrument, items and
    documents (4 queries)."""
    return list(
        ProjectStep.objects.filter(project=project)
        .select_related("type", "type__department", "signed_by", "instrument")
        .prefetch_related("items__guideline_item", "documents")
        .order_by("type__order", "pk")
    )


def waiting_steps(department: Any) -> list[ProjectStep]:
    """Open steps waiting for ``department``'s sign-off, the longest waiting first (1 query)."""
    return list(
        ProjectStep.objects.filter(type__department=department, status=StepStatus.OPEN, project__status="confirmed")
        .select_related("project", "type")
        .order_by("opened_at", "pk")
    )


def waiting_days(step: ProjectStep) -> int | None:
    if step.opened_at is None:
        return None
    return (timezone.localdate() - timezone.localtime(step.opened_at).date()).days


def waiting_days_since(since: Any) -> int | None:
    if since is None:
        return None
    return (timezone.localdate() - timezone.localtime(since).date()).days


def step_overdue_days() -> int:
    """An open step is overdue after this many days (the department's to-do's due date)."""
    from django.conf import settings

    return int(getattr(settings, "INBOX_DUE_DAYS", {}).get("lifecycle.step_to_sign", 10))


@dataclass(frozen=True)
class StepRow:
    step: ProjectStep
    waiting_days: int | None
    overdue: bool
    open_conditions: int


def step_overview(user: Any, *, show: str = "open", department: Any = None) -> list[StepRow]:
    """REV-11: every pilot's steps the user may see (the bureau: all), open ones (or overdue,
    returned, approved with conditions not yet all met, all), with how long each waits, the
    longest waiting first (1 query)."""
    import datetime as dt

    from django.db.models import Count, Q

    from greenbuild.lifecycle.choices import ConditionStatus

    days = step_overdue_days()
    steps = ProjectStep.objects.for_user(user, "view_internal").select_related(
        "project", "type", "type__department", "signed_by"
    )
    if show == "open":
        steps = steps.filter(status=StepStatus.OPEN)
    elif show == "overdue":
        steps = steps.filter(status=StepStatus.OPEN, opened_at__lt=timezone.now() - dt.timedelta(days=days))
    elif show == "returned":
        steps = steps.filter(status=StepStatus.RETURNED)
    elif show == "conditions":
        steps = steps.filter(status=StepStatus.APPROVED_WITH_CONDITIONS)
    else:
        steps = steps.exclude(status=StepStatus.PENDING)
    if show != "all":  # a withdrawn pilot's steps wait for nobody
        steps = steps.filter(project__status="confirmed")
    if department is not None:
        steps = steps.filter(type__department=department)
    steps = steps.annotate(
        open_conditions=Count("condition_rows", filter=~Q(condition_rows__status=ConditionStatus.CONFIRMED))
    )
    if show == "conditions":
        steps = steps.filter(open_conditions__gt=0)
    steps = steps.order_by("opened_at", "pk")[:500]
    rows = []
    for step in steps:
        since = step.opened_at if step.status == StepStatus.OPEN else step.signed_at
        waited = waiting_days_since(since)
        rows.append(
            StepRow(
                step=step,
                waiting_days=waited,
                overdue=step.status == StepStatus.OPEN and waited is not None and waited > days,
                open_conditions=step.open_conditions,
            )
        )
    return rows


def pending_change_requests(user: Any) -> list[Any]:
    """Baseline change requests waiting for the bureau, with how long (1 query)."""
    from greenbuild.lifecycle.choices import ChangeRequestStatus
    from greenbuild.lifecycle.models import BaselineChangeRequest

    pending = (
        BaselineChangeRequest.objects.for_user(user, "view_internal")
        .filter(status=ChangeRequestStatus.PENDING)
        .select_related("project", "requested_by")
        .order_by("requested_at", "pk")
    )
    return [(request, waiting_days_since(request.requested_at)) for request in pending]


# --- R7–R14: declared, baseline, achieved ----------------------------------------------------


@dataclass(frozen=True)
class SideBySide:
    requirement: str
    title: str
    declared: str
    baseline: str
    status: str  # the achieved check: pass / fail / unknown / not_started
    achieved: str  # the check's reason (what it compares)


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
    """R7–R14 for ``project``, three sources kept apart: what the application declared (申报值),
    what the baseline locked (基线) and what is achieved on site (实际达成: the check of
    ``scoring.figures.pilot_checks`` against the baseline, passed in when the caller has it;
    "not started" before work starts)."""
    if checks is None:
        from greenbuild.scoring.figures import pilot_checks

        checks = pilot_checks(project)
    started = work_started(project)
    baseline = current_baseline(project)
    targets = baseline.targets if baseline else {}
    plan = baseline.plan_data() if baseline else {}
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
                "R8": _yes_no(bool(str((plan.get("measures") or {}).get("D-01") or "").strip())),
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
            status=str(check.status) if started or check.status == "not_applicable" else "not_started",
            achieved=str(check.reason or "") if started else "",  # the badge says "not started"
        )
        for check in checks
    ]


def _mode_name(code: Any) -> str:
    from greenbuild.reference.models import OrganisationMode

    if not code:
        return "—"
    mode = OrganisationMode.objects.filter(code=code).first()
    return mode.name if mode else str(code)
