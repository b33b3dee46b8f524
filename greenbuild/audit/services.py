"""Writing and pruning the security audit log. Every app records through ``record_event``."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from greenbuild.audit.choices import EventKind
from greenbuild.audit.models import AuditEvent
from greenbuild.core.http import current_address

logger = logging.getLogger(__name__)

MINIMUM_RETENTION_DAYS = 180


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address, as the sign-in and API throttles see it
    (``greenbuild.core.http.client_address``: trusted proxies only, normalised)."""
    from greenbuild.core.http import client_address as shared

    return shared(request) or None


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    import json

    plain: dict[str, Any] = json.loads(json.dumps(details, cls=DjangoJSONEncoder, default=str))
    return plain


def record_event(
    kind: EventKind | str,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    target: models.Model | None = None,
    target_ref: tuple[int | None, str, str] | None = None,
    **details: Any,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    ``actor`` defaults to the signed-in user of ``request``; pass ``username=`` in ``details``
    for an event without a known user (a failed sign-in with an unknown name). ``target`` is any
    model instance the event concerns; it is stored as type, id and text so the record survives
    the object's deletion. ``details`` must be JSON-serialisable (dates, decimals and UUIDs are
    converted). ``target_ref`` (content type id, object id, text) names a target that is already
    gone. Runs inside the caller's transaction: an event of a rolled-back change is rolled
    back too. Use ``transaction.on_commit`` only if you want it written after commit.
    """
    kind = EventKind(kind)
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    username = str(details.pop("username", "") or (actor.get_username() if actor is not None else ""))
    event = AuditEvent(
        kind=kind,
        actor=actor,
        username=username[:150],
        remote_addr=details.pop("remote_addr", None) or client_address(request) or current_address(),
        details=_jsonable(details),
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        event.target_id = str(target.pk or "")
        event.target_repr = str(target)[:300]
    elif target_ref is not None:
        event.target_type_id, event.target_id, event.target_repr = target_ref[0], target_ref[1], target_ref[2][:300]
    event.save(force_insert=True)
    return event


def retention_days() -> int:
    """``AUDIT_RETENTION_DAYS``, refusing anything below the 180 days 等保 level 3 asks for."""
    days = int(getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS))
    if days < MINIMUM_RETENTION_DAYS:
        raise ImproperlyConfigured(
            "AUDIT_RETENTION_DAYS is {}; security audit records must be kept at least {} days.".format(
                days, MINIMUM_RETENTION_DAYS
            )
        )
    return days


@transaction.atomic
def prune_audit_events(*, actor: Any = None, now: datetime.datetime | None = None) -> int:
    """Delete events older than the retention period; record the prune itself. Returns the count."""
    days = retention_days()
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    if deleted:
        record_event(EventKind.AUDIT_PRUNED, actor=actor, deleted=deleted, cutoff=cutoff, retention_days=days)
    return deleted
