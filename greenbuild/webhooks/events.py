"""The inbox notice of the webhooks: a subscription was disabled after repeated failures, or
suspended because its creator left the organisation — told to the organisation's managers."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from greenbuild.notifications.registry import Verb, register_verb

DISABLED = "webhooks.disabled"


def _render(event: Any) -> str:
    from greenbuild.webhooks.choices import DisabledReason

    reason = event.params.get("reason", "")
    label = DisabledReason(reason).label if reason in DisabledReason.values else reason
    return _("Webhook “{name}” stopped delivering: {reason}").format(name=event.params.get("name", ""), reason=label)


def _url(event: Any) -> str | None:
    pk = event.params.get("subscription")
    return reverse("webhooks:subscription-detail", args=[pk]) if pk else None


def _audience(event: Any) -> Q:
    from greenbuild.webhooks.permissions import MANAGER_ROLES

    return Q(
        memberships__organisation_id=event.params.get("organisation"),
        memberships__role__in=[str(r) for r in MANAGER_ROLES],
    )


def _readers(users: list[Any], event: Any) -> list[Any]:
    from greenbuild.webhooks.permissions import can_manage

    return [u for u in users if can_manage(u, event.params.get("organisation"))]


def register() -> None:
    register_verb(Verb(code=DISABLED, render=_render, url=_url, audience=_audience, readers=_readers))
