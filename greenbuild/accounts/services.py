"""Writes of the accounts app: sign-in failures and lockout, unlock, passwords, memberships.

Every function records its security event in the audit log (greenbuild.audit).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone

from greenbuild.accounts import permissions, security
from greenbuild.accounts.models import LoginFailure, User
from greenbuild.audit.choices import EventKind
from greenbuild.audit.services import client_address, record_event
from greenbuild.audit.signals import PASSWORD_RECORDED


def find_user(username: str) -> User | None:
    model = get_user_model()
    try:
        return model._default_manager.get_by_natural_key(username)
    except model.DoesNotExist:
        return None


def address_is_throttled(address: str | None) -> bool:
    if not address:
        return False
    since = timezone.now() - security.address_window()
    return LoginFailure.objects.filter(remote_addr=address, at__gte=since).count() >= security.address_threshold()


@transaction.atomic
def register_login_failure(username: str, *, request: HttpRequest | None, reason: str) -> None:
    """Record a refused sign-in; lock the account or throttle the address when it is one too many.

    ``reason`` is ``bad_credentials``, ``locked`` or ``throttled``. Only bad credentials count
    toward the lock and the throttle, so a locked account's lock is not extended by more tries.
    """
    address = client_address(request)
    user = find_user(username) if username else None
    record_event(
        EventKind.LOGIN_FAILED,
        actor=None,
        request=request,
        target=user,
        username=username,
        reason=reason,
    )
    if reason != "bad_credentials":
        return
    now = timezone.now()
    LoginFailure.objects.create(username=username[:150], remote_addr=address, at=now)
    if address:
        since = now - security.address_window()
        count = LoginFailure.objects.filter(remote_addr=address, at__gte=since).count()
        if count == security.address_threshold():
            record_event(EventKind.ADDRESS_THROTTLED, request=request, username=username, failures=count)
    if user is None:
        return
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_locked(now):
        return
    if user.last_failed_login_at is None or now - user.last_failed_login_at > security.lockout_window():
        user.failed_login_count = 0
    user.failed_login_count += 1
    user.last_failed_login_at = now
    fields = ["failed_login_count", "last_failed_login_at"]
    if user.failed_login_count >= security.lockout_threshold():
        user.locked_until = now + security.lockout_duration()
        fields.append("locked_until")
        record_event(
            EventKind.LOCKOUT,
            request=request,
            target=user,
            username=user.get_username(),
            failures=user.failed_login_count,
            locked_until=user.locked_until,
        )
    user.save(update_fields=fields)


@transaction.atomic
def register_login_success(user: User, *, request: HttpRequest | None) -> None:
    record_event(EventKind.LOGIN, actor=user, request=request)
    if user.failed_login_count or user.locked_until or user.last_failed_login_at:
        User.objects.filter(pk=user.pk).update(failed_login_count=0, last_failed_login_at=None, locked_until=None)
        user.failed_login_count, user.last_failed_login_at, user.locked_until = 0, None, None


def locked_users() -> list[User]:
    return list(User.objects.filter(locked_until__gt=timezone.now()).order_by("locked_until", "username"))


def throttled_addresses() -> list[Any]:
    """The addresses now throttled, latest failure first: ``remote_addr``, ``failures``, ``last``."""
    since = timezone.now() - security.address_window()
    return list(
        LoginFailure.objects.filter(at__gte=since, remote_addr__isnull=False)
        .values("remote_addr")
        .annotate(failures=Count("pk"), last=Max("at"))
        .filter(failures__gte=security.address_threshold())
        .order_by("-last")
    )


@transaction.atomic
def unlock_user(user: User, *, actor: Any, request: HttpRequest | None = None) -> None:
    """The bureau administrator lifts a lockout (and clears the failures of that user's name)."""
    permissions.require(actor, "unlock_accounts")
    user = User.objects.select_for_update().get(pk=user.pk)
    was_locked_until = user.locked_until
    user.failed_login_count = 0
    user.last_failed_login_at = None
    user.locked_until = None
    user.save(update_fields=["failed_login_count", "last_failed_login_at", "locked_until"])
    record_event(EventKind.UNLOCK, actor=actor, request=request, target=user, locked_until=was_locked_until)


@transaction.atomic
def change_own_password(user: User, raw_password: str, *, request: HttpRequest | None = None) -> None:
    """A signed-in user chose a new password (validated by the form); lifts a forced change."""
    user = User.objects.select_for_update().get(pk=user.pk) if user.pk else user
    was_forced = user.must_change_password
    user.set_password(raw_password)
    user.must_change_password = False
    setattr(user, PASSWORD_RECORDED, True)
    user.save(update_fields=["password", "must_change_password"])
    record_event(EventKind.PASSWORD_CHANGED, actor=user, request=request, target=user, forced=was_forced)


@transaction.atomic
def set_password_by_admin(
    user: User, raw_password: str | None, *, actor: Any, request: HttpRequest | None = None
) -> None:
    """An administrator set (or created) a user's password: the user must change it at next sign-in.

    ``raw_password`` None leaves the password as already set on ``user`` (Django admin forms set it).
    """
    if raw_password is not None:
        user.set_password(raw_password)
    user.must_change_password = True
    setattr(user, PASSWORD_RECORDED, True)
    if user.pk:
        user.save(update_fields=["password", "must_change_password"])
    else:
        user.save()
    record_event(EventKind.PASSWORD_RESET_BY_ADMIN, actor=actor, request=request, target=user)


def clean_address(value: str) -> str | None:
    import ipaddress

    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


@transaction.atomic
def unthrottle_address(address: str, *, actor: Any, request: HttpRequest | None = None) -> int:
    """The bureau administrator lifts the throttle of an address (its counted failures are dropped)."""
    permissions.require(actor, "unlock_accounts")
    deleted, _ = LoginFailure.objects.filter(remote_addr=address).delete()
    record_event(EventKind.UNLOCK, actor=actor, request=request, address=address, failures=deleted)
    return deleted


def prune_login_failures() -> int:
    """Drop failure rows older than both counting windows (the audit log keeps the record)."""
    keep = max(security.lockout_window(), security.address_window())
    deleted, _ = LoginFailure.objects.filter(at__lt=timezone.now() - keep).delete()
    return deleted
