"""The expert pool, criteria schemes and review rounds of green construction plans (issue 13 items 3–4).

A :class:`ReviewRound` reviews one :class:`~greenbuild.plans.models.GreenPlan` (its current
frozen version; a clarification answer moves it to the new version). The panel is a list of
:class:`PanelSeat` rows drawn from the pool with the round's recorded ``seed``; each seated
expert scores every section of the round's :class:`CriteriaScheme` (:class:`ExpertScore`) and
submits once; the leader records the conclusion.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.core.errors import DomainError
from greenbuild.core.models import TransitionLog
from greenbuild.reviews.choices import (
    Consolidation,
    LeaderSelection,
    Outcome,
    RoundEventKind,
    RoundStatus,
    SeatResponse,
    Specialty,
)
from greenbuild.reviews.draw import DEFAULT_PANEL_SIZE


def list_text(items: list[str]) -> str:
    """Items joined the way the active language lists them (“、” in Chinese, “, ” in English)."""
    return pgettext("list separator", ", ").join(str(i) for i in items)


class ExpertProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="expert_profile"
    )
    specialties = models.JSONField(_("specialties"), default=list, blank=True)
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    employer = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    available = models.BooleanField(_("available for panels"), default=True)
    related_organisations = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("declared relations"),
        blank=True,
        related_name="+",
        help_text=_("Organisations the expert declared a relation with: never drawn for their projects."),
    )
    history = HistoricalRecords(m2m_fields=[related_organisations])

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        ordering = ["user_id"]

    def __str__(self) -> str:
        return str(self.user)

    def specialty_labels(self) -> list[str]:
        return [str(Specialty(s).label) for s in self.specialties if s in Specialty.values]

    def specialty_text(self) -> str:
        return list_text(self.specialty_labels())


class FrozenSchemeError(DomainError):
    """A criteria scheme used by a review round is frozen: a change is made as a new version."""


def frozen_scheme_message() -> str:
    return gettext(
        "This criteria scheme is used by a review round and is frozen: copy it as a new version to change it."
    )


class CriteriaScheme(models.Model):
    """A scoring scheme (sections with weights and ranges) and its consolidation rule.

    Editable until a review round uses it (``in_use``); from then on frozen (issue 17 item 5, SEC-05):
    its rules, sections and bands refuse any change, since the round's experts scored under them
    (a narrowed range would drop their totals). ``services.copy_scheme_as_new_version`` makes the
    editable copy; only ``active`` (offered for new rounds) can still be switched.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    consolidation = models.CharField(
        _("consolidation"), max_length=16, choices=Consolidation.choices, default=Consolidation.TRIMMED_MEAN
    )
    active = models.BooleanField(_("offered for new rounds"), default=True)
    max_per_employer = models.PositiveSmallIntegerField(
        _("experts per employer on a panel"),
        default=1,
        help_text=_("At most this many experts of one employer sit on a panel (0: no limit)."),
    )
    leader_selection = models.CharField(
        _("how the panel leader is chosen"),
        max_length=16,
        choices=LeaderSelection.choices,
        default=LeaderSelection.APPOINTED,
    )
    #: The scheme this one was copied from (``services.copy_scheme_as_new_version``).
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="versions",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criteria scheme")
        verbose_name_plural = _("criteria schemes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.in_use:
            stored = type(self).objects.filter(pk=self.pk).values(*FROZEN_SCHEME_FIELDS).first() or {}
            if any(stored.get(name) != getattr(self, name) for name in FROZEN_SCHEME_FIELDS):
                raise FrozenSchemeError(frozen_scheme_message())
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.in_use:
            raise FrozenSchemeError(frozen_scheme_message())
        return super().delete(*args, **kwargs)

    @property
    def in_use(self) -> bool:
        return self.pk is not None and ReviewRound.objects.filter(scheme_id=self.pk).exists()

    def rules_snapshot(self) -> dict[str, Any]:
        """The panel rules and score bands as a round keeps them from its draw on."""
        return {
            "max_per_employer": self.max_per_employer,
            "leader_selection": self.leader_selection,
            "bands": [band.as_rule() for band in self.bands.all()],
        }


#: What a round's scoring rests on: frozen once a round uses the scheme (``active`` is not).
FROZEN_SCHEME_FIELDS = ("name", "consolidation", "max_per_employer", "leader_selection")


class FrozenWithSchemeMixin(models.Model):
    """A part of a criteria scheme (section, band): neither added, changed nor deleted once a
    round uses the scheme."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _refuse_if_frozen(self) -> None:
        scheme_id = getattr(self, "scheme_id", None)
        if scheme_id is not None and ReviewRound.objects.filter(scheme_id=scheme_id).exists():
            raise FrozenSchemeError(frozen_scheme_message())


class ScoreBand(FrozenWithSchemeMixin):
    """From ``min_score`` (inclusive) up to the next band, the conclusions the leader may record."""

    scheme = models.ForeignKey(
        CriteriaScheme, verbose_name=_("criteria scheme"), on_delete=models.CASCADE, related_name="bands"
    )
    min_score = models.DecimalField(
        _("from consolidated score"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("The band runs from this score up to the next band's score."),
    )
    allows_passed = models.BooleanField(pgettext_lazy("review outcome", "Pass"), default=False)
    allows_passed_with_revisions = models.BooleanField(
        pgettext_lazy("review outcome", "Pass with revisions"), default=False
    )
    allows_revise = models.BooleanField(pgettext_lazy("review outcome", "Revise and resubmit"), default=False)
    allows_failed = models.BooleanField(pgettext_lazy("review outcome", "Fail"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score band")
        verbose_name_plural = _("score bands")
        ordering = ["scheme", "-min_score"]
        constraints = [models.UniqueConstraint(fields=["scheme", "min_score"], name="score_band_unique_start")]

    def __str__(self) -> str:
        return "≥ {}".format(self.min_score)

    def conclusions(self) -> list[str]:
        return [o for o in Outcome.values if getattr(self, "allows_{}".format(o))]

    def as_rule(self) -> dict[str, Any]:
        return {"min_score": str(self.min_score), "conclusions": self.conclusions()}


class CriteriaSection(FrozenWithSchemeMixin):
    scheme = models.ForeignKey(
        CriteriaScheme, verbose_name=_("criteria scheme"), on_delete=models.CASCADE, related_name="sections"
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    guidance_zh = models.TextField(_("guidance (Chinese)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(Decimal("0.01"))]
    )
    min_score = models.DecimalField(_("lowest score"), max_digits=6, decimal_places=2, default=Decimal(0))
    max_score = models.DecimalField(_("highest score"), max_digits=6, decimal_places=2, default=Decimal(10))
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criteria section")
        verbose_name_plural = _("criteria sections")
        ordering = ["scheme", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(max_score__gt=models.F("min_score")), name="section_range_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "").startswith("en") else self.title_zh

    @property
    def guidance(self) -> str:
        return self.guidance_en if (get_language() or "").startswith("en") else self.guidance_zh


class ReviewRound(models.Model):
    plan = models.ForeignKey(
        "plans.GreenPlan", verbose_name=_("green construction plan"), on_delete=models.CASCADE, related_name="reviews"
    )
    plan_version = models.ForeignKey(
        "plans.PlanVersion", verbose_name=_("plan version under review"), on_delete=models.PROTECT, related_name="+"
    )
    scheme = models.ForeignKey(
        CriteriaScheme, verbose_name=_("criteria scheme"), on_delete=models.PROTECT, related_name="rounds"
    )
    panel_size = models.PositiveSmallIntegerField(_("panel size"), default=DEFAULT_PANEL_SIZE)
    required_specialties = models.JSONField(_("required specialties"), default=list, blank=True)
    seed = models.BigIntegerField(_("draw seed"))
    pool_ids = models.JSONField(_("eligible experts at the draw"), default=list, blank=True)
    excluded_ids = models.JSONField(_("experts excluded for a conflict"), default=list, blank=True)
    exclusions = models.JSONField(
        _("experts left out of the draw, and why"),
        default=list,
        blank=True,
        help_text=_("A list of {expert, name, reason}, recorded at the draw; shown to the bureau only."),
    )
    rules = models.JSONField(
        _("panel rules and score bands"),
        default=dict,
        blank=True,
        help_text=_("The criteria scheme's rules as they were at the draw."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.PANEL, db_index=True
    )
    deadline = models.DateField(_("scoring deadline"), null=True, blank=True)
    clarification_question = models.TextField(_("clarification question"), blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=24, choices=Outcome.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    consolidated_score = models.DecimalField(
        _("consolidated score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concluded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status__in=["panel", "scoring", "clarification"]),
                name="one_open_review_round_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Expert review of {project}").format(project=self.plan.project)

    @property
    def project(self):  # noqa: ANN201 (the plan's project)
        return self.plan.project

    @property
    def status_label(self) -> str:
        return str(RoundStatus(self.status).label)

    def active_seats(self) -> list[PanelSeat]:
        """The seats that count: not declined, in draw order."""
        return [s for s in self.seats.all() if s.response != SeatResponse.DECLINED]


class PanelSeat(models.Model):
    round = models.ForeignKey(
        ReviewRound, verbose_name=_("review round"), on_delete=models.CASCADE, related_name="seats"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="panel_seats"
    )
    order = models.PositiveSmallIntegerField(_("order drawn"))
    is_leader = models.BooleanField(_("leads the panel"), default=False)
    response = models.CharField(
        _("response"), max_length=16, choices=SeatResponse.choices, default=SeatResponse.PENDING
    )
    conflict_declared = models.BooleanField(_("conflict of interest declared"), default=False)
    conflict_note = models.TextField(_("conflict of interest"), blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self", verbose_name=_("replaced by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces"
    )
    submitted_at = models.DateTimeField(_("scores submitted at"), null=True, blank=True)
    leader_vote = models.ForeignKey(
        "self",
        verbose_name=_("votes for as leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leader_votes",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("panel seat")
        verbose_name_plural = _("panel seats")
        ordering = ["round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "expert"], name="one_seat_per_expert_and_round"),
            models.UniqueConstraint(fields=["round", "order"], name="seat_order_unique"),
        ]

    def __str__(self) -> str:
        return "{} · {}".format(self.round_id, self.expert)

    @property
    def seated(self) -> bool:
        return self.response != SeatResponse.DECLINED


class ExpertScore(models.Model):
    seat = models.ForeignKey(PanelSeat, verbose_name=_("panel seat"), on_delete=models.CASCADE, related_name="scores")
    section = models.ForeignKey(
        CriteriaSection, verbose_name=_("criteria section"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("expert score")
        verbose_name_plural = _("expert scores")
        ordering = ["seat", "section__sort_order", "section_id"]
        constraints = [models.UniqueConstraint(fields=["seat", "section"], name="one_score_per_seat_and_section")]

    def __str__(self) -> str:
        return "{} · {} · {}".format(self.seat, self.section, self.score)


#: the declaration of independence (承诺书) each expert signs with the opinion
DECLARATION_TEXT = _(
    "I declare that I have no interest in this project, its owner or its participants; that I reviewed the plan "
    "independently, objectively and fairly; and that I will keep the plan and the panel's deliberations confidential."
)


class ExpertOpinion(models.Model):
    """One expert's review opinion form (专家评审意见表), filed and submitted with the scores."""

    seat = models.OneToOneField(
        PanelSeat, verbose_name=_("panel seat"), on_delete=models.CASCADE, related_name="opinion"
    )
    opinion = models.TextField(_("overall opinion"), blank=True)
    recommendation = models.CharField(_("recommended conclusion"), max_length=24, choices=Outcome.choices, blank=True)
    revision_requirements = models.TextField(_("revision requirements"), blank=True)
    declaration_signed = models.BooleanField(_("declaration of independence signed"), default=False)
    declaration_text = models.TextField(_("declaration of independence"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("expert opinion")
        verbose_name_plural = _("expert opinions")
        ordering = ["seat"]

    def __str__(self) -> str:
        return "{} · {}".format(self.seat, self.get_recommendation_display() or "—")


class RoundEvent(models.Model):
    """A timeline entry of a round that is not a status move: declines, replacements, the leader."""

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("review round"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=RoundEventKind.choices)
    seat = models.ForeignKey(
        PanelSeat, verbose_name=_("panel seat"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("review round event")
        verbose_name_plural = _("review round events")
        ordering = ["round", "at", "pk"]

    def __str__(self) -> str:
        return "{} · {}".format(self.round_id, self.get_kind_display())


class RoundTransition(TransitionLog):
    round = models.ForeignKey(
        ReviewRound, verbose_name=_("review round"), on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("review round transition")
        verbose_name_plural = _("review round transitions")
