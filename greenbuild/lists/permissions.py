"""The saved filters' gate: a saved filter is its owner's alone (nobody else sees, uses or deletes it)."""

from __future__ import annotations

from typing import Any

from greenbuild.core.permissions import VIEW, Gate, register_gate


def can(user: Any, action: str, saved: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and saved is not None and saved.user_id == user.pk


def restrict_saved_filters(queryset: Any, user: Any, action: str = VIEW) -> Any:
    if action not in (VIEW, "delete"):
        raise ValueError("unknown action {!r}".format(action))
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(user=user)


SAVED_FILTER_GATE = register_gate(
    Gate(model="lists.SavedFilter", can=can, restrict=restrict_saved_filters, sql_actions=frozenset({VIEW, "delete"}))
)
