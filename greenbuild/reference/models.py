"""Reference data as data (issue 2 §4): lookup tables an administrator edits in the admin.

The rows themselves are loaded by the data migration from ``data/reference.json``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from greenbuild.core.models import ReferenceItem


class District(ReferenceItem):
    """A county-level city, district or the economic development zone (R3: 各辖市、区和常州经开区)."""

    division_code = models.CharField(_("administrative division code"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=40, default="常州市")

    class Meta(ReferenceItem.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Department(ReferenceItem):
    """A city department with duties in the programme (R17)."""

    duties = models.TextField(_("duties"), blank=True)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class ProjectCategory(ReferenceItem):
    """Project category, two levels: 房屋建筑 (with sub-kinds) and 市政基础设施 (R1, R3)."""

    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_building = models.BooleanField(
        _("building works"),
        default=True,
        help_text=_("Building works are rated under GB/T 50378 and GB/T 51129 and have single buildings."),
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("project category")
        verbose_name_plural = _("project categories")


class InvestmentNature(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("investment nature")
        verbose_name_plural = _("investment natures")


class StructureMaterial(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("structure material")
        verbose_name_plural = _("structure materials")


class StructureSystem(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("structure system")
        verbose_name_plural = _("structure systems")


class BuildingUse(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("building use")
        verbose_name_plural = _("building uses")


class OrganisationMode(ReferenceItem):
    """How the works are organised: EPC, whole-process consulting or conventional (R14)."""

    integrated = models.BooleanField(
        _("integrated delivery"), default=False, help_text=_("Counts as integrated delivery for R14.")
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("organisation mode")
        verbose_name_plural = _("organisation modes")
