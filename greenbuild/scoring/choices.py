from django.db import models
from django.utils.translation import gettext_lazy as _


class Engine(models.TextChoices):
    """The standards engines of ``greenbuild.standards.registry`` (CLI names)."""

    GBT50378 = "gbt50378", _("GB/T 50378 green building rating")
    GBT51129 = "gbt51129", _("GB/T 51129 prefabrication rate")
    WASTE = "waste", _("Construction-waste intensity")
    GREEN_MATERIALS = "green-materials", _("Green-material share")
    CARBON = "carbon", _("GB/T 51366 carbon emissions")


class Stage(models.TextChoices):
    """When a GB/T 50378 scorecard is filled in (预评价 at design, 评价 at completion)."""

    PRE_EVALUATION = "pre_evaluation", _("Design pre-evaluation")
    EVALUATION = "evaluation", _("Completion evaluation")


class ClauseKind(models.TextChoices):
    CONTROL = "control", _("Control item")
    SCORED = "scored", _("Scored item")
    BONUS = "bonus", _("Bonus item")


class Basis(models.TextChoices):
    """Which figures a GB/T 50378 run used: the owner's claims or the reviewer's accepted points."""

    CLAIMED = "claimed", _("Claimed")
    ACCEPTED = "accepted", _("Accepted")


class WasteCategory(models.TextChoices):
    ENGINEERING_SPOIL = "engineering_spoil", _("Engineering spoil (excluded)")
    ENGINEERING_SLURRY = "engineering_slurry", _("Engineering slurry (excluded)")
    CONSTRUCTION = "construction_waste", _("Construction waste")
    DEMOLITION = "demolition_waste", _("Demolition waste")
    DECORATION = "decoration_waste", _("Decoration waste")
    OTHER = "other", _("Other construction waste")
    HAZARDOUS = "hazardous", _("Hazardous site waste (reported separately)")


class MaterialGroup(models.TextChoices):
    MAIN_STRUCTURE_ENVELOPE = "main_structure_envelope", _("Main structure and envelope")
    DECORATION = "decoration", _("Decoration")
    MEP = "mep", _("Mechanical, electrical and plumbing")
    EXTERIOR = "exterior", _("Exterior works")
