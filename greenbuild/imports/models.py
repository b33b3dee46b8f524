"""One import: the uploaded workbook, how checking and writing went, and the errors found."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be checked")
    RUNNING = "running", _("Checking and importing")
    INVALID = "invalid", _("Errors found: nothing imported")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Stopped by an error: nothing imported")


class ImportBatch(models.Model):
    importer = models.CharField(_("import"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.ForeignKey(
        "attachments.Attachment", verbose_name=_("workbook"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True, help_text=_("[row, column, message] triples."))
    options = models.JSONField(_("options"), default=dict, blank=True)
    job = models.ForeignKey(
        "jobs.Job", verbose_name=_("background job"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return "{} #{}".format(self.importer, self.pk)

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.INVALID, ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def importer_label(self) -> str:
        from greenbuild.imports.organisations import IMPORTERS

        importer = IMPORTERS.get(self.importer)
        return str(importer.label) if importer else self.importer
