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
from greenbuild.plans.choices import PlanStatus, RevisionStatus, Verifier, VersionReason


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


class RevisionQuerySet(ProjectScopedQuerySet):
    project_field = "plan__project"


class PlanRevision(models.Model):
    """The revision a 修改后通过 conclusion asks for (修改完善后复核).

    Created by the round's conclusion (``services.conclude_plan``) with the listed
    ``requirements`` and the ``deadline``; the owner submits a revised version
    (``submitted_version``), which the ``verifier`` (the round's leader or the bureau) checks
    against the requirements without a new review: accepted, the plan passes with that version
    (and the baseline is locked from it); refused, it goes back to the owner with the reasons.
    """

    plan = models.ForeignKey(GreenPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="revisions")
    review_round = models.OneToOneField(
        "reviews.ReviewRound",
        verbose_name=_("review round"),
        on_delete=models.PROTECT,
        related_name="plan_revision",
    )
    reviewed_version = models.ForeignKey(
        PlanVersion, verbose_name=_("reviewed version"), on_delete=models.PROTECT, related_name="+"
    )
    requirements = models.JSONField(_("revision requirements"), default=list)
    deadline = models.DateField(_("revision deadline"))
    verifier = models.CharField(_("verified by"), max_length=16, choices=Verifier.choices, default=Verifier.LEADER)
    status = models.CharField(
        _("status"), max_length=16, choices=RevisionStatus.choices, default=RevisionStatus.REQUESTED, db_index=True
    )
    submitted_version = models.ForeignKey(
        PlanVersion,
        verbose_name=_("revised version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("revision submitted at"), null=True, blank=True)
    checks = models.JSONField(_("requirements met"), default=list, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verifier"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    refusals = models.PositiveSmallIntegerField(_("times refused"), default=0)
    last_refusal = models.TextField(_("reasons of the last refusal"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")
        ordering = ["plan", "-created_at", "-pk"]

    def __str__(self) -> str:
        return gettext("Revision of {plan}").format(plan=self.plan)

    @property
    def status_label(self) -> str:
        return str(RevisionStatus(self.status).label)

    @property
    def overdue(self) -> bool:
        from django.utils import timezone

        return self.status == RevisionStatus.REQUESTED and self.deadline < timezone.localdate()

    @property
    def late(self) -> bool:
        """Submitted after the deadline (shown to the verifier)."""
        from django.utils import timezone

        if self.submitted_at is None:
            return False
        return timezone.localdate(self.submitted_at) > self.deadline
