"""What the lifecycle app tells people, and what it puts in inboxes (待办): steps waiting for a
department's sign-off, and baseline change requests waiting for the bureau."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import is_bureau_admin
from greenbuild.lifecycle.choices import ChangeRequestStatus, StepStatus
from greenbuild.notifications.registry import InboxItem, Verb, register_inbox_provider, register_verb
from greenbuild.projects.choices import ProjectStatus


def _label(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _render_step(event: Any) -> str:
    p = event.params
    return _("Step {step} of {project}: {status}").format(
        step=p.get("step_en") if _is_english() else p.get("step_zh"),
        project=p.get("project_name", ""),
        status=_label(StepStatus, p.get("to_status", "")),
    )


def _render_request(event: Any) -> str:
    p = event.params
    return _("Baseline change request of {project}: {status}").format(
        project=p.get("project_name", ""), status=_label(ChangeRequestStatus, p.get("to_status", ""))
    )


def _is_english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


def _url(event: Any) -> str | None:
    return reverse("projects:project-detail", args=[event.project_id]) if event.project_id else None


def _step_url(event: Any) -> str | None:
    """A step's event opens the step (where a returned step is answered), else the project."""
    step_id = event.params.get("step_id")
    return reverse("lifecycle:step-detail", args=[step_id]) if step_id else _url(event)


def _audience(event: Any) -> Q:
    return Q(memberships__role=Role.OWNER_APPLICANT, memberships__organisation_id=event.project.owner_id) | Q(
        memberships__role=Role.BUREAU_ADMIN
    )


def _readers(users: list[Any], event: Any) -> list[Any]:
    from greenbuild.projects.permissions import can

    return [user for user in users if can(user, "view_internal", event.project)]


def notify_step_transition(transition_id: int) -> None:
    from greenbuild.lifecycle.models import StepTransition
    from greenbuild.notifications.services import emit

    transition = StepTransition.objects.select_related("step__project", "step__type", "actor").get(pk=transition_id)
    if transition.to_status == StepStatus.OPEN and transition.from_status == StepStatus.PENDING:
        return  # steps opening follow a sign-off or a confirmation, which is told already
    step = transition.step
    emit(
        "lifecycle.step",
        actor=transition.actor,
        project=step.project,
        target=transition,
        params={
            "project_name": step.project.name,
            "step_zh": step.type.name_zh,
            "step_en": step.type.name_en,
            "step_id": step.pk,
            "to_status": transition.to_status,
            "comment": transition.comment,
        },
    )


def notify_request_transition(transition_id: int) -> None:
    from greenbuild.lifecycle.models import ChangeRequestTransition
    from greenbuild.notifications.services import emit

    transition = ChangeRequestTransition.objects.select_related("request__project", "actor").get(pk=transition_id)
    emit(
        "lifecycle.change_request",
        actor=transition.actor,
        project=transition.request.project,
        target=transition,
        params={
            "project_name": transition.request.project.name,
            "to_status": transition.to_status,
            "comment": transition.comment,
        },
    )


#: the to-dos of steps and conditions are for confirmed pilots only (a withdrawn pilot's leave them)
PILOT = ProjectStatus.CONFIRMED


def steps_to_sign(user: Any) -> Iterator[InboxItem]:
    """Department reviewers: open steps of their departments, to write and sign off."""
    from greenbuild.lifecycle.models import ProjectStep
    from greenbuild.lifecycle.permissions import department_ids

    departments = department_ids(user)
    if not departments:
        return iter(())
    kind = "lifecycle.step_to_sign"
    steps = (
        ProjectStep.objects.for_user(user, "view_internal")
        .filter(type__department_id__in=departments, status=StepStatus.OPEN, project__status=PILOT)
        .select_related("project", "type")
        .order_by("opened_at", "pk")
    )
    return _step_items(steps, kind, _("Sign off the step {step}"), since="opened_at")


def steps_to_resubmit(user: Any) -> Iterator[InboxItem]:
    """REV-05, the owner: returned steps of their pilots, to supplement and resubmit (one query)."""
    from greenbuild.accounts.roles import organisation_ids
    from greenbuild.lifecycle.models import ProjectStep

    owners = organisation_ids(user, Role.OWNER_APPLICANT)
    if not owners:
        return iter(())
    kind = "lifecycle.step_to_resubmit"
    steps = (
        ProjectStep.objects.for_user(user, "view_internal")
        .filter(project__owner_id__in=owners, status=StepStatus.RETURNED, project__status=PILOT)
        .select_related("project", "type")
        .order_by("signed_at", "pk")
    )
    return _step_items(steps, kind, _("Supplement and resubmit the step {step}"), since="signed_at")


def conditions_to_answer(user: Any) -> Iterator[InboxItem]:
    """The owner: open conditions of approvals with conditions, to answer (one query)."""
    from greenbuild.accounts.roles import organisation_ids
    from greenbuild.lifecycle.choices import ConditionStatus
    from greenbuild.lifecycle.models import StepCondition

    owners = organisation_ids(user, Role.OWNER_APPLICANT)
    if not owners:
        return iter(())
    rows = (
        StepCondition.objects.for_user(user, "view_internal")
        .filter(step__project__owner_id__in=owners, status=ConditionStatus.OPEN, step__project__status=PILOT)
        .select_related("step__project", "step__type")
        .order_by("created_at", "pk")
    )
    return iter(
        [
            InboxItem(
                kind="lifecycle.condition_to_answer",
                label=_("Meet a condition of the step {step}").format(step=row.step.type.name),
                title=row.step.project.name,
                url=reverse("lifecycle:step-detail", args=[row.step_id]) + "#conditions",
                since=row.created_at,
                project_id=row.step.project_id,
                extra={"condition": row.text},
            )
            for row in rows
        ]
    )


def conditions_to_confirm(user: Any) -> Iterator[InboxItem]:
    """Department reviewers: answered conditions of their departments' steps (one query)."""
    from greenbuild.lifecycle.choices import ConditionStatus
    from greenbuild.lifecycle.models import StepCondition
    from greenbuild.lifecycle.permissions import department_ids

    departments = department_ids(user)
    if not departments:
        return iter(())
    rows = (
        StepCondition.objects.for_user(user, "view_internal")
        .filter(step__type__department_id__in=departments, status=ConditionStatus.ANSWERED, step__project__status=PILOT)
        .select_related("step__project", "step__type")
        .order_by("answered_at", "pk")
    )
    return iter(
        [
            InboxItem(
                kind="lifecycle.condition_to_confirm",
                label=_("Confirm a condition of the step {step}").format(step=row.step.type.name),
                title=row.step.project.name,
                url=reverse("lifecycle:step-detail", args=[row.step_id]) + "#conditions",
                since=row.answered_at,
                project_id=row.step.project_id,
                extra={"condition": row.text},
            )
            for row in rows
        ]
    )


def changes_to_decide(user: Any) -> Iterator[InboxItem]:
    """The bureau: baseline change requests to approve or refuse."""
    from greenbuild.lifecycle.models import BaselineChangeRequest
    from greenbuild.notifications.services import due_after

    if not is_bureau_admin(user):
        return iter(())
    kind = "lifecycle.change_to_decide"
    pending = BaselineChangeRequest.objects.filter(status=ChangeRequestStatus.PENDING).select_related("project")
    return iter(
        [
            InboxItem(
                kind=kind,
                label=_("Decide on the baseline change request"),
                title=request.project.name,
                url=reverse("lifecycle:request-detail", args=[request.pk]),
                since=request.requested_at,
                due=due_after(request.requested_at, kind),
                project_id=request.project_id,
            )
            for request in pending.order_by("requested_at", "pk")
        ]
    )


def register() -> None:
    register_verb(Verb(code="lifecycle.step", render=_render_step, url=_step_url, audience=_audience, readers=_readers))
    register_verb(
        Verb(code="lifecycle.change_request", render=_render_request, url=_url, audience=_audience, readers=_readers)
    )
    register_inbox_provider("lifecycle.steps_to_sign", steps_to_sign)
    register_inbox_provider("lifecycle.changes_to_decide", changes_to_decide)
    register_inbox_provider("lifecycle.steps_to_resubmit", steps_to_resubmit)
    register_inbox_provider("lifecycle.conditions_to_answer", conditions_to_answer)
    register_inbox_provider("lifecycle.conditions_to_confirm", conditions_to_confirm)


def _step_items(steps: Any, kind: str, label: str, *, since: str) -> Iterator[InboxItem]:
    """One inbox item per step: ``label`` names the step; the wait began at the step's ``since``."""
    from greenbuild.notifications.services import due_after

    return iter(
        [
            InboxItem(
                kind=kind,
                label=label.format(step=step.type.name),
                title=step.project.name,
                url=reverse("lifecycle:step-detail", args=[step.pk]),
                since=getattr(step, since),
                due=due_after(getattr(step, since), kind),
                project_id=step.project_id,
            )
            for step in steps
        ]
    )
