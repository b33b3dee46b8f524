"""One model for every file the platform keeps (issue 11 §3).

The original name is shown and used in downloads; the stored name is random, so a name chosen by
a user never becomes a path. A replaced attachment keeps its row (who, when, what, sha256) with
``replaced_by`` pointing at its successor, but its stored file is removed. A *pending* attachment
was uploaded with a form that was refused elsewhere; it is bound when the form is saved, or
removed after a day (``purge_pending_attachments``).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.attachments.choices import AttachmentKind, FileType
from greenbuild.attachments.storage import get_attachment_storage


def stored_name(instance: Any, filename: str) -> str:
    """``attachments/<kind>/<yyyy>/<mm>/<random>.<ext>``: nothing of the user's name but its extension."""
    suffix = PurePath(filename).suffix.lower()[:10]
    today = timezone.localdate()
    return "attachments/{}/{:%Y/%m}/{}{}".format(instance.kind, today, uuid.uuid4().hex, suffix)


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def for_user(self, user: Any, action: str = "view") -> AttachmentQuerySet:
        """The attachments ``user`` may see (the SQL form of the gate in ``permissions.py``)."""
        from greenbuild.attachments.permissions import restrict_attachments

        return restrict_attachments(self, user, action)  # type: ignore[no-any-return]

    def current(self) -> AttachmentQuerySet:
        """Attachments whose file is kept and bound (not pending, not replaced or removed)."""
        return self.filter(pending=False, removed_at__isnull=True)


class Attachment(models.Model):
    original_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("stored file"), storage=get_attachment_storage, upload_to=stored_name, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    file_type = models.CharField(_("file type"), max_length=10, choices=FileType.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices, db_index=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        help_text=_("Empty for programme-level files such as imports and reports."),
    )
    uploaded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("uploaded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    pending = models.BooleanField(
        _("pending"), default=False, help_text=_("Uploaded with a form that was not saved yet.")
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
    )
    removed_at = models.DateTimeField(_("file removed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["pending", "created_at"], name="attachment_pending_idx")]

    def __str__(self) -> str:
        return self.original_name
