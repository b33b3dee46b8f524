"""What the navigation bar reads of the signed-in user beyond the context processor."""

from __future__ import annotations

from typing import Any

from django import template

from greenbuild.accounts.choices import Role

register = template.Library()


@register.filter
def reviewed_departments(user: Any) -> list[Any]:
    """The departments whose lifecycle steps ``user`` signs (from the memberships already loaded)."""
    if not getattr(user, "is_authenticated", False):
        return []
    seen: dict[int, Any] = {}
    for membership in user.memberships_cached():
        if membership.role == Role.DEPARTMENT_REVIEWER and membership.department_id:
            seen.setdefault(membership.department_id, membership.department)
    return list(seen.values())
