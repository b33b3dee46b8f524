from typing import Any

from django import template

from greenbuild.webhooks.permissions import may_use_webhooks as _may_use

register = template.Library()


@register.filter
def may_use_webhooks(user: Any) -> bool:
    return _may_use(user)
