"""Public notice (公示) and public concern (公众留言), R26.

A ``PublicNotice`` announces a candidate pilot before its confirmation, or a pilot's completion
result before its acceptance, for a set number of working days; while it runs anyone may file an
``Objection`` (异议) without signing in; the bureau answers each one before the move. A
``PublicMessage`` is a message or complaint about a confirmed pilot (dust, noise, night work …),
routed to the district and the owner, answered within a deadline and published with its answer.

What the public leaves as contact details (``contact_name``, ``contact_phone``) is never shown
on a public page or in the open API: the public face of an objection or a message is its
``public_text`` (the answerer's wording of it, the original by default) and the answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.core.models import TransitionLog
from greenbuild.publicity.choices import (
    MessageCategory,
    MessageStatus,
    NoticeKind,
    NoticeStatus,
    ObjectionStatus,
)


class PublicityQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: str = "view") -> Any:
        from greenbuild.publicity.permissions import restrict

        return restrict(self, user, action)


class Holiday(models.Model):
    """A public holiday (no working day), or a weekend day made a working day (调休)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=60)
    is_working_day = models.BooleanField(
        _("working day"),
        default=False,
        help_text=_("Tick for a weekend day made a working day (a make-up working day)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return "{} {}".format(self.date.isoformat(), self.name)


class PublicNotice(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="public_notices"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text of the notice"), max_length=5000)
    working_days = models.PositiveSmallIntegerField(_("period (working days)"))
    starts_on = models.DateField(_("runs from"), null=True, blank=True)
    ends_on = models.DateField(_("runs until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PublicityQuerySet.as_manager()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind"],
                condition=Q(status__in=["draft", "published"]),
                name="publicity_one_live_notice_per_kind",
            ),
            models.CheckConstraint(condition=Q(working_days__gte=1), name="publicity_notice_period_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_running(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == NoticeStatus.PUBLISHED
            and self.starts_on is not None
            and self.ends_on is not None
            and self.starts_on <= today <= self.ends_on
        )

    @property
    def running(self) -> bool:
        return self.is_running()

    @property
    def ended(self) -> bool:
        return (
            self.status == NoticeStatus.PUBLISHED and self.ends_on is not None and self.ends_on < timezone.localdate()
        )


class NoticeTransition(TransitionLog):
    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("notice transition")
        verbose_name_plural = _("notice transitions")


class Objection(models.Model):
    notice = models.ForeignKey(
        PublicNotice, verbose_name=_("public notice"), on_delete=models.PROTECT, related_name="objections"
    )
    status = models.CharField(_("status"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    text = models.TextField(_("objection"), max_length=2000)
    contact_name = models.CharField(_("name (not published)"), max_length=60, blank=True)
    contact_phone = models.CharField(_("phone or e-mail (not published)"), max_length=80, blank=True)
    submitted_at = models.DateTimeField(_("filed at"), default=timezone.now)
    public_text = models.TextField(_("objection as published"), max_length=2000, blank=True)
    answer = models.TextField(_("answer"), max_length=5000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["contact_name", "contact_phone"])

    objects = PublicityQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return "{} #{}".format(self.notice, self.pk)

    @property
    def project(self) -> Any:
        return self.notice.project


class ObjectionTransition(TransitionLog):
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("objection transition")
        verbose_name_plural = _("objection transitions")


class PublicMessage(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="public_messages"
    )
    category = models.CharField(_("about"), max_length=16, choices=MessageCategory.choices)
    status = models.CharField(_("status"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.RECEIVED)
    text = models.TextField(_("message"), max_length=2000)
    photo = models.ForeignKey(
        "attachments.Attachment",
        verbose_name=_("photo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_name = models.CharField(_("name (not published)"), max_length=60, blank=True)
    contact_phone = models.CharField(_("phone or e-mail (not published)"), max_length=80, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_on = models.DateField(_("answer due"))
    escalated_at = models.DateTimeField(_("escalated to the bureau at"), null=True, blank=True)
    public_text = models.TextField(_("message as published"), max_length=2000, blank=True)
    answer = models.TextField(_("answer"), max_length=5000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["contact_name", "contact_phone"])

    objects = PublicityQuerySet.as_manager()

    class Meta:
        verbose_name = _("public message")
        verbose_name_plural = _("public messages")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="publicity_message_due_idx")]

    def __str__(self) -> str:
        return "{} · {}".format(self.project, self.get_category_display())

    @property
    def overdue(self) -> bool:
        return self.status == MessageStatus.RECEIVED and self.due_on < timezone.localdate()


class MessageTransition(TransitionLog):
    message = models.ForeignKey(PublicMessage, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("message transition")
        verbose_name_plural = _("message transitions")
