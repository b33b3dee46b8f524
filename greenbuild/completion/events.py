"""What the completion evaluation tells people (verbs ``completion.*``) and its to-dos (待办)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.notifications.registry import InboxItem, Verb, register_inbox_provider, register_verb


def _readers(users: list[Any], event: Any) -> list[Any]:
    from greenbuild.completion.models import CompletionEvaluation
    from greenbuild.completion.permissions import can

    evaluation = CompletionEvaluation.objects.filter(pk=event.params.get("evaluation_id")).first()
    if evaluation is None:
        return []
    return [user for user in users if can(user, "view", evaluation)]


def _url(event: Any) -> str | None:
    pk = event.params.get("evaluation_id")
    return reverse("completion:evaluation-detail", args=[pk]) if pk else None


def _audience(event: Any) -> Q:
    params = event.params
    return (
        Q(memberships__role=Role.BUREAU_ADMIN)
        | Q(memberships__role=Role.OWNER_APPLICANT, memberships__organisation_id=params.get("owner_id") or 0)
        | Q(pk__in=params.get("panel_ids") or [])
    )


def notify_transition(transition_id: int) -> None:
    from greenbuild.completion.models import EvaluationTransition
    from greenbuild.notifications.services import emit

    transition = EvaluationTransition.objects.select_related("evaluation__project", "actor").get(pk=transition_id)
    evaluation = transition.evaluation
    emit(
        "completion.transition",
        actor=transition.actor,
        project=evaluation.project,
        target=evaluation,
        params={
            "evaluation_id": evaluation.pk,
            "project": evaluation.project.name,
            "to_status": transition.to_status,
            "owner_id": evaluation.project.owner_id,
            "panel_ids": list(evaluation.panel_members.values_list("pk", flat=True)),
        },
    )


def _render(event: Any) -> str:
    from greenbuild.completion.choices import EvaluationStatus

    status = event.params.get("to_status", "")
    label = EvaluationStatus(status).label if status in EvaluationStatus.values else status
    return _("Completion evaluation of {project}: {status}").format(project=event.params.get("project"), status=label)


def to_conclude(user: Any) -> Iterator[InboxItem]:
    """Evaluations with the panel whose leader is ``user``."""
    from greenbuild.completion.models import CompletionEvaluation

    if not getattr(user, "is_authenticated", False):
        return
    for evaluation in CompletionEvaluation.objects.filter(panel_leader=user, status="panel").select_related("project"):
        yield InboxItem(
            kind="completion.to_conclude",
            label=_("Record the panel's conclusion"),
            title=evaluation.project.name,
            url=reverse("completion:evaluation-detail", args=[evaluation.pk]),
            since=evaluation.updated_at,
            project_id=evaluation.project_id,
        )


def to_decide(user: Any) -> Iterator[InboxItem]:
    """Evaluations the panel concluded, for the bureau to decide."""
    from greenbuild.accounts.roles import is_bureau_admin
    from greenbuild.completion.models import CompletionEvaluation

    if not is_bureau_admin(user):
        return
    for evaluation in CompletionEvaluation.objects.filter(status="panel_concluded").select_related("project"):
        yield InboxItem(
            kind="completion.to_decide",
            label=_("Decide the completion evaluation"),
            title=evaluation.project.name,
            url=reverse("completion:evaluation-detail", args=[evaluation.pk]),
            since=evaluation.updated_at,
            project_id=evaluation.project_id,
        )


def register() -> None:
    register_verb(Verb(code="completion.transition", render=_render, url=_url, audience=_audience, readers=_readers))
    register_inbox_provider("completion.to_conclude", to_conclude)
    register_inbox_provider("completion.to_decide", to_decide)
