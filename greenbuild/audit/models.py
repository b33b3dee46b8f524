"""The security audit log (等保2.0 level 3: security audit records, issue 10 item 8, issue 11 item 6).

Rows are append-only: a saved event cannot be saved again or deleted one by one, the admin is
read-only, and the only bulk deletion is the retention prune (``greenbuild prune_audit``), which
removes rows older than ``AUDIT_RETENTION_DAYS`` (never fewer than 180 days). Deleting a user
keeps their events: the foreign key is nulled and the username string stays.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from greenbuild.audit.choices import EventKind


class AuditEvent(models.Model):
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept even when the user is deleted, and for failed sign-ins with an unknown name.
    username = models.CharField(_("username"), max_length=150, blank=True, db_index=True)
    remote_addr = models.GenericIPAddressField(_("network address"), null=True, blank=True, db_index=True)
    # No ``choices`` on the column: apps add kinds to EventKind without a migration of this table.
    kind = models.CharField(_("event"), max_length=32, db_index=True)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "-at"], name="audit_kind_at")]

    def __str__(self) -> str:
        return "{} · {} · {}".format(self.at, self.kind_label, self.username)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("Audit events are append-only.")

    @property
    def kind_label(self) -> str:
        try:
            return str(EventKind(self.kind).label)
        except ValueError:
            return self.kind
