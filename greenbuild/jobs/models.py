"""A background job: what was asked, by whom, how far it got and what came out of it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbuild.jobs.choices import FINISHED_STATUSES, JobStatus


class JobQuerySet(models.QuerySet["Job"]):
    def for_user(self, user: object) -> JobQuerySet:
        from greenbuild.jobs.permissions import restrict_jobs

        queryset: JobQuerySet = restrict_jobs(self, user)
        return queryset


class Job(models.Model):
    """One run of a registered job kind (``greenbuild.jobs.registry``).

    The queue itself is django-tasks' database backend; this row is what users see: status,
    progress, a readable error and the result file.
    """

    kind = models.CharField(_("kind"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=16, default="zh-hans")
    #: The address of the request that started (or retried) the job: its audit entries carry it.
    remote_addr = models.GenericIPAddressField(_("network address"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0, validators=[MaxValueValidator(100)])
    message = models.CharField(_("progress message"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    worker_id = models.CharField(_("worker"), max_length=100, blank=True)
    task_id = models.CharField(_("queue entry"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True, help_text=_("Shown to the user, in their language."))
    error_detail = models.TextField(_("technical detail"), blank=True)
    result = models.ForeignKey(
        "attachments.Attachment",
        verbose_name=_("result file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="jobs_status_heartbeat_idx")]

    def __str__(self) -> str:
        return "{} #{}".format(self.kind_label, self.pk)

    @property
    def kind_label(self) -> str:
        from greenbuild.jobs.registry import get_kind

        kind = get_kind(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def result_url(self) -> str:
        """Where the result file downloads, through the attachments gate."""
        from django.urls import reverse

        return reverse("attachments:download", args=[self.result_id]) if self.result_id else ""

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def result_expires_at(self) -> Any:
        """When the result file leaves storage (``JOBS_RESULT_RETENTION_DAYS`` after the job
        finished), or None: no result, or results kept for ever."""
        days = int(getattr(settings, "JOBS_RESULT_RETENTION_DAYS", 0) or 0)
        if not self.result_id or days <= 0 or self.finished_at is None:
            return None
        return self.finished_at + timedelta(days=days)

    @property
    def result_expired(self) -> bool:
        """The result file is gone (pruned) or past its expiry (the daily pruning has not run yet).
        Reads ``result`` (select it with the job in lists)."""
        if self.result is None:
            return False
        if self.result.removed_at is not None:
            return True
        expires = self.result_expires_at
        return expires is not None and expires <= timezone.now()


class DailyRun(models.Model):
    """When a registered daily entry last ran (one row per entry; the claim makes it once a day)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_run_on = models.DateField(_("last run on"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("daily run")
        verbose_name_plural = _("daily runs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
