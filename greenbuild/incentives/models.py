"""Incentives (R25) and training (R26).

* The credit-score bonus rule (信用考核加分) is versioned data: a :class:`BonusRule` names its
  version and the date it takes effect, its :class:`BonusRulePoint` rows give the points by the
  enterprise's role in the pilot and the completion result. A rule that has been applied is never
  changed: a new version is written instead.
* A :class:`BonusRecord` is one enterprise's bonus for one pilot that passed its completion
  evaluation: attributable (who, when, on which basis and rule) and revocable with a reason, never
  deleted (revoked records stay, with their transition rows).
* :class:`EscrowEligibility`: whether a real-estate pilot's escrowed funds (托管资金) may be
  released, decided from the completion result and recorded with its basis; the bureau records
  the release.
* :class:`TrainingSession` and :class:`TrainingAttendance` (宣传培训).
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.core.models import TransitionLog
from greenbuild.incentives.choices import Audience, BonusStatus, EnterpriseRole, EscrowStatus, ResultLevel


class IncentivesQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: str = "view") -> Any:
        from greenbuild.incentives.permissions import restrict

        return restrict(self, user, action)


class BonusRule(models.Model):
    """One version of the bonus rule: points by role and result level, in force from a date."""

    version = models.CharField(
        _("version"), max_length=40, unique=True, help_text=_("A short name of this version, e.g. 2021-1.")
    )
    title = models.CharField(_("title"), max_length=200)
    effective_from = models.DateField(
        _("effective from"), help_text=_("The rule applies to pilots accepted on or after this date.")
    )
    source = models.CharField(
        _("policy source"), max_length=300, blank=True, help_text=_("The policy document the points come from.")
    )
    excellent_score = models.DecimalField(
        _("score for distinction"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A passed evaluation scoring at least this counts as passed with distinction; empty: never."),
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = IncentivesQuerySet.as_manager()

    class Meta:
        verbose_name = _("bonus rule")
        verbose_name_plural = _("bonus rules")
        ordering = ["-effective_from", "-pk"]

    def __str__(self) -> str:
        return "{} ({})".format(self.title, self.version)

    def table(self) -> dict[tuple[str, str], Any]:
        """(role, level) → points."""
        return {(p.role, p.level): p.points for p in self.points.all()}


class BonusRulePoint(models.Model):
    rule = models.ForeignKey(BonusRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="points")
    role = models.CharField(_("role in the pilot"), max_length=32, choices=EnterpriseRole.choices)
    level = models.CharField(_("result level"), max_length=16, choices=ResultLevel.choices)
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("bonus rule points")
        verbose_name_plural = _("bonus rule points")
        ordering = ["rule", "role", "level"]
        constraints = [models.UniqueConstraint(fields=["rule", "role", "level"], name="unique_bonus_rule_point")]

    def __str__(self) -> str:
        return "{} · {} · {}".format(self.get_role_display(), self.get_level_display(), self.points)


class BonusRecord(models.Model):
    """One enterprise's credit-score bonus for one pilot that passed its completion evaluation."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("pilot"), on_delete=models.PROTECT, related_name="bonus_records"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="bonus_records"
    )
    role = models.CharField(_("role in the pilot"), max_length=32, choices=EnterpriseRole.choices)
    level = models.CharField(_("result level"), max_length=16, choices=ResultLevel.choices)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, editable=False)
    rule = models.ForeignKey(BonusRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="records")
    basis = models.TextField(_("basis"), help_text=_("The completion evaluation the bonus rests on."))
    evaluation_ref = models.CharField(_("evaluation reference"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=BonusStatus.choices, default=BonusStatus.ACTIVE, editable=False
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    revoked_by = models.ForeignKey(
        "accounts.User", verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = IncentivesQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit bonus record")
        verbose_name_plural = _("credit bonus records")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation", "role"],
                condition=Q(status="active"),
                name="one_active_bonus_per_role",
            )
        ]

    def __str__(self) -> str:
        return "{} · {} · {}".format(self.organisation, self.project, self.points)


class BonusTransition(TransitionLog):
    record = models.ForeignKey(
        BonusRecord, verbose_name=_("bonus record"), on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("bonus record transition")
        verbose_name_plural = _("bonus record transitions")


class EscrowEligibility(models.Model):
    """Whether a real-estate pilot's escrowed funds may be released (托管资金释放)."""

    project = models.OneToOneField(
        "projects.Project", verbose_name=_("pilot"), on_delete=models.PROTECT, related_name="escrow"
    )
    status = models.CharField(_("status"), max_length=16, choices=EscrowStatus.choices, editable=False)
    basis = models.TextField(_("basis"), help_text=_("The completion result the decision rests on."))
    basis_data = models.JSONField(_("basis data"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    released_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_note = models.TextField(
        _("release record"), blank=True, help_text=_("The release's reference: bank notice, amount, date.")
    )
    history = HistoricalRecords(excluded_fields=["decided_at"])

    objects = IncentivesQuerySet.as_manager()

    class Meta:
        verbose_name = _("escrow-release eligibility")
        verbose_name_plural = _("escrow-release eligibilities")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return "{} · {}".format(self.project, self.get_status_display())


class EscrowTransition(TransitionLog):
    eligibility = models.ForeignKey(
        EscrowEligibility, verbose_name=_("escrow eligibility"), on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("escrow transition")
        verbose_name_plural = _("escrow transitions")


class TrainingSession(models.Model):
    """A training session (宣传培训, R26)."""

    topic = models.CharField(_("training topic"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    audiences = models.JSONField(
        _("audience"), default=list, help_text=_("Who the session is for: development, design, production, …")
    )
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = IncentivesQuerySet.as_manager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return "{} ({})".format(self.topic, self.date.isoformat())

    def audience_labels(self) -> list[str]:
        return [str(Audience(a).label) for a in self.audiences if a in Audience.values]


class TrainingAttendance(models.Model):
    """One person who attended a session, with their enterprise and audience."""

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="attendance"
    )
    person_name = models.CharField(_("full name"), max_length=60)
    position = models.CharField(_("position"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_attendance",
    )
    organisation_name = models.CharField(
        _("enterprise name"),
        max_length=200,
        help_text=_("As registered; linked to the platform's organisation if it has one."),
    )
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    imported = models.BooleanField(_("imported"), default=False, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = IncentivesQuerySet.as_manager()

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendance")
        ordering = ["session", "organisation_name", "person_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person_name", "organisation_name"], name="unique_training_attendee"
            )
        ]

    def __str__(self) -> str:
        return "{} · {}".format(self.person_name, self.organisation_name)
