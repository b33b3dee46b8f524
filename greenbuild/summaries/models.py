"""The programme summary (总结评估, issue 20 item 8; R2, R19, R20).

A :class:`ProgrammeSummary` is the summary of one programme, drafted by the bureau in the
programme's last phase. Its figures are gathered from live data in a background job and frozen in a
:class:`SummaryRevision` (the figures and the bureau's recommendations as JSON, with the PDF and
workbook made from exactly those). Generating again (or editing the recommendations) while the
summary is a draft makes a new revision; approval fixes the revision of record; issuing files it in
the documents register (number, filing, public verification) and it never changes after.

From an issued summary the bureau starts the next edition of the technical guideline: a copy of the
edition in force (``guidelines.services.copy_edition``); each item it changes is marked by an
:class:`EditionChange` linked to the lessons (经验总结) behind it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.core.models import TransitionLog
from greenbuild.reports.revisions.models import FrozenRevision, FrozenRevisionsMixin
from greenbuild.summaries.choices import SummaryStatus


class SummaryQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: str = "view") -> Any:
        from greenbuild.summaries.permissions import restrict

        return restrict(self, user, action)


class ProgrammeSummary(FrozenRevisionsMixin["SummaryRevision"], models.Model):
    programme = models.OneToOneField(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="summary"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT, editable=False
    )
    recommendations = models.TextField(
        _("recommendations"), blank=True, help_text=_("The bureau's recommendations, printed in the summary.")
    )
    revision = models.ForeignKey(
        "summaries.SummaryRevision",
        verbose_name=_("revision of record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text=_("Fixed when the summary is approved: what is issued."),
    )
    next_edition = models.OneToOneField(
        "guidelines.Guideline",
        verbose_name=_("next guideline edition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="summary",
        editable=False,
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    approved_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = SummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme summary")
        verbose_name_plural = _("programme summaries")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        # the programme's name in the active language, as the words around it (the English UI
        # showed "Summary of 常州市…" although the programme has an English name)
        return gettext("Summary of {programme}").format(programme=self.programme.name)

    @property
    def is_issued(self) -> bool:
        return self.status == SummaryStatus.ISSUED


class SummaryRevision(FrozenRevision):
    """One generation of a summary's figures, frozen: the content JSON, its PDF and workbook."""

    parent_field = "summary"

    summary = models.ForeignKey(
        ProgrammeSummary, verbose_name=_("summary"), on_delete=models.CASCADE, related_name="revisions"
    )

    class Meta:
        verbose_name = _("summary revision")
        verbose_name_plural = _("summary revisions")
        ordering = ["summary", "number"]
        constraints = [models.UniqueConstraint(fields=["summary", "number"], name="summaries_revision_number")]


class SummaryTransition(TransitionLog):
    summary = models.ForeignKey(
        ProgrammeSummary, verbose_name=_("summary"), on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("summary transition")
        verbose_name_plural = _("summary transitions")

    @property
    def to_label(self) -> str:
        return str(SummaryStatus(self.to_status).label)


class EditionChange(models.Model):
    """An item of the next guideline edition changed by the bureau, with the lessons behind it.

    One row per changed item (the item of the new edition); the text before the change is kept so
    the change can be read without the history."""

    summary = models.ForeignKey(
        ProgrammeSummary, verbose_name=_("summary"), on_delete=models.CASCADE, related_name="edition_changes"
    )
    item = models.OneToOneField(
        "guidelines.GuidelineItem",
        verbose_name=_("guideline item"),
        on_delete=models.CASCADE,
        related_name="edition_change",
    )
    previous_text_zh = models.TextField(_("text before the change"), blank=True)
    reason = models.TextField(_("reason for the change"))
    lessons = models.ManyToManyField(
        "completion.Lesson", verbose_name=_("lessons behind the change"), related_name="edition_changes"
    )
    changed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    history = HistoricalRecords(m2m_fields=[lessons])

    class Meta:
        verbose_name = _("guideline item change")
        verbose_name_plural = _("guideline item changes")
        ordering = ["summary", "item__sort_order", "item__code"]

    def __str__(self) -> str:
        return "{} · {}".format(self.item.code, self.reason[:40])
