"""Every write of the joint conference (R18). Only the bureau writes; the assignee closes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from greenbuild.conference.choices import MeetingStatus
from greenbuild.conference.models import ActionItem, Decision, Meeting
from greenbuild.conference.permissions import can
from greenbuild.conference.workflow import ACTION_ITEM_WORKFLOW, MEETING_WORKFLOW
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import set_history_user
from greenbuild.core.permissions import CHANGE, VIEW
from greenbuild.core.workflow import apply_move

MEETING_FIELDS = ("number", "title", "date", "place", "agenda", "minutes")


def _require(actor: Any, action: str, obj: Any = None) -> None:
    if not can(actor, VIEW, obj) or not can(actor, action, obj):
        raise ActionForbidden()


def _locked_meeting(actor: Any, meeting_id: int) -> Meeting:
    meeting: Meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    _require(actor, CHANGE, meeting)
    return meeting


@transaction.atomic
def create_meeting(*, actor: Any, data: dict[str, Any]) -> Meeting:
    _require(actor, CHANGE)
    if Meeting.objects.filter(number=data["number"]).exists():
        raise DomainError(_("A meeting with this number exists already."), field="number")
    meeting = Meeting(created_by=actor, **{name: data[name] for name in MEETING_FIELDS if name in data})
    set_history_user(meeting, actor)
    meeting.save()
    return meeting


@transaction.atomic
def update_meeting(*, actor: Any, meeting_id: int, data: dict[str, Any]) -> Meeting:
    meeting = _locked_meeting(actor, meeting_id)
    if meeting.status == MeetingStatus.MINUTES_PUBLISHED:
        raise DomainError(_("The minutes are published: the meeting can no longer be edited."))
    if "number" in data and Meeting.objects.filter(number=data["number"]).exclude(pk=meeting.pk).exists():
        raise DomainError(_("A meeting with this number exists already."), field="number")
    for name in MEETING_FIELDS:
        if name in data:
            setattr(meeting, name, data[name])
    set_history_user(meeting, actor)
    meeting.save()
    return meeting


def transition_meeting(*, actor: Any, meeting_id: int, action: str, comment: str = "") -> Any:
    """Hold a planned meeting, or publish a held meeting's minutes (they must be written)."""
    return apply_move(workflow=MEETING_WORKFLOW, actor=actor, obj_or_pk=meeting_id, action=action, comment=comment)


@transaction.atomic
def attach_meeting_file(*, actor: Any, meeting_id: int, uploaded_file: Any) -> Any:
    from django.core.exceptions import ValidationError

    from greenbuild.attachments.services import store_attachment

    meeting = _locked_meeting(actor, meeting_id)
    try:
        attachment = store_attachment(actor=actor, project=None, kind="evidence", uploaded_file=uploaded_file)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="file") from None
    meeting.attachments.add(attachment)
    return attachment


def _not_planned(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.PLANNED:
        raise DomainError(_("Decisions and action items are recorded once the meeting has been held."))


@transaction.atomic
def add_decision(*, actor: Any, meeting_id: int, text: str) -> Decision:
    meeting = _locked_meeting(actor, meeting_id)
    _not_planned(meeting)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the decision."), field="text")
    number = (meeting.decisions.aggregate(n=Max("number"))["n"] or 0) + 1
    decision = Decision(meeting=meeting, number=number, text=text)
    set_history_user(decision, actor)
    decision.save()
    return decision


@transaction.atomic
def add_action_item(*, actor: Any, meeting_id: int, data: dict[str, Any]) -> ActionItem:
    """Assign a task to one district or one department, due on a date; it reaches their inbox."""
    meeting = _locked_meeting(actor, meeting_id)
    _not_planned(meeting)
    decision = data.get("decision")
    if decision is not None and decision.meeting_id != meeting.pk:
        raise DomainError(_("Choose a decision of this meeting."), field="decision")
    district, department = data.get("district"), data.get("department")
    if bool(district) == bool(department):
        raise DomainError(_("Assign the task to a district or to a department."), field="district")
    item = ActionItem(
        meeting=meeting,
        decision=decision,
        title=data["title"].strip(),
        district=district,
        department=department,
        due=data["due"],
    )
    set_history_user(item, actor)
    item.save()
    transaction.on_commit(lambda: _notify_assigned(item.pk, actor.pk))
    return item


def _notify_assigned(item_id: int, actor_id: int) -> None:
    from greenbuild.conference.events import notify_action_item_assigned

    notify_action_item_assigned(item_id, actor_id)


def transition_action_item(*, actor: Any, item_id: int, action: str, comment: str = "") -> Any:
    """Close an open action item with a note (the assignee) or reopen a closed one (the bureau)."""
    return apply_move(workflow=ACTION_ITEM_WORKFLOW, actor=actor, obj_or_pk=item_id, action=action, comment=comment)
