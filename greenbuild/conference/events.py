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


def _assignee_q(params: dict[str, Any]) -> Q:
    if params.get("district_id"):
        return Q(memberships__role=Role.DISTRICT_OFFICIAL, memberships__district_id=params["district_id"])
    return Q(memberships__role=Role.DEPARTMENT_REVIEWER, memberships__department_id=params.get("department_id"))


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
    verb = "conference.action_closed" if transition.to_status == "closed" else "conference.action_reopened"
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
    """District officials and department reviewers: the open items assigned to them (one query)."""
    from greenbuild.conference.models import ActionItem
    from greenbuild.conference.permissions import department_ids, district_ids

    districts, departments = district_ids(user), department_ids(user)
    if not districts and not departments:
        return iter(())
    items = (
        ActionItem.objects.filter(status="open")
        .filter(Q(district_id__in=districts) | Q(department_id__in=departments))
        .select_related("meeting", "district", "department")
        .order_by("due", "pk")[:200]
    )
    return iter([_item("conference.to_close", _("Joint conference action item"), item) for item in items])


def overdue_action_items(user: Any) -> Iterator[InboxItem]:
    """The conference office (the bureau): every open item past its due date (one query)."""
    from greenbuild.accounts.roles import is_bureau_admin
    from greenbuild.conference.models import ActionItem

    if not is_bureau_admin(user):
        return iter(())
    items = (
        ActionItem.objects.filter(status="open", due__lt=timezone.localdate())
        .select_related("meeting", "district", "department")
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
            readers=_readers,
        )
    )
    register_verb(
        Verb(
            code="conference.action_closed",
            render=lambda e: _("Joint conference: action item closed — {title}").format(**e.params),
            url=_item_url,
            audience=lambda e: Q(memberships__role=Role.BUREAU_ADMIN),
            readers=_readers,
        )
    )
    register_verb(
        Verb(
            code="conference.action_reopened",
            render=lambda e: _("Joint conference: action item reopened — {title}").format(**e.params),
            url=_item_url,
            audience=lambda e: _assignee_q(e.params),
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
