"""The two state machines of the joint conference, on the shared engine (core/workflow.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbuild.conference.choices import ActionItemStatus as A
from greenbuild.conference.choices import MeetingStatus as M
from greenbuild.core.workflow import REQUIRED, Move, Workflow


def _minutes_written(meeting: Any, actor: Any) -> list[Any]:
    return [] if meeting.minutes.strip() else [_("Write the minutes before publishing them.")]


def _record_closure(item: Any, actor: Any, comment: str) -> list[str]:
    item.closure_note = comment
    item.closed_by = actor
    item.closed_at = timezone.now()
    return ["closure_note", "closed_by", "closed_at"]


def _clear_closure(item: Any, actor: Any, comment: str) -> list[str]:
    # The note, who closed and when stay in the history and the transition rows.
    item.closure_note = ""
    item.closed_by = None
    item.closed_at = None
    return ["closure_note", "closed_by", "closed_at"]


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
        Move("hold", {M.PLANNED}, M.HELD, _("Mark as held")),
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
            A.CLOSED,
            _("Close with a note"),
            comment=REQUIRED,
            effects=[_record_closure],
            button="success",
        ),
        Move("reopen", {A.CLOSED}, A.OPEN, _("Reopen"), comment=REQUIRED, effects=[_clear_closure], button="warning"),
    ],
    status_label=lambda s: A(s).label,
    view_permission="conference.view_actionitem",
    after_commit=[_item_hook],
)
