"""Supervision of the pilots (R6, R24, issue 20 items 1 and 3).

* :class:`InspectionPlan` — regular inspections of a project during a lifecycle step at a set
  interval, by named inspectors; a daily job schedules each due inspection (through the
  inspections app) and moves ``next_due`` on.
* :class:`InspectorPoolMember` — the pool random draws take inspectors from (bureau and district
  staff), with an active flag and a scope (a district, or the whole city).
* :class:`Draw` — one random draw of 双随机、一公开: its population as recorded, its ratio (an
  exact decimal), the seed taken from a secure random source at draw time, the selection in rank
  order, who drew it and when, and when it was published. The record never changes once drawn:
  anyone reproduces it with ``greenbuild supervision draw`` (:mod:`greenbuild.supervision.draw`).
* :class:`Evaluation` — a third-party evaluation (委托第三方技术咨询评估): the bureau assigns an
  evaluator organisation (a project participant of role evaluator) to a project and step; the
  evaluator files scores per aspect and recommendations; on acceptance each recommendation that
  demands action becomes a finding.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.core.models import TransitionLog
from greenbuild.supervision.choices import DrawKind, DrawStatus, EvaluationStatus, PlanStatus, Severity


class SupervisionQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: str = "view") -> Any:
        from greenbuild.supervision.permissions import restrict

        return restrict(self, user, action)


class InspectionPlan(models.Model):
    """Regular inspections of one project during one lifecycle step, every ``interval_days``."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="inspection_plans"
    )
    step_type = models.ForeignKey(
        "lifecycle.StepType", verbose_name=_("lifecycle step"), on_delete=models.PROTECT, related_name="+"
    )
    interval_days = models.PositiveSmallIntegerField(
        _("every (days)"),
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("How often the project is inspected during this step, in days (7 weekly, 30 monthly)."),
    )
    inspectors = models.ManyToManyField(
        "accounts.User", verbose_name=_("inspectors"), related_name="+", help_text=_("Who carries out the inspections.")
    )
    next_due = models.DateField(_("next inspection due"), help_text=_("The date the next inspection is due."))
    ends_on = models.DateField(_("ends on"), null=True, blank=True, help_text=_("Leave empty for no end date."))
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE, editable=False
    )
    scheduled_count = models.PositiveIntegerField(
        _("inspections scheduled"),
        default=0,
        editable=False,
        help_text=_("How many inspections the plan has scheduled."),
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    history = HistoricalRecords(m2m_fields=[inspectors])

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["next_due", "pk"]

    def __str__(self) -> str:
        return _("{project} · {step} · every {days} days").format(
            project=self.project, step=self.step_type, days=self.interval_days
        )


class PlanTransition(TransitionLog):
    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("inspection plan"), on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("inspection plan transition")
        verbose_name_plural = _("inspection plan transitions")

    @property
    def to_label(self) -> str:
        return str(PlanStatus(self.to_status).label)


class InspectorPoolMember(models.Model):
    """A person random draws may pick as an inspector: bureau or district staff, city-wide or for a district."""

    user = models.OneToOneField(
        "accounts.User", verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="inspector_pool_entry"
    )
    district = models.ForeignKey(
        "reference.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Leave empty for an inspector who may be drawn for the whole city."),
    )
    active = models.BooleanField(_("active"), default=True, help_text=_("Only active members are drawn."))
    added_by = models.ForeignKey(
        "accounts.User", verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspector pool member")
        verbose_name_plural = _("inspector pool")
        ordering = ["district", "user__username"]

    def __str__(self) -> str:
        return str(self.user)


#: the record fields of a draw: fixed at the moment of the draw
DRAW_RECORD_FIELDS = (
    "kind",
    "district_id",
    "ratio",
    "inspector_ratio",
    "seed",
    "project_population",
    "project_selected",
    "inspector_population",
    "inspector_selected",
    "due_on",
    "drawn_by_id",
    "drawn_at",
)


class Draw(models.Model):
    """One random draw (双随机). Projects and/or inspectors are drawn with the published algorithm
    of :mod:`greenbuild.supervision.draw`, with the same seed for both populations. A side that is
    not drawn (the projects of an inspectors-only draw, the inspectors of a projects-only draw) is
    named by the bureau and recorded with an empty population.

    Pairing: the i-th selected project (rank order, from 0) is inspected by the
    ``i mod m``-th selected inspector (rank order, ``m`` inspectors) — reproducible from the record.
    """

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("what is drawn"), max_length=12, choices=DrawKind.choices, default=DrawKind.BOTH)
    district = models.ForeignKey(
        "reference.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Leave empty to draw from the whole city."),
    )
    ratio = models.DecimalField(
        _("ratio of projects"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
    )
    inspector_ratio = models.DecimalField(
        _("ratio of inspectors"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
    )
    seed = models.CharField(_("seed"), max_length=200, editable=False)
    project_population = models.JSONField(_("project population"), default=list, editable=False)
    project_selected = models.JSONField(_("projects selected"), default=list, editable=False)
    inspector_population = models.JSONField(_("inspector population"), default=list, editable=False)
    inspector_selected = models.JSONField(_("inspectors selected"), default=list, editable=False)
    due_on = models.DateField(_("inspections due"), help_text=_("The date by which the drawn inspections are done."))
    status = models.CharField(
        _("status"), max_length=10, choices=DrawStatus.choices, default=DrawStatus.DRAWN, editable=False
    )
    drawn_by = models.ForeignKey(
        "accounts.User", verbose_name=_("drawn by"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    drawn_at = models.DateTimeField(_("drawn at"), default=timezone.now, editable=False)
    published_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("random draw")
        verbose_name_plural = _("random draws")
        ordering = ["-drawn_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk:
            stored = type(self).objects.filter(pk=self.pk).values(*DRAW_RECORD_FIELDS).first()
            if stored and any(stored[name] != getattr(self, name) for name in DRAW_RECORD_FIELDS):
                raise ValidationError(_("The record of a draw is never changed: make a new draw."))
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == DrawStatus.PUBLISHED

    @property
    def draws_projects(self) -> bool:
        return self.kind in (DrawKind.BOTH, DrawKind.PROJECTS)

    @property
    def draws_inspectors(self) -> bool:
        return self.kind in (DrawKind.BOTH, DrawKind.INSPECTORS)

    def pairs(self) -> list[tuple[int, int]]:
        """``(project id, inspector id)`` for each selected project, in rank order."""
        inspectors = list(self.inspector_selected)
        if not inspectors:
            return []
        return [(int(p), int(inspectors[i % len(inspectors)])) for i, p in enumerate(self.project_selected)]


class DrawTransition(TransitionLog):
    draw = models.ForeignKey(Draw, verbose_name=_("random draw"), on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("draw transition")
        verbose_name_plural = _("draw transitions")

    @property
    def to_label(self) -> str:
        return str(DrawStatus(self.to_status).label)


class Evaluation(models.Model):
    """A third-party evaluation (委托第三方技术咨询评估) of a project during a lifecycle step."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="evaluations"
    )
    step_type = models.ForeignKey(
        "lifecycle.StepType", verbose_name=_("lifecycle step"), on_delete=models.PROTECT, related_name="+"
    )
    evaluator = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("evaluator"),
        on_delete=models.PROTECT,
        related_name="evaluations",
        help_text=_("A third-party evaluation organisation; it becomes the project's evaluator."),
    )
    scope = models.TextField(_("what to evaluate"), help_text=_("The questions the evaluator is asked to answer."))
    due_on = models.DateField(_("report due"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.ASSIGNED,
        editable=False,
    )
    summary = models.TextField(_("summary of the report"), blank=True, editable=False)
    assigned_by = models.ForeignKey(
        "accounts.User", verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now, editable=False)
    filed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decision_comment = models.TextField(_("decision comment"), blank=True, editable=False)
    history = HistoricalRecords()

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("third-party evaluation")
        verbose_name_plural = _("third-party evaluations")
        ordering = ["-assigned_at", "-pk"]

    def __str__(self) -> str:
        return _("{project} · {step} · {evaluator}").format(
            project=self.project, step=self.step_type, evaluator=self.evaluator
        )


class EvaluationTransition(TransitionLog):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("evaluation transition")
        verbose_name_plural = _("evaluation transitions")

    @property
    def to_label(self) -> str:
        return str(EvaluationStatus(self.to_status).label)


class EvaluationScore(models.Model):
    """The evaluator's score for one aspect (0–100)."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="scores"
    )
    aspect = models.CharField(_("aspect"), max_length=100)
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("evaluation score")
        verbose_name_plural = _("evaluation scores")
        ordering = ["evaluation", "pk"]

    def __str__(self) -> str:
        return "{}: {}".format(self.aspect, self.score)


class EvaluationRecommendation(models.Model):
    """A recommendation of the report; one that demands action becomes a finding on acceptance."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("recommendation"))
    demands_action = models.BooleanField(_("demands action"), default=False)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MINOR)
    clause = models.CharField(_("guideline item or standard clause"), max_length=100, blank=True)
    finding_id = models.PositiveBigIntegerField(_("finding"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("evaluation recommendation")
        verbose_name_plural = _("evaluation recommendations")
        ordering = ["evaluation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "number"], name="supervision_recommendation_number")
        ]

    def __str__(self) -> str:
        return "{}. {}".format(self.number, self.text[:60])
