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
    from greenbuild.accounts.roles import is_bureau_admin

    if actor.pk != user.pk and not is_bureau_admin(actor):
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
    from greenbuild.accounts.roles import is_bureau_admin

    token = ApiToken.objects.select_for_update().get(pk=token_id)
    if token.user_id != actor.pk and not is_bureau_admin(actor):
        raise ApiToken.DoesNotExist  # another user's token: as if it did not exist
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(EventKind.TOKEN_REVOKED, actor=actor, target=token)
    return token


def find_token(raw: str) -> ApiToken | None:
    """The active token ``raw`` names, or None (unknown, malformed, expired or revoked)."""
    if not raw.startswith(TOKEN_START) or "_" not in raw[len(TOKEN_START) :]:
        return None
    prefix = raw[len(TOKEN_START) :].split("_", 1)[0]
    token = ApiToken.objects.select_related("user", "organisation").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(raw)):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    return token


def note_use(token: ApiToken, *, address: str | None, request: Any = None) -> None:
    """Record when and from where a token was used; audit it once an hour or from a new address."""
    now = timezone.now()
    audit = (
        token.last_used_at is None or now - token.last_used_at > USE_AUDIT_INTERVAL or token.last_used_from != address
    )
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address)
    token.last_used_at, token.last_used_from = now, address
    if audit:
        record_event(EventKind.TOKEN_USED, actor=token.user, request=request, target=token, scope=token.scope)
