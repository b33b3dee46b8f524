"""Creating, using and revoking API tokens. Every token write goes through here."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.accounts import security
from greenbuild.accounts.models import Organisation, User
from greenbuild.api.models import ApiToken, TokenScope
from greenbuild.audit.choices import EventKind
from greenbuild.audit.services import record_event
from greenbuild.core.errors import ActionForbidden

TOKEN_START = "gb_"  # noqa: S105  (the prefix every token starts with, not a secret)
#: a token's use is written to the audit log at most this often per token and address
USE_AUDIT_INTERVAL = dt.timedelta(hours=1)
MAX_DAYS = 366


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(
    *,
    actor: User,
    user: User,
    name: str,
    scope: str = TokenScope.READ,
    days: int | None = 90,
    organisation: Organisation | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token for ``user`` (the actor themself, or anyone when the actor is the bureau).

    Returns the token row and the token text, which is shown once and never stored.
    """
    from greenbuild.accounts.duties import SECURITY, has_duty, is_administrator

    if actor.pk != user.pk and not has_duty(actor, SECURITY):  # others' tokens: the security duty
        raise ActionForbidden()
    # An administrator's token is their own to create, after their second factor: issued by
    # someone else it would let the issuer act as that administrator (三员, ACC-08).
    if actor.pk != user.pk and is_administrator(user):
        raise ActionForbidden()
    errors: dict[str, str] = {}
    if scope not in TokenScope.values:
        errors["scope"] = _("Choose read or write.")
    if days is not None and not 1 <= days <= MAX_DAYS:
        errors["days"] = _("A token is valid for 1 to {n} days.").format(n=MAX_DAYS)
    if not name.strip():
        errors["name"] = _("Give the token a name, e.g. the system that will use it.")
    if organisation is not None and not user.memberships.filter(organisation=organisation).exists():
        errors["organisation"] = _("The user holds no role in this organisation.")
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    raw = "{}{}_{}".format(TOKEN_START, prefix, secrets.token_urlsafe(32))
    token = ApiToken.objects.create(
        user=user,
        organisation=organisation,
        name=name.strip()[:100],
        scope=scope,
        prefix=prefix,
        digest=_digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
    )
    record_event(EventKind.TOKEN_CREATED, actor=actor, target=token, scope=scope, days=days, user=user.username)
    return token, raw


@transaction.atomic
def revoke_token(*, actor: User, token_id: int) -> ApiToken:
    from greenbuild.accounts.duties import SECURITY, has_duty

    token = ApiToken.objects.select_for_update().get(pk=token_id)
    if token.user_id != actor.pk and not has_duty(actor, SECURITY):
        raise ApiToken.DoesNotExist  # another user's token: as if it did not exist
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(EventKind.TOKEN_REVOKED, actor=actor, target=token)
    return token


def lookup_token(raw: str) -> ApiToken | None:
    """The token ``raw`` names, whatever its state, or None (unknown or malformed)."""
    if not raw.startswith(TOKEN_START) or "_" not in raw[len(TOKEN_START) :]:
        return None
    prefix = raw[len(TOKEN_START) :].split("_", 1)[0]
    if not prefix.isascii() or not prefix.isalnum():
        return None  # never a token's (hex); NUL would be a database error on PostgreSQL (SEC-07)
    token = ApiToken.objects.select_related("user", "organisation").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(raw)):
        return None
    return token


def find_token(raw: str) -> ApiToken | None:
    """The token ``raw`` names if it may be used now, or None (see ``refusal``)."""
    token = lookup_token(raw)
    if token is None or refusal(token) is not None:
        return None
    return token


def refusal(token: ApiToken) -> tuple[str, str] | None:
    """Why ``token`` may not be used now, as (code, message), or None.

    Expired and revoked tokens are dead. The others are suspended while their user is
    deactivated, locked by failed sign-ins (``accounts.security``) or must change an
    administrator-set password, and while a bound token's user holds no role in its
    organisation: each works again once the cause is gone (the password changed, the lock
    expired, the role given back). Removing a membership revokes the tokens bound to it for good
    (``revoke_unbound_tokens``); the suspension covers every other way a binding is lost."""
    user = token.user
    if not token.is_active:
        return "token_invalid", _("The token is unknown, expired or revoked.")
    if not user.is_active:
        return "account_inactive", _("The account of this token is deactivated.")
    if user.is_locked():
        return "account_locked", _(
            "The account of this token is locked after failed sign-ins. Try again later or ask the administrator."
        )
    if security.password_change_required(user):  # set by an administrator, or expired
        return "password_change_required", _(
            "The user of this token must change the password first: sign in on the website and choose a new one."
        )
    if token.organisation_id is not None and not any(
        m.organisation_id == token.organisation_id for m in user.memberships_cached()
    ):
        return "binding_lost", _("This token is bound to an organisation in which its user no longer holds a role.")
    return None


#: a refused token is written to the audit log at most once per address in this interval
REFUSAL_AUDIT_SECONDS = 60


def note_refusal(*, request: Any, code: str, token: ApiToken | None = None) -> bool:
    """Audit a refused token (unknown, dead or suspended), at most once a minute per address so a
    flood of bad tokens cannot flood the log (an IPv6 address counts by its /64, as in the
    throttles: one line holds a whole /64). Returns whether an event was written."""
    from django.core.cache import cache

    from greenbuild.audit.services import client_address
    from greenbuild.core.http import throttle_key

    address = client_address(request)
    if not cache.add("gb:api:token-refused:{}".format(throttle_key(address) or "-"), 1, REFUSAL_AUDIT_SECONDS):
        return False
    details: dict[str, Any] = {"reason": code, "method": request.method, "path": request.path[:200]}
    if token is not None:
        details["prefix"] = token.prefix
    # no ``request=``: reading the request's user here would authenticate it again
    record_event(
        EventKind.TOKEN_REFUSED,
        actor=token.user if token is not None else None,
        target=token,
        remote_addr=address,
        **details,
    )
    return True


@transaction.atomic
def revoke_unbound_tokens(*, user_id: int, organisation_id: int) -> int:
    """Revoke the user's live tokens bound to an organisation where they hold no role any more (a
    membership was removed); each revocation is audited. Returns how many were revoked."""
    from greenbuild.accounts.models import Membership

    if Membership.objects.filter(user_id=user_id, organisation_id=organisation_id).exists():
        return 0
    now = timezone.now()
    tokens = list(
        ApiToken.objects.select_for_update()
        .select_related("user")
        .filter(user_id=user_id, organisation_id=organisation_id, revoked_at__isnull=True)
    )
    for token in tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        record_event(
            EventKind.TOKEN_REVOKED, target=token, username=token.user.get_username(), reason="membership_removed"
        )
    return len(tokens)


#: a token's last use is written at most this often (and at once from a new address): never a
#: database write on every read (issue 18 item 10)
USE_WRITE_INTERVAL = dt.timedelta(seconds=60)


def note_use(token: ApiToken, *, address: str | None, request: Any = None) -> None:
    """Record when and from where a token was used; audit it once an hour or from a new address.

    ``last_used_at`` is written at most once a minute per token (at once when the address
    changes), so it is accurate to a minute and a read costs no write. The audit keeps its
    meaning: a use from a new address, or the first use after an hour's silence (measured from
    the stored last use, at most a minute old), writes a ``token_used`` event."""
    now = timezone.now()
    last = token.last_used_at
    moved = token.last_used_from != address
    if not moved and last is not None and dt.timedelta(0) <= now - last < USE_WRITE_INTERVAL:
        return  # written less than a minute ago (a stored time in the future is written again)
    audit = last is None or now - last > USE_AUDIT_INTERVAL or moved
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address)
    token.last_used_at, token.last_used_from = now, address
    if audit:
        record_event(EventKind.TOKEN_USED, actor=token.user, request=request, target=token, scope=token.scope)
