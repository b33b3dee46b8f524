"""``{% if user|may_import %}``: the navigation shows the import pages to the bureau only."""

from typing import Any

from django import template

from greenbuild.imports.permissions import can

register = template.Library()


@register.filter
def may_import(user: Any) -> bool:
    return can(user, "view")
