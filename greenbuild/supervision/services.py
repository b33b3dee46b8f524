"""Every write of supervision (style.md §5): inspection plans and their daily scheduling, the
inspector pool, random draws (双随机) and third-party evaluations.

Bad input is refused with a :class:`DomainError` (or a ``ValidationError`` of the model) before
anything is saved: a ratio outside (0, 1], an empty population, a project outside the actor's
scope, a due date in the past.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbuild.accounts.choices import OrganisationKind, Role
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import set_history_user
from greenbuild.core.workflow import apply_move
from greenbuild.supervision import draw as draw_algorithm
from greenbuild.supervision.choices import DrawKind, EvaluationStatus, PlanStatus, Severity
from greenbuild.supervision.models import (
    Draw,
    Evaluation,
    EvaluationRecommendation,
    EvaluationScore,
    InspectionPlan,
    InspectorPoolMember,
)
from greenbuild.supervision.permissions import (
    can,
    is_supervisor,
    may_supervise_district,
)
from greenbuild.supervision.workflow import DRAW_WORKFLOW, EVALUATION_WORKFLOW, PLAN_WORKFLOW

logger = logging.getLogger(__name__)

#: a plan's inspection is scheduled this many days before it is due (the daily job)
PLAN_LEAD_DAYS = 7
#: the finding source the inspections app records for a third-party evaluation's recommendation
FINDING_SOURCE = "evaluation"


# --- shared checks ----------------------------------------------------------------------------


def _not_past(day: dt.date | None, field: str) -> None:
    if day is not None and day < timezone.localdate():
        raise DomainError(
            _("The date {date} is in the past: choose today or a later day.").format(date=day), field=field
        )


def _confirmed_pilot(project: Any) -> None:
    from greenbuild.projects.choices import ProjectStatus

    if project.status != ProjectStatus.CONFIRMED:
        raise DomainError(_("Only confirmed pilots are supervised."), field="project")


def _in_scope(actor: Any, project: Any) -> None:
    if not may_supervise_district(actor, project.district_id):
        raise DomainError(_("This project is outside your district: you cannot plan its inspections."), field="project")


def _check_inspectors(inspectors: Sequence[Any], district_id: int | None) -> None:
    if not inspectors:
        raise DomainError(_("Name at least one inspector."), field="inspectors")
    pool = set(_pool_for(district_id).filter(user__in=inspectors).values_list("user_id", flat=True))
    outside = [str(user) for user in inspectors if user.pk not in pool]
    if outside:
        raise DomainError(
            _("Not in the active inspector pool for this district: {names}.").format(names=", ".join(outside)),
            field="inspectors",
        )


def _pool_for(district_id: int | None) -> Any:
    """The active pool for a district (its members and the city-wide ones), or for a city-wide
    draw (the city-wide members only: a district's staff inspects in their district)."""
    from django.db.models import Q

    pool = InspectorPoolMember.objects.filter(active=True, user__is_active=True)
    if district_id is not None:
        return pool.filter(Q(district_id=district_id) | Q(district__isnull=True))
    return pool.filter(district__isnull=True)


# --- inspection plans -------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    actor: Any,
    project: Any,
    step_type: Any,
    interval_days: int,
    inspectors: Sequence[Any],
    next_due: dt.date,
    ends_on: dt.date | None = None,
    notes: str = "",
) -> InspectionPlan:
    """Plan regular inspections of ``project`` during ``step_type``: every ``interval_days``
    from ``next_due`` (today or later), by ``inspectors`` (active pool members)."""
    if not is_supervisor(actor):
        raise ActionForbidden()
    _in_scope(actor, project)
    _confirmed_pilot(project)
    _not_past(next_due, "next_due")
    if ends_on is not None and ends_on < next_due:
        raise DomainError(_("The plan cannot end before its first inspection."), field="ends_on")
    _check_inspectors(inspectors, project.district_id)
    plan = InspectionPlan(
        project=project,
        step_type=step_type,
        interval_days=interval_days,
        next_due=next_due,
        ends_on=ends_on,
        notes=notes,
        created_by=actor,
    )
    plan.full_clean(exclude=["inspectors"])
    set_history_user(plan, actor)
    plan.save()
    plan.inspectors.set(inspectors)
    return plan


@transaction.atomic
def update_plan(
    *,
    actor: Any,
    plan_id: int,
    interval_days: int,
    inspectors: Sequence[Any],
    next_due: dt.date,
    ends_on: dt.date | None = None,
    notes: str = "",
) -> InspectionPlan:
    plan: InspectionPlan = InspectionPlan.objects.select_for_update().select_related("project").get(pk=plan_id)
    if not can(actor, "change", plan):
        raise ActionForbidden()
    if plan.status == PlanStatus.ENDED:
        raise DomainError(_("An ended plan is not changed: make a new one."))
    if next_due != plan.next_due:
        _not_past(next_due, "next_due")
    if ends_on is not None and ends_on < next_due:
        raise DomainError(_("The plan cannot end before its first inspection."), field="ends_on")
    _check_inspectors(inspectors, plan.project.district_id)
    changed = (plan.interval_days, plan.next_due, plan.ends_on, plan.notes) != (interval_days, next_due, ends_on, notes)
    if changed:
        plan.interval_days, plan.next_due, plan.ends_on, plan.notes = interval_days, next_due, ends_on, notes
        plan.full_clean(exclude=["inspectors"])
        set_history_user(plan, actor)
        plan.save()
    if set(plan.inspectors.values_list("pk", flat=True)) != {u.pk for u in inspectors}:
        set_history_user(plan, actor)
        plan.inspectors.set(inspectors)
    return plan


def move_plan(*, actor: Any, plan_id: int, action: str, comment: str = "") -> Any:
    """Pause, resume or end a plan (the workflow table)."""
    return apply_move(workflow=PLAN_WORKFLOW, actor=actor, obj_or_pk=plan_id, action=action, comment=comment)


def schedule_due_plan_inspections(*, today: dt.date | None = None) -> int:
    """The daily job: for each active plan due within :data:`PLAN_LEAD_DAYS` days, schedule its
    inspection through the inspections app and move ``next_due`` on by the interval. Inspectors
    take turns in the order of their ids (the n-th inspection: the ``n mod m``-th inspector).
    A plan past its end date ends. Returns the number of inspections scheduled."""
    from greenbuild.inspections.services import schedule_inspection

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=PLAN_LEAD_DAYS)
    count = 0
    for plan_id in InspectionPlan.objects.filter(status=PlanStatus.ACTIVE, next_due__lte=horizon).values_list(
        "pk", flat=True
    ):
        try:
            with transaction.atomic():
                plan = (
                    InspectionPlan.objects.select_for_update().select_related("project", "created_by").get(pk=plan_id)
                )
                if plan.status != PlanStatus.ACTIVE:
                    continue
                inspectors = list(plan.inspectors.filter(is_active=True).order_by("pk"))
                while plan.next_due <= horizon and (plan.ends_on is None or plan.next_due <= plan.ends_on):
                    if not inspectors:
                        break
                    inspector = inspectors[plan.scheduled_count % len(inspectors)]
                    schedule_inspection(
                        project=plan.project,
                        inspector=inspector,
                        due_on=max(plan.next_due, today),
                        actor=plan.created_by,
                        reason=str(_("Regular inspection plan")),
                        plan=plan,
                    )
                    plan.scheduled_count += 1
                    plan.next_due += dt.timedelta(days=plan.interval_days)
                    count += 1
                set_history_user(plan, plan.created_by)
                plan.save(update_fields=["next_due", "scheduled_count"])
        except DomainError as error:  # one plan's refusal (e.g. the project left the programme) stops only it
            logger.warning("inspection plan %s: not scheduled: %s", plan_id, error)
    return count


# --- the inspector pool -----------------------------------------------------------------------


@transaction.atomic
def add_pool_member(*, actor: Any, user: Any, district: Any = None) -> InspectorPoolMember:
    """Put ``user`` (bureau or district staff) in the pool, city-wide or for ``district``."""
    district_id = district.pk if district is not None else None
    if not may_supervise_district(actor, district_id):
        raise ActionForbidden()
    roles = {m.role for m in user.memberships.all()}
    if not user.is_active or not roles & {Role.BUREAU_ADMIN, Role.DISTRICT_OFFICIAL}:
        raise DomainError(_("Only active bureau and district staff can be inspectors."), field="user")
    # The pool entry's scope is the person's own: a member is drawn only for projects they may
    # inspect (``inspections.schedule_inspection`` refuses an inspector outside the project's
    # scope, so a wrong entry made draws fail at random and plans never schedule).
    if Role.BUREAU_ADMIN not in roles:
        if district_id is None:
            raise DomainError(
                _("A district official inspects in their own district: choose it, not the whole city."),
                field="district",
            )
        if district_id not in {m.district_id for m in user.memberships.all() if m.role == Role.DISTRICT_OFFICIAL}:
            raise DomainError(
                _("This person is an official of another district: they inspect only there."), field="district"
            )
    if InspectorPoolMember.objects.filter(user=user).exists():
        raise DomainError(_("This person is in the pool already."), field="user")
    member = InspectorPoolMember(user=user, district=district, added_by=actor)
    set_history_user(member, actor)
    member.save()
    return member


@transaction.atomic
def set_pool_member_active(*, actor: Any, member_id: int, active: bool) -> InspectorPoolMember:
    member: InspectorPoolMember = InspectorPoolMember.objects.select_for_update().get(pk=member_id)
    if not can(actor, "change", member):
        raise ActionForbidden()
    if member.active != active:
        member.active = active
        set_history_user(member, actor)
        member.save(update_fields=["active"])
    return member


# --- draws ------------------------------------------------------------------------------------


def parse_ratio(value: Any, field: str = "ratio") -> Decimal:
    """An exact decimal in (0, 1] with at most 4 decimal places; :class:`DomainError` otherwise."""
    try:
        ratio = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("The ratio must be a number greater than 0 and at most 1."), field=field) from None
    if not ratio.is_finite() or not Decimal(0) < ratio <= Decimal(1):
        raise DomainError(_("The ratio must be greater than 0 and at most 1."), field=field)
    if ratio != ratio.quantize(Decimal("0.0001")):
        raise DomainError(_("Give the ratio with at most 4 decimal places."), field=field)
    return ratio.quantize(Decimal("0.0001"))


def ratio_text(ratio: Decimal) -> str:
    """The ratio as written in the CLI command: ``0.3``, ``1``."""
    return format(ratio.normalize(), "f")


def confirmed_pilots(district_id: int | None) -> Any:
    from greenbuild.projects.choices import ProjectStatus
    from greenbuild.projects.models import Project

    projects = Project.objects.filter(status=ProjectStatus.CONFIRMED)
    if district_id is not None:
        projects = projects.filter(district_id=district_id)
    return projects


def _run(seed: str, ratio: Decimal, population: list[int], what: Any) -> list[int]:
    if not population:
        raise DomainError(_("There is nothing to draw from: the {what} population is empty.").format(what=what))
    try:
        result = draw_algorithm.draw(seed, ratio_text(ratio), population)
    except draw_algorithm.DrawError as error:
        raise DomainError(str(error)) from None
    return [int(i) for i in result.selected]


@transaction.atomic
def make_draw(
    *,
    actor: Any,
    title: str,
    kind: str,
    due_on: dt.date,
    district: Any = None,
    ratio: Any = None,
    inspector_ratio: Any = None,
    projects: Iterable[Any] = (),
    inspectors: Iterable[Any] = (),
) -> Draw:
    """Make a random draw now, with a fresh seed from the secure random source.

    Projects are drawn (kinds ``both`` and ``projects``) from the confirmed pilots in scope at
    ``ratio``; inspectors (kinds ``both`` and ``inspectors``) from the active pool in scope at
    ``inspector_ratio``. The side not drawn is named by the caller (``projects`` for an
    inspectors-only draw, ``inspectors`` for a projects-only draw). The record is stored
    immutably and each selected project gets an inspection scheduled with its paired inspector
    (:meth:`Draw.pairs`)."""
    district_id = district.pk if district is not None else None
    if not may_supervise_district(actor, district_id):
        if is_supervisor(actor):
            raise DomainError(_("You draw within your own district: choose it."), field="district")
        raise ActionForbidden()
    if kind not in DrawKind.values:
        raise DomainError(_("Choose what to draw."), field="kind")
    if not (title or "").strip():
        raise DomainError(_("Give the draw a title."), field="title")
    _not_past(due_on, "due_on")
    draws_projects = kind in (DrawKind.BOTH, DrawKind.PROJECTS)
    draws_inspectors = kind in (DrawKind.BOTH, DrawKind.INSPECTORS)
    exact_ratio = parse_ratio(ratio, "ratio") if draws_projects else None
    exact_inspector_ratio = parse_ratio(inspector_ratio, "inspector_ratio") if draws_inspectors else None
    seed = draw_algorithm.new_seed()

    if draws_projects:
        project_population = sorted(confirmed_pilots(district_id).values_list("pk", flat=True))
        project_selected = _run(seed, cast(Decimal, exact_ratio), project_population, _("project"))
    else:
        project_population = []
        chosen = list(projects)
        if not chosen:
            raise DomainError(_("Name the projects the drawn inspectors inspect."), field="projects")
        allowed = set(confirmed_pilots(district_id).values_list("pk", flat=True))
        if any(p.pk not in allowed for p in chosen):
            raise DomainError(_("Only confirmed pilots in the draw's scope can be named."), field="projects")
        project_selected = sorted(p.pk for p in chosen)

    if draws_inspectors:
        inspector_population = sorted(_pool_for(district_id).values_list("user_id", flat=True))
        inspector_selected = _run(seed, cast(Decimal, exact_inspector_ratio), inspector_population, _("inspector"))
    else:
        inspector_population = []
        named = list(inspectors)
        _check_inspectors(named, district_id)
        inspector_selected = sorted(u.pk for u in named)

    record = Draw(
        title=title.strip(),
        kind=kind,
        district=district,
        ratio=exact_ratio,
        inspector_ratio=exact_inspector_ratio,
        seed=seed,
        project_population=project_population,
        project_selected=project_selected,
        inspector_population=inspector_population,
        inspector_selected=inspector_selected,
        due_on=due_on,
        drawn_by=actor,
    )
    record.full_clean()
    set_history_user(record, actor)
    record.save()
    _schedule_drawn_inspections(record, actor)
    return record


def _schedule_drawn_inspections(record: Draw, actor: Any) -> None:
    """Each selected project, inspected by its paired inspector, due on the draw's date."""
    from greenbuild.accounts.models import User
    from greenbuild.inspections.services import schedule_inspection
    from greenbuild.projects.models import Project

    pairs = record.pairs()
    projects = Project.objects.in_bulk([p for p, _i in pairs])
    users = User.objects.in_bulk([i for _p, i in pairs])
    for project_id, inspector_id in pairs:
        schedule_inspection(
            project=projects[project_id],
            inspector=users[inspector_id],
            due_on=record.due_on,
            actor=actor,
            reason=str(_("Random draw: {title}")).format(title=record.title),
            draw=record,
        )


def publish_draw(*, actor: Any, draw_id: int) -> Any:
    """Publish a draw: its record (population, ratio, seed, result) becomes public."""
    return apply_move(workflow=DRAW_WORKFLOW, actor=actor, obj_or_pk=draw_id, action="publish")


# --- third-party evaluations --------------------------------------------------------------------


@transaction.atomic
def assign_evaluation(
    *, actor: Any, project: Any, step_type: Any, evaluator: Any, scope: str, due_on: dt.date
) -> Evaluation:
    """The bureau commissions an evaluator organisation (委托第三方技术咨询评估) for a project and
    step. The organisation becomes the project's evaluator participant (the projects service)
    unless it is already."""
    from greenbuild.accounts.roles import is_bureau_admin
    from greenbuild.projects.choices import ParticipantRole
    from greenbuild.projects.services import assign_evaluator

    if not (actor.is_authenticated and actor.is_active and is_bureau_admin(actor)):
        raise ActionForbidden()
    if evaluator.kind != OrganisationKind.EVALUATOR:
        raise DomainError(_("Choose a third-party evaluation organisation."), field="evaluator")
    _confirmed_pilot(project)
    _not_past(due_on, "due_on")
    if not (scope or "").strip():
        raise DomainError(_("Say what the evaluator is to evaluate."), field="scope")
    if not project.participants.filter(organisation=evaluator, role=ParticipantRole.EVALUATOR).exists():
        assign_evaluator(actor=actor, project_id=project.pk, organisation=evaluator)
    evaluation = Evaluation(
        project=project, step_type=step_type, evaluator=evaluator, scope=scope.strip(), due_on=due_on, assigned_by=actor
    )
    evaluation.full_clean()
    set_history_user(evaluation, actor)
    evaluation.save()
    from greenbuild.supervision.events import notify_evaluation_assigned

    transaction.on_commit(lambda: notify_evaluation_assigned(evaluation.pk, actor.pk))
    return evaluation


@transaction.atomic
def file_evaluation_report(
    *,
    actor: Any,
    evaluation_id: int,
    summary: str,
    scores: Sequence[dict[str, Any]],
    recommendations: Sequence[dict[str, Any]],
) -> Evaluation:
    """The evaluator files the structured report: ``scores`` (``aspect``, ``score`` 0–100,
    ``comment``) and ``recommendations`` (``text``, ``demands_action``, ``severity``, ``clause``).
    A returned report is filed again with its new content (the old one stays in the history)."""
    evaluation: Evaluation = Evaluation.objects.select_for_update().select_related("project").get(pk=evaluation_id)
    if not can(actor, "view", evaluation) or not can(actor, "file", evaluation):
        raise ActionForbidden()
    if evaluation.status not in (EvaluationStatus.ASSIGNED, EvaluationStatus.RETURNED):
        raise DomainError(_("This report has been filed already."))
    if not (summary or "").strip():
        raise DomainError(_("Write the summary of the report."), field="summary")
    if not scores:
        raise DomainError(_("Give at least one score."), field="scores")
    rows = []
    for row in scores:
        try:
            score = Decimal(str(row["score"]))
        except (InvalidOperation, KeyError):
            raise DomainError(_("A score is a number from 0 to 100."), field="scores") from None
        if not score.is_finite() or not Decimal(0) <= score <= Decimal(100) or not str(row.get("aspect", "")).strip():
            raise DomainError(_("Each score names its aspect and is a number from 0 to 100."), field="scores")
        rows.append(
            EvaluationScore(
                aspect=str(row["aspect"]).strip()[:100],
                score=score.quantize(Decimal("0.1")),
                comment=str(row.get("comment", "")),
            )
        )
    recs = []
    for number, row in enumerate(recommendations, start=1):
        text = str(row.get("text", "")).strip()
        severity = row.get("severity") or Severity.MINOR
        if not text or severity not in Severity.values:
            raise DomainError(_("Each recommendation has its text and a severity."), field="recommendations")
        recs.append(
            EvaluationRecommendation(
                number=number,
                text=text,
                demands_action=bool(row.get("demands_action")),
                severity=severity,
                clause=str(row.get("clause", "")).strip()[:100],
            )
        )
    evaluation.scores.all().delete()
    evaluation.recommendations.all().delete()
    for score_row in rows:
        score_row.evaluation = evaluation
        score_row.full_clean()
        score_row.save()
    for rec in recs:
        rec.evaluation = evaluation
        rec.full_clean()
        rec.save()
    evaluation.summary = summary.strip()
    set_history_user(evaluation, actor)
    evaluation.save(update_fields=["summary"])
    apply_move(workflow=EVALUATION_WORKFLOW, actor=actor, obj_or_pk=evaluation.pk, action="file")
    evaluation.refresh_from_db()
    return evaluation


@transaction.atomic
def accept_evaluation(*, actor: Any, evaluation_id: int, comment: str = "") -> Evaluation:
    """The bureau accepts the report: each recommendation that demands action becomes a finding
    (``greenbuild.inspections.services.raise_finding``), in the same transaction."""
    from greenbuild.inspections.services import raise_finding

    evaluation: Evaluation = Evaluation.objects.select_related("project", "step_type").get(pk=evaluation_id)
    apply_move(workflow=EVALUATION_WORKFLOW, actor=actor, obj_or_pk=evaluation.pk, action="accept", comment=comment)
    for rec in evaluation.recommendations.filter(demands_action=True, finding_id__isnull=True).order_by("number"):
        finding = raise_finding(
            project=evaluation.project,
            actor=actor,
            summary=rec.text,
            severity=rec.severity,
            source=FINDING_SOURCE,
            clause=rec.clause,
            step=evaluation.step_type,
        )
        rec.finding_id = finding.pk
        rec.save(update_fields=["finding_id"])
    evaluation.refresh_from_db()
    return evaluation


def return_evaluation(*, actor: Any, evaluation_id: int, comment: str) -> Any:
    return apply_move(
        workflow=EVALUATION_WORKFLOW, actor=actor, obj_or_pk=evaluation_id, action="return", comment=comment
    )
