"""Reading a user's roles and scopes from their memberships. Every app's gate builds on this."""

from __future__ import annotations

from typing import Any

from greenbuild.accounts.choices import Role


def bind_to_organisation(user: Any, organisation_id: int) -> None:
    """From now on (this request), ``user`` acts only through their memberships in one
    organisation: an API token bound to it (docs/api.md, "Authentication"). The superuser flag
    is dropped with the rest: a bound superuser holds exactly the bound memberships' roles."""
    user.use_memberships([m for m in user.memberships_cached() if m.organisation_id == organisation_id])
    user._gb_bound_organisation_id = organisation_id


def bound_organisation_id(user: Any) -> int | None:
    """The organisation the request's user is bound to (a bound API token), or None."""
    return getattr(user, "_gb_bound_organisation_id", None)


def acts_as_superuser(user: Any) -> bool:
    """Whether the superuser flag counts for this request: never through a bound token. Every
    use of ``is_superuser`` in a gate goes through here."""
    return bool(getattr(user, "is_superuser", False)) and bound_organisation_id(user) is None


def has_role(user: Any, role: Role) -> bool:
    if not getattr(user, "is_authenticated", False):
        return role == Role.PUBLIC
    if role == Role.BUREAU_ADMIN and acts_as_superuser(user):
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
    if acts_as_superuser(user) and not labels:
        labels.append(str(Role.BUREAU_ADMIN.label))
    return labels
