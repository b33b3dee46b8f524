"""Standards scoring in the platform (issue 3 §9): rule tables, scorecards, inputs and score runs.

The engines in ``greenbuild.standards`` compute; this app stores what they are fed and what they
return. Every computation is a :class:`ScoreRun` holding the input snapshot, the result, the rule
edition and version, the engine version, the actor and the time, so any score can be reproduced.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from greenbuild.core.models import TimeStampedModel
from greenbuild.scoring.choices import Basis, ClauseKind, Engine, MaterialGroup, Stage, WasteCategory

NON_NEGATIVE = [MinValueValidator(0, message=_("Must not be negative."))]


class RuleTable(models.Model):
    """A rule table loaded by an administrator: a corrected or new edition of a standard.

    Scoring uses the newest active table of an edition, else the bundled one; score runs keep the
    edition and version they were computed with, so old results do not change.
    """

    engine = models.CharField(_("engine"), max_length=32, choices=Engine.choices)
    standard = models.CharField(_("standard"), max_length=100)
    edition = models.CharField(_("edition"), max_length=100, db_index=True)
    version = models.CharField(_("rule table version"), max_length=40)
    effective_date = models.DateField(_("effective date"))
    data = models.JSONField(_("rule table"))
    active = models.BooleanField(_("active"), default=True)
    uploaded_by = models.ForeignKey("accounts.User", verbose_name=_("uploaded by"), on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule table")
        verbose_name_plural = _("rule tables")
        ordering = ["engine", "edition", "-uploaded_at"]
        constraints = [models.UniqueConstraint(fields=["edition", "version"], name="unique_rule_table_version")]

    def __str__(self) -> str:
        return "{} v{}".format(self.edition, self.version)


class Scorecard(TimeStampedModel):
    """A GB/T 50378 scorecard of one project at one stage, filled in clause by clause."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="scorecards"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    edition = models.CharField(_("edition"), max_length=100, default="GB/T 50378-2019")
    building_type = models.CharField(
        _("building type"),
        max_length=20,
        choices=[("residential", _("Residential")), ("public", _("Public building"))],
        default="residential",
    )
    full_decoration = models.BooleanField(_("full decoration"), default=False)
    star_requirements = models.JSONField(_("table 3.2.8 figures"), default=dict, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="unique_scorecard_stage")]

    def __str__(self) -> str:
        return "{} · {}".format(self.project, self.get_stage_display())


class ClauseClaim(models.Model):
    """One clause of a scorecard: what the owner claims, with evidence, and what the reviewer accepts."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="claims"
    )
    clause = models.CharField(_("clause"), max_length=16)
    kind = models.CharField(_("kind"), max_length=10, choices=ClauseKind.choices)
    claimed_points = models.DecimalField(
        _("claimed points"), max_digits=6, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    claimed_pass = models.BooleanField(_("claimed to pass"), null=True, blank=True)
    accepted_points = models.DecimalField(
        _("accepted points"), max_digits=6, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    accepted_pass = models.BooleanField(_("accepted as passing"), null=True, blank=True)
    evidence = models.ForeignKey(
        "attachments.Attachment",
        verbose_name=_("evidence"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The current evidence file; its id changes whenever the evidence is replaced."),
    )
    note = models.CharField(_("owner's note"), max_length=500, blank=True)
    review_note = models.CharField(_("reviewer's note"), max_length=500, blank=True)
    #: What the owner changed after the reviewer's decision, which cleared it (issue 10 item 2):
    #: ``[{"field": "claimed_points" | "claimed_pass" | "evidence", "from": …, "to": …}]``.
    #: Emptied by the next review.
    changes_since_acceptance = models.JSONField(_("changes since the review"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clause claim")
        verbose_name_plural = _("clause claims")
        ordering = ["scorecard", "kind", "clause"]
        constraints = [models.UniqueConstraint(fields=["scorecard", "clause"], name="unique_claim_clause")]

    def __str__(self) -> str:
        return "{} {}".format(self.scorecard, self.clause)


class BuildingAssessment(TimeStampedModel):
    """GB/T 51129 inputs of one single building, in the engine's JSON contract (ratios in %)."""

    building = models.OneToOneField(
        "projects.Building", verbose_name=_("single building"), on_delete=models.CASCADE, related_name="assessment"
    )
    inputs = models.JSONField(_("GB/T 51129 inputs"))
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("prefabrication assessment")
        verbose_name_plural = _("prefabrication assessments")

    def __str__(self) -> str:
        return str(self.building)


class WasteRecord(TimeStampedModel):
    """Site waste removed from a project (a ticket or a month's total), by category (R10)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="waste_records"
    )
    recorded_on = models.DateField(_("date"))
    category = models.CharField(pgettext_lazy("waste", "category"), max_length=24, choices=WasteCategory.choices)
    tonnes = models.DecimalField(_("tonnes"), max_digits=12, decimal_places=3, validators=NON_NEGATIVE)
    recycled_tonnes = models.DecimalField(
        _("recycled tonnes"), max_digits=12, decimal_places=3, null=True, blank=True, validators=NON_NEGATIVE
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("waste record")
        verbose_name_plural = _("waste records")
        ordering = ["project", "-recorded_on", "-pk"]

    def __str__(self) -> str:
        return "{} {} t".format(self.get_category_display(), self.tonnes)

    def clean(self) -> None:
        """What the waste engine would refuse later is refused at entry, on its field."""
        errors = {}
        if self.recorded_on and self.recorded_on > timezone.localdate():
            errors["recorded_on"] = _("The date cannot be in the future.")
        if self.tonnes is not None and self.recycled_tonnes is not None and self.recycled_tonnes > self.tonnes:
            errors["recycled_tonnes"] = _("Recycled tonnes cannot exceed the tonnes removed ({tonnes} t).").format(
                tonnes=self.tonnes
            )
        if errors:
            raise ValidationError(errors)


class MaterialLine(TimeStampedModel):
    """A line of a project's bill of materials, feeding the green-material share and carbon (R11)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="material_lines"
    )
    name = models.CharField(_("material"), max_length=120)
    item_type = models.CharField(
        _("item type"),
        max_length=80,
        help_text=_("The material category of appendix A the line counts under (one of the rule table's list)."),
    )
    group = models.CharField(_("group"), max_length=32, choices=MaterialGroup.choices)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=14,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"), message=_("Must be greater than zero."))],
    )
    unit = models.CharField(_("unit"), max_length=12)
    certified = models.BooleanField(_("certified green material"), default=False)
    carbon_material = models.CharField(
        _("carbon factor (table D.0.1 key)"),
        max_length=60,
        blank=True,
        help_text=_("Leave empty to leave the line out of the carbon total."),
    )
    mass_t = models.DecimalField(
        _("mass (t)"), max_digits=14, decimal_places=3, null=True, blank=True, validators=NON_NEGATIVE
    )
    distance_km = models.DecimalField(
        _("transport distance (km)"), max_digits=8, decimal_places=1, null=True, blank=True, validators=NON_NEGATIVE
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("material line")
        verbose_name_plural = _("material lines")
        ordering = ["project", "group", "name"]

    def __str__(self) -> str:
        from greenbuild.scoring.messages import figure, unit_symbol

        return "{} {} {}".format(self.name, figure(self.quantity), unit_symbol(self.unit))

    def clean(self) -> None:
        """The category and the unit are names from the rule table, never free text the engine would
        count as a category of its own (SCO-06)."""
        from greenbuild.scoring.engines import material_item_types, material_units

        errors: dict[str, str] = {}
        if self.item_type:
            row = next((r for r in material_item_types() if r["title"] == self.item_type), None)
            if row is None:
                errors["item_type"] = str(
                    _("“{value}” is not a material category of appendix A: choose one from the list.")
                ).format(value=self.item_type)
            elif self.group and row["group"] != self.group:
                group = MaterialGroup(row["group"]).label if row["group"] in MaterialGroup.values else row["group"]
                errors["item_type"] = str(
                    _("“{value}” belongs to the group “{group}”: choose that group or another category.")
                ).format(value=self.item_type, group=group)
        units = [u["key"] for u in material_units()]
        if self.unit and self.unit not in units:
            errors["unit"] = str(_("“{value}” is not a unit of the list: use one of {units}.")).format(
                value=self.unit, units=", ".join(units)
            )
        if errors:
            raise ValidationError(errors)


class EnergyRecord(TimeStampedModel):
    """Energy used on site during construction (A5 of GB/T 51366)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="energy_records"
    )
    carrier = models.CharField(
        _("carrier"),
        max_length=20,
        choices=[
            ("electricity", _("Electricity (kWh)")),
            ("diesel", _("Diesel (kg)")),
            ("gasoline", _("Gasoline (kg)")),
            ("natural_gas", _("Natural gas (m³)")),
        ],
    )
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, validators=NON_NEGATIVE)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("site energy record")
        verbose_name_plural = _("site energy records")

    def __str__(self) -> str:
        return "{} {}".format(self.get_carrier_display(), self.quantity)


class ScoreRun(models.Model):
    """One computation, stored so it can be reproduced and audited years later."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="score_runs"
    )
    engine = models.CharField(_("engine"), max_length=32, choices=Engine.choices)
    subject = models.CharField(
        _("subject"), max_length=120, help_text=_("What was scored: a stage, a building, the project.")
    )
    scorecard = models.ForeignKey(Scorecard, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs")
    building = models.ForeignKey(
        "projects.Building", null=True, blank=True, on_delete=models.SET_NULL, related_name="score_runs"
    )
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices, blank=True)
    edition = models.CharField(_("edition"), max_length=100)
    ruleset_version = models.CharField(_("rule table version"), max_length=40)
    rule_table = models.ForeignKey(RuleTable, null=True, blank=True, on_delete=models.PROTECT, related_name="runs")
    engine_version = models.CharField(_("engine version"), max_length=20)
    inputs = models.JSONField(_("input snapshot"))
    result = models.JSONField(_("result"))
    headline = models.CharField(_("headline"), max_length=200)
    actor = models.ForeignKey(
        "accounts.User", verbose_name=_("computed by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("computed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("score run")
        verbose_name_plural = _("score runs")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["project", "engine", "-at"])]

    def __str__(self) -> str:
        return "{} · {} · {}".format(self.project, self.get_engine_display(), self.headline)
