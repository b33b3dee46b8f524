"""The joint conference of the demo programme: its seats, three meetings in every state (the
first with attendance, published minutes and an addendum; the second with attendance and items
for districts, departments, a pilot's owner and a named person; the third planned, its notice
issued) and action items open, overdue, awaiting confirmation and closed (called from
``seed_demo``; idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import Membership, Organisation, User
from greenbuild.conference import services
from greenbuild.conference.choices import MemberRole
from greenbuild.conference.models import ConferenceMember, Meeting
from greenbuild.core.history import set_history_user
from greenbuild.reference.models import Department, District


def _seats(bureau: User) -> None:
    if ConferenceMember.objects.exists():
        return
    bureau_org = Organisation.objects.filter(memberships__user=bureau).first()
    seats: list[ConferenceMember] = [
        ConferenceMember(role=MemberRole.CONVENOR, person=bureau, organisation=bureau_org, title="市住建局局长"),
    ]
    nrp = Membership.objects.filter(role=Role.DEPARTMENT_REVIEWER, department__code="natural-resources-planning")
    deputy = nrp.select_related("user", "organisation").first()
    if deputy is not None:
        seats.append(
            ConferenceMember(
                role=MemberRole.DEPUTY,
                person=deputy.user,
                organisation=deputy.organisation,
                department=deputy.department,
                title="市自然资源和规划局副局长",
            )
        )
    for district in District.objects.filter(active=True):
        official = Membership.objects.filter(role=Role.DISTRICT_OFFICIAL, district=district).first()
        seats.append(
            ConferenceMember(
                person=official.user if official else None,
                organisation=official.organisation if official else None,
                district=district,
                title="分管副区长",
            )
        )
    for department in Department.objects.filter(active=True):
        if deputy is not None and department.pk == deputy.department_id:
            continue
        reviewer = Membership.objects.filter(role=Role.DEPARTMENT_REVIEWER, department=department).first()
        organisation = reviewer.organisation if reviewer else Organisation.objects.filter(department=department).first()
        seats.append(
            ConferenceMember(
                person=reviewer.user if reviewer else None,
                organisation=organisation,
                department=department,
                title="联络员",
            )
        )
    for order, seat in enumerate(seats):
        seat.sort_order = order
        set_history_user(seat, bureau)
        seat.save()


def _meeting(bureau: User, number: int, **data: Any) -> tuple[Meeting, bool]:
    existing = Meeting.objects.filter(number=number).first()
    if existing is not None:
        return existing, False
    return services.create_meeting(actor=bureau, data={"number": number, **data}), True


def seed_conference(bureau: User) -> int:
    """Seats, and meetings 1 (minutes published, every item closed), 2 (held, items open, one
    overdue) and 3 (planned). Returns the number of meetings created."""
    _seats(bureau)
    today = timezone.localdate()
    districts = {d.code: d for d in District.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    created = 0

    first, new = _meeting(
        bureau,
        1,
        title="绿色建造试点工作启动会",
        date=today - dt.timedelta(days=120),
        place="市行政中心 2 号楼 301 会议室",
        agenda="一、通报绿色建造试点实施方案；\n二、明确各区、各部门职责分工；\n三、部署首批试点项目申报工作。",
        minutes="会议由召集人主持，各区、各部门负责同志参加。会议审议通过了试点实施方案，明确了职责分工。",
    )
    if new:
        created += 1
        services.transition_meeting(actor=bureau, meeting_id=first.pk, action="hold")
        decision = services.add_decision(
            actor=bureau, meeting_id=first.pk, text="各辖市区于一个月内完成首批试点项目的推荐工作。"
        )
        for code in ("wujin", "tianning"):
            if code not in districts:
                continue
            item = services.add_action_item(
                actor=bureau,
                meeting_id=first.pk,
                data={
                    "title": "完成首批试点项目推荐（{}）".format(districts[code].name_zh),
                    "decision": decision,
                    "district": districts[code],
                    "department": None,
                    "due": today - dt.timedelta(days=90),
                },
            )
            official = User.objects.filter(
                memberships__role=Role.DISTRICT_OFFICIAL, memberships__district=districts[code]
            ).first()
            if official is not None:
                services.transition_action_item(
                    actor=official, item_id=item.pk, action="close", comment="已按期推荐 2 个项目并报送联席会议办公室。"
                )
                services.transition_action_item(actor=bureau, item_id=item.pk, action="confirm", comment="同意销号。")
        _attendance(bureau, first)
        services.transition_meeting(actor=bureau, meeting_id=first.pk, action="publish_minutes")
        services.issue_addendum(
            actor=bureau,
            meeting_id=first.pk,
            text="补充：金坛区、溧阳市推荐时限顺延至下月底，其余事项按纪要执行。",
        )

    second, new = _meeting(
        bureau,
        2,
        title="绿色建造试点推进会",
        date=today - dt.timedelta(days=20),
        place="市住建局 5 楼会议室",
        agenda="一、通报试点项目绿色建造策划方案评审情况；\n二、协调规划条件中绿色建造要求的落实；\n三、研究财政奖补政策。",
        minutes="",
    )
    if new:
        created += 1
        services.transition_meeting(actor=bureau, meeting_id=second.pk, action="hold")
        planning = services.add_decision(
            actor=bureau, meeting_id=second.pk, text="在规划条件中写入绿色建造技术指标（装配率、绿色建材应用比例）。"
        )
        subsidy = services.add_decision(
            actor=bureau, meeting_id=second.pk, text="研究制定绿色建造试点项目财政奖补办法。"
        )
        rows = [
            ("规划条件写入绿色建造技术指标", planning, None, "natural-resources-planning", -5),
            ("起草财政奖补办法（征求意见稿）", subsidy, None, "finance", 25),
            ("组织区内试点项目对接规划条件", planning, "xinbei", None, 10),
        ]
        for title, decision, district, department, days in rows:
            if (district and district not in districts) or (department and department not in departments):
                continue
            services.add_action_item(
                actor=bureau,
                meeting_id=second.pk,
                data={
                    "title": title,
                    "decision": decision,
                    "district": districts.get(district) if district else None,
                    "department": departments.get(department) if department else None,
                    "due": today + dt.timedelta(days=days),
                },
            )
        _items_for_owners_and_people(bureau, second, planning, today)
        _attendance(bureau, second)

    third, new = _meeting(
        bureau,
        3,
        title="绿色建造试点年度总结会",
        date=today + dt.timedelta(days=30),
        place="市行政中心 2 号楼 301 会议室",
        agenda="一、试点工作年度总结；\n二、督办事项办理情况通报；\n三、部署下一年度工作。",
        minutes="",
    )
    created += int(new)
    if new:
        services.issue_notice(actor=bureau, meeting_id=third.pk)
    return created


def _attendance(bureau: User, meeting: Meeting) -> None:
    """签到: every seat present, one represented by a deputy."""
    from greenbuild.conference.choices import AttendanceStatus

    seats = list(ConferenceMember.objects.filter(active=True).order_by("sort_order", "pk"))
    rows = {seat.pk: (AttendanceStatus.PRESENT, "") for seat in seats}
    if len(seats) > 3:
        rows[seats[-1].pk] = (AttendanceStatus.DEPUTY, "王磊（办公室主任）")
    services.record_attendance(actor=bureau, meeting_id=meeting.pk, rows=rows)


def _items_for_owners_and_people(bureau: User, meeting: Meeting, decision: Any, today: dt.date) -> None:
    """An item for a pilot's owner (closure with evidence, asked for and waiting for the office)
    and one for a named person."""
    owner = Membership.objects.filter(role=Role.OWNER_APPLICANT).select_related("user", "organisation").first()
    if owner is not None:
        item = services.add_action_item(
            actor=bureau,
            meeting_id=meeting.pk,
            data={
                "title": "报送装配式专项设计说明（试点建设单位）",
                "decision": decision,
                "organisation": owner.organisation,
                "due": today + dt.timedelta(days=15),
                "evidence_required": True,
            },
        )
        from django.core.files.uploadedfile import SimpleUploadedFile

        services.add_item_evidence(
            actor=owner.user,
            item_id=item.pk,
            uploaded_file=SimpleUploadedFile(
                "装配式专项设计说明.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
            ),
        )
        services.transition_action_item(
            actor=owner.user, item_id=item.pk, action="close", comment="专项设计说明已报送，见佐证材料。"
        )
    deputy = ConferenceMember.objects.filter(person__isnull=False, department__isnull=False).select_related("person")
    seat = deputy.first()
    if seat is not None:
        services.add_action_item(
            actor=bureau,
            meeting_id=meeting.pk,
            data={
                "title": "牵头研究规划条件中绿色建造指标的表述口径",
                "decision": decision,
                "person": seat.person,
                "due": today + dt.timedelta(days=30),
            },
        )
