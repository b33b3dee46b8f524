from typing import Any

from django import template

from greenbuild.incentives.permissions import may_read_training

register = template.Library()


@register.filter
def reads_training(user: Any) -> bool:
    return may_read_training(user)
