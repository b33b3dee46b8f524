"""Every write of the webhooks: subscriptions (create, change, rotate the secret, delete), the
events (``publish``, called from ``signals.py`` only), and the deliveries (one attempt at a time,
run as background jobs of the kind ``webhooks.deliver``, retried with exponential backoff)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.accounts.models import Membership, User
from greenbuild.accounts.roles import bind_to_organisation
from greenbuild.audit.choices import EventKind
from greenbuild.audit.services import record_event
from greenbuild.core.errors import ActionForbidden
from greenbuild.core.history import apply_changes, set_history_user
from greenbuild.core.permissions import VIEW, gate_for
from greenbuild.webhooks import catalogue, outbound, signing
from greenbuild.webhooks.choices import FINISHED_DELIVERY, DeliveryStatus, DisabledReason
from greenbuild.webhooks.models import Attempt, Delivery, Subscription
from greenbuild.webhooks.payloads import iso
from greenbuild.webhooks.permissions import can_manage

logger = logging.getLogger(__name__)

JOB_KIND = "webhooks.deliver"
#: How a receiver that keeps failing is treated (docs/webhooks.md, "Retries").
MAX_ATTEMPTS = 8  # per delivery: the first try and seven retries
FIRST_RETRY_S = 60  # then 2, 4, 8, 16, 32 minutes ...
MAX_RETRY_S = 3600  # ... never more than an hour apart
DISABLE_AFTER = 10  # failed deliveries in a row (each after all its attempts)
PREVIOUS_SECRET_HOURS = 24


def max_attempts() -> int:
    return int(getattr(settings, "WEBHOOKS_MAX_ATTEMPTS", MAX_ATTEMPTS))


def disable_after() -> int:
    return int(getattr(settings, "WEBHOOKS_DISABLE_AFTER", DISABLE_AFTER))


def retry_delay(attempt: int) -> timedelta:
    """The wait after failed attempt number ``attempt`` (1-based): 1, 2, 4, ... minutes, capped."""
    return timedelta(seconds=min(MAX_RETRY_S, FIRST_RETRY_S * 2 ** (attempt - 1)))


# --- subscriptions -------------------------------------------------------------------------------


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {k: data[k] for k in ("name", "url", "events", "is_active") if k in data}
    if "url" in values:
        try:
            outbound.check_address(values["url"])
        except outbound.Refused as refused:
            raise ValidationError({"url": [str(refused)]}) from None
    if "events" in values:
        known = set(catalogue.event_codes())
        events = list(dict.fromkeys(values["events"] or []))
        if not events:
            raise ValidationError({"events": [_("Choose at least one event.")]})
        unknown = [e for e in events if e not in known]
        if unknown:
            raise ValidationError({"events": [_("Unknown event: {codes}.").format(codes=", ".join(unknown))]})
        values["events"] = events
    return values


def _audit(actor: Any, subscription: Subscription, change: str, **details: Any) -> None:
    record_event(
        EventKind.WEBHOOK_CHANGED,
        actor=actor,
        target=subscription,
        change=change,
        organisation=subscription.organisation_id,
        **details,
    )


@transaction.atomic
def create_subscription(*, actor: User, organisation: Any, data: dict[str, Any]) -> tuple[Subscription, str]:
    """A new subscription of ``organisation``; returns it and its secret (shown this once).

    Its events are read as ``actor`` in the organisation, so ``actor`` must belong to it (the
    bureau administrator manages every organisation's webhooks but creates only its own)."""
    if not can_manage(actor, organisation.pk):
        raise ActionForbidden()
    if not Membership.objects.filter(user=actor, organisation=organisation).exists():
        raise ValidationError(
            {
                "organisation": [
                    _("Only a member of the organisation can create its webhooks: the events are read as that person.")
                ]
            }
        )
    values = _clean(data)
    secret = signing.new_secret()
    subscription = Subscription(organisation=organisation, created_by=actor, secret=secret, **values)
    set_history_user(subscription, actor)
    subscription.save()
    _audit(actor, subscription, "created", url=subscription.url, events=subscription.events)
    return subscription, secret


def _locked(actor: User, subscription_id: int) -> Subscription:
    subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
    if subscription is None or not can_manage(actor, subscription.organisation_id):
        raise ActionForbidden()
    return subscription


@transaction.atomic
def update_subscription(*, actor: User, subscription_id: int, data: dict[str, Any]) -> Subscription:
    """Change name, address, events or the active flag. Switching a disabled or suspended
    subscription on again clears the failures; when ``actor`` belongs to the organisation, the
    events are read as ``actor`` from now on."""
    subscription = _locked(actor, subscription_id)
    values = _clean(data)
    changed = apply_changes(subscription, values)
    reenabled = bool(values.get("is_active")) and bool(subscription.disabled_reason or "is_active" in changed)
    if not changed and not reenabled:
        return subscription  # posted back as it was: nothing written
    if reenabled:
        member = Membership.objects.filter(user=actor, organisation_id=subscription.organisation_id).exists()
        if member:
            subscription.created_by = actor
        elif _reader(subscription) is None:
            raise ValidationError(
                {
                    "is_active": [
                        _(
                            "Its creator no longer belongs to the organisation: a member of the organisation "
                            "must switch it on again."
                        )
                    ]
                }
            )
        subscription.disabled_reason = ""
        subscription.disabled_at = None
        subscription.consecutive_failures = 0
    set_history_user(subscription, actor)
    subscription.save()
    _audit(actor, subscription, "changed", fields=changed, url=subscription.url, events=subscription.events)
    return subscription


@transaction.atomic
def rotate_secret(*, actor: User, subscription_id: int) -> tuple[Subscription, str]:
    """A new secret (returned, shown once); the old one still signs for a day beside it.

    Rotated again while a previous secret still signs (a doubled request whose first answer was
    lost), the previous secret stays: it is the one the receiver holds; the secret in between,
    never put to use, is dropped."""
    subscription = _locked(actor, subscription_id)
    now = timezone.now()
    if not (
        subscription.previous_secret and subscription.previous_secret_until and subscription.previous_secret_until > now
    ):
        subscription.previous_secret = subscription.secret
        subscription.previous_secret_until = now + timedelta(hours=PREVIOUS_SECRET_HOURS)
    subscription.secret = signing.new_secret()
    set_history_user(subscription, actor)
    subscription.save()
    _audit(actor, subscription, "secret_rotated")
    return subscription, subscription.secret


@transaction.atomic
def delete_subscription(*, actor: User, subscription_id: int) -> None:
    subscription = _locked(actor, subscription_id)
    _audit(actor, subscription, "deleted", url=subscription.url)
    set_history_user(subscription, actor)
    subscription.delete()


# --- disabling ----------------------------------------------------------------------------------


def _disable(subscription: Subscription, reason: str) -> None:
    """Stop delivering (already locked) and tell the organisation's managers through the inbox."""
    from greenbuild.notifications.services import emit
    from greenbuild.webhooks.events import DISABLED

    subscription.disabled_reason = reason
    subscription.disabled_at = timezone.now()
    subscription.save(update_fields=["disabled_reason", "disabled_at", "updated_at"])
    _audit(None, subscription, "disabled", reason=reason)
    emit(
        DISABLED,
        actor=None,
        target=subscription,
        params={
            "subscription": subscription.pk,
            "organisation": subscription.organisation_id,
            "name": subscription.name,
            "reason": reason,
        },
    )


def _reader(subscription: Subscription) -> User | None:
    """The subscription's creator as they act in its organisation, or None when they left it."""
    if subscription.created_by_id is None:
        return None
    user = User.objects.filter(pk=subscription.created_by_id, is_active=True).first()
    if user is None:
        return None
    if not any(m.organisation_id == subscription.organisation_id for m in user.memberships_cached()):
        return None
    bind_to_organisation(user, subscription.organisation_id)
    return user


def _suspend_if_creator_left(subscription: Subscription) -> User | None:
    reader = _reader(subscription)
    if reader is None:
        with transaction.atomic():
            locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
            if not locked.disabled_reason:
                _disable(locked, DisabledReason.CREATOR_LEFT)
    return reader


# --- events -------------------------------------------------------------------------------------


def publish(
    event: str,
    *,
    gate_object: Any,
    occurred_at: Any,
    build: Callable[[User], dict[str, Any]],
    action: str = VIEW,
) -> list[Delivery]:
    """Queue ``event`` for every delivering subscription that chose it and whose reader passes the
    gate of ``gate_object`` (``action``, ``view`` by default). ``build(reader)`` gives the payload's
    ``data`` as that reader may see it. Called once the change is committed."""
    deliveries = []
    for subscription in Subscription.objects.filter(is_active=True, disabled_reason="").order_by("pk"):
        if event not in (subscription.events or []):
            continue
        reader = _suspend_if_creator_left(subscription)
        if reader is None:
            continue
        try:
            visible = gate_for(gate_object).can(reader, action, gate_object)
        except LookupError:
            visible = False  # an object without a gate is never sent
        if not visible:
            continue
        deliveries.append(_queue(subscription, event, occurred_at, build(reader), about=(gate_object, action)))
    return deliveries


def _queue(
    subscription: Subscription,
    event: str,
    occurred_at: Any,
    data: dict[str, Any],
    *,
    test: bool = False,
    about: tuple[Any, str] | None = None,
) -> Delivery:
    from django.contrib.contenttypes.models import ContentType

    from greenbuild.jobs.services import start_job

    with transaction.atomic():
        delivery = Delivery(subscription=subscription, event=event, is_test=test, next_attempt_at=timezone.now())
        if about is not None:
            delivery.object_type = ContentType.objects.get_for_model(about[0], for_concrete_model=False)
            delivery.object_id = about[0].pk
            delivery.gate_action = about[1]
        payload = {"id": str(delivery.uuid), "event": event, "occurred_at": iso(occurred_at), "data": data}
        delivery.body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        delivery.save()
        start_job(JOB_KIND, actor=None, params={"delivery": delivery.pk})
    return delivery


@transaction.atomic
def send_test(*, actor: User, subscription_id: int) -> Delivery:
    """A ``webhook.ping`` delivery, sent once whatever the subscription's state (no retries; it
    never counts towards disabling)."""
    subscription = _locked(actor, subscription_id)
    _audit(actor, subscription, "test_sent")
    data = {
        "subscription": {"id": subscription.pk, "name": subscription.name},
        "organisation": subscription.organisation_id,
    }
    return _queue(subscription, catalogue.PING, timezone.now(), data, test=True)


# --- delivering ---------------------------------------------------------------------------------


def _signing_secrets(subscription: Subscription, now: Any) -> list[str]:
    keys = [subscription.secret]
    if subscription.previous_secret and subscription.previous_secret_until and subscription.previous_secret_until > now:
        keys.append(subscription.previous_secret)
    return keys


def attempt_delivery(delivery_id: int) -> Delivery | None:
    """Make the next attempt of a delivery when it is due; log it; schedule the retry or finish.

    Returns the delivery, or None when there was nothing to do (finished, not yet due)."""
    from greenbuild.jobs.services import start_job

    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("subscription").filter(pk=delivery_id).first()
        if delivery is None or delivery.status in FINISHED_DELIVERY:
            return None
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            # run early (a backend that cannot delay): wait in the queue again until it is due
            start_job(JOB_KIND, actor=None, params={"delivery": delivery.pk}, run_after=delivery.next_attempt_at)
            return None
        subscription = delivery.subscription
        if not delivery.is_test and not subscription.delivers:
            return _cancel(delivery, now)
    if not delivery.is_test and not _still_visible(delivery, _suspend_if_creator_left(subscription)):
        with transaction.atomic():
            return _cancel(Delivery.objects.select_for_update().get(pk=delivery.pk), now)
    number = delivery.attempt_count + 1
    body = delivery.body.encode("utf-8")
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "GreenBuild-Webhooks/1",
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.signature_header(_signing_secrets(subscription, now), timestamp, body),
        signing.DELIVERY_HEADER: str(delivery.uuid),
        signing.EVENT_HEADER: delivery.event,
    }
    answer = outbound.post(subscription.url, body, headers)
    return _record(delivery.pk, number, now, answer)


def _still_visible(delivery: Delivery, reader: User | None) -> bool:
    """Whether the subscription's reader still passes the gate of what the event is about (asked
    again before every attempt: a retry hours later is not sent once they lost sight of it)."""
    if reader is None:
        return False
    if delivery.object_type_id is None:
        return True  # queued before the object was recorded
    model = delivery.object_type.model_class() if delivery.object_type is not None else None
    obj = model._default_manager.filter(pk=delivery.object_id).first() if model is not None else None
    if obj is None:
        return False
    try:
        return bool(gate_for(obj).can(reader, delivery.gate_action or VIEW, obj))
    except LookupError:
        return False


def _cancel(delivery: Delivery, now: Any) -> Delivery:
    delivery.status = DeliveryStatus.CANCELLED
    delivery.finished_at = now
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "finished_at", "next_attempt_at"])
    return delivery


@transaction.atomic
def _record(delivery_id: int, number: int, now: Any, answer: outbound.Answer) -> Delivery:
    from greenbuild.jobs.services import start_job

    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    Attempt.objects.create(
        delivery=delivery,
        number=number,
        at=now,
        status_code=answer.status_code,
        response_body=answer.body,
        duration_ms=answer.duration_ms,
        error=answer.error[:300],
        succeeded=answer.ok,
    )
    delivery.attempt_count = number
    subscriptions = Subscription.objects.filter(pk=delivery.subscription_id)
    if answer.ok:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.finished_at = now
        delivery.next_attempt_at = None
        if not delivery.is_test:
            subscriptions.update(consecutive_failures=0)
    elif delivery.is_test or number >= max_attempts():
        delivery.status = DeliveryStatus.FAILED
        delivery.finished_at = now
        delivery.next_attempt_at = None
        if not delivery.is_test:
            subscriptions.update(consecutive_failures=F("consecutive_failures") + 1)
            subscription = subscriptions.select_for_update().get()
            if subscription.consecutive_failures >= disable_after() and subscription.delivers:
                _disable(subscription, DisabledReason.FAILURES)
    else:
        delivery.status = DeliveryStatus.RETRYING
        delivery.next_attempt_at = now + retry_delay(number)
        start_job(JOB_KIND, actor=None, params={"delivery": delivery.pk}, run_after=delivery.next_attempt_at)
    delivery.save(update_fields=["status", "attempt_count", "finished_at", "next_attempt_at"])
    return delivery


def due_deliveries(now: Any = None) -> list[int]:
    """Ids of the deliveries waiting for an attempt that is due (tests, and a worker catching up)."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
