"""Issue 16 item 10 (conference) and item 8: published minutes are locked on every path (REV-06),
an addendum is a new document; notice and attendance; action items for owners and named people,
closed (销号) with a note and evidence, confirmed by the office; seats managed in the UI; dates
checked (REV-17); refused forms keep their input at their own address (UI-06); wording (UI-18)."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from greenbuild.conference import services
from greenbuild.conference.choices import ActionItemStatus, AttendanceStatus, MeetingStatus
from greenbuild.conference.models import ActionItem, Attendance, ConferenceMember, Decision, Meeting, MinutesAddendum
from greenbuild.core.errors import DomainError
from greenbuild.notifications.services import inbox_for
from greenbuild.reference.models import District

pytestmark = pytest.mark.django_db


def pdf(name="佐证.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


@pytest.fixture
def published(world, personas):
    held = world["held"]
    services.transition_meeting(actor=personas["bureau"], meeting_id=held.pk, action="publish_minutes")
    return Meeting.objects.get(pk=held.pk)


def _counts():
    return (Decision.objects.count(), ActionItem.objects.count(), Attendance.objects.count())


def test_published_minutes_refuse_decisions_items_files_and_attendance_in_the_service(published, world, personas):
    bureau = personas["bureau"]
    before = _counts()
    attachments = published.attachments.count()
    with pytest.raises(DomainError):
        services.add_decision(actor=bureau, meeting_id=published.pk, text="追加")
    with pytest.raises(DomainError):
        services.add_action_item(
            actor=bureau,
            meeting_id=published.pk,
            data={"title": "追加", "district": world["tianning"], "due": timezone.localdate()},
        )
    with pytest.raises(DomainError):
        services.attach_meeting_file(actor=bureau, meeting_id=published.pk, uploaded_file=pdf())
    with pytest.raises(DomainError):
        seat = ConferenceMember.objects.filter(active=True).first()
        services.record_attendance(
            actor=bureau, meeting_id=published.pk, rows={seat.pk: (AttendanceStatus.PRESENT, "")} if seat else {}
        )
    assert _counts() == before and published.attachments.count() == attachments


def test_published_minutes_refuse_the_page_and_the_api_too(client, published, world, personas):
    client.force_login(personas["bureau"])
    before = _counts()
    page = client.get(reverse("conference:meeting-detail", args=[published.pk])).content.decode()
    assert 'id="minutes-locked"' in page
    assert 'id="decision-form"' not in page and 'id="action-item-form"' not in page and 'name="file"' not in page
    response = client.post(reverse("conference:decision-add", args=[published.pk]), {"text": "追加"}, follow=True)
    assert "补充纪要" in response.content.decode()
    client.post(
        reverse("conference:action-item-add", args=[published.pk]),
        {"title": "追加", "district": world["tianning"].pk, "due": "2031-01-01"},
    )
    client.post(reverse("conference:meeting-upload", args=[published.pk]), {"file": pdf()})
    for url, body in (
        ("/api/v1/decisions/", {"meeting": published.pk, "text": "追加"}),
        (
            "/api/v1/action-items/",
            {"meeting": published.pk, "title": "追加", "district": world["tianning"].pk, "due": "2031-01-01"},
        ),
    ):
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code in (400, 409), (url, response.status_code)
    assert _counts() == before and published.attachments.count() == 0


def test_an_addendum_is_a_new_numbered_document_never_changed(client, published, world, personas):
    bureau = personas["bureau"]
    with pytest.raises(DomainError):  # only after publication
        services.issue_addendum(actor=bureau, meeting_id=world["planned"].pk, text="补充")
    with pytest.raises(PermissionDenied):
        services.issue_addendum(actor=personas["dan_district"], meeting_id=published.pk, text="补充")
    first = services.issue_addendum(actor=bureau, meeting_id=published.pk, text="补充一：时限顺延")
    client.force_login(bureau)
    client.post(reverse("conference:addendum-add", args=[published.pk]), {"text": "补充二：增加议题"})
    assert list(MinutesAddendum.objects.filter(meeting=published).values_list("number", "text")) == [
        (1, "补充一：时限顺延"),
        (2, "补充二：增加议题"),
    ]
    assert Meeting.objects.get(pk=published.pk).minutes == "纪要"
    first.text = "改"
    with pytest.raises(ValidationError):
        first.save()
    page = client.get(reverse("conference:meeting-detail", args=[published.pk])).content.decode()
    assert "补充一：时限顺延" in page and "补充二：增加议题" in page


def test_a_meeting_is_not_held_before_its_date_and_past_due_dates_are_confirmed(client, world, personas):
    """REV-17."""
    bureau = personas["bureau"]
    later = services.create_meeting(
        actor=bureau,
        data={
            "number": 9,
            "title": "远期会议",
            "date": timezone.localdate() + dt.timedelta(days=3),
            "place": "301",
            "agenda": "议程",
        },
    )
    with pytest.raises(DomainError):
        services.transition_meeting(actor=bureau, meeting_id=later.pk, action="hold")
    assert Meeting.objects.get(pk=later.pk).status == MeetingStatus.PLANNED
    with pytest.raises(DomainError):  # before the meeting's own date
        services.add_action_item(
            actor=bureau,
            meeting_id=world["held"].pk,
            data={"title": "早于会议", "district": world["tianning"], "due": world["held"].date - dt.timedelta(days=1)},
        )
    client.force_login(bureau)
    url = reverse("conference:action-item-add", args=[world["held"].pk])
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    before = ActionItem.objects.count()
    client.post(url, {"title": "已过时限", "district": world["tianning"].pk, "due": past})
    assert ActionItem.objects.count() == before  # warned, not assigned
    page = client.get(reverse("conference:meeting-detail", args=[world["held"].pk])).content.decode()
    assert "已过" in page and 'name="past_due_ok"' in page
    client.post(url, {"title": "已过时限", "district": world["tianning"].pk, "due": past, "past_due_ok": "on"})
    assert ActionItem.objects.count() == before + 1


def test_a_refused_action_item_keeps_every_input_at_the_meeting_page_without_a_raw_prefix(client, world, personas):
    """UI-06: both a district and a department chosen."""
    held = world["held"]
    client.force_login(personas["bureau"])
    response = client.post(
        reverse("conference:action-item-add", args=[held.pk]),
        {
            "title": "对接规划条件",
            "district": world["tianning"].pk,
            "department": world["nrp"].pk,
            "due": "2031-03-01",
            "decision": world["decision"].pk,
            "evidence_required": "on",
        },
    )
    assert response.status_code == 302 and response.url.startswith(reverse("conference:meeting-detail", args=[held.pk]))
    page = client.get(response.url).content.decode()
    form = page.split('id="action-item-form"')[1].split("</form>")[0]
    assert 'value="对接规划条件"' in form and 'value="2031-03-01"' in form
    assert 'value="{}" selected'.format(world["tianning"].pk) in form
    assert 'value="{}" selected'.format(world["nrp"].pk) in form
    assert 'name="evidence_required" class="form-check-input" id="id_evidence_required" checked' in form or (
        "checked" in form.split('name="evidence_required"')[1][:120]
    )
    assert "责任部门:" not in page and "责任部门：" not in page
    assert "只能指定一个责任主体" in form
    # the refused input is shown once
    assert 'value="对接规划条件"' not in client.get(response.url).content.decode()


def test_a_new_meeting_with_a_taken_number_says_so_plainly(client, world, personas):
    """UI-18: "第1次会议已存在", not Django's "具有 期次 的 会议 已存在"."""
    client.force_login(personas["bureau"])
    response = client.post(
        reverse("conference:meeting-create"),
        {"number": 1, "title": "重复", "date": "2026-01-01", "place": "x", "agenda": "x"},
    )
    text = response.content.decode()
    assert "第1次会议已存在" in text and "具有" not in text


def test_items_for_an_owner_and_a_named_person_close_with_evidence_confirmed_by_the_office(
    client, world, personas, orgs
):
    bureau, alice = personas["bureau"], personas["alice_owner"]
    held = world["held"]
    owner_item = services.add_action_item(
        actor=bureau,
        meeting_id=held.pk,
        data={
            "title": "报送专项设计说明",
            "organisation": orgs["owner"],
            "due": timezone.localdate() + dt.timedelta(days=5),
            "evidence_required": True,
        },
    )
    person_item = services.add_action_item(
        actor=bureau,
        meeting_id=held.pk,
        data={"title": "牵头研究口径", "person": personas["carl_contractor"], "due": timezone.localdate()},
    )
    assert [i.title for i in inbox_for(alice) if i.kind == "conference.to_close"] == ["报送专项设计说明"]
    assert [i.title for i in inbox_for(personas["carl_contractor"]) if i.kind == "conference.to_close"] == [
        "牵头研究口径"
    ]
    # the assignee reads the item (and nothing else of the conference)
    client.force_login(alice)
    assert client.get(reverse("conference:action-item-detail", args=[owner_item.pk])).status_code == 200
    assert client.get(reverse("conference:action-item-detail", args=[person_item.pk])).status_code == 404
    assert client.get(reverse("conference:meeting-detail", args=[held.pk])).status_code == 404
    # evidence first
    with pytest.raises(DomainError):
        services.transition_action_item(actor=alice, item_id=owner_item.pk, action="close", comment="已报送")
    response = client.post(reverse("conference:action-item-evidence", args=[owner_item.pk]), {"file": pdf()})
    assert response.status_code == 302 and owner_item.evidence.count() == 1
    with pytest.raises((PermissionDenied, DomainError)):  # not hers: she cannot even see it
        services.add_item_evidence(actor=personas["olivia_other_owner"], item_id=owner_item.pk, uploaded_file=pdf())
    client.post(reverse("conference:action-item-move", args=[owner_item.pk, "close"]), {"comment": "已报送"})
    assert ActionItem.objects.get(pk=owner_item.pk).status == ActionItemStatus.REQUESTED
    assert [i.title for i in inbox_for(bureau) if i.kind == "conference.to_confirm"] == ["报送专项设计说明"]
    services.transition_action_item(actor=bureau, item_id=owner_item.pk, action="confirm")
    assert ActionItem.objects.get(pk=owner_item.pk).status == ActionItemStatus.CLOSED
    services.transition_action_item(
        actor=personas["carl_contractor"], item_id=person_item.pk, action="close", comment="已研究"
    )
    with pytest.raises(PermissionDenied):
        services.transition_action_item(actor=personas["carl_contractor"], item_id=person_item.pk, action="confirm")


def test_the_office_issues_a_notice_and_records_attendance(client, world, personas, django_capture_on_commit_callbacks):
    from greenbuild.notifications.models import Notification

    bureau = personas["bureau"]
    planned = world["planned"]
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_notice(actor=bureau, meeting_id=planned.pk)
    meeting = Meeting.objects.get(pk=planned.pk)
    assert meeting.notice_issued_at and planned.place in meeting.notice
    told = set(Notification.objects.filter(event__verb="conference.notice").values_list("recipient", flat=True))
    assert personas["dan_district"].pk in told and personas["alice_owner"].pk not in told
    with pytest.raises(DomainError):  # attendance once held
        services.record_attendance(actor=bureau, meeting_id=planned.pk, rows={})
    seat = ConferenceMember.objects.create(role="member", district=District.objects.get(code="tianning"))
    client.force_login(bureau)
    url = reverse("conference:attendance-record", args=[world["held"].pk])
    response = client.post(url, {"status_{}".format(seat.pk): AttendanceStatus.DEPUTY})
    assert response.status_code == 302 and not Attendance.objects.exists()  # a deputy needs a name
    page = client.get(response.url).content.decode()
    assert "请填写代" in page
    client.post(url, {"status_{}".format(seat.pk): AttendanceStatus.DEPUTY, "deputy_{}".format(seat.pk): "王磊"})
    assert list(Attendance.objects.values_list("member", "status", "deputy_name")) == [
        (seat.pk, AttendanceStatus.DEPUTY, "王磊")
    ]


def test_the_office_manages_the_seats_in_the_ui(client, world, personas):
    client.force_login(personas["bureau"])
    url = reverse("conference:member-create")
    assert client.get(url).status_code == 200
    response = client.post(url, {"role": "member", "sort_order": 5, "active": "on"})  # represents nothing
    assert response.status_code == 400 and not ConferenceMember.objects.exists()
    response = client.post(
        url,
        {
            "role": "member",
            "district": District.objects.get(code="xinbei").pk,
            "title": "副区长",
            "sort_order": 5,
            "active": "on",
        },
    )
    assert response.status_code == 302
    seat = ConferenceMember.objects.get()
    client.post(
        reverse("conference:member-edit", args=[seat.pk]),
        {"role": "member", "district": seat.district_id, "title": "副区长", "sort_order": 5},
    )
    assert not ConferenceMember.objects.get(pk=seat.pk).active  # retired, kept
    assert seat.title not in client.get(reverse("conference:member-list")).content.decode()
    client.force_login(personas["dan_district"])
    assert client.get(url).status_code == 403


def test_the_api_issues_the_notice_and_an_addendum_and_members_may_not(client, published, world, personas):
    client.force_login(personas["bureau"])
    response = client.post(
        "/api/v1/meetings/{}/addenda/".format(published.pk),
        json.dumps({"text": "补充：时限顺延"}),
        content_type="application/json",
    )
    assert response.status_code == 200 and [a["number"] for a in response.json()["addenda"]] == [1]
    response = client.post(
        "/api/v1/meetings/{}/notice/".format(world["planned"].pk), json.dumps({}), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["notice_issued_at"]
    response = client.post(
        "/api/v1/meetings/{}/notice/".format(published.pk), json.dumps({}), content_type="application/json"
    )
    assert response.status_code in (400, 409)
    client.force_login(personas["dan_district"])
    response = client.post(
        "/api/v1/meetings/{}/addenda/".format(published.pk),
        json.dumps({"text": "越权"}),
        content_type="application/json",
    )
    assert response.status_code == 403 and MinutesAddendum.objects.count() == 1
