"""The webhooks of the demo programme (called last by ``seed_demo``; idempotent): an allow-list
entry for ``hooks.example.com`` and one subscription of the city investment group, switched off,
so the demo shows the pages without trying to deliver anywhere."""

from __future__ import annotations

from greenbuild.accounts.models import Membership, User

DEMO_HOST = "hooks.example.com"


def seed_webhooks() -> int:
    """Returns the number of subscriptions created."""
    from greenbuild.webhooks.models import AllowedHost, Subscription
    from greenbuild.webhooks.services import create_subscription

    AllowedHost.objects.get_or_create(host=DEMO_HOST, defaults={"note": "演示 · demo (example.com never answers)"})
    owner = User.objects.filter(username="owner").first()
    membership = Membership.objects.filter(user=owner).select_related("organisation").first() if owner else None
    if membership is None or Subscription.objects.exists():
        return 0
    create_subscription(
        actor=owner,
        organisation=membership.organisation,
        data={
            "name": "城建集团项目管理系统（演示）",
            "url": "https://{}/greenbuild".format(DEMO_HOST),
            "events": ["project.submitted", "project.confirmed", "plan.passed", "step.approved", "document.issued"],
            "is_active": False,
        },
    )
    return 1
