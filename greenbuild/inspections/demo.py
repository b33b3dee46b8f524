"""Inspections of the demo programme (called from ``seed_demo``; idempotent): one submitted
inspection of a confirmed pilot with findings in every state — open, closed without an order,
an order waiting for rectification and overdue (escalated), one answered with evidence, one
verified and closed, one reopened — and a second inspection scheduled."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import Membership, User
from greenbuild.inspections import services
from greenbuild.inspections.models import Inspection, RectificationOrder


def _photo(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _pilot_and_people() -> tuple[Any, Any, Any] | None:
    from greenbuild.projects.choices import ProjectStatus
    from greenbuild.projects.models import Project

    for project in Project.objects.filter(status=ProjectStatus.CONFIRMED).order_by("pk"):
        official = (
            Membership.objects.filter(role=Role.DISTRICT_OFFICIAL, district_id=project.district_id)
            .select_related("user")
            .first()
        )
        owner = (
            Membership.objects.filter(role=Role.OWNER_APPLICANT, organisation_id=project.owner_id)
            .select_related("user")
            .first()
        )
        if official is not None and owner is not None:
            return project, official.user, owner.user
    return None


def seed_inspections(bureau: User) -> int:
    """Seed the demo's inspections; returns the number of findings."""
    if Inspection.objects.exists():
        return 0
    found = _pilot_and_people()
    if found is None:
        return 0
    project, inspector, owner = found
    today = timezone.localdate()
    inspection = services.schedule_inspection(
        project=project, inspector=inspector, due_on=today, actor=bureau, reason="定期监督检查（施工阶段）"
    )
    services.transition_inspection(actor=inspector, inspection_id=inspection.pk, action="start")

    def finding(summary: str, severity: str, clause: str, location: str, deadline: int | None = None) -> Any:
        made = services.raise_finding(
            project=project,
            actor=inspector,
            summary=summary,
            severity=severity,
            source="inspection",
            clause=clause,
            inspection=inspection,
            location=location,
            deadline=today + dt.timedelta(days=deadline) if deadline else None,
            instructions="按《绿色施工规范》要求整改，并上传整改后照片。" if deadline else "",
        )
        services.add_finding_photo(
            actor=inspector, finding_id=made.pk, uploaded_file=_photo("现场.jpg", (150, 120, 90))
        )
        return made

    finding("材料堆放区未设置标识牌", "minor", "GB/T 50905-2014 4.3.2", "材料堆场")
    noted = finding("洗车槽排水沟局部堵塞", "minor", "GB/T 50905-2014 4.2.4", "大门洗车台")
    services.close_finding(actor=inspector, finding_id=noted.pk, comment="现场已当即疏通，无需整改通知。")
    overdue = finding("施工现场裸土未覆盖，扬尘控制不到位", "major", "GB/T 50905-2014 4.2.1", "1号楼北侧", 7)
    answered = finding("建筑垃圾未分类堆放", "major", "GB/T 50905-2014 5.1.3", "2号楼东侧", 10)
    closed = finding("夜间施工未办理许可", "critical", "GB/T 50905-2014 4.4.1", "全场", 5)
    reopened = finding("围挡破损未修复", "minor", "GB/T 50905-2014 4.1.2", "南侧围挡", 6)

    for made in (answered, closed, reopened):
        order = RectificationOrder.objects.get(finding=made)
        services.add_order_evidence(actor=owner, order_id=order.pk, uploaded_file=_photo("整改后.jpg", (60, 140, 60)))
        services.transition_order(
            actor=owner, order_id=order.pk, action="answer", comment="已按要求整改，附整改后照片。"
        )
    services.transition_order(actor=inspector, order_id=closed.order.pk, action="verify")
    services.transition_order(
        actor=inspector,
        order_id=reopened.order.pk,
        action="reopen",
        comment="复查发现围挡仍有缺口，请继续整改。",
        deadline=today + dt.timedelta(days=5),
    )
    for item in inspection.checklist.all():
        services.record_checks(actor=inspector, inspection_id=inspection.pk, results={item.pk: ("pass", "")})
    services.update_summary(actor=inspector, inspection_id=inspection.pk, summary="总体符合绿色施工要求，发现问题6项。")
    services.transition_inspection(actor=inspector, inspection_id=inspection.pk, action="submit")

    # The overdue order: the demo shows it as issued three weeks ago with a deadline a week past
    # (the service refuses a deadline in the past, so the demo dates it back), escalated today.
    past = timezone.now() - dt.timedelta(days=21)
    RectificationOrder.objects.filter(finding=overdue).update(issued_at=past, deadline=today - dt.timedelta(days=7))
    services.escalate_overdue(today=today)

    services.schedule_inspection(
        project=project,
        inspector=inspector,
        due_on=today + dt.timedelta(days=14),
        actor=bureau,
        reason="随机抽查（双随机）",
    )
    return project.findings.count()
