"""Publicity in the Changzhou demo (issue 20 item 9): a candidate's public notice (公示), running,
with one objection the bureau has answered; two public messages about a confirmed pilot, one
answered (published on its public page), one awaiting the district's and the owner's answer.
Called from ``seed_demo``; idempotent."""

from __future__ import annotations

from typing import Any

from greenbuild.projects.choices import ProjectStatus
from greenbuild.projects.models import Project
from greenbuild.publicity import services
from greenbuild.publicity.choices import MessageCategory, NoticeKind
from greenbuild.publicity.models import PublicMessage, PublicNotice


def seed_publicity(bureau: Any) -> None:
    if not PublicNotice.objects.exists():
        candidate = Project.objects.filter(status=ProjectStatus.CANDIDATE).order_by("pk").first()
        if candidate is not None:
            notice = services.create_notice(
                actor=bureau,
                project=candidate,
                data={
                    "kind": NoticeKind.CANDIDATE,
                    "title": "关于{}拟确定为绿色建造试点项目的公示".format(candidate.name),
                    "body": (
                        "经申报、区级推荐和专家评审，{}拟确定为常州市绿色建造试点项目。"
                        "公示期内，任何单位和个人如有异议，可在本页提出（请写明事实和理由）。".format(candidate.name)
                    ),
                },
            )
            services.transition_notice(actor=bureau, notice_id=notice.pk, action="publish")
            objection = services.file_objection(
                notice_id=notice.pk,
                text="项目东侧围挡施工期间扬尘较大，请核实其绿色施工措施是否落实。联系人王先生 13800000000",
                contact_name="王先生",
                contact_phone="13800000000",
            )
            services.answer_objection(
                actor=bureau,
                objection_id=objection.pk,
                public_text="项目东侧围挡施工期间扬尘较大，请核实其绿色施工措施是否落实。",
                answer="经现场核查，该项目已按方案设置喷淋和车辆冲洗设施，扬尘监测数据达标；已要求加强东侧围挡区域的洒水频次。",
            )
    if not PublicMessage.objects.exists():
        pilot = Project.objects.filter(status=ProjectStatus.CONFIRMED).order_by("pk").first()
        if pilot is None:
            return
        answered = services.leave_message(
            project_id=pilot.pk,
            category=MessageCategory.NIGHT_WORK,
            text="工地晚上十一点以后还在浇筑混凝土，噪声很大。",
            contact_phone="13900000000",
        )
        services.answer_message(
            actor=bureau,
            message_id=answered.pk,
            answer="经核实，当晚为连续浇筑作业，已办理夜间施工许可；已要求施工单位提前公告并采取降噪措施。",
        )
        services.leave_message(
            project_id=pilot.pk,
            category=MessageCategory.DUST,
            text="项目北门出入的渣土车带泥上路，路面扬尘明显。",
        )
