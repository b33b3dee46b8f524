"""What supervision tells people, and what waits in their inbox (待办).

Verbs (``supervision.*``): an evaluation assigned (the evaluator organisation), its report filed
(the bureau), accepted or returned (the evaluator and the owner); a draw published (the bureau
and the officials of its district); an inspection plan paused, resumed or ended (its inspectors).
Inbox: evaluations to file (evaluators), filed reports to decide (the bureau).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.notifications.registry import InboxItem, Verb, register_inbox_provider, register_verb

BUREAU = Q(memberships__role=Role.BUREAU_ADMIN)


def _readers_of(model_name: str, key: str) -> Any:
    def readers(users: list[Any], event: Any) -> list[Any]:
        from django.apps import apps

        from greenbuild.supervision.permissions import can

        obj = apps.get_model("supervision", model_name).objects.filter(pk=event.params.get(key)).first()
        if obj is None:
            return []
        return [user for user in users if can(user, "view", obj)]

    return readers


def _evaluation_url(event: Any) -> str | None:
    return reverse("supervision:evaluation-detail", args=[event.params["evaluation_id"]])


def _draw_url(event: Any) -> str | None:
    return reverse("supervision:draw-detail", args=[event.params["draw_id"]])


def _plan_url(event: Any) -> str | None:
    return reverse("supervision:plan-detail", args=[event.params["plan_id"]])


def _evaluator_q(event: Any) -> Q:
    return Q(memberships__organisation_id=event.params.get("evaluator_id"), memberships__role=Role.EVALUATOR)


def _owner_q(event: Any) -> Q:
    return Q(memberships__organisation_id=event.params.get("owner_id"), memberships__role=Role.OWNER_APPLICANT)


def _evaluation_params(evaluation: Any) -> dict[str, Any]:
    return {
        "evaluation_id": evaluation.pk,
        "project": evaluation.project.name,
        "step": str(evaluation.step_type),
        "evaluator": evaluation.evaluator.name,
        "evaluator_id": evaluation.evaluator_id,
        "owner_id": evaluation.project.owner_id,
        "due": evaluation.due_on.isoformat(),
    }


def notify_evaluation_assigned(evaluation_id: int, actor_id: int) -> None:
    from greenbuild.accounts.models import User
    from greenbuild.notifications.services import emit
    from greenbuild.supervision.models import Evaluation

    evaluation = Evaluation.objects.select_related("project", "evaluator", "step_type").get(pk=evaluation_id)
    emit(
        "supervision.evaluation_assigned",
        actor=User.objects.get(pk=actor_id),
        project=evaluation.project,
        target=evaluation,
        params=_evaluation_params(evaluation),
    )


def notify_evaluation_transition(transition_id: int) -> None:
    from greenbuild.notifications.services import emit
    from greenbuild.supervision.models import EvaluationTransition

    transition = EvaluationTransition.objects.select_related(
        "evaluation__project", "evaluation__evaluator", "evaluation__step_type", "actor"
    ).get(pk=transition_id)
    verb = {
        "filed": "supervision.evaluation_filed",
        "accepted": "supervision.evaluation_accepted",
        "returned": "supervision.evaluation_returned",
    }[transition.to_status]
    evaluation = transition.evaluation
    emit(
        verb,
        actor=transition.actor,
        project=evaluation.project,
        target=evaluation,
        params={**_evaluation_params(evaluation), "comment": transition.comment},
    )


def notify_draw_transition(transition_id: int) -> None:
    from greenbuild.notifications.services import emit
    from greenbuild.supervision.models import DrawTransition

    transition = DrawTransition.objects.select_related("draw", "actor").get(pk=transition_id)
    draw = transition.draw
    emit(
        "supervision.draw_published",
        actor=transition.actor,
        target=draw,
        params={
            "draw_id": draw.pk,
            "title": draw.title,
            "district_id": draw.district_id,
            "k": len(draw.project_selected),
        },
    )


def notify_plan_transition(transition_id: int) -> None:
    from greenbuild.notifications.services import emit
    from greenbuild.supervision.models import PlanTransition

    transition = PlanTransition.objects.select_related("plan__project", "actor").get(pk=transition_id)
    plan = transition.plan
    emit(
        "supervision.plan_changed",
        actor=transition.actor,
        project=plan.project,
        target=plan,
        params={
            "plan_id": plan.pk,
            "project": plan.project.name,
            "status": str(transition.to_label),
            "inspector_ids": list(plan.inspectors.values_list("pk", flat=True)),
        },
    )


# --- the inbox ---------------------------------------------------------------------------------


def evaluations_to_file(user: Any) -> Iterator[InboxItem]:
    """Evaluators: the evaluations assigned to (or returned to) their organisation (one query)."""
    from greenbuild.accounts.roles import organisation_ids
    from greenbuild.supervision.models import Evaluation

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return iter(())
    orgs = organisation_ids(user, Role.EVALUATOR)
    if not orgs:
        return iter(())
    rows = (
        Evaluation.objects.filter(evaluator_id__in=orgs, status__in=["assigned", "returned"])
        .select_related("project", "step_type", "evaluator")
        .order_by("due_on", "pk")[:200]
    )
    return iter(
        [
            InboxItem(
                kind="supervision.to_file",
                label=_("File a third-party evaluation report"),
                title="{} · {}".format(e.project.name, e.step_type),
                url=reverse("supervision:evaluation-detail", args=[e.pk]),
                since=e.assigned_at,
                due=e.due_on,
                extra={"evaluator": e.evaluator.name},
            )
            for e in rows
        ]
    )


def evaluations_to_decide(user: Any) -> Iterator[InboxItem]:
    """The bureau: filed reports to accept or return (one query)."""
    from greenbuild.accounts.roles import is_bureau_admin
    from greenbuild.supervision.models import Evaluation

    if not getattr(user, "is_authenticated", False) or not user.is_active or not is_bureau_admin(user):
        return iter(())
    rows = (
        Evaluation.objects.filter(status="filed")
        .select_related("project", "step_type", "evaluator")
        .order_by("filed_at", "pk")[:200]
    )
    return iter(
        [
            InboxItem(
                kind="supervision.to_decide",
                label=_("Decide on a third-party evaluation report"),
                title="{} · {}".format(e.project.name, e.step_type),
                url=reverse("supervision:evaluation-detail", args=[e.pk]),
                since=e.filed_at,
                due=None,
                extra={"evaluator": e.evaluator.name},
            )
            for e in rows
        ]
    )


def register() -> None:
    readers = _readers_of("Evaluation", "evaluation_id")
    register_verb(
        Verb(
            code="supervision.evaluation_assigned",
            render=lambda e: _("Third-party evaluation assigned to {evaluator}: {project} · {step} (due {due})").format(
                **e.params
            ),
            url=_evaluation_url,
            audience=_evaluator_q,
            readers=readers,
        )
    )
    register_verb(
        Verb(
            code="supervision.evaluation_filed",
            render=lambda e: _("Third-party evaluation report filed by {evaluator}: {project} · {step}").format(
                **e.params
            ),
            url=_evaluation_url,
            audience=lambda e: BUREAU,
            readers=readers,
        )
    )
    register_verb(
        Verb(
            code="supervision.evaluation_accepted",
            render=lambda e: _("Third-party evaluation report accepted: {project} · {step}").format(**e.params),
            url=_evaluation_url,
            audience=lambda e: _evaluator_q(e) | _owner_q(e),
            readers=readers,
        )
    )
    register_verb(
        Verb(
            code="supervision.evaluation_returned",
            render=lambda e: _("Third-party evaluation report returned for revision: {project} · {step}").format(
                **e.params
            ),
            url=_evaluation_url,
            audience=_evaluator_q,
            readers=readers,
        )
    )
    register_verb(
        Verb(
            code="supervision.draw_published",
            render=lambda e: _("Random draw published: {title}").format(**e.params),
            url=_draw_url,
            audience=lambda e: (
                BUREAU
                | Q(memberships__role=Role.DISTRICT_OFFICIAL, memberships__district_id=e.params.get("district_id"))
            ),
            readers=_readers_of("Draw", "draw_id"),
        )
    )
    register_verb(
        Verb(
            code="supervision.plan_changed",
            render=lambda e: _("Inspection plan of {project}: now “{status}”").format(**e.params),
            url=_plan_url,
            audience=lambda e: Q(pk__in=e.params.get("inspector_ids") or []),
            readers=_readers_of("InspectionPlan", "plan_id"),
        )
    )
    register_inbox_provider("supervision.to_file", evaluations_to_file)
    register_inbox_provider("supervision.to_decide", evaluations_to_decide)
