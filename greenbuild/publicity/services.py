"""Every write of publicity (R26), and the guard other apps rest on.

The guard: a candidate cannot be confirmed while its public notice runs or while an objection
to it is unanswered. It is a confirmation basis registered through ``projects.hooks`` (``apps.py``),
so the ``confirm`` move refuses on every path (page, API, service, the admin has no such move);
``notice_blockers`` gives the same reasons for a completion acceptance (the completion app).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import set_history_user
from greenbuild.core.permissions import CHANGE
from greenbuild.projects.choices import ProjectStatus
from greenbuild.publicity import permissions
from greenbuild.publicity.choices import MessageStatus, NoticeKind, NoticeStatus, ObjectionStatus
from greenbuild.publicity.data import setting
from greenbuild.publicity.models import Objection, PublicMessage, PublicNotice
from greenbuild.publicity.workdays import add_working_days
from greenbuild.publicity.workflow import MESSAGE_WORKFLOW, NOTICE_WORKFLOW, OBJECTION_WORKFLOW

# --- the guard -------------------------------------------------------------------------------


def _project_and_kind(obj: Any, kind: str | None) -> tuple[Any, str]:
    from greenbuild.projects.models import Project

    project = obj if isinstance(obj, Project) else obj.project
    if kind is None:
        kind = (
            NoticeKind.CANDIDATE
            if isinstance(obj, Project) and obj.status == ProjectStatus.CANDIDATE
            else NoticeKind.COMPLETION
        )
    return project, str(kind)


def notice_blockers(
    obj: Any, *, kind: str | None = None, required: bool = False, today: dt.date | None = None
) -> list[str]:
    """Why the move ``obj`` waits for (a candidate's confirmation, a completion's acceptance) is
    blocked by its public notice: the notice still runs, or an objection is unanswered.

    ``obj`` is a project or anything with ``.project`` (a completion evaluation); ``kind`` is
    the notice's (``candidate`` for a candidate project, else ``completion``). ``required``:
    a move with no published notice at all is blocked too (off by default: the bureau decides
    which moves need a notice)."""
    project, kind = _project_and_kind(obj, kind)
    today = today or timezone.localdate()
    notices = list(PublicNotice.objects.filter(project_id=project.pk, kind=kind).exclude(status=NoticeStatus.DRAFT))
    reasons: list[str] = []
    for notice in notices:
        if notice.is_running(today) or (
            notice.status == NoticeStatus.PUBLISHED and notice.starts_on is not None and notice.starts_on > today
        ):
            reasons.append(
                gettext("The public notice runs until {date}: the move waits for its end.").format(
                    date=notice.ends_on.isoformat() if notice.ends_on else "—"
                )
            )
    unanswered = Objection.objects.filter(
        notice__project_id=project.pk, notice__kind=kind, status=ObjectionStatus.OPEN
    ).count()
    if unanswered:
        reasons.append(
            gettext("{count} objection(s) to the public notice await the bureau's answer.").format(count=unanswered)
        )
    if required and not any(n.status == NoticeStatus.PUBLISHED for n in notices):
        reasons.append(gettext("No public notice has been published yet."))
    return reasons


def confirmation_basis(project: Any) -> tuple[list[str], dict[str, Any]]:
    """The confirmation basis registered with ``projects.hooks``: the candidate notice's reasons,
    and the notice the confirmation rests on (kept on the confirming transition)."""
    reasons = notice_blockers(project, kind=NoticeKind.CANDIDATE)
    if reasons:
        return reasons, {}
    notice = (
        PublicNotice.objects.filter(project_id=project.pk, kind=NoticeKind.CANDIDATE, status=NoticeStatus.PUBLISHED)
        .order_by("-published_at")
        .first()
    )
    if notice is None:
        return [], {}
    return [], {
        "public_notice_id": notice.pk,
        "public_notice_ended_on": notice.ends_on.isoformat() if notice.ends_on else None,
    }


def confirmable_projects(queryset: Any) -> Any:
    """The queryset twin of :func:`confirmation_basis` (one query; the bureau's to-do)."""
    from django.db.models import Exists, OuterRef, Q

    today = timezone.localdate()
    running = PublicNotice.objects.filter(
        project_id=OuterRef("pk"), kind=NoticeKind.CANDIDATE, status=NoticeStatus.PUBLISHED
    ).filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True))
    open_objection = Objection.objects.filter(
        notice__project_id=OuterRef("pk"), notice__kind=NoticeKind.CANDIDATE, status=ObjectionStatus.OPEN
    )
    return queryset.exclude(Exists(running)).exclude(Exists(open_objection))


# --- notices -----------------------------------------------------------------------------------


@transaction.atomic
def create_notice(*, actor: Any, project: Any, data: dict[str, Any]) -> PublicNotice:
    if not permissions.can(actor, CHANGE, None) or not permissions._in_scope(actor, project):
        raise ActionForbidden()
    kind = data["kind"]
    if PublicNotice.objects.filter(
        project_id=project.pk, kind=kind, status__in=[NoticeStatus.DRAFT, NoticeStatus.PUBLISHED]
    ).exists():
        raise DomainError(_("This project already has a public notice of this kind (withdraw it first)."), field="kind")
    notice = PublicNotice(
        project=project,
        kind=kind,
        title=data["title"],
        body=data["body"],
        working_days=data.get("working_days") or setting("notice_working_days"),
        created_by=actor,
    )
    set_history_user(notice, actor)
    notice.save()
    return notice


def transition_notice(*, actor: Any, notice_id: int, action: str, comment: str = "") -> Any:
    return NOTICE_WORKFLOW.apply(actor=actor, obj_or_pk=notice_id, action=action, comment=comment)


def _clean_text(value: Any, field: str, *, limit: int = 2000) -> str:
    text = str(value or "").strip()
    if not text:
        raise DomainError(_("Please write your text."), field=field)
    if len(text) > limit:
        raise DomainError(_("At most {limit} characters, please.").format(limit=limit), field=field)
    return text


@transaction.atomic
def file_objection(*, notice_id: int, text: str, contact_name: str = "", contact_phone: str = "") -> Objection:
    """Anyone files an objection (异议) while the notice runs; no sign-in, nothing of the
    sender's is published."""
    notice = PublicNotice.objects.select_for_update().select_related("project").filter(pk=notice_id).first()
    if notice is None or notice.status != NoticeStatus.PUBLISHED:
        raise DomainError(_("This public notice is not open for objections."))
    if not notice.is_running():
        raise DomainError(_("The objection period of this notice has ended."))
    objection = Objection(
        notice=notice,
        text=_clean_text(text, "text"),
        contact_name=str(contact_name or "").strip()[:60],
        contact_phone=str(contact_phone or "").strip()[:80],
    )
    objection.save()
    transaction.on_commit(lambda: _notify_objection(objection.pk))
    return objection


def _notify_objection(objection_id: int) -> None:
    from greenbuild.publicity.events import notify_objection_filed

    notify_objection_filed(objection_id)


@transaction.atomic
def answer_objection(*, actor: Any, objection_id: int, answer: str, public_text: str = "") -> Any:
    """The bureau answers; ``public_text`` is the objection as published (the original when left
    empty: the bureau may take out a name or a phone number the objector wrote in it)."""
    objection = Objection.objects.select_for_update().select_related("notice__project").filter(pk=objection_id).first()
    if objection is None or not permissions.can(actor, "view", objection):
        raise ActionForbidden()
    if not permissions.can(actor, permissions.ANSWER, objection):
        raise ActionForbidden()
    if public_text.strip() and objection.status == ObjectionStatus.OPEN:
        objection.public_text = public_text.strip()[:2000]
        set_history_user(objection, actor)
        objection.save(update_fields=["public_text"])
    return OBJECTION_WORKFLOW.apply(actor=actor, obj_or_pk=objection.pk, action="answer", comment=answer)


# --- public messages ---------------------------------------------------------------------------


def check_public_photo(uploaded: Any) -> Any:
    """A public photo: a real JPEG or PNG (by content, the attachments' photo policy) and small."""
    from greenbuild.attachments.choices import AttachmentKind
    from greenbuild.attachments.services import check_file

    limit = int(setting("photo_max_bytes"))
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("The photo is {size}; photos sent here are limited to {limit}.").format(
                size=filesizeformat(size), limit=filesizeformat(limit)
            ),
            code="too_large",
        )
    return check_file(AttachmentKind.PHOTO, uploaded)


def _store_photo(project: Any, uploaded: Any) -> Any:
    from greenbuild.attachments.choices import FILE_TYPES, AttachmentKind
    from greenbuild.attachments.models import Attachment
    from greenbuild.attachments.services import _display_name

    checked = check_public_photo(uploaded)
    attachment = Attachment(
        original_name=_display_name(uploaded),
        sha256=checked.sha256,
        size=checked.size,
        file_type=checked.file_type,
        content_type=FILE_TYPES[checked.file_type][1],
        kind=AttachmentKind.PHOTO,
        project=project,
        uploaded_by=None,  # the public
    )
    content = uploaded if isinstance(uploaded, File) else File(uploaded)
    content.seek(0)
    attachment.file.save(attachment.original_name, content, save=False)
    try:
        attachment.save()
    except Exception:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def message_target(project_id: Any) -> Any:
    """The confirmed pilot a public message may be about, or None."""
    from greenbuild.core.permissions import parse_id
    from greenbuild.projects.models import Project

    number = parse_id(project_id)
    if number is None:
        return None
    return Project.objects.filter(pk=number, status=ProjectStatus.CONFIRMED).first()


@transaction.atomic
def leave_message(
    *,
    project_id: int,
    category: str,
    text: str,
    photo: Any = None,
    contact_name: str = "",
    contact_phone: str = "",
    now: dt.datetime | None = None,
) -> PublicMessage:
    """Anyone leaves a message about a confirmed pilot; it is routed to the district and the owner
    with an answer deadline in working days."""
    from greenbuild.publicity.choices import MessageCategory

    project = message_target(project_id)
    if project is None:
        raise DomainError(_("Messages are taken about confirmed pilots only."))
    if category not in MessageCategory.values:
        raise DomainError(_("Choose what the message is about."), field="category")
    body = _clean_text(text, "text")
    received = now or timezone.now()
    message = PublicMessage(
        project=project,
        category=category,
        text=body,
        contact_name=str(contact_name or "").strip()[:60],
        contact_phone=str(contact_phone or "").strip()[:80],
        received_at=received,
        due_on=add_working_days(timezone.localtime(received).date(), int(setting("answer_working_days"))),
    )
    if photo:
        message.photo = _store_photo(project, photo)
    message.save()
    transaction.on_commit(lambda: _notify_message(message.pk))
    return message


def _notify_message(message_id: int) -> None:
    from greenbuild.publicity.events import notify_message_received

    notify_message_received(message_id)


def may_reword(actor: Any, message: Any) -> bool:
    """Who sets the published wording of a public message: the district and the bureau (those who
    also see the sender's contact), never the project's owner the message is about."""
    return permissions.can(actor, permissions.CONTACT, message)


@transaction.atomic
def answer_message(*, actor: Any, message_id: int, answer: str, public_text: str = "") -> Any:
    """The district, the owner or the bureau answers; the answer is published with the message
    (``public_text``: the message as published, the original when left empty)."""
    message = PublicMessage.objects.select_for_update().select_related("project").filter(pk=message_id).first()
    if message is None or not permissions.can(actor, "view", message):
        raise ActionForbidden()
    if public_text.strip() and public_text.strip() != message.text and not may_reword(actor, message):
        raise DomainError(
            _("The published wording of a message is set by the district or the bureau, not by the project."),
            field="public_text",
        )
    if public_text.strip() and message.status == MessageStatus.RECEIVED:
        message.public_text = public_text.strip()[:2000]
        set_history_user(message, actor)
        message.save(update_fields=["public_text"])
    return MESSAGE_WORKFLOW.apply(actor=actor, obj_or_pk=message.pk, action="answer", comment=answer)


def escalate_overdue_messages(*, today: dt.date | None = None) -> int:
    """The daily job: messages unanswered past their deadline go to the bureau (once each)."""
    from greenbuild.publicity.events import notify_message_escalated

    today = today or timezone.localdate()
    count = 0
    overdue = PublicMessage.objects.filter(status=MessageStatus.RECEIVED, due_on__lt=today, escalated_at__isnull=True)
    for pk in list(overdue.values_list("pk", flat=True)):
        with transaction.atomic():
            message = PublicMessage.objects.select_for_update().filter(pk=pk, escalated_at__isnull=True).first()
            if message is None or message.status != MessageStatus.RECEIVED:
                continue
            message.escalated_at = timezone.now()
            message.save(update_fields=["escalated_at"])
            transaction.on_commit(partial(notify_message_escalated, pk))
            count += 1
    return count
