"""The accounts gate: who may manage sign-in security (unlock accounts and addresses): the
security administrator's duty (docs/security.md, "Separated administrator duties")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from greenbuild.accounts.duties import SECURITY, has_duty
from greenbuild.accounts.models import User

ACTIONS = {"unlock_accounts"}


def can(user: Any, action: str, obj: Any = None) -> bool:
    if action not in ACTIONS:
        raise ValueError(action)
    return bool(getattr(user, "is_authenticated", False)) and has_duty(user, SECURITY)


def require(user: Any, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied


def get_locked_user_for_user(actor: Any, pk: int) -> User:
    """A currently locked account, for the security administrator (403 for others, 404 if not locked)."""
    require(actor, "unlock_accounts")
    # never one's own account: a lockout is lifted by another administrator (三员)
    user = User.objects.filter(pk=pk, locked_until__gt=timezone.now()).exclude(pk=actor.pk).first()
    if user is None:
        raise Http404
    return user
