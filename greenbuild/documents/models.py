"""The register of issued documents (发文登记): one row per document, never changed once filed.

* :class:`DocumentSeries` — the numbering scheme of one kind: its prefix, the issuer's official
  name and the place printed on it (data, editable in the admin);
* :class:`DocumentCounter` — the last serial given for a kind and a year; the issuing
  transaction locks it (``select_for_update``), so numbers are unique and gapless;
* :class:`IssuedDocument` — the document: number, kind, the object it is about (a generic
  relation), who issued it and when, the PDF (an attachment) and its SHA-256, and the
  document it supersedes. It has no update path: ``save`` refuses to change a stored row and
  ``delete`` refuses to remove one. A re-issue is a new document whose ``supersedes`` names
  the old one; the old one is then shown as 已作废 (superseded).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


def new_token() -> str:
    """The unguessable part of a document's public verification address."""
    return secrets.token_urlsafe(18)


class DocumentSeries(models.Model):
    kind = models.CharField(_("kind of document"), max_length=64, unique=True)
    prefix = models.CharField(
        _("number prefix"), max_length=40, help_text=_("Printed before the year in each document number.")
    )
    issuer_name = models.CharField(_("issuer"), max_length=120)
    place = models.CharField(_("place of issue"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document series")
        verbose_name_plural = _("document series")
        ordering = ["kind"]

    def __str__(self) -> str:
        return "{} · {}".format(self.kind, self.prefix)


class DocumentCounter(models.Model):
    kind = models.CharField(_("kind of document"), max_length=64)
    year = models.PositiveSmallIntegerField(_("year"))
    last_serial = models.PositiveIntegerField(_("last serial issued"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        ordering = ["kind", "year"]
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="one_document_counter_per_kind_and_year")]

    def __str__(self) -> str:
        return "{} {} · {}".format(self.kind, self.year, self.last_serial)


class ImmutableRecord(Exception):
    """An issued document is filed once; nothing changes or removes it."""


class IssuedDocumentQuerySet(models.QuerySet["IssuedDocument"]):
    def for_user(self, user: Any, action: str = "view") -> IssuedDocumentQuerySet:
        """The documents ``user`` may read (the SQL form of the gate in ``permissions.py``)."""
        from greenbuild.documents.permissions import restrict_documents

        return restrict_documents(self, user, action)  # type: ignore[no-any-return]

    def current(self) -> IssuedDocumentQuerySet:
        """Documents no re-issue has superseded."""
        return self.filter(superseded_by__isnull=True)

    def update(self, **kwargs: Any) -> int:
        raise ImmutableRecord("issued documents are never changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRecord("issued documents are never deleted")


class IssuedDocument(models.Model):
    kind = models.CharField(_("kind of document"), max_length=64, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("document number"), max_length=80, unique=True)
    token = models.CharField(_("verification token"), max_length=40, unique=True, default=new_token, editable=False)
    subject = models.CharField(pgettext_lazy("document", "subject"), max_length=300)
    issuer_name = models.CharField(_("issuer"), max_length=120)
    place = models.CharField(_("place of issue"), max_length=60, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("type of object"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    subject_object = GenericForeignKey("content_type", "object_id")
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
    )
    file = models.ForeignKey(
        "attachments.Attachment", verbose_name=_("PDF file"), on_delete=models.PROTECT, related_name="+"
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    reason = models.TextField(_("reason for the re-issue"), blank=True)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="document_object_idx")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "serial"], name="one_document_per_kind_year_serial"),
            # the first issue for an object is one; every later one supersedes exactly one
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"],
                condition=Q(supersedes__isnull=True),
                name="one_original_document_per_object",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableRecord("an issued document is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableRecord("an issued document is never deleted")

    @property
    def kind_label(self) -> str:
        from greenbuild.documents.registry import kinds

        spec = kinds().get(self.kind)
        return str(spec.label) if spec is not None else self.kind

    @property
    def successor(self) -> IssuedDocument | None:
        try:
            return self.superseded_by
        except IssuedDocument.DoesNotExist:
            return None

    @property
    def is_current(self) -> bool:
        return self.successor is None
