"""The two state machines of the joint conference, on the shared engine (core/workflow.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbuild.conference.choices import ActionItemStatus as A
from greenbuild.conference.choices import MeetingStatus as M
from greenbuild.core.workflow import OPTIONAL, REQUIRED, Move, Workflow


def _minutes_written(meeting: Any, actor: Any) -> list[Any]:
    return [] if meeting.minutes.strip() else [_("Write the minutes before publishing them.")]


def _date_reached(meeting: Any, actor: Any) -> list[Any]:
    """REV-17: a meeting is not marked held before its date (change the date first)."""
    if meeting.date > timezone.localdate():
        return [
            _("The meeting is dated {date}: it cannot be marked held before then (change its date first).").format(
                date=meeting.date.isoformat()
            )
        ]
    return []


def _evidence_given(item: Any, actor: Any) -> list[Any]:
    if item.evidence_required and not item.evidence.exists():
        return [_("This action item is closed with evidence: upload it first.")]
    return []


def _record_closure(item: Any, actor: Any, comment: str) -> list[str]:
    item.closure_note = comment
    item.closed_by = actor
    item.closed_at = timezone.now()
    return ["closure_note", "closed_by", "closed_at"]


def _record_confirmation(item: Any, actor: Any, comment: str) -> list[str]:
    item.confirmed_by = actor
    item.confirmed_at = timezone.now()
    return ["confirmed_by", "confirmed_at"]


def _clear_closure(item: Any, actor: Any, comment: str) -> list[str]:
    # The note, who closed and when stay in the history and the transition rows.
    item.closure_note = ""
    item.closed_by = None
    item.closed_at = None
    item.confirmed_by = None
    item.confirmed_at = None
    return ["closure_note", "closed_by", "closed_at", "confirmed_by", "confirmed_at"]


def _meeting_hook(transition: Any) -> None:
    from greenbuild.conference.events import notify_meeting_transition

    notify_meeting_transition(transition.pk)


def _item_hook(transition: Any) -> None:
    from greenbuild.conference.events import notify_action_item_transition

    notify_action_item_transition(transition.pk)


MEETING_WORKFLOW = Workflow(
    name="meeting",
    model="conference.Meeting",
    transition_model="conference.MeetingTransition",
    object_field="meeting",
    moves=[
        Move("hold", {M.PLANNED}, M.HELD, _("Mark as held"), guards=[_date_reached]),
        Move("publish_minutes", {M.HELD}, M.MINUTES_PUBLISHED, _("Publish the minutes"), guards=[_minutes_written]),
    ],
    status_label=lambda s: M(s).label,
    view_permission="conference.view_meeting",
    after_commit=[_meeting_hook],
)

ACTION_ITEM_WORKFLOW = Workflow(
    name="action_item",
    model="conference.ActionItem",
    transition_model="conference.ActionItemTransition",
    object_field="action_item",
    moves=[
        Move(
            "close",
            {A.OPEN},
            A.REQUESTED,
            _("Ask for closure with a note"),
            comment=REQUIRED,
            guards=[_evidence_given],
            effects=[_record_closure],
            button="success",
        ),
        Move(
            "confirm",
            {A.REQUESTED},
            A.CLOSED,
            _("Confirm the closure"),
            comment=OPTIONAL,
            effects=[_record_confirmation],
            button="success",
        ),
        Move(
            "send_back",
            {A.REQUESTED},
            A.OPEN,
            _("Send back (not closed)"),
            comment=REQUIRED,
            effects=[_clear_closure],
            button="outline-danger",
        ),
        Move("reopen", {A.CLOSED}, A.OPEN, _("Reopen"), comment=REQUIRED, effects=[_clear_closure], button="warning"),
    ],
    status_label=lambda s: A(s).label,
    view_permission="conference.view_actionitem",
    after_commit=[_item_hook],
)
