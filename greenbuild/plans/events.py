"""What the plans app tells people, and what it puts in the owner's inbox (待办)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import organisation_ids
from greenbuild.notifications.registry import InboxItem, Verb, register_inbox_provider, register_verb
from greenbuild.plans.choices import PlanStatus as S


def _status_label(code: str) -> str:
    try:
        return str(S(code).label)
    except ValueError:
        return code


def _render(event: Any) -> str:
    p = event.params
    return _("Green construction plan of {project}: {from_status} → {to_status}").format(
        project=p.get("project_name", ""),
        from_status=_status_label(p.get("from_status", "")),
        to_status=_status_label(p.get("to_status", "")),
    )


def _url(event: Any) -> str | None:
    return reverse("plans:plan-detail", args=[event.project_id]) if event.project_id else None


def _audience(event: Any) -> Q:
    return Q(memberships__role=Role.OWNER_APPLICANT, memberships__organisation_id=event.project.owner_id) | Q(
        memberships__role=Role.BUREAU_ADMIN
    )


def _readers(users: list[Any], event: Any) -> list[Any]:
    from greenbuild.plans.models import GreenPlan
    from greenbuild.plans.permissions import can

    plan = GreenPlan.objects.select_related("project").filter(project_id=event.project_id).first()
    return [user for user in users if plan is not None and can(user, "view", plan)]


def notify_plan_transition(transition_id: int) -> None:
    from greenbuild.notifications.services import emit
    from greenbuild.plans.models import PlanTransition

    transition = PlanTransition.objects.select_related("plan__project", "actor").get(pk=transition_id)
    emit(
        "plan.transition",
        actor=transition.actor,
        project=transition.plan.project,
        target=transition,
        params={
            "project_name": transition.plan.project.name,
            "from_status": transition.from_status,
            "to_status": transition.to_status,
            "comment": transition.comment,
        },
    )


def plans_for_owner(user: Any) -> Iterator[InboxItem]:
    """Owner applicants: plans to write, revise and resubmit, and clarifications to answer."""
    from greenbuild.plans.models import GreenPlan

    owners = organisation_ids(user, Role.OWNER_APPLICANT)
    if not owners:
        return iter(())
    labels = {
        S.DRAFT: ("plans.to_write", _("Write and submit the green construction plan")),
        S.REVISE: ("plans.to_revise", _("Revise and resubmit the green construction plan")),
        S.CLARIFICATION: ("plans.to_answer", _("Answer the experts' clarification request")),
    }
    plans = (
        GreenPlan.objects.filter(project__owner_id__in=owners, status__in=list(labels))
        .select_related("project")
        .order_by("pk")[:200]
    )
    return iter(
        [
            InboxItem(
                kind=labels[S(plan.status)][0],
                label=labels[S(plan.status)][1],
                title=plan.project.name,
                url=reverse("plans:plan-detail", args=[plan.project_id]),
                since=plan.updated_at,
                project_id=plan.project_id,
            )
            for plan in plans
        ]
    )


def register() -> None:
    register_verb(Verb(code="plan.transition", render=_render, url=_url, audience=_audience, readers=_readers))
    register_inbox_provider("plans.for_owner", plans_for_owner)
