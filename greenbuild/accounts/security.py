"""Security settings of the accounts app, read in one place with their defaults (docs/security.md)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def lockout_threshold() -> int:
    """Consecutive failed sign-ins of one account, within the window, that lock it."""
    return _int("LOGIN_LOCKOUT_THRESHOLD", 5)


def lockout_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=_int("LOGIN_LOCKOUT_WINDOW_MINUTES", 15))


def lockout_duration() -> datetime.timedelta:
    return datetime.timedelta(minutes=_int("LOGIN_LOCKOUT_MINUTES", 30))


def address_threshold() -> int:
    """Failed sign-ins from one address, across accounts, within the window, that throttle it."""
    return _int("LOGIN_ADDRESS_THRESHOLD", 20)


def address_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=_int("LOGIN_ADDRESS_WINDOW_MINUTES", 15))


def idle_timeout() -> datetime.timedelta:
    return datetime.timedelta(minutes=_int("SESSION_IDLE_TIMEOUT_MINUTES", 30))


def idle_warning_seconds() -> int:
    """Seconds before the idle timeout at which the page offers to stay signed in."""
    timeout = int(idle_timeout().total_seconds())
    return max(1, min(_int("SESSION_IDLE_WARNING_SECONDS", 120), timeout - 5))


def password_history_count() -> int:
    """A new password must differ from the current one and from this many earlier ones."""
    return _int("PASSWORD_HISTORY_COUNT", 5)


def password_max_age() -> datetime.timedelta | None:
    """How long a password lasts before it must be changed (``PASSWORD_MAX_AGE_DAYS``; 0, the
    default, is no expiry)."""
    days = _int("PASSWORD_MAX_AGE_DAYS", 0)
    return datetime.timedelta(days=days) if days > 0 else None


def password_expired(user: Any, now: datetime.datetime | None = None) -> bool:
    max_age = password_max_age()
    if max_age is None or not getattr(user, "is_authenticated", False):
        return False
    changed = getattr(user, "password_changed_at", None) or getattr(user, "date_joined", None)
    return changed is not None and (now or timezone.now()) - changed > max_age


def password_change_required(user: Any) -> bool:
    """The user must choose a new password before anything else: an administrator set it, or it
    is older than ``PASSWORD_MAX_AGE_DAYS``."""
    return bool(getattr(user, "must_change_password", False)) or password_expired(user)
