"""Inspections (监督检查, R24): an inspection of a pilot at a lifecycle step with its checklist, the
findings it records (with site photos) and the rectification orders (整改通知书) that follow.

An inspection is scheduled by the bureau or a district (by hand, from a regular inspection plan or
a random draw of the supervision app), worked on site (in progress, with a draft of the page kept
on the server) and submitted. A finding (severity, guideline item or standard clause, location,
photos) may come from an inspection or from elsewhere (a third-party evaluation). A finding that
demands action gets one rectification order with a deadline, issued as a numbered document; the
owner answers it with evidence, the inspector verifies (closes) or reopens it. An order never
closes without evidence: the workflow's guard and :meth:`RectificationOrder.save` both refuse it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.core.models import TransitionLog
from greenbuild.inspections.choices import (
    CheckResult,
    CheckSource,
    FindingSource,
    FindingStatus,
    InspectionStatus,
    OrderStatus,
    Severity,
)


class InspectionQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: str = "view") -> Any:
        from greenbuild.inspections.permissions import restrict

        return restrict(self, user, action)


class Inspection(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="inspections"
    )
    step = models.ForeignKey(
        "lifecycle.StepType",
        verbose_name=_("lifecycle step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspector = models.ForeignKey(
        "accounts.User", verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="inspections"
    )
    due_on = models.DateField(_("due date"))
    plan = models.ForeignKey(
        "supervision.InspectionPlan",
        verbose_name=_("inspection plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    draw = models.ForeignKey(
        "supervision.Draw",
        verbose_name=_("random draw"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InspectionStatus.choices,
        default=InspectionStatus.SCHEDULED,
        editable=False,
    )
    summary = models.TextField(_("conclusion"), blank=True)
    draft = models.JSONField(_("unsent draft"), default=dict, blank=True, editable=False)
    draft_saved_at = models.DateTimeField(_("draft saved at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("scheduled by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["draft", "draft_saved_at"])
    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-due_on", "-pk"]

    def __str__(self) -> str:
        return _("Inspection of {project} on {date}").format(project=self.project, date=self.due_on.isoformat())


class InspectionTransition(TransitionLog):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("inspection transition")
        verbose_name_plural = _("inspection transitions")


class ChecklistItem(models.Model):
    """One line of an inspection's checklist: a guideline item of the step or a baseline target."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="checklist"
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    source = models.CharField(_("source"), max_length=12, choices=CheckSource.choices)
    guideline_item = models.ForeignKey(
        "guidelines.GuidelineItem",
        verbose_name=_("guideline item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.CharField(_("code"), max_length=16)
    text = models.TextField(_("what to check"))
    target = models.CharField(_("target"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=CheckResult.choices, default=CheckResult.PENDING)
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["inspection", "sort_order", "pk"]

    def __str__(self) -> str:
        return "{} {}".format(self.code, self.text[:40])


class FindingQuerySet(InspectionQuerySet):
    pass


class Finding(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="findings"
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="findings",
    )
    step = models.ForeignKey(
        "lifecycle.StepType",
        verbose_name=_("lifecycle step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("type"), max_length=12, choices=FindingSource.choices, default=FindingSource.INSPECTION)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    guideline_item = models.ForeignKey(
        "guidelines.GuidelineItem",
        verbose_name=_("guideline item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    clause = models.CharField(_("standard clause"), max_length=100, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    summary = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=12, choices=FindingStatus.choices, default=FindingStatus.OPEN, editable=False
    )
    raised_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = HistoricalRecords()
    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return "{} · {}".format(self.get_severity_display(), self.summary[:60])

    @property
    def order_or_none(self) -> Any:
        try:
            return self.order
        except RectificationOrder.DoesNotExist:
            return None


class FindingPhoto(models.Model):
    """A site photo of a finding (checked as an image by the attachments' photo policy); its
    thumbnail is made by a background job."""

    finding = models.ForeignKey(Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="photos")
    attachment = models.ForeignKey(
        "attachments.Attachment", verbose_name=_("photo"), on_delete=models.PROTECT, related_name="+"
    )
    thumbnail = models.FileField(_("thumbnail"), upload_to="inspections/thumbnails/", blank=True, editable=False)
    added_by = models.ForeignKey(
        "accounts.User", verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("finding photo")
        verbose_name_plural = _("finding photos")
        ordering = ["finding", "pk"]

    def __str__(self) -> str:
        return str(self.attachment_id)


class RectificationOrder(models.Model):
    """The rectification order (整改通知书) of a finding: issued with a deadline as a numbered
    document, answered by the owner with evidence, verified (closed) or reopened by the inspector."""

    finding = models.OneToOneField(Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="order")
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="rectification_orders"
    )
    deadline = models.DateField(_("deadline"))
    instructions = models.TextField(_("what to rectify"))
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.ISSUED, editable=False
    )
    number = models.CharField(_("document number"), max_length=60, blank=True, editable=False)
    answer = models.TextField(_("answer"), blank=True, editable=False)
    evidence = models.ManyToManyField(
        "attachments.Attachment", verbose_name=_("rectification evidence"), blank=True, related_name="+"
    )
    issued_by = models.ForeignKey(
        "accounts.User", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    answered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True, editable=False)
    history = HistoricalRecords()
    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.number or str(_("Rectification order {pk}").format(pk=self.pk))

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The last line of the guard (admin, shell, any path): a closed order holds evidence.
        if self.status == OrderStatus.CLOSED and (self.pk is None or not self.evidence.exists()):
            raise ValidationError(_("A rectification order cannot close without evidence."))
        super().save(*args, **kwargs)

    @property
    def overdue(self) -> bool:
        return self.status == OrderStatus.ISSUED and self.deadline < timezone.localdate()


class OrderTransition(TransitionLog):
    order = models.ForeignKey(
        RectificationOrder, verbose_name=_("rectification order"), on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("rectification order transition")
        verbose_name_plural = _("rectification order transitions")
