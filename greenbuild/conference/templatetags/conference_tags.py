from typing import Any

from django import template

from greenbuild.conference.permissions import represents_a_member

register = template.Library()


@register.filter
def may_see_conference(user: Any) -> bool:
    """Whether the navigation shows the joint conference: the bureau, district officials and
    department reviewers (no query on every page; a person named on a seat without such a role
    reaches the pages by their address)."""
    return represents_a_member(user)
