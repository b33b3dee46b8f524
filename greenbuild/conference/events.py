"""What the joint conference tells people, and the action items in their inbox (待办).

Verbs (``conference.*``): an action item assigned, closed, reopened; a meeting held or its
minutes published. Inbox: the open action items of the districts and departments a user
represents (with the due date, so overdue ones are marked), and for the bureau every overdue item.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.notifications.registry import InboxItem, Verb, register_inbox_provider, register_verb


def _readers(users: list[Any], event: Any) -> list[Any]:
    from greenbuild.conference.permissions import is_conference_member

    return [user for user in users if is_conference_member(user)]


def _item_readers(users: list[Any], event: Any) -> list[Any]:
    """Members, and the item's assignee (an owner or a named person may sit on no seat)."""
    from greenbuild.conference.models import ActionItem
    from greenbuild.conference.permissions import can

    item = ActionItem.objects.filter(pk=event.params.get("item_id")).first()
    if item is None:
        return []
    return [user for user in users if can(user, "view", item)]


def _assignee_q(params: dict[str, Any]) -> Q:
    if params.get("district_id"):
        return Q(memberships__role=Role.DISTRICT_OFFICIAL, memberships__district_id=params["district_id"])
    if params.get("department_id"):
        return Q(memberships__role=Role.DEPARTMENT_REVIEWER, memberships__department_id=params["department_id"])
    if params.get("organisation_id"):
        return Q(memberships__organisation_id=params["organisation_id"])
    return Q(pk=params.get("person_id") or 0)


def _item_url(event: Any) -> str | None:
    item_id = event.params.get("item_id")
    return reverse("conference:action-item-detail", args=[item_id]) if item_id else None


def _meeting_url(event: Any) -> str | None:
    meeting_id = event.params.get("meeting_id")
    return reverse("conference:meeting-detail", args=[meeting_id]) if meeting_id else None


def _item_params(item: Any) -> dict[str, Any]:
    return {
        "item_id": item.pk,
        "title": item.title,
        "meeting_id": item.meeting_id,
        "meeting_number": item.meeting.number,
        "district_id": item.district_id,
        "department_id": item.department_id,
        "organisation_id": item.organisation_id,
        "person_id": item.person_id,
        "due": item.due.isoformat(),
    }


def notify_action_item_assigned(item_id: int, actor_id: int) -> None:
    from greenbuild.accounts.models import User
    from greenbuild.conference.models import ActionItem
    from greenbuild.notifications.services import emit

    item = ActionItem.objects.select_related("meeting").get(pk=item_id)
    emit("conference.action_assigned", actor=User.objects.get(pk=actor_id), target=item, params=_item_params(item))


def notify_action_item_transition(transition_id: int) -> None:
    from greenbuild.conference.models import ActionItemTransition
    from greenbuild.notifications.services import emit

    transition = ActionItemTransition.objects.select_related("action_item__meeting", "actor").get(pk=transition_id)
    verb = {
        "requested": "conference.action_closure_requested",
        "closed": "conference.action_closed",
    }.get(transition.to_status, "conference.action_reopened")
    params = {**_item_params(transition.action_item), "comment": transition.comment}
    emit(verb, actor=transition.actor, target=transition.action_item, params=params)


def notify_meeting_transition(transition_id: int) -> None:
    from greenbuild.conference.models import MeetingTransition
    from greenbuild.notifications.services import emit

    transition = MeetingTransition.objects.select_related("meeting", "actor").get(pk=transition_id)
    if transition.to_status != "minutes_published":
        return
    meeting = transition.meeting
    emit(
        "conference.minutes_published",
        actor=transition.actor,
        target=meeting,
        params={"meeting_id": meeting.pk, "meeting_number": meeting.number, "title": meeting.title},
    )


def notify_notice(meeting_id: int, actor_id: int) -> None:
    from greenbuild.accounts.models import User
    from greenbuild.conference.models import Meeting
    from greenbuild.notifications.services import emit

    meeting = Meeting.objects.get(pk=meeting_id)
    emit(
        "conference.notice",
        actor=User.objects.get(pk=actor_id),
        target=meeting,
        params={
            "meeting_id": meeting.pk,
            "meeting_number": meeting.number,
            "title": meeting.title,
            "date": meeting.date.isoformat(),
        },
    )


def _members_q(event: Any) -> Q:
    return Q(memberships__role__in=[Role.BUREAU_ADMIN, Role.DISTRICT_OFFICIAL, Role.DEPARTMENT_REVIEWER])


# --- the inbox ---------------------------------------------------------------------------------


def _item(kind: str, label: str, item: Any) -> InboxItem:
    return InboxItem(
        kind=kind,
        label=label,
        title=item.title,
        url=reverse("conference:action-item-detail", args=[item.pk]),
        since=item.created_at,
        due=item.due,
        extra={"assignee": str(item.assignee), "meeting": item.meeting.number},
    )


def action_items_to_close(user: Any) -> Iterator[InboxItem]:
    """The assignees — district officials, department reviewers, members of an organisation, a
    named person: the open items assigned to them (one query)."""
    from greenbuild.conference.models import ActionItem
    from greenbuild.conference.permissions import department_ids, district_ids, member_organisation_ids

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return iter(())
    districts, departments = district_ids(user), department_ids(user)
    organisations = member_organisation_ids(user)
    items = (
        ActionItem.objects.filter(status="open")
        .filter(
            Q(district_id__in=districts)
            | Q(department_id__in=departments)
            | Q(organisation_id__in=organisations)
            | Q(person_id=user.pk)
        )
        .select_related("meeting", "district", "department", "organisation", "person")
        .order_by("due", "pk")[:200]
    )
    return iter([_item("conference.to_close", _("Joint conference action item"), item) for item in items])


def closures_to_confirm(user: Any) -> Iterator[InboxItem]:
    """The conference office (the bureau): closures asked for, to confirm or send back (one query)."""
    from greenbuild.accounts.roles import is_bureau_admin
    from greenbuild.conference.models import ActionItem

    if not is_bureau_admin(user):
        return iter(())
    items = (
        ActionItem.objects.filter(status="requested")
        .select_related("meeting", "district", "department", "organisation", "person")
        .order_by("closed_at", "pk")[:200]
    )
    return iter(
        [
            InboxItem(
                kind="conference.to_confirm",
                label=_("Confirm the closure of an action item"),
                title=item.title,
                url=reverse("conference:action-item-detail", args=[item.pk]),
                since=item.closed_at,
                due=None,
                extra={"assignee": str(item.assignee), "meeting": item.meeting.number},
            )
            for item in items
        ]
    )


def overdue_action_items(user: Any) -> Iterator[InboxItem]:
    """The conference office (the bureau): every open item past its due date (one query)."""
    from greenbuild.accounts.roles import is_bureau_admin
    from greenbuild.conference.models import ActionItem

    if not is_bureau_admin(user):
        return iter(())
    items = (
        ActionItem.objects.filter(status="open", due__lt=timezone.localdate())
        .select_related("meeting", "district", "department", "organisation", "person")
        .order_by("due", "pk")[:200]
    )
    return iter([_item("conference.overdue", _("Follow up an overdue action item"), item) for item in items])


def register() -> None:
    register_verb(
        Verb(
            code="conference.action_assigned",
            render=lambda e: _("Joint conference: new action item for you — {title} (due {due})").format(**e.params),
            url=_item_url,
            audience=lambda e: _assignee_q(e.params),
            readers=_item_readers,
        )
    )
    register_verb(
        Verb(
            code="conference.action_closure_requested",
            render=lambda e: _("Joint conference: closure asked for — {title}").format(**e.params),
            url=_item_url,
            audience=lambda e: Q(memberships__role=Role.BUREAU_ADMIN),
            readers=_item_readers,
        )
    )
    register_verb(
        Verb(
            code="conference.action_closed",
            render=lambda e: _("Joint conference: action item closed — {title}").format(**e.params),
            url=_item_url,
            audience=lambda e: Q(memberships__role=Role.BUREAU_ADMIN) | _assignee_q(e.params),
            readers=_item_readers,
        )
    )
    register_verb(
        Verb(
            code="conference.action_reopened",
            render=lambda e: _("Joint conference: action item open again — {title}").format(**e.params),
            url=_item_url,
            audience=lambda e: _assignee_q(e.params),
            readers=_item_readers,
        )
    )
    register_verb(
        Verb(
            code="conference.notice",
            render=lambda e: _("Joint conference: notice of meeting {meeting_number} on {date} — {title}").format(
                **e.params
            ),
            url=_meeting_url,
            audience=_members_q,
            readers=_readers,
        )
    )
    register_verb(
        Verb(
            code="conference.minutes_published",
            render=lambda e: _("Joint conference: the minutes of meeting {meeting_number} are published").format(
                **e.params
            ),
            url=_meeting_url,
            audience=_members_q,
            readers=_readers,
        )
    )
    register_inbox_provider("conference.to_close", action_items_to_close)
    register_inbox_provider("conference.overdue", overdue_action_items)
    register_inbox_provider("conference.to_confirm", closures_to_confirm)
