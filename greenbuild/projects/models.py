"""The pilot project registry (issue 2 §6): projects, single buildings, participants, transitions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.core.models import TimeStampedModel, TransitionLog
from greenbuild.core.permissions import ProjectScopedQuerySet
from greenbuild.projects.choices import (
    EDITABLE_STATUSES,
    STATUS_COLOURS,
    ParticipantRole,
    ProjectStatus,
    StarLevel,
    WithdrawalStatus,
)

POSITIVE = [MinValueValidator(Decimal("0.01"), message=_("Must be greater than zero."))]
NON_NEGATIVE = [MinValueValidator(Decimal("0"), message=_("Must not be negative."))]
PERCENT = [*NON_NEGATIVE, MaxValueValidator(Decimal("100"), message=_("A share cannot exceed %(limit_value)s %%."))]


def at_most(limit: int, message: Any) -> list[MaxValueValidator]:
    """An upper bound with a clear message, checked before Django's "no more than 12 digits"."""
    return [MaxValueValidator(Decimal(limit), message=message)]


#: Upper bounds well above any real project (issue 10 item 16): a typo gets a field-level message.
MAX_AREA = at_most(10_000_000, _("Enter at most 10,000,000 m²."))
MAX_INVESTMENT = at_most(100_000_000, _("Enter at most 100,000,000 (×10,000 yuan)."))
MAX_HEIGHT = at_most(1_000, _("Enter a height of at most 1,000 m."))
MAX_WASTE = at_most(100_000, _("Enter at most 100,000 t/10,000 m²."))
#: The lowest plausible storey height: a building of ``n`` storeys is at least ``n × 2.2`` m tall.
MIN_STOREY_HEIGHT_M = Decimal("2.2")
MAX_STOREYS = 300

approval_code_validator = RegexValidator(
    r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$",
    message=_("Use the approval-system format YYMM-AAAAAA-II-TT-NNNNNN, e.g. 2103-320402-47-01-368251."),
)


class ProjectQuerySet(models.QuerySet["Project"]):
    def for_user(self, user: object, action: str = "view") -> ProjectQuerySet:
        """The projects ``user`` may perform ``action`` on: the one gate for lists (permissions.py)."""
        from greenbuild.projects.permissions import restrict_projects

        return restrict_projects(self, user, action)


class Project(TimeStampedModel):
    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField(_("project name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT, db_index=True
    )
    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_projects",
    )
    district = models.ForeignKey("reference.District", verbose_name=_("district"), on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=300, blank=True)
    category = models.ForeignKey("reference.ProjectCategory", verbose_name=_("category"), on_delete=models.PROTECT)
    investment_nature = models.ForeignKey(
        "reference.InvestmentNature",
        verbose_name=_("investment nature"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    use = models.ForeignKey(
        "reference.BuildingUse", verbose_name=_("use"), null=True, blank=True, on_delete=models.PROTECT
    )
    structure_material = models.ForeignKey(
        "reference.StructureMaterial",
        verbose_name=_("structure material"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    structure_system = models.ForeignKey(
        "reference.StructureSystem", verbose_name=_("structure system"), null=True, blank=True, on_delete=models.PROTECT
    )
    gfa_above_m2 = models.DecimalField(
        _("gross floor area above ground (m²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[*POSITIVE, *MAX_AREA],
    )
    gfa_below_m2 = models.DecimalField(
        _("gross floor area below ground (m²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[*NON_NEGATIVE, *MAX_AREA],
    )
    investment_wan_yuan = models.DecimalField(
        _("total investment (10,000 yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[*POSITIVE, *MAX_INVESTMENT],
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    approval_code = models.CharField(
        _("approval-system project code"), max_length=24, blank=True, validators=[approval_code_validator]
    )
    organisation_mode = models.ForeignKey(
        "reference.OrganisationMode",
        verbose_name=_("organisation mode"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )

    # Declared green targets (R7–R14).
    target_star_level = models.CharField(
        _("target green building level"), max_length=20, choices=StarLevel.choices, default=StarLevel.NONE
    )
    standardised_design = models.BooleanField(_("standardised design"), default=False)
    waste_target_t_per_10k_m2 = models.DecimalField(
        _("construction-waste target (t/10,000 m²)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[*NON_NEGATIVE, *MAX_WASTE],
    )
    green_material_target_pct = models.DecimalField(
        _("green-material share target (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    bim_design = models.BooleanField(_("BIM in design"), default=False)
    bim_production = models.BooleanField(_("BIM in production"), default=False)
    bim_construction = models.BooleanField(_("BIM in construction"), default=False)
    bim_operation = models.BooleanField(_("BIM in operation"), default=False)
    smart_site_measures = models.TextField(_("smart construction site measures"), blank=True)
    construction_robots = models.TextField(_("construction robots and intelligent equipment"), blank=True)
    pipeline_separation = models.BooleanField(_("pipeline separation"), default=False)
    prefabricated_decoration = models.BooleanField(_("prefabricated decoration"), default=False)

    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(
        _("first submitted at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set by the first submission; only submitted applications are shown outside the owner."),
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("pilot project")
        verbose_name_plural = _("pilot projects")
        ordering = ["-updated_at", "-pk"]
        indexes = [
            # Scale (issue 10 item 20): the list reads the newest 50 in index order instead of sorting
            # every visible row; the overview groups over one covering index without a table scan.
            models.Index(fields=["-updated_at", "-id"], name="project_recent_idx"),
            models.Index(fields=["status", "-updated_at", "-id"], name="project_status_recent_idx"),
            models.Index(fields=["district", "-updated_at", "-id"], name="project_district_recent_idx"),
            models.Index(
                fields=["programme", "status", "district", "category", "structure_material", "use"],
                name="project_overview_idx",
            ),
        ]
        constraints = [
            # Unique per owner organisation (issue 10 item 5): a clash is always with a project the
            # applicant's own organisation holds, so the message discloses nothing they cannot see.
            models.UniqueConstraint(
                fields=["programme", "owner", "name"], name="unique_project_name_per_owner_in_programme"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[ProjectStatus(self.status)]

    @property
    def status_label(self) -> str:
        """``get_status_display()`` without rebuilding the choices per call (the list shows 50)."""
        return str(ProjectStatus(self.status).label)

    @property
    def is_editable(self) -> bool:
        """The application form is open (it locks while under review)."""
        return self.status in EDITABLE_STATUSES

    @property
    def total_gfa_m2(self) -> Decimal | None:
        if self.gfa_above_m2 is None:
            return None
        return self.gfa_above_m2 + (self.gfa_below_m2 or Decimal(0))

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.planned_start and self.planned_completion and self.planned_completion < self.planned_start:
            errors["planned_completion"] = _("Planned completion cannot be before the planned start.")
        if self.category_id and self.category.children.exists():
            errors["category"] = _("Choose a specific sub-category.")
        if (
            self.programme_id
            and self.owner_id
            and self.name
            and Project.objects.filter(programme_id=self.programme_id, owner_id=self.owner_id, name=self.name)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["name"] = _("Your organisation already has a project with this name in this programme.")
        if self.pk and self.total_gfa_m2 is not None:
            buildings_m2 = self.buildings.aggregate(total=models.Sum("floor_area_m2"))["total"] or Decimal(0)
            if buildings_m2 > self.total_gfa_m2:
                errors["gfa_above_m2"] = _(
                    "The single buildings add up to {buildings} m², more than the project's {total} m²."
                ).format(buildings=buildings_m2, total=self.total_gfa_m2)
        if errors:
            raise ValidationError(errors)


class Building(TimeStampedModel):
    """A single building (单体) of a project."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField(_("building name"), max_length=100)
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=12, decimal_places=2, validators=[*POSITIVE, *MAX_AREA]
    )
    storeys = models.PositiveSmallIntegerField(
        _("storeys"),
        validators=[
            MinValueValidator(1),
            MaxValueValidator(MAX_STOREYS, message=_("Enter at most %(limit_value)s storeys.")),
        ],
    )
    height_m = models.DecimalField(_("height (m)"), max_digits=6, decimal_places=2, validators=[*POSITIVE, *MAX_HEIGHT])
    structure_material = models.ForeignKey(
        "reference.StructureMaterial", verbose_name=_("structure material"), on_delete=models.PROTECT
    )
    structure_system = models.ForeignKey(
        "reference.StructureSystem", verbose_name=_("structure system"), on_delete=models.PROTECT
    )
    target_assembly_rate_pct = models.DecimalField(
        _("target assembly rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    objects = ProjectScopedQuerySet.as_manager()  # for_user: what the project gate allows

    class Meta:
        verbose_name = _("single building")
        verbose_name_plural = _("single buildings")
        ordering = ["project", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="unique_building_name_in_project")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.storeys and self.height_m is not None and 1 <= self.storeys <= MAX_STOREYS:
            minimum = self.storeys * MIN_STOREY_HEIGHT_M
            if self.height_m < minimum:
                errors["height_m"] = _(
                    "A building of {storeys} storeys is at least {minimum} m tall ({per} m a storey)."
                ).format(storeys=self.storeys, minimum=minimum, per=MIN_STOREY_HEIGHT_M)
        if self.project_id and self.floor_area_m2 is not None:
            others = self.project.buildings.exclude(pk=self.pk)
            total = self.project.total_gfa_m2
            if self.name and others.filter(name=self.name).exists():
                errors["name"] = _("This project already has a building with this name.")
            elif total is None:
                errors["floor_area_m2"] = _("Enter the project's gross floor area before adding buildings.")
            else:
                others_m2 = others.aggregate(total=models.Sum("floor_area_m2"))["total"] or Decimal(0)
                if others_m2 + self.floor_area_m2 > total:
                    errors["floor_area_m2"] = _(
                        "The single buildings would add up to {sum} m², more than the project's {total} m²."
                    ).format(sum=others_m2 + self.floor_area_m2, total=total)
        if errors:
            raise ValidationError(errors)


class ProjectParticipant(models.Model):
    """An organisation working on a project in a role (designer, contractor, …)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="participants"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=32, choices=ParticipantRole.choices)
    history = HistoricalRecords()

    objects = ProjectScopedQuerySet.as_manager()  # for_user: what the project gate allows

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["project", "role"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation", "role"], name="unique_participant_role")
        ]

    def __str__(self) -> str:
        return "{} · {}".format(self.organisation, self.get_role_display())


class ProjectTransition(TransitionLog):
    """One move of the application workflow (R4), shown as the project's timeline."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="transitions"
    )
    #: what the move rests on, e.g. the expert review a confirmation rests on (issue 13 item 5)
    context = models.JSONField(_("rests on"), default=dict, blank=True)

    class Meta(TransitionLog.Meta):
        verbose_name = _("project transition")
        verbose_name_plural = _("project transitions")

    def __str__(self) -> str:
        return "{}: {} → {}".format(self.project, self.from_status, self.to_status)

    @property
    def from_label(self) -> str:
        return str(ProjectStatus(self.from_status).label)

    @property
    def to_label(self) -> str:
        return str(ProjectStatus(self.to_status).label)


class WithdrawalRequestQuerySet(models.QuerySet["WithdrawalRequest"]):
    def for_user(self, user: object, action: str = "view") -> WithdrawalRequestQuerySet:
        """The requests ``user`` may ``action`` (view, approve, refuse): the gate for lists."""
        from greenbuild.projects.permissions import restrict_withdrawal_requests

        return restrict_withdrawal_requests(self, user, action)


class WithdrawalRequest(models.Model):
    """An owner's request to withdraw a confirmed pilot, decided by the bureau (issue 10, item 23).

    A confirmed pilot counts toward its district's quota, so its owner cannot withdraw it alone.
    The decision is a tiny workflow (``workflow.WITHDRAWAL_WORKFLOW``): pending → approved (the
    pilot is withdrawn) or refused; at most one request per project is pending.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="withdrawal_requests"
    )
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    reason = models.TextField(_("reasons for the withdrawal"))
    status = models.CharField(
        _("status"), max_length=20, choices=WithdrawalStatus.choices, default=WithdrawalStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    history = HistoricalRecords()

    objects = WithdrawalRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("withdrawal request")
        verbose_name_plural = _("withdrawal requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(status="pending"),
                name="one_pending_withdrawal_request_per_project",
            )
        ]

    def __str__(self) -> str:
        return "{} · {}".format(self.project, self.get_status_display())

    @property
    def is_pending(self) -> bool:
        return self.status == WithdrawalStatus.PENDING


class WithdrawalTransition(TransitionLog):
    """The bureau's decision on a withdrawal request (pending → approved or refused)."""

    request = models.ForeignKey(
        WithdrawalRequest, verbose_name=_("withdrawal request"), on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("withdrawal decision")
        verbose_name_plural = _("withdrawal decisions")

    def __str__(self) -> str:
        return "{}: {} → {}".format(self.request, self.from_status, self.to_status)
