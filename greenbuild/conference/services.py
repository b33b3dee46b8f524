"""Every write of the joint conference (R18). Only the bureau (the conference office) writes; the
assignee of an action item asks for its closure, which the office confirms.

Published minutes are the record (REV-06): once they are published, the meeting, its decisions,
action items, attendance and files are refused on every path (page, API, service); what follows is
an addendum (补充纪要, :func:`issue_addendum`), a new document."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.conference.choices import ActionItemStatus, AttendanceStatus, MeetingStatus, MemberRole
from greenbuild.conference.models import (
    ASSIGNEE_FIELDS,
    ActionItem,
    Attendance,
    ConferenceMember,
    Decision,
    Meeting,
    MinutesAddendum,
)
from greenbuild.conference.permissions import can, is_assignee
from greenbuild.conference.workflow import ACTION_ITEM_WORKFLOW, MEETING_WORKFLOW
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import set_history_user
from greenbuild.core.permissions import CHANGE, VIEW
from greenbuild.core.workflow import apply_move

MEETING_FIELDS = ("number", "title", "date", "place", "agenda", "minutes")
MEMBER_FIELDS = ("role", "person", "organisation", "district", "department", "title", "sort_order", "active")
MAX_TEXT = 5000


def _require(actor: Any, action: str, obj: Any = None) -> None:
    if not can(actor, VIEW, obj) or not can(actor, action, obj):
        raise ActionForbidden()


def _locked_meeting(actor: Any, meeting_id: int) -> Meeting:
    meeting: Meeting | None = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise DomainError(_("No such meeting."))
    _require(actor, CHANGE, meeting)
    return meeting


def _not_published(meeting: Meeting) -> None:
    """REV-06: published minutes lock the meeting on every path."""
    if meeting.locked:
        raise DomainError(_("The minutes are published and locked: issue an addendum to the minutes instead."))


def _number_taken(number: Any, exclude: int | None = None) -> None:
    taken = Meeting.objects.filter(number=number)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise DomainError(_("Meeting {number} exists already.").format(number=number), field="number")


@transaction.atomic
def create_meeting(*, actor: Any, data: dict[str, Any]) -> Meeting:
    _require(actor, CHANGE)
    _number_taken(data["number"])
    meeting = Meeting(created_by=actor, **{name: data[name] for name in MEETING_FIELDS if name in data})
    set_history_user(meeting, actor)
    meeting.save()
    return meeting


@transaction.atomic
def update_meeting(*, actor: Any, meeting_id: int, data: dict[str, Any]) -> Meeting:
    meeting = _locked_meeting(actor, meeting_id)
    if meeting.status == MeetingStatus.MINUTES_PUBLISHED:
        raise DomainError(_("The minutes are published: the meeting can no longer be edited."))
    if "number" in data:
        _number_taken(data["number"], exclude=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED and "date" in data and data["date"] > timezone.localdate():
        raise DomainError(_("The meeting has been held: its date cannot lie in the future."), field="date")
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
    _not_published(meeting)
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
    _not_published(meeting)
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise DomainError(_("Write the decision."), field="text")
    if len(text) > MAX_TEXT:
        raise DomainError(_("Write at most {limit} characters.").format(limit=MAX_TEXT), field="text")
    number = (meeting.decisions.aggregate(n=Max("number"))["n"] or 0) + 1
    decision = Decision(meeting=meeting, number=number, text=text)
    set_history_user(decision, actor)
    decision.save()
    return decision


@transaction.atomic
def add_action_item(*, actor: Any, meeting_id: int, data: dict[str, Any]) -> ActionItem:
    """Assign a task to one district, department, organisation (e.g. a pilot's owner) or named
    person, due on a date; it reaches their inbox."""
    meeting = _locked_meeting(actor, meeting_id)
    _not_planned(meeting)
    _not_published(meeting)
    decision = data.get("decision")
    if decision is not None and decision.meeting_id != meeting.pk:
        raise DomainError(_("Choose a decision of this meeting."), field="decision")
    chosen = [name for name in ASSIGNEE_FIELDS if data.get(name)]
    if len(chosen) != 1:
        raise DomainError(
            _("Assign the task to one assignee: a district, a department, an organisation or a person."),
            field="assignee",
        )
    title = (data.get("title") or "").strip()
    if not title:
        raise DomainError(_("Write the task."), field="title")
    due = data["due"]
    if due < meeting.date:
        raise DomainError(
            _("The due date lies before the meeting ({date}).").format(date=meeting.date.isoformat()), field="due"
        )
    item = ActionItem(
        meeting=meeting,
        decision=decision,
        title=title,
        due=due,
        evidence_required=bool(data.get("evidence_required")),
        **{name: data.get(name) for name in ASSIGNEE_FIELDS},
    )
    set_history_user(item, actor)
    item.save()
    transaction.on_commit(lambda: _notify_assigned(item.pk, actor.pk))
    return item


def _notify_assigned(item_id: int, actor_id: int) -> None:
    from greenbuild.conference.events import notify_action_item_assigned

    notify_action_item_assigned(item_id, actor_id)


def transition_action_item(*, actor: Any, item_id: int, action: str, comment: str = "") -> Any:
    """The assignee asks to close an open item with a note (销号, with evidence where required);
    the office confirms or sends the request back, or reopens a closed item."""
    return apply_move(workflow=ACTION_ITEM_WORKFLOW, actor=actor, obj_or_pk=item_id, action=action, comment=comment)


@transaction.atomic
def add_item_evidence(*, actor: Any, item_id: int, uploaded_file: Any) -> Any:
    """The assignee files evidence for an open item's closure."""
    from django.core.exceptions import ValidationError

    from greenbuild.attachments.services import store_attachment

    item: ActionItem | None = ActionItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None or not can(actor, VIEW, item):
        raise DomainError(_("No such action item."))
    if not is_assignee(actor, item):
        raise ActionForbidden()
    if item.status != ActionItemStatus.OPEN:
        raise DomainError(_("Evidence is filed while the item is open."))
    try:
        attachment = store_attachment(actor=actor, project=None, kind="evidence", uploaded_file=uploaded_file)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="file") from None
    item.evidence.add(attachment)
    return attachment


# --- notice, attendance, addenda -------------------------------------------------------------


def default_notice(meeting: Meeting) -> str:
    return _(
        "Meeting {number} of the joint conference, “{title}”, is held on {date} at {place}.\nAgenda:\n{agenda}"
    ).format(
        number=meeting.number,
        title=meeting.title,
        date=meeting.date.isoformat(),
        place=meeting.place,
        agenda=meeting.agenda,
    )


@transaction.atomic
def issue_notice(*, actor: Any, meeting_id: int, text: str = "") -> Meeting:
    """Issue (or re-issue) the meeting notice (会议通知) of a planned meeting to every member."""
    meeting = _locked_meeting(actor, meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        raise DomainError(_("The notice is issued before the meeting is held."))
    text = (text or "").strip() or default_notice(meeting)
    if len(text) > MAX_TEXT:
        raise DomainError(_("Write at most {limit} characters.").format(limit=MAX_TEXT), field="text")
    meeting.notice = text
    meeting.notice_issued_at = timezone.now()
    set_history_user(meeting, actor)
    meeting.save(update_fields=["notice", "notice_issued_at"])
    transaction.on_commit(lambda: _notify_notice(meeting.pk, actor.pk))
    return meeting


def _notify_notice(meeting_id: int, actor_id: int) -> None:
    from greenbuild.conference.events import notify_notice

    notify_notice(meeting_id, actor_id)


@transaction.atomic
def record_attendance(*, actor: Any, meeting_id: int, rows: dict[int, tuple[str, str]]) -> list[Attendance]:
    """Record the attendance (签到) of a held meeting: ``{seat id: (status, deputy name)}``."""
    meeting = _locked_meeting(actor, meeting_id)
    _not_published(meeting)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError(_("Attendance is recorded once the meeting has been held."))
    seats = {m.pk: m for m in ConferenceMember.objects.filter(active=True)}
    saved = []
    for seat_id, (status, deputy) in rows.items():
        if seat_id not in seats:
            raise DomainError(_("No such seat."))
        if status not in AttendanceStatus.values:
            raise DomainError(_("Choose an attendance from the list."))
        deputy = (deputy or "").strip()[:100]
        if status == AttendanceStatus.DEPUTY and not deputy:
            raise DomainError(
                _("Name who attended on behalf of {seat}.").format(seat=seats[seat_id]),
                field="deputy_{}".format(seat_id),
            )
        row = Attendance.objects.filter(meeting=meeting, member_id=seat_id).first() or Attendance(
            meeting=meeting, member=seats[seat_id]
        )
        row.status = status
        row.deputy_name = deputy if status == AttendanceStatus.DEPUTY else ""
        row.recorded_by = actor
        row.recorded_at = timezone.now()
        set_history_user(row, actor)
        row.save()
        saved.append(row)
    return saved


@transaction.atomic
def issue_addendum(*, actor: Any, meeting_id: int, text: str) -> MinutesAddendum:
    """A supplement to published minutes (补充纪要): a new, numbered document."""
    meeting = _locked_meeting(actor, meeting_id)
    if meeting.status != MeetingStatus.MINUTES_PUBLISHED:
        raise DomainError(_("An addendum follows published minutes: until then, edit the minutes."))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the addendum."), field="text")
    if len(text) > MAX_TEXT:
        raise DomainError(_("Write at most {limit} characters.").format(limit=MAX_TEXT), field="text")
    number = (meeting.addenda.aggregate(n=Max("number"))["n"] or 0) + 1
    addendum = MinutesAddendum(meeting=meeting, number=number, text=text, issued_by=actor)
    set_history_user(addendum, actor)
    addendum.save()
    return addendum


# --- seats -----------------------------------------------------------------------------------


@transaction.atomic
def save_member(*, actor: Any, data: dict[str, Any], member_id: int | None = None) -> ConferenceMember:
    """Add a seat or change one (the office); a seat is retired by making it inactive."""
    from django.core.exceptions import ValidationError

    _require(actor, CHANGE)
    if member_id is None:
        member = ConferenceMember()
    else:
        found = ConferenceMember.objects.select_for_update().filter(pk=member_id).first()
        if found is None:
            raise DomainError(_("No such seat."))
        member = found
    for name in MEMBER_FIELDS:
        if name in data:
            setattr(member, name, data[name])
    if not member.role:
        member.role = MemberRole.MEMBER
    try:
        member.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(" ".join(messages), field=field) from None
    set_history_user(member, actor)
    member.save()
    return member
