"""The one permission gate of the joint conference (R18).

* view (meetings, decisions, action items, members): conference members — the bureau
  administrator (the conference office), every district official and department reviewer (each
  district and department sits on the conference) and anyone named on an active seat; nobody
  else (the public, owners, experts, participants) sees anything: 404;
* change (write meetings, minutes, decisions, action items; hold a meeting, publish its minutes;
  reopen an action item): the bureau administrator; members get 403;
* ask to close an action item (销号): its assignee — an official of its district, a reviewer of
  its department, a member of its organisation or the person named — with a note; the assignee
  (who may sit on no seat, e.g. a pilot's owner) reads that item and nothing else of the
  conference; the office (the bureau) confirms the closure or sends it back.
"""

from __future__ import annotations

from typing import Any

import rules

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import bound_organisation_id, district_ids, is_bureau_admin
from greenbuild.core.permissions import CHANGE, VIEW, Gate, register_gate

CLOSE = "close"
REOPEN = "reopen"
ACTIONS = frozenset({VIEW, CHANGE})


def department_ids(user: Any) -> set[int]:
    """Departments a department reviewer is scoped to."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {
        m.department_id for m in user.memberships_cached() if m.role == Role.DEPARTMENT_REVIEWER and m.department_id
    }


def _named_on_a_seat(user: Any) -> bool:
    """Named on an active seat. Through a token bound to an organisation (SEC-01), only a seat
    held for that organisation counts: the binding carries no other capacity of the person."""
    cached = getattr(user, "_gb_conference_seat", None)
    if cached is None:
        from greenbuild.conference.models import ConferenceMember

        seats = ConferenceMember.objects.filter(person_id=user.pk, active=True)
        bound = bound_organisation_id(user)
        if bound is not None:
            seats = seats.filter(organisation_id=bound)
        cached = seats.exists()
        user._gb_conference_seat = cached
    return bool(cached)


def represents_a_member(user: Any) -> bool:
    """The bureau, a district official or a department reviewer: read from the memberships the
    request has loaded already, without a query (the navigation asks on every page)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(is_bureau_admin(user) or district_ids(user) or department_ids(user))


def is_conference_member(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return represents_a_member(user) or _named_on_a_seat(user)


def member_organisation_ids(user: Any) -> set[int]:
    """Every organisation the user belongs to, whatever the role."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {m.organisation_id for m in user.memberships_cached() if m.organisation_id}


def is_assignee(user: Any, item: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if item.district_id is not None:
        return item.district_id in district_ids(user)
    if item.department_id is not None:
        return item.department_id in department_ids(user)
    if item.organisation_id is not None:
        return item.organisation_id in member_organisation_ids(user)
    return item.person_id is not None and item.person_id == user.pk


@rules.predicate
def can_view(user: Any, obj: Any = None) -> bool:
    return is_conference_member(user)


@rules.predicate
def can_manage(user: Any, obj: Any = None) -> bool:
    return is_conference_member(user) and is_bureau_admin(user)


@rules.predicate
def can_close_item(user: Any, item: Any) -> bool:
    return item is not None and is_assignee(user, item)


@rules.predicate
def can_view_item(user: Any, item: Any = None) -> bool:
    return is_conference_member(user) or (item is not None and is_assignee(user, item))


for _model in ("meeting", "decision", "conferencemember"):
    rules.add_perm("conference.view_{}".format(_model), can_view)
    rules.add_perm("conference.change_{}".format(_model), can_manage)
rules.add_perm("conference.view_actionitem", can_view_item)
rules.add_perm("conference.change_actionitem", can_manage)
rules.add_perm("conference.hold_meeting", can_manage)
rules.add_perm("conference.publish_minutes_meeting", can_manage)
rules.add_perm("conference.close_actionitem", can_close_item)
for _move in ("confirm", "send_back", "reopen"):
    rules.add_perm("conference.{}_actionitem".format(_move), can_manage)

#: moves of the office (the bureau) on an action item
OFFICE_ITEM_MOVES = ("confirm", "send_back", REOPEN)


def can(user: Any, action: str, obj: Any) -> bool:
    """Whether ``user`` may ``action`` ``obj`` (a meeting, decision, action item or seat)."""
    from greenbuild.conference.models import ActionItem

    if action == VIEW:
        if isinstance(obj, ActionItem):
            return bool(can_view_item(user, obj))
        return bool(can_view(user, obj))
    if action == CLOSE:
        return bool(can_close_item(user, obj))
    if action in (CHANGE, "hold", "publish_minutes", "create", *OFFICE_ITEM_MOVES):
        return bool(can_manage(user, obj))
    return False


def restrict(queryset: Any, user: Any, action: str = VIEW) -> Any:
    """The SQL form of ``can`` for lists: all of it for members (``change``: the bureau), else none
    (action items: an assignee outside the conference sees the items assigned to them)."""
    if action not in ACTIONS:
        raise ValueError("unknown action {!r}".format(action))
    allowed = can_view(user) if action == VIEW else can_manage(user)
    if allowed:
        return queryset
    if action == VIEW and queryset.model._meta.label == "conference.ActionItem" and user.is_authenticated:
        from django.db.models import Q

        return queryset.filter(
            Q(person_id=user.pk) | Q(organisation_id__in=member_organisation_ids(user))
            if user.is_active
            else Q(pk__in=[])
        )
    return queryset.none()


def _gate(model: str) -> Gate:
    return Gate(model=model, can=can, restrict=restrict, sql_actions=ACTIONS)


MEETING_GATE = register_gate(_gate("conference.Meeting"))
DECISION_GATE = register_gate(_gate("conference.Decision"))
ACTION_ITEM_GATE = register_gate(
    Gate(
        model="conference.ActionItem",
        can=can,
        restrict=restrict,
        sql_actions=ACTIONS,
        select_related=("meeting", "decision", "district", "department", "closed_by"),
    )
)
MEMBER_GATE = register_gate(_gate("conference.ConferenceMember"))
