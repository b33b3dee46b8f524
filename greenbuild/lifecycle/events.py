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


def steps_to_sign(user: Any) -> Iterator[InboxItem]:
    """Department reviewers: open steps of their departments, to write and sign off."""
    from greenbuild.lifecycle.models import ProjectStep
    from greenbuild.lifecycle.permissions import department_ids
    from greenbuild.notifications.services import due_after

    departments = department_ids(user)
    if not departments:
        return iter(())
    kind = "lifecycle.step_to_sign"
    steps = (
        ProjectStep.objects.for_user(user, "view_internal")
        .filter(type__department_id__in=departments, status=StepStatus.OPEN)
        .select_related("project", "type")
        .order_by("opened_at", "pk")
    )
    return iter(
        [
            InboxItem(
                kind=kind,
                label=_("Sign off the step {step}").format(step=step.type.name),
                title=step.project.name,
                url=reverse("lifecycle:step-detail", args=[step.pk]),
                since=step.opened_at,
                due=due_after(step.opened_at, kind),
                project_id=step.project_id,
            )
            for step in steps
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
    register_verb(Verb(code="lifecycle.step", render=_render_step, url=_url, audience=_audience, readers=_readers))
    register_verb(
        Verb(code="lifecycle.change_request", render=_render_request, url=_url, audience=_audience, readers=_readers)
    )
    register_inbox_provider("lifecycle.steps_to_sign", steps_to_sign)
    register_inbox_provider("lifecycle.changes_to_decide", changes_to_decide)
