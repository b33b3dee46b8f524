"""What publicity tells people and puts in their inboxes (待办): public messages to answer (the
district and the owner; the bureau once overdue), objections to answer (the bureau)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import district_ids, is_bureau_admin, organisation_ids
from greenbuild.notifications.registry import InboxItem, Verb, register_inbox_provider, register_verb
from greenbuild.publicity.choices import MessageStatus, NoticeStatus, ObjectionStatus


def _message_url(event: Any) -> str | None:
    pk = event.params.get("message_id")
    return reverse("publicity:message-detail", args=[pk]) if pk else None


def _notice_url(event: Any) -> str | None:
    pk = event.params.get("notice_id")
    return reverse("publicity:notice-detail", args=[pk]) if pk else None


def _district_and_owner(event: Any) -> Q:
    project = event.project
    return Q(memberships__role=Role.DISTRICT_OFFICIAL, memberships__district_id=project.district_id) | Q(
        memberships__role=Role.OWNER_APPLICANT, memberships__organisation_id=project.owner_id
    )


def _bureau(event: Any) -> Q:
    return Q(memberships__role=Role.BUREAU_ADMIN)


def _message_readers(users: list[Any], event: Any) -> list[Any]:
    from greenbuild.publicity.models import PublicMessage
    from greenbuild.publicity.permissions import can

    message = PublicMessage.objects.select_related("project").filter(pk=event.params.get("message_id")).first()
    return [user for user in users if message is not None and can(user, "view", message)]


def _notice_readers(users: list[Any], event: Any) -> list[Any]:
    from greenbuild.publicity.models import PublicNotice
    from greenbuild.publicity.permissions import can

    notice = PublicNotice.objects.select_related("project").filter(pk=event.params.get("notice_id")).first()
    return [user for user in users if notice is not None and can(user, "view", notice)]


def register() -> None:
    register_verb(
        Verb(
            code="publicity.message_received",
            render=lambda e: _("Public message about {project}: answer by {due}").format(
                project=e.params.get("project_name", ""), due=e.params.get("due_on", "")
            ),
            url=_message_url,
            audience=_district_and_owner,
            readers=_message_readers,
        )
    )
    register_verb(
        Verb(
            code="publicity.message_escalated",
            render=lambda e: _("Public message about {project} unanswered since {due}: escalated to the bureau").format(
                project=e.params.get("project_name", ""), due=e.params.get("due_on", "")
            ),
            url=_message_url,
            audience=lambda e: _bureau(e) | _district_and_owner(e),
            readers=_message_readers,
        )
    )
    register_verb(
        Verb(
            code="publicity.message_answered",
            render=lambda e: _("Public message about {project} answered and published").format(
                project=e.params.get("project_name", "")
            ),
            url=_message_url,
            audience=lambda e: _bureau(e) | _district_and_owner(e),
            readers=_message_readers,
        )
    )
    register_verb(
        Verb(
            code="publicity.notice",
            render=lambda e: _("Public notice “{title}”: {status}").format(
                title=e.params.get("title", ""), status=_status_label(e.params.get("to_status", ""))
            ),
            url=_notice_url,
            audience=lambda e: _bureau(e) | _district_and_owner(e),
            readers=_notice_readers,
        )
    )
    register_verb(
        Verb(
            code="publicity.objection",
            render=lambda e: _("Objection to the public notice “{title}”: {status}").format(
                title=e.params.get("title", ""), status=_objection_label(e.params.get("status", ""))
            ),
            url=_notice_url,
            audience=lambda e: _bureau(e) | _district_and_owner(e),
            readers=_notice_readers,
        )
    )
    register_inbox_provider("publicity.messages_to_answer", messages_to_answer)
    register_inbox_provider("publicity.objections_to_answer", objections_to_answer)


def _status_label(code: str) -> str:
    try:
        return str(NoticeStatus(code).label)
    except ValueError:
        return code


def _objection_label(code: str) -> str:
    try:
        return str(ObjectionStatus(code).label)
    except ValueError:
        return code


def _emit(verb: str, *, actor: Any, project: Any, target: Any, params: dict[str, Any]) -> None:
    from greenbuild.notifications.services import emit

    emit(verb, actor=actor, project=project, target=target, params={"project_name": project.name, **params})


def notify_message_received(message_id: int) -> None:
    from greenbuild.publicity.models import PublicMessage

    message = PublicMessage.objects.select_related("project").get(pk=message_id)
    _emit(
        "publicity.message_received",
        actor=None,
        project=message.project,
        target=message,
        params={"message_id": message.pk, "due_on": message.due_on.isoformat(), "category": message.category},
    )


def notify_message_escalated(message_id: int) -> None:
    from greenbuild.publicity.models import PublicMessage

    message = PublicMessage.objects.select_related("project").get(pk=message_id)
    _emit(
        "publicity.message_escalated",
        actor=None,
        project=message.project,
        target=message,
        params={"message_id": message.pk, "due_on": message.due_on.isoformat()},
    )


def notify_message_answered(transition_id: int) -> None:
    from greenbuild.publicity.models import MessageTransition

    transition = MessageTransition.objects.select_related("message__project", "actor").get(pk=transition_id)
    message = transition.message
    _emit(
        "publicity.message_answered",
        actor=transition.actor,
        project=message.project,
        target=message,
        params={"message_id": message.pk},
    )


def notify_notice_transition(transition_id: int) -> None:
    from greenbuild.publicity.models import NoticeTransition

    transition = NoticeTransition.objects.select_related("notice__project", "actor").get(pk=transition_id)
    notice = transition.notice
    _emit(
        "publicity.notice",
        actor=transition.actor,
        project=notice.project,
        target=notice,
        params={"notice_id": notice.pk, "title": notice.title, "to_status": transition.to_status},
    )


def notify_objection_filed(objection_id: int) -> None:
    from greenbuild.publicity.models import Objection

    objection = Objection.objects.select_related("notice__project").get(pk=objection_id)
    notice = objection.notice
    _emit(
        "publicity.objection",
        actor=None,
        project=notice.project,
        target=objection,
        params={"notice_id": notice.pk, "title": notice.title, "status": ObjectionStatus.OPEN},
    )


def notify_objection_answered(transition_id: int) -> None:
    from greenbuild.publicity.models import ObjectionTransition

    transition = ObjectionTransition.objects.select_related("objection__notice__project", "actor").get(pk=transition_id)
    notice = transition.objection.notice
    _emit(
        "publicity.objection",
        actor=transition.actor,
        project=notice.project,
        target=transition.objection,
        params={"notice_id": notice.pk, "title": notice.title, "status": ObjectionStatus.ANSWERED},
    )


# --- inbox ---------------------------------------------------------------------------------------


def messages_to_answer(user: Any) -> Iterator[InboxItem]:
    """The district's and the owner's unanswered messages; the bureau's: those escalated."""
    from greenbuild.publicity.models import PublicMessage

    if not getattr(user, "is_authenticated", False):
        return
    queryset = PublicMessage.objects.filter(status=MessageStatus.RECEIVED).select_related("project")
    scope = Q(project__district_id__in=district_ids(user)) | Q(
        project__owner_id__in=organisation_ids(user, Role.OWNER_APPLICANT)
    )
    if is_bureau_admin(user):
        scope |= Q(escalated_at__isnull=False)
    for message in queryset.filter(scope).order_by("due_on", "pk")[:200]:
        yield InboxItem(
            kind="publicity.messages_to_answer",
            label=_("Public message to answer"),
            title="{} · {}".format(message.project.name, message.get_category_display()),
            url=reverse("publicity:message-detail", args=[message.pk]),
            since=message.received_at,
            due=message.due_on,
            project_id=message.project_id,
        )


def objections_to_answer(user: Any) -> Iterator[InboxItem]:
    from greenbuild.publicity.models import Objection

    if not is_bureau_admin(user):
        return
    for objection in (
        Objection.objects.filter(status=ObjectionStatus.OPEN).select_related("notice__project").order_by("pk")[:200]
    ):
        yield InboxItem(
            kind="publicity.objections_to_answer",
            label=_("Objection to answer"),
            title=objection.notice.title,
            url=reverse("publicity:notice-detail", args=[objection.notice_id]),
            since=objection.submitted_at,
            project_id=objection.notice.project_id,
        )
