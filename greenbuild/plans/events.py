"""What the plans app tells people, and what it puts in the owner's inbox (待办)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import organisation_ids
from greenbuild.notifications.registry import (
    InboxItem,
    Verb,
    register_inbox_provider,
    register_reader_scope,
    register_verb,
)
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
    """The owner and the bureau; for the revision of a 修改后通过 (asked, submitted, verified), also
    the leader of the round that asked for it (the verifier when the scheme says so)."""
    audience = Q(memberships__role=Role.OWNER_APPLICANT, memberships__organisation_id=event.project.owner_id) | Q(
        memberships__role=Role.BUREAU_ADMIN
    )
    revision_states = {S.PASSED_WITH_REVISIONS, S.REVISION_SUBMITTED}
    p = event.params
    if p.get("to_status") in revision_states or p.get("from_status") == S.REVISION_SUBMITTED:
        from greenbuild.plans.models import PlanRevision

        revision = (
            PlanRevision.objects.filter(plan__project_id=event.project_id)
            .order_by("-pk")
            .select_related("review_round")
        ).first()
        if revision is not None:
            leaders = revision.review_round.seats.filter(is_leader=True, response="accepted").values("expert_id")
            audience |= Q(pk__in=leaders)
    return audience


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


def _reader_scope(user: Any) -> Q:
    """Readers of a plan who do not see the project's internals (a panel's experts) still read the
    plan's news: the plans gate decides."""
    from greenbuild.plans.permissions import PLAN_GATE

    readable = PLAN_GATE.for_user(user).values("project_id")
    return Q(event__verb="plan.transition", project__in=readable)


def revisions_to_verify(user: Any) -> Iterator[InboxItem]:
    """The verifier's 待办: revised plans waiting for their 复核 (the round's leader, or the bureau
    where the revision request says so)."""
    from greenbuild.accounts.roles import is_bureau_admin
    from greenbuild.plans.choices import RevisionStatus, Verifier
    from greenbuild.plans.models import PlanRevision

    if not getattr(user, "is_authenticated", False):
        return iter(())
    from greenbuild.reviews.permissions import seats_of

    led = Q(
        verifier=Verifier.LEADER,
        review_round__seats__in=seats_of(user).filter(is_leader=True, response="accepted"),
    )
    scope = led | Q(verifier=Verifier.BUREAU) if is_bureau_admin(user) else led
    from greenbuild.plans.permissions import PLANNABLE_PROJECT_STATUSES

    revisions = (
        PlanRevision.objects.filter(
            scope, status=RevisionStatus.SUBMITTED, plan__project__status__in=list(PLANNABLE_PROJECT_STATUSES)
        )
        .select_related("plan__project")
        .distinct()
        .order_by("pk")[:200]
    )
    return iter(
        [
            InboxItem(
                kind="plans.to_verify",
                label=_("Verify the revised green construction plan"),
                title=revision.plan.project.name,
                url=reverse("plans:plan-detail", args=[revision.plan.project_id]) + "#verify",
                since=revision.submitted_at,
                project_id=revision.plan.project_id,
            )
            for revision in revisions
        ]
    )


def plans_for_owner(user: Any) -> Iterator[InboxItem]:
    """Owner applicants: plans to write, revise and resubmit, and clarifications to answer."""
    from greenbuild.notifications.services import due_after
    from greenbuild.plans.choices import RevisionStatus
    from greenbuild.plans.models import GreenPlan, PlanRevision
    from greenbuild.plans.permissions import PLANNABLE_PROJECT_STATUSES

    owners = organisation_ids(user, Role.OWNER_APPLICANT)
    if not owners:
        return iter(())
    labels = {
        S.DRAFT: ("plans.to_write", _("Write and submit the green construction plan")),
        S.REVISE: ("plans.to_revise", _("Revise and resubmit the green construction plan")),
        S.CLARIFICATION: ("plans.to_answer", _("Answer the experts' clarification request")),
        S.PASSED_WITH_REVISIONS: (
            "plans.to_revise_for_verification",
            _("Revise the green construction plan as the review requires and submit it for verification"),
        ),
    }
    plans = list(
        GreenPlan.objects.filter(
            project__owner_id__in=owners,
            status__in=list(labels),
            project__status__in=list(PLANNABLE_PROJECT_STATUSES),  # never for a withdrawn project
        )
        .select_related("project")
        .order_by("pk")[:200]
    )
    due = {
        plan_id: deadline
        for plan_id, deadline in PlanRevision.objects.filter(
            plan__in=[p for p in plans if p.status == S.PASSED_WITH_REVISIONS], status=RevisionStatus.REQUESTED
        ).values_list("plan_id", "deadline")
    }
    return iter(
        [
            InboxItem(
                kind=labels[S(plan.status)][0],
                label=labels[S(plan.status)][1],
                title=plan.project.name,
                url=reverse("plans:plan-detail", args=[plan.project_id]),
                since=plan.updated_at,
                # A clarification is due INBOX_DUE_DAYS["plans.to_answer"] after it was asked (UI-22).
                due=due.get(plan.pk)
                or (due_after(plan.updated_at, "plans.to_answer") if plan.status == S.CLARIFICATION else None),
                project_id=plan.project_id,
            )
            for plan in plans
        ]
    )


def register() -> None:
    register_verb(Verb(code="plan.transition", render=_render, url=_url, audience=_audience, readers=_readers))
    register_inbox_provider("plans.for_owner", plans_for_owner)
    register_inbox_provider("plans.to_verify", revisions_to_verify)
    register_reader_scope("plans", _reader_scope)  # the plans gate decides who reads plan news
