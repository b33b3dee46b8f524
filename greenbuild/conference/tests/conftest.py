import datetime as dt

import pytest
from django.utils import timezone

from greenbuild.conference import services
from greenbuild.reference.models import Department, District


@pytest.fixture
def world(personas):
    """A planned meeting, a held one with a decision and three action items: one for 天宁区
    (dan's, open and overdue), one for 自然资源和规划局 (nina's, open) and one for 武进区, closed
    (asked for by the district, confirmed by the office)."""
    bureau = personas["bureau"]
    today = timezone.localdate()
    planned = services.create_meeting(
        actor=bureau,
        data={"number": 2, "title": "推进会", "date": today, "place": "301", "agenda": "一、通报"},
    )
    held = services.create_meeting(
        actor=bureau,
        data={
            "number": 1,
            "title": "启动会",
            "date": today - dt.timedelta(days=10),
            "place": "301",
            "agenda": "一、部署",
            "minutes": "纪要",
        },
    )
    services.transition_meeting(actor=bureau, meeting_id=held.pk, action="hold")
    decision = services.add_decision(actor=bureau, meeting_id=held.pk, text="推荐首批试点项目")
    tianning = District.objects.get(code="tianning")
    nrp = Department.objects.get(code="natural-resources-planning")
    district_item = services.add_action_item(
        actor=bureau,
        meeting_id=held.pk,
        data={
            "title": "推荐天宁区项目",
            "decision": decision,
            "district": tianning,
            "due": today - dt.timedelta(days=2),
        },
    )
    department_item = services.add_action_item(
        actor=bureau,
        meeting_id=held.pk,
        data={"title": "规划条件写入绿色指标", "department": nrp, "due": today + dt.timedelta(days=10)},
    )
    closed_item = services.add_action_item(
        actor=bureau,
        meeting_id=held.pk,
        data={"title": "推荐武进区项目", "district": District.objects.get(code="wujin"), "due": today},
    )
    services.transition_action_item(
        actor=personas["wu_district"], item_id=closed_item.pk, action="close", comment="已推荐"
    )
    services.transition_action_item(actor=bureau, item_id=closed_item.pk, action="confirm")
    return {
        "planned": planned,
        "held": held,
        "decision": decision,
        "district_item": district_item,
        "department_item": department_item,
        "closed_item": closed_item,
        "tianning": tianning,
        "nrp": nrp,
    }
