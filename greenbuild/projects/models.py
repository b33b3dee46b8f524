"""The pilot project registry (issue 2 §6): projects, single buildings, participants, transitions."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.core.models import TimeStampedModel, TransitionLog
from greenbuild.projects.choices import (
    EDITABLE_STATUSES,
    STATUS_COLOURS,
    ParticipantRole,
    ProjectStatus,
    StarLevel,
)

POSITIVE = [MinValueValidator(Decimal("0.01"), message=_("Must be greater than zero."))]
NON_NEGATIVE = [MinValueValidator(Decimal("0"), message=_("Must not be negative."))]
PERCENT = [*NON_NEGATIVE, MaxValueValidator(Decimal("100"), message=_("A share cannot exceed 100 %."))]

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
        verbose_name=_("owner (建设单位)"),
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
        validators=POSITIVE,
    )
    gfa_below_m2 = models.DecimalField(
        _("gross floor area below ground (m²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    investment_wan_yuan = models.DecimalField(
        _("total investment (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=POSITIVE
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
        validators=NON_NEGATIVE,
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
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="unique_project_name_in_programme"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[ProjectStatus(self.status)]

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
            and self.name
            and Project.objects.filter(programme_id=self.programme_id, name=self.name).exclude(pk=self.pk).exists()
        ):
            errors["name"] = _("A project with this name already exists in this programme.")
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
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=12, decimal_places=2, validators=POSITIVE)
    storeys = models.PositiveSmallIntegerField(_("storeys"), validators=[MinValueValidator(1)])
    height_m = models.DecimalField(_("height (m)"), max_digits=6, decimal_places=2, validators=POSITIVE)
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

    class Meta:
        verbose_name = _("single building")
        verbose_name_plural = _("single buildings")
        ordering = ["project", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="unique_building_name_in_project")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.project_id or self.floor_area_m2 is None:
            return
        others = self.project.buildings.exclude(pk=self.pk)
        if self.name and others.filter(name=self.name).exists():
            raise ValidationError({"name": _("This project already has a building with this name.")})
        total = self.project.total_gfa_m2
        if total is None:
            raise ValidationError({"floor_area_m2": _("Enter the project's gross floor area before adding buildings.")})
        others_m2 = others.aggregate(total=models.Sum("floor_area_m2"))["total"] or Decimal(0)
        if others_m2 + self.floor_area_m2 > total:
            raise ValidationError(
                {
                    "floor_area_m2": _(
                        "The single buildings would add up to {sum} m², more than the project's {total} m²."
                    ).format(sum=others_m2 + self.floor_area_m2, total=total)
                }
            )


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
