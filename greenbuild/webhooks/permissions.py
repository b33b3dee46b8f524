"""Who may manage an organisation's webhooks: its members holding the organisation's leading role
(the owner's applicant, the district official, the department reviewer, the evaluator, the bureau
administrator — not participants or experts), and the bureau administrator for every
organisation. The same people see the subscriptions and their deliveries; nobody else learns that
they exist (404)."""

from __future__ import annotations

from typing import Any

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import is_bureau_admin, organisation_ids
from greenbuild.core.permissions import CHANGE, VIEW, Gate, register_gate

MANAGER_ROLES = (
    Role.OWNER_APPLICANT,
    Role.DISTRICT_OFFICIAL,
    Role.DEPARTMENT_REVIEWER,
    Role.EVALUATOR,
    Role.BUREAU_ADMIN,
)


def managed_organisation_ids(user: Any) -> set[int]:
    """The organisations whose webhooks ``user`` manages through a membership."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return set()
    return organisation_ids(user, *MANAGER_ROLES)


def can_manage(user: Any, organisation_id: int | None) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return is_bureau_admin(user) or (organisation_id is not None and organisation_id in managed_organisation_ids(user))


def may_use_webhooks(user: Any) -> bool:
    """Whether the webhooks pages are for ``user`` at all (the menu entry)."""
    return bool(is_bureau_admin(user) or managed_organisation_ids(user))


def can_subscription(user: Any, action: str, subscription: Any) -> bool:
    return subscription is not None and can_manage(user, subscription.organisation_id)


def restrict_subscriptions(queryset: Any, user: Any, action: str) -> Any:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return queryset.none()
    if is_bureau_admin(user):
        return queryset
    return queryset.filter(organisation_id__in=managed_organisation_ids(user))


def can_delivery(user: Any, action: str, delivery: Any) -> bool:
    return delivery is not None and can_manage(user, delivery.subscription.organisation_id)


def restrict_deliveries(queryset: Any, user: Any, action: str) -> Any:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return queryset.none()
    if is_bureau_admin(user):
        return queryset
    return queryset.filter(subscription__organisation_id__in=managed_organisation_ids(user))


SUBSCRIPTION_GATE = register_gate(
    Gate(
        model="webhooks.Subscription",
        can=can_subscription,
        restrict=restrict_subscriptions,
        sql_actions=frozenset({VIEW, CHANGE}),
        select_related=("organisation",),
    )
)
DELIVERY_GATE = register_gate(
    Gate(
        model="webhooks.Delivery",
        can=can_delivery,
        restrict=restrict_deliveries,
        select_related=("subscription", "subscription__organisation"),
    )
)
