"""Factories of the projects app: complete applications built and walked through the real
services and workflow.

Shared entry: ``greenbuild.testing.factories`` re-exports these."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from greenbuild.accounts.models import User
from greenbuild.programmes.models import Programme
from greenbuild.projects import services
from greenbuild.projects.choices import StarLevel
from greenbuild.projects.models import Project
from greenbuild.reference.models import (
    BuildingUse,
    District,
    InvestmentNature,
    OrganisationMode,
    ProjectCategory,
    StructureMaterial,
    StructureSystem,
)


def complete_project_data(
    name: str = "测试项目", *, district: str = "tianning", category: str = "real-estate", **overrides: Any
) -> dict[str, Any]:
    """Every field the self-check needs, so the application can be submitted once it has a building."""
    data: dict[str, Any] = {
        "name": name,
        "district": District.objects.get(code=district),
        "address": "常州市天宁区测试路1号",
        "category": ProjectCategory.objects.get(code=category),
        "investment_nature": InvestmentNature.objects.get(code="private"),
        "use": BuildingUse.objects.get(code="residential"),
        "structure_material": StructureMaterial.objects.get(code="concrete"),
        "structure_system": StructureSystem.objects.get(code="shear-wall"),
        "gfa_above_m2": Decimal("50000"),
        "gfa_below_m2": Decimal("10000"),
        "investment_wan_yuan": Decimal("60000"),
        "planned_start": dt.date(2021, 6, 1),
        "planned_completion": dt.date(2023, 12, 31),
        "approval_code": "2105-320402-47-01-000001",
        "organisation_mode": OrganisationMode.objects.get(code="epc"),
        "target_star_level": StarLevel.TWO_STAR,
        "waste_target_t_per_10k_m2": Decimal("250"),
        "green_material_target_pct": Decimal("40"),
    }
    data.update(overrides)
    return data


def building_data(name: str = "1#楼", area: str = "20000", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": name,
        "floor_area_m2": Decimal(area),
        "storeys": 18,
        "height_m": Decimal("54"),
        "structure_material": StructureMaterial.objects.get(code="concrete"),
        "structure_system": StructureSystem.objects.get(code="shear-wall"),
    }
    data.update(overrides)
    return data


def make_project(owner_user: User, name: str = "测试项目", *, with_building: bool = True, **overrides: Any) -> Project:
    """A complete draft application filed by ``owner_user`` through the services."""
    programme = Programme.objects.get(code="changzhou-2021")
    project = services.create_project(
        actor=owner_user, programme=programme, data=complete_project_data(name, **overrides)
    )
    if with_building:
        services.save_building(actor=owner_user, project_id=project.pk, data=building_data())
    return project


PATH_TO: dict[str, list[str]] = {
    "draft": [],
    "submitted": ["submit"],
    "returned": ["submit", "return"],
    "recommended": ["submit", "recommend"],
    "rejected": ["submit", "recommend", "reject"],
    "candidate": ["submit", "recommend", "accept"],
    "confirmed": ["submit", "recommend", "accept", "confirm"],
    "withdrawn": ["withdraw"],
}


def pass_plan_review(project: Project, *, owner: User, bureau: User) -> Any:
    """Walk the project's green construction plan through expert review to ``passed`` with the
    real plans services (a candidate is confirmed only then, issue 13 item 5): a drawn panel
    scores it and its leader concludes (the only way, issue 16). Returns the plan."""
    from greenbuild.plans import services as plan_services
    from greenbuild.plans.choices import PASSED_STATUSES, PlanStatus
    from greenbuild.plans.demo import complete_data

    plan = plan_services.start_plan(actor=owner, project=project)
    if plan.status in PASSED_STATUSES:
        return plan
    from greenbuild.plans.demo import conclude_through_review

    plan_services.save_plan_draft(actor=owner, plan_id=plan.pk, data=complete_data(project, plan.guideline))
    plan_services.submit_plan(actor=owner, plan_id=plan.pk, comment="测试方案")
    conclude_through_review(plan, PlanStatus.PASSED, bureau=bureau, reasons="专家组同意通过")
    plan.refresh_from_db()
    return plan


def move_to(project: Project, status: str, *, owner: User, district_official: User, bureau: User) -> Project:
    """Walk ``project`` through the real workflow to ``status`` (before ``confirm`` its plan
    passes expert review)."""
    actors = {"submit": owner, "withdraw": owner, "recommend": district_official, "return": district_official}
    for action in PATH_TO[status]:
        if action == "confirm":
            pass_plan_review(project, owner=owner, bureau=bureau)
        services.transition_project(
            actor=actors.get(action, bureau), project_id=project.pk, action=action, comment="测试意见"
        )
    project.refresh_from_db()
    return project
