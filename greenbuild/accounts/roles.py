"""Reading a user's roles and scopes from their memberships. Every app's gate builds on this."""

from __future__ import annotations

from typing import Any

from greenbuild.accounts.choices import Role


def has_role(user: Any, role: Role) -> bool:
    if not getattr(user, "is_authenticated", False):
        return role == Role.PUBLIC
    if role == Role.BUREAU_ADMIN and user.is_superuser:
        return True
    return any(m.role == role for m in user.memberships_cached())


def is_bureau_admin(user: Any) -> bool:
    return has_role(user, Role.BUREAU_ADMIN)


def district_ids(user: Any) -> set[int]:
    """Districts a district official is scoped to."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {m.district_id for m in user.memberships_cached() if m.role == Role.DISTRICT_OFFICIAL and m.district_id}


def organisation_ids(user: Any, *roles: Role) -> set[int]:
    """Organisations in which the user holds one of ``roles``."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {m.organisation_id for m in user.memberships_cached() if m.role in roles}


def role_labels(user: Any) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return [str(Role.PUBLIC.label)]
    labels = [str(m.get_role_display()) for m in user.memberships_cached()]
    if user.is_superuser and not labels:
        labels.append(str(Role.BUREAU_ADMIN.label))
    return labels
