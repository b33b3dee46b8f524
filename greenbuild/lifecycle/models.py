"""The locked baseline (R5) and the lifecycle steps across departments (R16, R17).

A :class:`Baseline` row is one version of a project's baseline: the targets of the plan that
passed expert review (version 1), then each approved :class:`BaselineChangeRequest` (2, 3 …).
A row is never changed once written; the current baseline is the highest version. A version says
what it came from (:attr:`Baseline.source`: the plan version and its review round, or the change
request) and who locked it; ``measures`` holds the plan measures a change request replaced.
:class:`StepType` is data (the eleven steps, their departments and instruments);
:class:`ProjectStep` is one step of one confirmed pilot, :class:`StepItem` one guideline item
the step's department must write into its instrument.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.core.errors import DomainError
from greenbuild.core.models import TransitionLog
from greenbuild.core.permissions import ProjectScopedQuerySet
from greenbuild.lifecycle.choices import ChangeRequestStatus, ConditionStatus, ItemStatus, StepStatus


class LockedBaselineError(DomainError):
    """A baseline version is locked: it changes only through an approved change request."""


class Baseline(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="baselines"
    )
    version = models.PositiveSmallIntegerField(_("baseline version"))
    targets = models.JSONField(_("targets"))
    measures = models.JSONField(
        _("changed measures"),
        default=dict,
        blank=True,
        help_text=_("Measures replaced by approved change requests (guideline item code → measure)."),
    )
    source_plan_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("plan version"),
        on_delete=models.RESTRICT,  # deleted only with its project
        null=True,
        blank=True,
        related_name="+",
    )
    review_round = models.ForeignKey(
        "reviews.ReviewRound",
        verbose_name=_("review round"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    change_request = models.OneToOneField(
        "lifecycle.BaselineChangeRequest",
        verbose_name=_("change request"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="resulting_baseline",
    )
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("locked by"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["project", "-version"]
        constraints = [models.UniqueConstraint(fields=["project", "version"], name="unique_baseline_version")]

    def __str__(self) -> str:
        return gettext("Baseline v{version} of {project}").format(version=self.version, project=self.project)

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise LockedBaselineError(
                gettext("The baseline is locked: it changes only through a change request approved by the bureau.")
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LockedBaselineError(gettext("A baseline version is kept for ever."))

    @property
    def source(self) -> str:
        """What this version came from, in words."""
        if self.change_request_id:
            return gettext("From the baseline change request of {date}, approved by the bureau.").format(
                date=timezone.localdate(self.change_request.requested_at).isoformat()
            )
        if self.source_plan_version_id and self.review_round_id:
            return gettext("From version {number} of the plan, reviewed in expert review round {round}.").format(
                number=self.source_plan_version.number, round=self.review_round_id
            )
        if self.source_plan_version_id:
            return gettext("From version {number} of the plan that passed expert review.").format(
                number=self.source_plan_version.number
            )
        return ""

    def plan_data(self) -> dict[str, Any]:
        """The plan as this version holds it: the source version's data with the locked targets
        and the changed measures (the shape of ``PlanVersion.data``)."""
        from greenbuild.plans.data import normalised

        data = normalised(self.source_plan_version.data if self.source_plan_version_id else {})
        data["targets"] = {**data["targets"], **(self.targets or {})}
        data["measures"] = {**data["measures"], **(self.measures or {})}
        return data


class BaselineChangeRequest(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="baseline_requests"
    )
    baseline = models.ForeignKey(
        Baseline, verbose_name=_("baseline it would change"), on_delete=models.RESTRICT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.PENDING,
        db_index=True,
    )
    reasons = models.TextField(_("reasons"))
    proposed_targets = models.JSONField(_("proposed targets"))
    proposed_measures = models.JSONField(
        _("proposed measures"),
        default=dict,
        blank=True,
        help_text=_("Measures the request replaces (guideline item code → new measure)."),
    )
    documents = models.ManyToManyField(
        "attachments.Attachment", verbose_name=_("documents"), blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("decision comment"), blank=True)
    exception_requirements = models.JSONField(
        _("requirements approved as exceptions"),
        default=list,
        blank=True,
        help_text=_("Pilot requirements the changed baseline does not meet, approved with reasons by the bureau."),
    )
    signoff_note = models.TextField(
        _("expert or conference sign-off"),
        blank=True,
        help_text=_("The expert review or joint conference that agreed to the exception, if any."),
    )
    history = HistoricalRecords()

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("baseline change request")
        verbose_name_plural = _("baseline change requests")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return gettext("Baseline change request of {project}").format(project=self.project)

    @property
    def status_label(self) -> str:
        return str(ChangeRequestStatus(self.status).label)


class ChangeRequestTransition(TransitionLog):
    request = models.ForeignKey(
        BaselineChangeRequest, verbose_name=_("change request"), on_delete=models.CASCADE, related_name="transitions"
    )
    context = models.JSONField(
        _("context"), default=dict, blank=True, help_text=_("The requirements failing without and with the change.")
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("change request transition")
        verbose_name_plural = _("change request transitions")

    @property
    def to_label(self) -> str:
        return str(ChangeRequestStatus(self.to_status).label)


class StepType(models.Model):
    """One lifecycle step (环节) as data: who is responsible and what its instrument is (R17)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80)
    department = models.ForeignKey(
        "reference.Department", verbose_name=_("responsible department"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    parallel_group = models.PositiveSmallIntegerField(
        _("parallel group"), help_text=_("Steps of the same group open together and are reviewed in parallel.")
    )
    instrument_zh = models.CharField(_("instrument (Chinese)"), max_length=80)
    instrument_en = models.CharField(_("instrument (English)"), max_length=120)
    instrument_required = models.BooleanField(
        _("instrument filed at sign-off"),
        default=False,
        help_text=_("The department uploads the signed instrument (e.g. the permit) when it approves the step."),
    )
    applies_to = models.CharField(
        _("applies to"),
        max_length=40,
        blank=True,
        help_text=_("Empty: every pilot; else the code of the investment nature the step is for (e.g. government)."),
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("step type")
        verbose_name_plural = _("step types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    @property
    def instrument(self) -> str:
        return self.instrument_en if (get_language() or "").startswith("en") else self.instrument_zh


class StepQuerySet(ProjectScopedQuerySet):
    pass


class ProjectStep(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="lifecycle_steps"
    )
    type = models.ForeignKey(StepType, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=32, choices=StepStatus.choices, default=StepStatus.PENDING, db_index=True
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    conditions = models.TextField(_("conditions or reasons"), blank=True)
    documents = models.ManyToManyField(
        "attachments.Attachment", verbose_name=_("documents"), blank=True, related_name="+"
    )
    instrument = models.ForeignKey(
        "attachments.Attachment",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The signed instrument filed at sign-off."),
    )
    supplements = models.ManyToManyField(
        "attachments.Attachment",
        verbose_name=_("owner's supplementary documents"),
        blank=True,
        related_name="+",
        help_text=_("Documents the owner filed to answer a return."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = StepQuerySet.as_manager()

    class Meta:
        verbose_name = _("project step")
        verbose_name_plural = _("project steps")
        ordering = ["project", "type__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "type"], name="unique_project_step")]

    def __str__(self) -> str:
        return "{} · {}".format(self.project, self.type)

    @property
    def status_label(self) -> str:
        return str(StepStatus(self.status).label)


class StepTransition(TransitionLog):
    step = models.ForeignKey(ProjectStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("step transition")
        verbose_name_plural = _("step transitions")

    @property
    def to_label(self) -> str:
        return str(StepStatus(self.to_status).label)


class ConditionQuerySet(ProjectScopedQuerySet):
    project_field = "step__project"


class StepCondition(models.Model):
    """One condition of an approval with conditions (附条件同意), tracked to closure: the owner
    answers how it is met, the step's department confirms (or sends it back)."""

    step = models.ForeignKey(
        ProjectStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="condition_rows"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("condition"))
    status = models.CharField(
        _("status"), max_length=16, choices=ConditionStatus.choices, default=ConditionStatus.OPEN, db_index=True
    )
    answer = models.TextField(_("owner's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    review_note = models.TextField(_("department's note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ConditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("step condition")
        verbose_name_plural = _("step conditions")
        ordering = ["step", "number"]
        constraints = [models.UniqueConstraint(fields=["step", "number"], name="unique_step_condition_number")]

    def __str__(self) -> str:
        return "{} · {}".format(self.step, self.number)


class ItemQuerySet(ProjectScopedQuerySet):
    project_field = "step__project"


class StepItem(models.Model):
    step = models.ForeignKey(ProjectStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="items")
    guideline_item = models.ForeignKey(
        "guidelines.GuidelineItem", verbose_name=_("guideline item"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    note = models.TextField(_("how it is written into the instrument"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("step item")
        verbose_name_plural = _("step items")
        ordering = ["step", "guideline_item__sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["step", "guideline_item"], name="unique_step_item")]

    def __str__(self) -> str:
        return "{} · {}".format(self.step, self.guideline_item.code)
