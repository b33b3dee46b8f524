"""``user|may_see_reviews``: whether the navigation shows the expert reviews (bureau, experts, owners)."""

from __future__ import annotations

from typing import Any

from django import template

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import has_role, is_bureau_admin

register = template.Library()


@register.filter
def may_see_reviews(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return is_bureau_admin(user) or has_role(user, Role.EXPERT) or has_role(user, Role.OWNER_APPLICANT)
