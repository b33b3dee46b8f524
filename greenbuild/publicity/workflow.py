"""The state machines of publicity on the shared engine (core/workflow.py).

notice: draft → published (the bureau; the period starts) → withdrawn (the bureau, with a reason;
also a draft). An objection: open → answered (the bureau). A public message: received → answered
(the district, the owner or the bureau). Being overdue and escalated is a date, not a state.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbuild.core.workflow import REQUIRED, Move, Workflow
from greenbuild.projects.choices import ProjectStatus
from greenbuild.publicity.choices import MessageStatus as MS
from greenbuild.publicity.choices import NoticeKind
from greenbuild.publicity.choices import NoticeStatus as N
from greenbuild.publicity.choices import ObjectionStatus as O


def _project_in_the_right_state(notice: Any, actor: Any) -> list[Any]:
    status = notice.project.status
    if notice.kind == NoticeKind.CANDIDATE and status != ProjectStatus.CANDIDATE:
        return [_("Only a candidate pilot is announced before its confirmation.")]
    if notice.kind == NoticeKind.COMPLETION and status != ProjectStatus.CONFIRMED:
        return [_("Only a confirmed pilot's completion result is announced before its acceptance.")]
    return []


def _start_period(notice: Any, actor: Any, comment: str) -> list[str]:
    from greenbuild.publicity.workdays import nth_working_day

    start = timezone.localdate()
    notice.starts_on = start
    notice.ends_on = nth_working_day(start, notice.working_days)
    notice.published_at = timezone.now()
    return ["starts_on", "ends_on", "published_at"]


def _record_answer(obj: Any, actor: Any, comment: str) -> list[str]:
    obj.answer = comment
    obj.answered_by = actor
    obj.answered_at = timezone.now()
    if not obj.public_text.strip():
        obj.public_text = obj.text
    return ["answer", "answered_by", "answered_at", "public_text"]


def _notice_hook(transition: Any) -> None:
    from greenbuild.publicity.events import notify_notice_transition

    notify_notice_transition(transition.pk)


def _message_hook(transition: Any) -> None:
    from greenbuild.publicity.events import notify_message_answered

    notify_message_answered(transition.pk)


def _objection_hook(transition: Any) -> None:
    from greenbuild.publicity.events import notify_objection_answered

    notify_objection_answered(transition.pk)


NOTICE_WORKFLOW = Workflow(
    name="public_notice",
    model="publicity.PublicNotice",
    transition_model="publicity.NoticeTransition",
    object_field="notice",
    moves=[
        Move(
            "publish",
            {N.DRAFT},
            N.PUBLISHED,
            _("Publish the notice"),
            guards=[_project_in_the_right_state],
            effects=[_start_period],
        ),
        Move("withdraw", {N.DRAFT, N.PUBLISHED}, N.WITHDRAWN, _("Withdraw"), comment=REQUIRED, button="danger"),
    ],
    status_label=lambda status: N(status).label,
    view_permission="publicity.view_publicnotice",
    after_commit=[_notice_hook],
)

OBJECTION_WORKFLOW = Workflow(
    name="objection",
    model="publicity.Objection",
    transition_model="publicity.ObjectionTransition",
    object_field="objection",
    moves=[Move("answer", {O.OPEN}, O.ANSWERED, _("Answer"), comment=REQUIRED, effects=[_record_answer])],
    status_label=lambda status: O(status).label,
    view_permission="publicity.view_objection",
    after_commit=[_objection_hook],
)

MESSAGE_WORKFLOW = Workflow(
    name="public_message",
    model="publicity.PublicMessage",
    transition_model="publicity.MessageTransition",
    object_field="message",
    moves=[Move("answer", {MS.RECEIVED}, MS.ANSWERED, _("Answer"), comment=REQUIRED, effects=[_record_answer])],
    status_label=lambda status: MS(status).label,
    view_permission="publicity.view_publicmessage",
    after_commit=[_message_hook],
)
