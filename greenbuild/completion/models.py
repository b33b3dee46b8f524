"""The evaluation scheme as versioned data (R20), the completion evaluation (R6), incremental
costs (增量成本) and lessons (经验总结).

An :class:`EvaluationScheme` row is one version, never changed once written (a new version is a new
row: ``services.new_scheme_version``); each :class:`CompletionEvaluation` keeps the version it used
and a snapshot of what it compared (``achieved``, ``targets``, ``outcome``), so its result never
moves when the records or the scheme change later.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.completion.choices import EvaluationStatus, LessonTopic, PanelVerdict, Verdict
from greenbuild.core.errors import DomainError
from greenbuild.core.models import TransitionLog
from greenbuild.core.permissions import ProjectScopedQuerySet


class FrozenSchemeError(DomainError):
    """A scheme version is kept as it was: the bureau makes a new version instead."""


class EvaluationScheme(models.Model):
    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    rules = models.TextField(_("evaluation rules"), help_text=_("Who evaluates, when, and what is decided."))
    method = models.TextField(_("evaluation method"), help_text=_("How the achieved values are compared and scored."))
    criteria = models.JSONField(_("criteria and weights"))
    pass_score = models.DecimalField(_("pass score"), max_digits=5, decimal_places=1)
    note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(  # empty for the first version, seeded by the migration
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        ordering = ["-version"]

    def __str__(self) -> str:
        return gettext("{name} (version {version})").format(name=self.name, version=self.version)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise FrozenSchemeError(gettext("A scheme version cannot be changed: make a new version."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise FrozenSchemeError(gettext("A scheme version is kept for ever."))

    def as_data(self) -> dict[str, Any]:
        return {"criteria": self.criteria, "pass_score": str(self.pass_score)}

    def criterion_titles(self) -> dict[str, str]:
        english = (get_language() or "").startswith("en")
        return {
            c["code"]: (c.get("title_en") if english else c.get("title_zh")) or c.get("title_zh") or c["code"]
            for c in self.criteria
        }


class EvaluationQuerySet(models.QuerySet):
    """``for_user``: the evaluation gate's SQL form (the project's internal readers and the panel),
    never the project's public face."""

    def for_user(self, user: Any, action: str = "view") -> Any:
        from greenbuild.completion.permissions import restrict_evaluations

        return restrict_evaluations(self, user, action)


class CompletionEvaluation(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="completion_evaluations"
    )
    scheme = models.ForeignKey(
        EvaluationScheme, verbose_name=_("evaluation scheme"), on_delete=models.PROTECT, related_name="evaluations"
    )
    scorecard = models.ForeignKey(
        "scoring.Scorecard",
        verbose_name=_("completion scorecard"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT, db_index=True
    )
    baseline_version = models.PositiveSmallIntegerField(_("baseline version"), null=True, blank=True)
    achieved = models.JSONField(_("achieved values"), default=dict)
    targets = models.JSONField(_("baseline targets"), default=dict)
    outcome = models.JSONField(_("comparison"), default=dict)
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices, default=Verdict.INCOMPLETE)
    score = models.DecimalField(_("weighted score"), max_digits=5, decimal_places=1, null=True, blank=True)
    star_provisional = models.BooleanField(
        _("star level not yet reviewed"),
        default=False,
        help_text=_("The completion scorecard's star level is the owner's claim, not yet reviewed."),
    )
    gathered_at = models.DateTimeField(_("values gathered at"), null=True, blank=True)
    panel_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("expert panel"), blank=True, related_name="completion_panels"
    )
    panel_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel leader"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    panel_verdict = models.CharField(_("panel's conclusion"), max_length=8, choices=PanelVerdict.choices, blank=True)
    panel_opinion = models.TextField(_("panel's opinion"), blank=True)
    bureau_opinion = models.TextField(_("bureau's conclusion"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("completion evaluation")
        verbose_name_plural = _("completion evaluations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return gettext("Completion evaluation of {project}").format(project=self.project)

    @property
    def status_label(self) -> str:
        return str(EvaluationStatus(self.status).label)

    @property
    def status_colour(self) -> str:
        from greenbuild.completion.choices import STATUS_COLOURS

        return STATUS_COLOURS.get(self.status, "secondary")

    @property
    def is_final(self) -> bool:
        from greenbuild.completion.choices import FINAL_STATUSES

        return self.status in FINAL_STATUSES


class EvaluationTransition(TransitionLog):
    evaluation = models.ForeignKey(
        CompletionEvaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("evaluation transition")
        verbose_name_plural = _("evaluation transitions")

    @property
    def to_label(self) -> str:
        return str(EvaluationStatus(self.to_status).label)


class IncrementalCost(models.Model):
    """The incremental cost of one green measure (增量成本), reported by the owner."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="incremental_costs"
    )
    measure = models.CharField(_("green measure"), max_length=200)
    guideline_code = models.CharField(
        _("guideline item"), max_length=20, blank=True, help_text=_("The code of the guideline item, if any.")
    )
    amount_yuan = models.DecimalField(
        _("incremental cost (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("incremental cost")
        verbose_name_plural = _("incremental costs")
        ordering = ["project", "pk"]

    def __str__(self) -> str:
        return "{} · {}".format(self.measure, self.amount_yuan)


class Lesson(models.Model):
    """A lesson learnt (经验总结) the owner files at completion, kept for the programme summary."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="lessons"
    )
    topic = models.CharField(_("topic"), max_length=16, choices=LessonTopic.choices, default=LessonTopic.TECHNOLOGY)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("lesson"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson learnt")
        verbose_name_plural = _("lessons learnt")
        ordering = ["project", "pk"]

    def __str__(self) -> str:
        return self.title
