"""What inspections tell people, and what waits in their inbox (待办).

Verbs (``inspections.*``): an inspection scheduled (its inspector), a rectification order issued
(the owner), answered (the inspectors of the project's scope), verified or reopened (the owner),
overdue (the district of the project and the bureau: the daily escalation). Inbox: the owner's
orders to rectify, the inspector's answered orders to verify and inspections to carry out, and for
the district and the bureau the overdue orders of their scope (they may set a new deadline)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.notifications.registry import InboxItem, Verb, register_inbox_provider, register_verb


def _order_readers(users: list[Any], event: Any) -> list[Any]:
    from greenbuild.inspections.models import RectificationOrder
    from greenbuild.inspections.permissions import can

    order = RectificationOrder.objects.select_related("project").filter(pk=event.params.get("order_id")).first()
    return [] if order is None else [user for user in users if can(user, "view", order)]


def _inspection_readers(users: list[Any], event: Any) -> list[Any]:
    from greenbuild.inspections.models import Inspection
    from greenbuild.inspections.permissions import can

    inspection = Inspection.objects.select_related("project").filter(pk=event.params.get("inspection_id")).first()
    return [] if inspection is None else [user for user in users if can(user, "view", inspection)]


def _order_url(event: Any) -> str | None:
    order_id = event.params.get("order_id")
    return reverse("inspections:order-detail", args=[order_id]) if order_id else None


def _inspection_url(event: Any) -> str | None:
    inspection_id = event.params.get("inspection_id")
    return reverse("inspections:inspection-detail", args=[inspection_id]) if inspection_id else None


def _owner_q(event: Any) -> Q:
    return Q(memberships__role=Role.OWNER_APPLICANT, memberships__organisation_id=event.params.get("owner_id") or 0)


def _scope_q(event: Any) -> Q:
    """The inspectors of the project's scope: the bureau and the officials of its district."""
    return Q(memberships__role=Role.BUREAU_ADMIN) | Q(
        memberships__role=Role.DISTRICT_OFFICIAL, memberships__district_id=event.params.get("district_id") or 0
    )


def _order_params(order: Any) -> dict[str, Any]:
    return {
        "order_id": order.pk,
        "number": order.number,
        "project": order.project.name,
        "owner_id": order.project.owner_id,
        "district_id": order.project.district_id,
        "deadline": order.deadline.isoformat(),
    }


def notify_scheduled(inspection_id: int, actor_id: int) -> None:
    from greenbuild.accounts.models import User
    from greenbuild.inspections.models import Inspection
    from greenbuild.notifications.services import emit

    inspection = Inspection.objects.select_related("project").get(pk=inspection_id)
    emit(
        "inspections.scheduled",
        actor=User.objects.get(pk=actor_id),
        project=inspection.project,
        target=inspection,
        params={
            "inspection_id": inspection.pk,
            "project": inspection.project.name,
            "inspector_id": inspection.inspector_id,
            "due_on": inspection.due_on.isoformat(),
        },
    )


def notify_inspection_transition(transition_id: int) -> None:
    """Nothing to tell beyond the page: the transition rows record it (a hook kept for the API)."""


def notify_order_issued(order_id: int, actor_id: int) -> None:
    from greenbuild.accounts.models import User
    from greenbuild.inspections.models import RectificationOrder
    from greenbuild.notifications.services import emit

    order = RectificationOrder.objects.select_related("project").get(pk=order_id)
    emit(
        "inspections.order_issued",
        actor=User.objects.get(pk=actor_id),
        project=order.project,
        target=order,
        params=_order_params(order),
    )


def notify_order_transition(transition_id: int) -> None:
    from greenbuild.inspections.models import OrderTransition
    from greenbuild.notifications.services import emit

    transition = OrderTransition.objects.select_related("order__project", "actor").get(pk=transition_id)
    verb = {"answered": "inspections.order_answered", "closed": "inspections.order_closed"}.get(
        transition.to_status, "inspections.order_reopened"
    )
    order = transition.order
    emit(
        verb,
        actor=transition.actor,
        project=order.project,
        target=order,
        params={**_order_params(order), "comment": transition.comment},
    )


def notify_order_overdue(order_id: int) -> None:
    from greenbuild.inspections.models import RectificationOrder
    from greenbuild.notifications.services import emit

    order = RectificationOrder.objects.select_related("project").get(pk=order_id)
    emit("inspections.order_overdue", actor=None, project=order.project, target=order, params=_order_params(order))


# --- the inbox ---------------------------------------------------------------------------------


def _order_item(kind: str, label: str, order: Any, since: Any) -> InboxItem:
    return InboxItem(
        kind=kind,
        label=label,
        title="{} · {}".format(order.project.name, order.number),
        url=reverse("inspections:order-detail", args=[order.pk]),
        since=since,
        due=order.deadline,
        project_id=order.project_id,
    )


def orders_to_rectify(user: Any) -> Iterator[InboxItem]:
    """The owner applicant: orders waiting for rectification (one query)."""
    from greenbuild.accounts.roles import organisation_ids
    from greenbuild.inspections.models import RectificationOrder

    owners = organisation_ids(user, Role.OWNER_APPLICANT) if getattr(user, "is_authenticated", False) else set()
    if not owners:
        return iter(())
    orders = (
        RectificationOrder.objects.filter(status="issued", project__owner_id__in=owners)
        .select_related("project")
        .order_by("deadline", "pk")[:200]
    )
    return iter(
        [_order_item("inspections.to_rectify", _("Rectify and report with evidence"), o, o.issued_at) for o in orders]
    )


def orders_to_verify(user: Any) -> Iterator[InboxItem]:
    """Inspectors in scope: answered orders to verify or reopen (one query)."""
    from greenbuild.inspections.models import RectificationOrder
    from greenbuild.inspections.permissions import is_inspector, scope_q

    if not is_inspector(user):
        return iter(())
    orders = (
        RectificationOrder.objects.filter(status="answered")
        .filter(scope_q(user, "project__"))
        .select_related("project")
        .order_by("answered_at", "pk")[:200]
    )
    return iter([_order_item("inspections.to_verify", _("Verify a rectification"), o, o.answered_at) for o in orders])


def overdue_orders(user: Any) -> Iterator[InboxItem]:
    """The bureau and the district officials: overdue orders of their scope (set a new deadline or
    follow up with the owner)."""
    from greenbuild.inspections.models import RectificationOrder
    from greenbuild.inspections.permissions import may_see_stats, scope_q

    if not may_see_stats(user):
        return iter(())
    orders = (
        RectificationOrder.objects.filter(status="issued", deadline__lt=timezone.localdate())
        .filter(scope_q(user, "project__"))
        .select_related("project")
        .order_by("deadline", "pk")[:200]
    )
    return iter(
        [_order_item("inspections.overdue", _("Follow up an overdue rectification"), o, o.issued_at) for o in orders]
    )


def inspections_to_do(user: Any) -> Iterator[InboxItem]:
    """The inspector: their scheduled and running inspections (one query)."""
    from greenbuild.inspections.models import Inspection
    from greenbuild.inspections.permissions import scope_q

    if not getattr(user, "is_authenticated", False):
        return iter(())
    inspections = (
        Inspection.objects.filter(inspector_id=user.pk, status__in=["scheduled", "in_progress"])
        .filter(scope_q(user, "project__"))  # only what the reader may work now (left the pool: nothing)
        .select_related("project")
        .order_by("due_on", "pk")[:200]
    )
    return iter(
        [
            InboxItem(
                kind="inspections.to_inspect",
                label=_("Carry out an inspection"),
                title=i.project.name,
                url=reverse("inspections:inspection-detail", args=[i.pk]),
                since=i.created_at,
                due=i.due_on,
                project_id=i.project_id,
            )
            for i in inspections
        ]
    )


def register() -> None:
    register_verb(
        Verb(
            code="inspections.scheduled",
            render=lambda e: _("Inspection of {project} scheduled for {due_on}").format(**e.params),
            url=_inspection_url,
            audience=lambda e: Q(pk=e.params.get("inspector_id") or 0),
            readers=_inspection_readers,
        )
    )
    register_verb(
        Verb(
            code="inspections.order_issued",
            render=lambda e: _("Rectification order {number} for {project}: rectify by {deadline}").format(**e.params),
            url=_order_url,
            audience=_owner_q,
            readers=_order_readers,
        )
    )
    register_verb(
        Verb(
            code="inspections.order_answered",
            render=lambda e: _("Rectification order {number} ({project}) answered with evidence: verify it").format(
                **e.params
            ),
            url=_order_url,
            audience=_scope_q,
            readers=_order_readers,
        )
    )
    register_verb(
        Verb(
            code="inspections.order_closed",
            render=lambda e: _("Rectification order {number} ({project}) verified and closed").format(**e.params),
            url=_order_url,
            audience=_owner_q,
            readers=_order_readers,
        )
    )
    register_verb(
        Verb(
            code="inspections.order_reopened",
            render=lambda e: _("Rectification order {number} ({project}) reopened: {comment}").format(**e.params),
            url=_order_url,
            audience=_owner_q,
            readers=_order_readers,
        )
    )
    register_verb(
        Verb(
            code="inspections.order_overdue",
            render=lambda e: _("Rectification order {number} ({project}) is overdue since {deadline}").format(
                **e.params
            ),
            url=_order_url,
            audience=_scope_q,
            readers=_order_readers,
        )
    )
    register_inbox_provider("inspections.to_rectify", orders_to_rectify)
    register_inbox_provider("inspections.to_verify", orders_to_verify)
    register_inbox_provider("inspections.overdue", overdue_orders)
    register_inbox_provider("inspections.to_inspect", inspections_to_do)
