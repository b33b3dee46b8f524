"""Demo plans in every state, through the real services (idempotent: a project with a plan is skipped)."""

from __future__ import annotations

from typing import Any

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import User
from greenbuild.plans import services
from greenbuild.plans.choices import PlanStatus as S
from greenbuild.plans.models import GreenPlan
from greenbuild.projects.choices import ProjectStatus


def complete_data(project: Any, guideline: Any, **targets: Any) -> dict[str, Any]:
    """A plan that passes its self-check (``targets`` overrides some targets)."""
    from greenbuild.guidelines.selectors import measure_items

    measures = {
        item.code: "按导则{}落实：{}（责任单位：工程总承包单位）。".format(item.code, item.text_zh[:30])
        for item in measure_items(guideline)
    }
    data = {
        "targets": {
            "star_level": "two_star" if project.category.is_building else "",
            "assembly_rate_pct_by_building": {str(b.pk): "60" for b in project.buildings.all()},
            "waste_t_per_10k_m2": "180",
            "green_material_pct": "60",
            "carbon_kgco2e_per_m2": None,
        },
        "measures": measures,
        "technologies": ["T-01", "T-04", "T-05", "T-10"],
        "bim_plan": {
            "stages": ["design", "production", "construction"],
            "text": "设计阶段BIM正向设计，生产阶段构件深化与排产，施工阶段进度与质量管理。",
        },
        "smart_site_plan": {
            "smart_site": "智慧工地平台：人员实名制、塔吊监测、扬尘噪声监测。",
            "equipment": "测量机器人、地坪整平机器人、智能喷涂机器人。",
        },
        "organisation_mode": "epc",
    }
    data["targets"].update(targets)
    return data


#: the state each demo plan is taken to, in the order of the projects chosen
CONFIRMED_STATES = (S.PASSED, S.PASSED_WITH_REVISIONS)
OTHER_STATES = (S.IN_REVIEW, S.CLARIFICATION, S.SUBMITTED, S.REVISE, S.FAILED, S.DRAFT)


def _owner_of(project: Any) -> User | None:
    return User.objects.filter(memberships__organisation=project.owner, memberships__role=Role.OWNER_APPLICANT).first()


def _walk(plan: GreenPlan, target: str, owner: User, bureau: User) -> None:
    project = plan.project
    services.save_plan_draft(actor=owner, plan_id=plan.pk, data=complete_data(project, plan.guideline))
    if target == S.DRAFT:
        return
    services.submit_plan(actor=owner, plan_id=plan.pk, comment="请专家评审。")
    if target == S.SUBMITTED:
        return
    services.begin_review(actor=bureau, plan_id=plan.pk)
    if target == S.IN_REVIEW:
        return
    if target in (S.CLARIFICATION, S.PASSED_WITH_REVISIONS):
        services.request_clarification(
            actor=bureau, plan_id=plan.pk, question="请补充各单体装配率计算书，并说明建筑垃圾减量化措施。"
        )
        if target == S.CLARIFICATION:
            return
        data = complete_data(project, plan.guideline, waste_t_per_10k_m2="150", green_material_pct="65")
        services.answer_clarification(
            actor=owner, plan_id=plan.pk, answer="已补充装配率计算书，垃圾减量目标调整为150吨/万平方米。", data=data
        )
    outcome = {S.REVISE: S.REVISE, S.FAILED: S.FAILED}.get(target, target)
    services.conclude_plan(actor=bureau, plan_id=plan.pk, outcome=outcome, reasons="专家组评审结论。")


def seed_plans(bureau: User) -> int:
    """Plans for the demo projects: passed ones for confirmed pilots, the other states for
    candidates and applications under review. Returns the number of plans created."""
    projects = list(
        GreenPlan.objects.none()
        .model.project.field.related_model.objects.filter(
            status__in=[
                ProjectStatus.CONFIRMED,
                ProjectStatus.CANDIDATE,
                ProjectStatus.RECOMMENDED,
                ProjectStatus.SUBMITTED,
            ]
        )
        .order_by("pk")
    )
    confirmed = [p for p in projects if p.status == ProjectStatus.CONFIRMED]
    others = [p for p in projects if p.status != ProjectStatus.CONFIRMED]
    chosen = list(zip(confirmed, CONFIRMED_STATES * len(confirmed), strict=False)) + list(
        zip(others, OTHER_STATES, strict=False)
    )
    created = 0
    for project, target in chosen:
        if GreenPlan.objects.filter(project=project).exists():
            continue
        owner = _owner_of(project)
        if owner is None:
            continue
        plan = services.start_plan(actor=owner, project=project)
        _walk(plan, target, owner, bureau)
        created += 1
    return created
