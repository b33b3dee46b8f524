"""The owner's green construction plan (绿色建造策划方案) and its frozen versions.

``GreenPlan.draft`` is what the owner is writing; every submission (and every answer to a
clarification request) freezes it as a :class:`PlanVersion`, which is never edited afterwards.
``PlanVersion.data`` has the shape documented in ``greenbuild.plans.data``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.core.errors import DomainError
from greenbuild.core.models import TransitionLog
from greenbuild.core.permissions import ProjectScopedQuerySet
from greenbuild.plans.choices import PlanStatus, VersionReason


class GreenPlan(models.Model):
    project = models.OneToOneField(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="green_plan"
    )
    status = models.CharField(
        _("status"), max_length=24, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True
    )
    guideline = models.ForeignKey(
        "guidelines.Guideline", verbose_name=_("technical guideline"), on_delete=models.PROTECT, related_name="+"
    )
    draft = models.JSONField(_("working draft"), default=dict, blank=True)
    draft_attachments = models.ManyToManyField(
        "attachments.Attachment", verbose_name=_("attachments"), blank=True, related_name="+"
    )
    current_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    clarification_question = models.TextField(_("clarification question"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("green construction plan")
        verbose_name_plural = _("green construction plans")
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return gettext("Green construction plan of {project}").format(project=self.project)

    @property
    def status_label(self) -> str:
        return str(PlanStatus(self.status).label)


class VersionQuerySet(ProjectScopedQuerySet):
    project_field = "plan__project"


class FrozenVersionError(DomainError):
    """A frozen plan version may not be changed."""


class PlanVersion(models.Model):
    """One submitted round of the plan, frozen: ``save`` refuses any change after creation."""

    plan = models.ForeignKey(GreenPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version number"))
    reason = models.CharField(
        _("reason"), max_length=16, choices=VersionReason.choices, default=VersionReason.SUBMISSION
    )
    data = models.JSONField(_("plan data"))
    self_check = models.JSONField(_("self-check"), default=list)
    guideline = models.ForeignKey(
        "guidelines.Guideline", verbose_name=_("technical guideline"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)  # the owner's answer to a clarification
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    attachments = models.ManyToManyField(
        "attachments.Attachment", verbose_name=_("attachments"), blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")]

    def __str__(self) -> str:
        return gettext("Version {number}").format(number=self.number)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise FrozenVersionError(gettext("A submitted plan version is frozen and cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise FrozenVersionError(gettext("A submitted plan version is frozen and cannot be changed."))


class PlanTransition(TransitionLog):
    plan = models.ForeignKey(GreenPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("plan transition")
        verbose_name_plural = _("plan transitions")
