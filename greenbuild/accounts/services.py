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
from greenbuild.accounts.models import LoginFailure, PasswordHistory, User
from greenbuild.audit.choices import EventKind
from greenbuild.audit.services import record_event
from greenbuild.audit.signals import PASSWORD_RECORDED
from greenbuild.core.errors import ActionForbidden
from greenbuild.core.http import client_throttle_key, throttle_key


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


def attempts_left(username: str) -> tuple[int | None, Any]:
    """After a failed sign-in as ``username``: how many more failures the lockout allows, and
    the end of the lock if this failure locked the account. A name no account has is counted by
    replaying its recorded failures under the account rules, so the answer does not tell whether
    the account exists."""
    if not username:
        return None, None
    now = timezone.now()
    user = find_user(username)
    if user is not None:
        if user.is_locked(now):
            return 0, user.locked_until
        return max(0, security.lockout_threshold() - user.failed_login_count), None
    count, locked_until = _unknown_name_state(username, now)
    if locked_until is not None and locked_until > now:
        return 0, locked_until
    return max(0, security.lockout_threshold() - count), None


#: How many recorded failures of a name no account has are replayed by ``_unknown_name_state``.
UNKNOWN_NAME_REPLAY = 50


def _unknown_name_state(username: str, now: Any) -> tuple[int, Any]:
    """The (consecutive failures, locked until) an account would have after the failures recorded
    under ``username``, which no account has: the same rules as ``register_login_failure`` (a gap
    longer than the window starts again; tries during the lock do not count), so the sign-in page
    answers a made-up name exactly as it answers a real one (ACC-06)."""
    window, threshold = security.lockout_window(), security.lockout_threshold()
    times = LoginFailure.objects.filter(username=username[:150], at__lte=now).order_by("-at")
    count, last, locked_until = 0, None, None
    for at in reversed(list(times.values_list("at", flat=True)[:UNKNOWN_NAME_REPLAY])):
        if locked_until is not None and at < locked_until:
            continue
        if last is None or at - last > window:
            count = 0
        count, last = count + 1, at
        if count >= threshold:
            locked_until = at + security.lockout_duration()
    return count, locked_until


def unknown_name_locked_until(username: str) -> Any:
    """When the "lock" of a name no account has ends (None if not locked): such a name is refused
    as a locked account is, without counting the try (ACC-06)."""
    now = timezone.now()
    locked_until = _unknown_name_state(username, now)[1] if username else None
    return locked_until if locked_until is not None and locked_until > now else None


@transaction.atomic
def register_login_failure(username: str, *, request: HttpRequest | None, reason: str) -> None:
    """Record a refused sign-in; lock the account or throttle the address when it is one too many.

    ``reason`` is ``bad_credentials``, ``locked`` or ``throttled``. Only bad credentials count
    toward the lock and the throttle, so a locked account's lock is not extended by more tries.
    The address is counted by ``throttle_key`` (IPv4-mapped as IPv4, IPv6 by its /64).
    """
    address = client_throttle_key(request)
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
    if user.pk == getattr(actor, "pk", None):  # never one's own lockout (三员)
        raise ActionForbidden()
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
def record_password_history(user: User, *, keep: int) -> None:
    """``user`` was just saved with a new password: remember its hash (only the ``keep`` newest
    are kept) and when it was set (for ``PASSWORD_MAX_AGE_DAYS``). Called by
    ``PasswordHistoryValidator.password_changed``, whatever set the password."""
    now = timezone.now()
    PasswordHistory.objects.create(user_id=user.pk, password=user.password, set_at=now)
    User.objects.filter(pk=user.pk).update(password_changed_at=now)
    user.password_changed_at = now
    older = PasswordHistory.objects.filter(user_id=user.pk).order_by("-set_at", "-pk").values_list("pk", flat=True)
    PasswordHistory.objects.filter(pk__in=list(older[keep:])).delete()


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
    """The throttle key of an address typed or posted by the administrator (None if not one)."""
    return throttle_key(value.strip().removesuffix("/64"))


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


@transaction.atomic
def update_own_profile(
    user: User, *, email: str, phone: str, display_name: str | None = None, request: HttpRequest | None = None
) -> list[str]:
    """A signed-in person sets their own contact details (the profile page; UI-28).

    ``email`` and ``phone`` arrive validated and normalised by ``ProfileForm``; the model's own
    validators check them again. Records who changed what (old and new values) in the audit log
    when anything changed, and returns the names of the changed fields.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    wanted = {"email": email, "phone": phone}
    if display_name is not None:
        wanted["display_name"] = display_name
    changes = {name: (getattr(user, name), value) for name, value in wanted.items() if getattr(user, name) != value}
    if not changes:
        return []
    for name, (_old, new) in changes.items():
        setattr(user, name, new)
    user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in changes])
    user.save(update_fields=list(changes))
    old_email = changes.get("email", ("", ""))[0]
    if old_email:
        # The address is not confirmed (there is no reset by e-mail to take over): the old address
        # is told, so a change its owner did not make does not go unnoticed.
        transaction.on_commit(lambda: _tell_old_address(user, old_email))
    record_event(
        EventKind.PROFILE_CHANGED,
        actor=user,
        request=request,
        target=user,
        changes={name: {"old": old, "new": new} for name, (old, new) in changes.items()},
    )
    return list(changes)


def _tell_old_address(user: User, old_email: str) -> None:
    """The notice to the address a profile change replaced (in the language of the change)."""
    import logging

    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils.translation import gettext as _

    body = _(
        "The e-mail address of your GreenBuild account {username} was changed to {email}; "
        "notifications now go there. If you did not make this change, sign in and check your "
        "profile ({url}), or tell the bureau's administrator."
    ).format(username=user.get_username(), email=user.email or "—", url=settings.SITE_URL + reverse("accounts:profile"))
    try:
        send_mail(_("GreenBuild: your e-mail address was changed"), body, settings.DEFAULT_FROM_EMAIL, [old_email])
    except OSError:
        logging.getLogger(__name__).exception("the notice of a changed e-mail address to user %s failed", user.pk)
