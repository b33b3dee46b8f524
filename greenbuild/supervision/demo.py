"""Supervision of the demo programme (called from ``seed_demo`` after the inspections; idempotent):
the inspector pool (the bureau city-wide, each district's official for their district), a
regular inspection plan of a confirmed pilot, a published city-wide random draw (双随机) with its
inspections scheduled, and a third-party evaluation whose report is filed and one waiting for its report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from greenbuild.accounts.choices import OrganisationKind, Role
from greenbuild.accounts.models import Membership, Organisation, User
from greenbuild.supervision import services
from greenbuild.supervision.models import Draw, InspectorPoolMember


def _pool(bureau: User) -> None:
    if not InspectorPoolMember.objects.filter(user=bureau).exists():
        services.add_pool_member(actor=bureau, user=bureau)
    for membership in Membership.objects.filter(role=Role.DISTRICT_OFFICIAL, district__isnull=False).select_related(
        "user", "district"
    ):
        if not InspectorPoolMember.objects.filter(user=membership.user).exists():
            services.add_pool_member(actor=bureau, user=membership.user, district=membership.district)


def _pilot() -> tuple[Any, Any] | None:
    from greenbuild.projects.choices import ProjectStatus
    from greenbuild.projects.models import Project

    for project in Project.objects.filter(status=ProjectStatus.CONFIRMED).order_by("pk"):
        official = Membership.objects.filter(role=Role.DISTRICT_OFFICIAL, district_id=project.district_id).first()
        if official is not None:
            return project, official.user
    return None


def _step(project: Any) -> Any:
    from greenbuild.lifecycle.models import ProjectStep, StepType

    step = ProjectStep.objects.filter(project=project, status="open").select_related("type").first()
    return step.type if step is not None else StepType.objects.filter(active=True).order_by("order").first()


def seed_supervision(bureau: User) -> int:
    """Seed the demo's supervision; returns the number of draws made."""
    from greenbuild.lifecycle.models import StepType

    if Draw.objects.exists():
        return 0
    found = _pilot()
    if found is None:
        return 0
    project, official = found
    today = timezone.localdate()
    _pool(bureau)
    step = _step(project)
    services.create_plan(
        actor=bureau,
        project=project,
        step_type=step,
        interval_days=30,
        inspectors=[official],
        next_due=today + dt.timedelta(days=7),
        notes="施工阶段每月一次日常监督检查。",
    )
    record = services.make_draw(
        actor=bureau,
        title="{}年第四季度绿色建造试点双随机抽查".format(today.year),
        kind="both",
        ratio="0.3",
        inspector_ratio="1",
        due_on=today + dt.timedelta(days=14),
    )
    services.publish_draw(actor=bureau, draw_id=record.pk)
    evaluator = Organisation.objects.filter(kind=OrganisationKind.EVALUATOR).order_by("pk").first()
    evaluator_user = (
        Membership.objects.filter(organisation=evaluator, role=Role.EVALUATOR).select_related("user").first()
        if evaluator
        else None
    )
    if evaluator is not None and evaluator_user is not None:
        evaluation = services.assign_evaluation(
            actor=bureau,
            project=project,
            step_type=step,
            evaluator=evaluator,
            scope="评估装配率、建筑垃圾减量与绿色建材应用是否达到试点基准。",
            due_on=today + dt.timedelta(days=30),
        )
        services.file_evaluation_report(
            actor=evaluator_user.user,
            evaluation_id=evaluation.pk,
            summary="项目总体按试点方案推进，装配率达标，建筑垃圾减量台账不完整。",
            scores=[
                {"aspect": "装配率", "score": "86", "comment": "达到基准目标"},
                {"aspect": "建筑垃圾减量", "score": "68", "comment": "台账缺失两个月"},
                {"aspect": "绿色建材应用", "score": "78", "comment": ""},
            ],
            recommendations=[
                {
                    "text": "补齐建筑垃圾出场计量台账并按月上报。",
                    "demands_action": True,
                    "severity": "major",
                    "clause": "R11",
                },
                {"text": "总结预制构件吊装经验，供其他试点参考。", "demands_action": False},
            ],
        )
        later = StepType.objects.filter(active=True, order__gt=step.order).order_by("order").first()
        if later is not None:  # a second evaluation waits for the evaluator's report
            services.assign_evaluation(
                actor=bureau,
                project=project,
                step_type=later,
                evaluator=evaluator,
                scope="评估施工阶段扬尘、噪声控制与智慧工地措施的实施效果。",
                due_on=today + dt.timedelta(days=45),
            )
    return 1
