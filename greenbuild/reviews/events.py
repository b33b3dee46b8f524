"""What the reviews app tells people, and what it puts in their inbox (待办).

Verbs: ``reviews.invited`` (an expert is drawn), ``reviews.declined`` (the bureau hears of a
decline), ``reviews.submitted`` (the bureau and the leader hear of a submission),
``reviews.transition`` (a round moves). Inbox: invitations to answer and scores to submit (with
the round's deadline), the conclusion to record (the leader), panels to draw and declined seats
without a replacement (the bureau). Registered in ``ReviewsConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import is_bureau_admin
from greenbuild.notifications.registry import InboxItem, Verb, register_inbox_provider, register_verb
from greenbuild.reviews.choices import RoundStatus, SeatResponse


def _status_label(code: str) -> str:
    try:
        return str(RoundStatus(code).label)
    except ValueError:
        return code


def _round_url(event: Any) -> str | None:
    round_id = event.params.get("round")
    return reverse("reviews:round-detail", args=[round_id]) if round_id else None


def _round_readers(users: list[Any], event: Any) -> list[Any]:
    from greenbuild.reviews.models import ReviewRound
    from greenbuild.reviews.permissions import can

    review_round = ReviewRound.objects.select_related("plan__project").filter(pk=event.params.get("round")).first()
    return [u for u in users if review_round is not None and can(u, "view", review_round)]


def _bureau() -> Q:
    return Q(memberships__role=Role.BUREAU_ADMIN)


def _panel(event: Any) -> Q:
    return Q(
        panel_seats__round_id=event.params.get("round"),
        panel_seats__response__in=[SeatResponse.PENDING, SeatResponse.ACCEPTED],
    )


def _transition_audience(event: Any) -> Q:
    audience = _bureau() | _panel(event)
    if event.params.get("to_status") in (RoundStatus.CLARIFICATION, RoundStatus.CONCLUDED):
        audience |= Q(memberships__role=Role.OWNER_APPLICANT, memberships__organisation_id=event.project.owner_id)
    return audience


def _render_transition(event: Any) -> str:
    p = event.params
    return _("Expert review of {project}: {from_status} → {to_status}").format(
        project=p.get("project_name", ""),
        from_status=_status_label(p.get("from_status", "")),
        to_status=_status_label(p.get("to_status", "")),
    )


def _params(review_round: Any, **extra: Any) -> dict[str, Any]:
    return {"round": review_round.pk, "project_name": review_round.plan.project.name, **extra}


def notify_round_transition(transition_id: int) -> None:
    from greenbuild.notifications.services import emit
    from greenbuild.reviews.models import RoundTransition

    transition = RoundTransition.objects.select_related("round__plan__project", "actor").get(pk=transition_id)
    review_round = transition.round
    emit(
        "reviews.transition",
        actor=transition.actor,
        project=review_round.plan.project,
        target=review_round,
        params=_params(review_round, from_status=transition.from_status, to_status=transition.to_status),
    )


def notify_invitations(round_id: int, expert_ids: list[int], actor_id: int) -> None:
    from greenbuild.accounts.models import User
    from greenbuild.notifications.services import emit
    from greenbuild.reviews.models import ReviewRound

    review_round = ReviewRound.objects.select_related("plan__project").get(pk=round_id)
    emit(
        "reviews.invited",
        actor=User.objects.filter(pk=actor_id).first(),
        project=review_round.plan.project,
        target=review_round,
        params=_params(review_round, experts=list(expert_ids)),
    )


def notify_declined(seat_id: int, actor_id: int) -> None:
    from greenbuild.notifications.services import emit
    from greenbuild.reviews.models import PanelSeat

    seat = PanelSeat.objects.select_related("round__plan__project", "expert").get(pk=seat_id)
    emit(
        "reviews.declined",
        actor=seat.expert,
        project=seat.round.plan.project,
        target=seat.round,
        params=_params(seat.round, expert=str(seat.expert), replaced=seat.replaced_by_id is not None),
    )


def notify_submitted(seat_id: int, actor_id: int) -> None:
    from greenbuild.notifications.services import emit
    from greenbuild.reviews.models import PanelSeat

    seat = PanelSeat.objects.select_related("round__plan__project", "expert").get(pk=seat_id)
    emit(
        "reviews.submitted",
        actor=seat.expert,
        project=seat.round.plan.project,
        target=seat.round,
        params=_params(seat.round, expert=str(seat.expert)),
    )


# --- the inbox ---------------------------------------------------------------------------------


def _due(review_round: Any, since: Any, kind: str) -> Any:
    from greenbuild.notifications.services import due_after

    return review_round.deadline or due_after(since, kind)


def expert_inbox(user: Any) -> Iterator[InboxItem]:
    """An expert: invitations to answer, scores to submit, and (the leader) the conclusion to record."""
    from greenbuild.reviews.permissions import seats_of

    if not getattr(user, "is_authenticated", False):
        return iter(())
    seats = (
        seats_of(user)
        .filter(
            Q(response=SeatResponse.PENDING, round__status=RoundStatus.PANEL)
            | Q(response=SeatResponse.ACCEPTED, submitted_at__isnull=True, round__status=RoundStatus.SCORING)
            | Q(response=SeatResponse.ACCEPTED, is_leader=True, round__status=RoundStatus.SCORING)
        )
        .select_related("round__plan__project")
        .annotate(
            waiting=Count(
                "round__seats",
                filter=Q(round__seats__submitted_at__isnull=True) & ~Q(round__seats__response=SeatResponse.DECLINED),
            )
        )
        .order_by("pk")[:200]
    )
    items: list[InboxItem] = []
    for seat in seats:
        review_round = seat.round
        project = review_round.plan.project
        if seat.response == SeatResponse.PENDING:
            kind, label, url = (
                "reviews.to_answer",
                _("Accept or decline the expert panel invitation"),
                reverse("reviews:round-detail", args=[review_round.pk]),
            )
            since = review_round.created_at
        elif seat.submitted_at is None:
            kind, label, url = (
                "reviews.to_score",
                _("Score the green construction plan"),
                reverse("reviews:seat-score", args=[seat.pk]),
            )
            since = review_round.updated_at
        elif seat.waiting == 0:
            kind, label, url = (
                "reviews.to_conclude",
                _("Record the panel's conclusion"),
                reverse("reviews:round-detail", args=[review_round.pk]),
            )
            since = review_round.updated_at
        else:
            continue
        items.append(
            InboxItem(
                kind=kind,
                label=label,
                title=project.name,
                url=url,
                since=since,
                due=_due(review_round, since, kind),
                project_id=project.pk,
            )
        )
    kind = "reviews.to_elect_leader"
    elect = _rounds_without_leader("elected", expert_id=user.pk) if seats_of(user).exists() else []
    for review_round in elect:  # out of the pool (SEC-10): no seat counts, no vote
        items.append(
            InboxItem(
                kind=kind,
                label=_("Elect the panel leader"),
                title=review_round.plan.project.name,
                url=reverse("reviews:round-detail", args=[review_round.pk]) + "#leader-card",
                since=review_round.updated_at,
                due=_due(review_round, review_round.updated_at, kind),
                project_id=review_round.plan.project_id,
            )
        )
    return iter(items)


def bureau_inbox(user: Any) -> Iterator[InboxItem]:
    """The bureau: submitted plans waiting for a panel, and declined seats without a replacement."""
    from greenbuild.notifications.services import due_after
    from greenbuild.plans.choices import PlanStatus
    from greenbuild.plans.models import GreenPlan
    from greenbuild.reviews.models import ReviewRound

    if not is_bureau_admin(user):
        return iter(())
    items: list[InboxItem] = []
    kind = "reviews.to_draw"
    for plan in GreenPlan.objects.filter(status=PlanStatus.SUBMITTED).select_related("project").order_by("pk")[:200]:
        items.append(
            InboxItem(
                kind=kind,
                label=_("Draw an expert panel"),
                title=plan.project.name,
                url=reverse("reviews:draw", args=[plan.pk]),
                since=plan.updated_at,
                due=due_after(plan.updated_at, kind),
                project_id=plan.project_id,
            )
        )
    kind = "reviews.to_replace"
    short = (
        ReviewRound.objects.filter(status=RoundStatus.PANEL)
        .filter(seats__response=SeatResponse.DECLINED, seats__replaced_by__isnull=True)
        .select_related("plan__project")
        .distinct()
        .order_by("pk")[:200]
    )
    for review_round in short:
        items.append(
            InboxItem(
                kind=kind,
                label=_("Draw a replacement for a declined expert"),
                title=review_round.plan.project.name,
                url=reverse("reviews:round-detail", args=[review_round.pk]),
                since=review_round.updated_at,
                due=due_after(review_round.updated_at, kind),
                project_id=review_round.plan.project_id,
            )
        )
    kind = "reviews.to_appoint_leader"
    for review_round in _rounds_without_leader("appointed"):
        items.append(
            InboxItem(
                kind=kind,
                label=_("Appoint the panel leader"),
                title=review_round.plan.project.name,
                url=reverse("reviews:round-detail", args=[review_round.pk]) + "#leader-card",
                since=review_round.updated_at,
                due=due_after(review_round.updated_at, kind),
                project_id=review_round.plan.project_id,
            )
        )
    return iter(items)


def _rounds_without_leader(selection: str, expert_id: int | None = None) -> list[Any]:
    """Open rounds with an accepted expert but no leader, whose scheme has the leader ``selection``
    (for an expert: the rounds where they sit, accepted, and have not voted yet). One query."""
    from greenbuild.reviews.choices import OPEN_STATUSES
    from greenbuild.reviews.models import ReviewRound

    rounds = (
        ReviewRound.objects.filter(status__in=list(OPEN_STATUSES), seats__response=SeatResponse.ACCEPTED)
        .exclude(seats__is_leader=True)
        .select_related("plan__project", "scheme")
        .distinct()
        .order_by("pk")
    )
    if expert_id is not None:
        rounds = rounds.filter(
            seats__expert_id=expert_id, seats__response=SeatResponse.ACCEPTED, seats__leader_vote__isnull=True
        )
    return [
        r for r in rounds[:200] if ((r.rules or {}).get("leader_selection") or r.scheme.leader_selection) == selection
    ]


def register() -> None:
    register_verb(
        Verb(
            code="reviews.transition",
            render=_render_transition,
            url=_round_url,
            audience=_transition_audience,
            readers=_round_readers,
        )
    )
    register_verb(
        Verb(
            code="reviews.invited",
            render=lambda event: _("{project}: you have been drawn for the expert panel").format(
                project=event.params.get("project_name", "")
            ),
            url=_round_url,
            audience=lambda event: Q(pk__in=event.params.get("experts", [])),
            readers=_round_readers,
        )
    )
    register_verb(
        Verb(
            code="reviews.declined",
            render=lambda event: _("{project}: {expert} declined the expert panel").format(
                project=event.params.get("project_name", ""), expert=event.params.get("expert", "")
            ),
            url=_round_url,
            audience=lambda event: _bureau(),
            readers=_round_readers,
        )
    )
    register_verb(
        Verb(
            code="reviews.submitted",
            render=lambda event: _("{project}: {expert} submitted the scores").format(
                project=event.params.get("project_name", ""), expert=event.params.get("expert", "")
            ),
            url=_round_url,
            audience=lambda event: (
                _bureau() | Q(panel_seats__round_id=event.params.get("round"), panel_seats__is_leader=True)
            ),
            readers=_round_readers,
        )
    )
    register_inbox_provider("reviews.for_expert", expert_inbox)
    register_inbox_provider("reviews.for_bureau", bureau_inbox)
