"""The state machine of a review round, on ``greenbuild.core.workflow``.

panel ──open_scoring──▶ scoring ──conclude──▶ concluded
                          │  ▲
       request_clarification  resume (the owner's answer arrives as a new plan version)
                          ▼  │
                      clarification

``open_scoring`` is made by the service when the last seated expert accepts; ``resume`` when the
plans app freezes the owner's answer (``receivers.py``); ``conclude`` by the leader once every
seated expert submitted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbuild.core.workflow import REQUIRED, Move, Workflow
from greenbuild.reviews.choices import RoundStatus as S
from greenbuild.reviews.choices import SeatResponse

#: the conclusion the leader is recording (set by ``services.conclude_round`` around the move)
pending_conclusion: ContextVar[dict[str, Any] | None] = ContextVar("pending_conclusion", default=None)


def every_seat_accepted(review_round: Any, actor: Any) -> Iterator[Any]:
    seats = review_round.active_seats()
    if len(seats) < review_round.panel_size or any(s.response != SeatResponse.ACCEPTED for s in seats):
        yield _("Not every drawn expert has accepted yet.")


def every_expert_submitted(review_round: Any, actor: Any) -> Iterator[Any]:
    seats = review_round.active_seats()
    missing = [s for s in seats if s.submitted_at is None]
    if missing:
        yield _("{count} of the {total} seated experts have not submitted their scores yet.").format(
            count=len(missing), total=len(seats)
        )


def conclusion_given(review_round: Any, actor: Any) -> Iterator[Any]:
    if not (pending_conclusion.get() or {}).get("conclusion"):
        yield _("Choose the conclusion.")


def record_conclusion(review_round: Any, actor: Any, comment: str) -> list[str]:
    data = pending_conclusion.get() or {}
    review_round.conclusion = data["conclusion"]
    review_round.consolidated_score = data.get("consolidated_score")
    review_round.reasons = comment
    review_round.concluded_by = actor
    review_round.concluded_at = timezone.now()
    return ["conclusion", "consolidated_score", "reasons", "concluded_by", "concluded_at"]


def record_question(review_round: Any, actor: Any, comment: str) -> list[str]:
    review_round.clarification_question = comment
    return ["clarification_question"]


def _notify(transition: Any) -> None:
    from greenbuild.reviews.events import notify_round_transition

    notify_round_transition(transition.pk)


ROUND_WORKFLOW = Workflow(
    name="review_round",
    model="reviews.ReviewRound",
    transition_model="reviews.RoundTransition",
    object_field="round",
    moves=[
        Move("open_scoring", {S.PANEL}, S.SCORING, _("Open scoring"), guards=[every_seat_accepted]),
        Move(
            "request_clarification",
            {S.SCORING},
            S.CLARIFICATION,
            _("Ask the owner for clarification"),
            comment=REQUIRED,
            effects=[record_question],
            button="warning",
        ),
        Move("resume", {S.CLARIFICATION}, S.SCORING, _("Resume the review")),
        Move(
            "conclude",
            {S.SCORING},
            S.CONCLUDED,
            _("Record the conclusion"),
            comment=REQUIRED,
            guards=[every_expert_submitted, conclusion_given],
            effects=[record_conclusion],
        ),
    ],
    status_label=lambda status: S(status).label,
    view_permission="reviews.view_reviewround",
    after_commit=[_notify],
)

MOVES = ROUND_WORKFLOW.table
