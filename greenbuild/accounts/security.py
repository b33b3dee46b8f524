"""Security settings of the accounts app, read in one place with their defaults (docs/security.md)."""

from __future__ import annotations

import datetime

from django.conf import settings


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
