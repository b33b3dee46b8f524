"""Webhooks (R22, issue 18 item 6): an organisation's subscriptions, the administrator's
allow-list of hosts, and every delivery with its attempts."""

from __future__ import annotations

import ipaddress
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.webhooks.choices import DeliveryStatus, DisabledReason

#: A host name in ASCII (an internationalised name in its xn-- form): letters, digits, hyphens, dots.
_HOST_NAME = re.compile(r"[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})*")


def canonical_host(host: str) -> str:
    """``host`` as compared: lower case, no trailing dot, an IP address in its standard form, an
    internationalised name in its ``xn--`` form (as it is resolved)."""
    host = host.strip().lower().rstrip(".")
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


class AllowedHost(models.Model):
    """A host webhooks may be sent to (edited by the system administrator duty in the admin).

    ``host`` is a host name (``hooks.example.com``), a wildcard for its sub-domains
    (``*.example.com``) or an IP address. Plain ``http`` and addresses inside the internal network
    (private, loopback, link-local, reserved) are refused unless the entry explicitly allows them.
    """

    host = models.CharField(_("host"), max_length=253, unique=True)
    allow_http = models.BooleanField(
        _("allow plain http"), default=False, help_text=_("Otherwise only https addresses are accepted.")
    )
    allow_private = models.BooleanField(
        _("allow internal addresses"),
        default=False,
        help_text=_("Allow the host to resolve to a private, loopback, link-local or reserved address."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("allowed webhook host")
        verbose_name_plural = _("allowed webhook hosts")
        ordering = ["host"]

    def __str__(self) -> str:
        return self.host

    def clean(self) -> None:
        """The host as it is matched: lower case, no trailing dot, an IPv6 address without its
        brackets; a URL, a path, a port, credentials or a wildcard over a whole top-level domain
        are refused."""
        host = (self.host or "").strip().lower().rstrip(".")
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        try:
            host = str(ipaddress.ip_address(host))
        except ValueError:
            name = host[2:] if host.startswith("*.") else host
            labels = name.split(".")
            if (
                not _HOST_NAME.fullmatch(name)
                or any(label.startswith("-") or label.endswith("-") for label in labels)
                or (host.startswith("*.") and len(labels) < 2)
            ):
                host = ""
        if not host:
            raise ValidationError(
                {
                    "host": _(
                        "Enter a host name (hooks.example.com), a wildcard for its sub-domains "
                        "(*.example.com) or an IP address: no https://, path, port or user name."
                    )
                }
            )
        self.host = host

    def matches(self, host: str) -> bool:
        host = canonical_host(host)
        pattern = canonical_host(self.host)
        if pattern.startswith("*."):
            return host.endswith(pattern[1:]) and host != pattern[2:]
        return host == pattern


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def for_user(self, user: object, action: str = "view") -> SubscriptionQuerySet:
        from greenbuild.webhooks.permissions import SUBSCRIPTION_GATE

        queryset: SubscriptionQuerySet = SUBSCRIPTION_GATE.for_user(user, action, self)
        return queryset


class Subscription(models.Model):
    """An organisation's webhook: where to send which events, signed with its secret.

    The events pass the platform's gate as ``created_by`` sees them inside ``organisation``
    (bound to it, as a bound API token is): the subscription never shows more than that person
    may read. When that person leaves the organisation the subscription is suspended.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("address (URL)"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    #: The secret before the last rotation: still signed with until ``previous_secret_until``.
    previous_secret = models.CharField(_("previous secret"), max_length=100, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(_("previous secret valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(_("disabled because"), max_length=32, choices=DisabledReason.choices, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failed deliveries in a row"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The events pass the gate as this person sees them in the organisation."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["secret", "previous_secret", "updated_at"])
    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["organisation_id", "name", "pk"]

    def __str__(self) -> str:
        return "{} · {}".format(self.name, self.url)

    @property
    def delivers(self) -> bool:
        """Whether events are sent: switched on and neither disabled nor suspended."""
        return self.is_active and not self.disabled_reason

    @property
    def secret_hint(self) -> str:
        return "{}…".format(self.secret[:10]) if self.secret else ""


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def for_user(self, user: object, action: str = "view") -> DeliveryQuerySet:
        from greenbuild.webhooks.permissions import DELIVERY_GATE

        queryset: DeliveryQuerySet = DELIVERY_GATE.for_user(user, action, self)
        return queryset


class Delivery(models.Model):
    """One event for one subscription: the exact body sent (identical on every attempt)."""

    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        Subscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=64)
    body = models.TextField(_("body"))
    is_test = models.BooleanField(_("test delivery"), default=False)
    #: What the event is about and the gate's action, asked again before every attempt: a retry is
    #: not sent once the subscription's reader may no longer see it.
    object_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("object type"), null=True, blank=True, on_delete=models.SET_NULL
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    gate_action = models.CharField(_("gate action"), max_length=32, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempt_count = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subscription", "-created_at"], name="webhooks_delivery_sub_idx")]

    def __str__(self) -> str:
        return "{} {}".format(self.event, self.uuid)


class Attempt(models.Model):
    """One try to send a delivery: what the receiver answered, how long it took, what failed."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    at = models.DateTimeField(_("at"))
    status_code = models.PositiveSmallIntegerField(_("answer status"), null=True, blank=True)
    response_body = models.TextField(_("answer (truncated)"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery_id", "number"]
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="webhooks_attempt_unique")]

    def __str__(self) -> str:
        return "{} #{}".format(self.delivery_id, self.number)
