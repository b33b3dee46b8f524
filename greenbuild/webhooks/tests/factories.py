"""Factories of the webhooks app: a subscription made through the service, to an allowed host."""

from __future__ import annotations

from typing import Any

from greenbuild.webhooks import services
from greenbuild.webhooks.models import AllowedHost, Subscription

EXAMPLE_HOST = "hooks.example.com"


def make_subscription(user: Any, organisation: Any, **data: Any) -> tuple[Subscription, str]:
    """A subscription of ``organisation`` created by ``user`` (a member), to https://hooks.example.com."""
    AllowedHost.objects.get_or_create(host=EXAMPLE_HOST)
    values = {"name": "对接系统", "url": "https://{}/in".format(EXAMPLE_HOST), "events": ["project.submitted"]}
    values.update(data)
    return services.create_subscription(actor=user, organisation=organisation, data=values)
