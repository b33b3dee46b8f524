"""The accounts gate: who may manage sign-in security (unlock accounts and addresses)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from greenbuild.accounts.models import User
from greenbuild.accounts.roles import is_bureau_admin

ACTIONS = {"unlock_accounts"}


def can(user: Any, action: str, obj: Any = None) -> bool:
    if action not in ACTIONS:
        raise ValueError(action)
    return bool(getattr(user, "is_authenticated", False)) and is_bureau_admin(user)


def require(user: Any, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied


def get_locked_user_for_user(actor: Any, pk: int) -> User:
    """A currently locked account, for the bureau administrator (403 for others, 404 if not locked)."""
    require(actor, "unlock_accounts")
    user = User.objects.filter(pk=pk, locked_until__gt=timezone.now()).first()
    if user is None:
        raise Http404
    return user
