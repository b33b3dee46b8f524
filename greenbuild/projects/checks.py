"""Pre-submission self-check (R4): what is still missing before the owner can submit."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from greenbuild.projects.choices import StarLevel
from greenbuild.projects.models import Project

REQUIRED_FIELDS = (
    "address",
    "investment_nature",
    "use",
    "structure_material",
    "structure_system",
    "gfa_above_m2",
    "gfa_below_m2",
    "investment_wan_yuan",
    "planned_start",
    "planned_completion",
    "approval_code",
    "organisation_mode",
    "waste_target_t_per_10k_m2",
    "green_material_target_pct",
)
#: Municipal infrastructure has no floor area, single buildings or star rating.
MUNICIPAL_REQUIRED_FIELDS = tuple(f for f in REQUIRED_FIELDS if f not in ("gfa_above_m2", "gfa_below_m2"))


def submission_gaps(project: Project) -> list[str]:
    """Human-readable items still missing; empty when the application is complete.

    Building works (房屋建筑) need floor areas, a target star level and single buildings;
    municipal infrastructure (市政基础设施) does not.
    """
    gaps: list[str] = []
    building_works = project.category.is_building
    for name in REQUIRED_FIELDS if building_works else MUNICIPAL_REQUIRED_FIELDS:
        if getattr(project, name) in (None, ""):
            label = Project._meta.get_field(name).verbose_name
            gaps.append(str(_("Fill in “{field}”.")).format(field=label))
    if not building_works:
        return gaps
    if project.target_star_level == StarLevel.NONE:
        gaps.append(str(_("Declare the target green building level.")))
    if not project.buildings.exists():
        gaps.append(str(_("Add at least one single building.")))
    return gaps
