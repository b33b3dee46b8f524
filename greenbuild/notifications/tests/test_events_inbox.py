"""Events, notifications through the gate, the inbox (待办) and the daily digest (issue 11 §5,
issue 10 item 4)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from greenbuild.accounts.choices import Role
from greenbuild.notifications import services
from greenbuild.notifications.models import Event, Notification
from greenbuild.projects import services as project_services
from greenbuild.reference.models import District
from greenbuild.testing.factories import OrganisationFactory, make_project, pass_plan_review, person

pytestmark = pytest.mark.django_db


def _submit(project, actor, callbacks):
    with callbacks(execute=True):
        project_services.transition_project(actor=actor, project_id=project.pk, action="submit")


def test_a_move_becomes_one_event_delivered_to_each_reader(personas, django_capture_on_commit_callbacks):
    project = make_project(personas["alice_owner"], name="事件项目")
    _submit(project, personas["alice_owner"], django_capture_on_commit_callbacks)
    event = Event.objects.get(project=project)
    assert event.verb == "project.transition"
    assert event.actor == personas["alice_owner"]
    assert event.params["from_status"] == "draft" and event.params["to_status"] == "submitted"
    readers = set(event.notifications.values_list("recipient__username", flat=True))
    assert readers == {"dan", "bureau"}  # the district's official and the bureau, never the actor


def test_notifications_of_a_project_moved_out_of_the_readers_scope_disappear(
    client, personas, filed_project, django_capture_on_commit_callbacks
):
    """Issue 10 item 4: moving a project to another district and renaming it reveals nothing."""
    dan = personas["dan_district"]
    with django_capture_on_commit_callbacks(execute=True):
        project = filed_project("submitted", name="原名项目")
        project_services.transition_project(actor=dan, project_id=project.pk, action="return", comment="请补充材料")
    # The owner moves the returned application to 武进区 and renames it.
    project_services.update_project(
        actor=personas["alice_owner"],
        project_id=project.pk,
        data={"district": District.objects.get(code="wujin"), "name": "新名称秘密项目"},
    )
    assert dan.notifications.filter(project=project).exists()  # the rows exist…
    assert not Notification.objects.visible_to(dan).filter(project=project).exists()  # …but are not shown
    assert services.unread_count(dan) == 0
    client.force_login(dan)
    page = client.get(reverse("notifications:list"))
    assert page.status_code == 200
    assert "新名称秘密项目" not in page.content.decode()
    assert "原名项目" not in page.content.decode()
    hidden = dan.notifications.filter(project=project).first()
    assert client.post(reverse("notifications:open", args=[hidden.pk])).status_code == 404
    digest_user = dan
    digest_user.email = "dan@example.org"
    digest_user.save()
    services.send_daily_digests(users=[digest_user])
    assert all("新名称秘密项目" not in m.body for m in mail.outbox)


def test_recipients_are_resolved_in_a_constant_number_of_queries(personas, orgs, django_capture_on_commit_callbacks):
    def officials(n, start):
        for i in range(n):
            person("official{}".format(start + i), Role.DISTRICT_OFFICIAL, orgs["tianning"], district="tianning")

    def queries_for(name):
        project = make_project(personas["alice_owner"], name=name)
        with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
            project_services.transition_project(actor=personas["alice_owner"], project_id=project.pk, action="submit")
        return len(ctx), Event.objects.get(project=project).notifications.count()

    queries_for("预热")  # warms the content-type cache
    officials(2, 0)
    few, told_few = queries_for("少量读者")
    officials(20, 100)
    many, told_many = queries_for("大量读者")
    assert told_many == told_few + 20
    assert many == few


def test_a_notification_reads_in_the_readers_language_when_read(personas, django_capture_on_commit_callbacks):
    project = make_project(personas["alice_owner"], name="双语项目")
    _submit(project, personas["alice_owner"], django_capture_on_commit_callbacks)
    note = personas["bureau"].notifications.get()
    with translation.override("zh-hans"):
        assert note.text == "双语项目：草稿 → 已申报（alice）"
    with translation.override("en"):
        assert note.text == "双语项目: Draft → Submitted (alice)"


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    client, personas, django_capture_on_commit_callbacks
):
    project = make_project(personas["alice_owner"], name="打开项目")
    _submit(project, personas["alice_owner"], django_capture_on_commit_callbacks)
    note = personas["dan_district"].notifications.get()
    client.force_login(personas["wu_district"])
    assert client.post(reverse("notifications:open", args=[note.pk])).status_code == 404  # not theirs
    client.force_login(personas["dan_district"])
    response = client.post(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302
    assert response.url == reverse("projects:project-detail", args=[project.pk])
    note.refresh_from_db()
    assert note.read_at is not None


# --- the inbox ---------------------------------------------------------------------------------


def _kinds(user):
    return sorted((item.kind, item.title) for item in services.inbox_for(user))


def test_inbox_contents_per_role(personas, filed_project):
    """A hand-made programme: one application in each state that waits for someone."""
    filed_project("draft", name="草稿甲")
    filed_project("submitted", name="已申报乙")
    filed_project("returned", name="退回丙")
    filed_project("recommended", name="已推荐丁")
    filed_project("candidate", name="候选戊")  # its plan has not passed: no 确定为试点 yet (UI-09)
    passed = filed_project("candidate", name="候选庚")
    pass_plan_review(passed, owner=personas["alice_owner"], bureau=personas["bureau"])
    filed_project("confirmed", name="已确认己")

    assert _kinds(personas["alice_owner"]) == [
        ("projects.to_revise", "退回丙"),
        ("projects.to_submit", "草稿甲"),
    ]
    assert _kinds(personas["dan_district"]) == [("projects.to_recommend", "已申报乙")]
    assert _kinds(personas["wu_district"]) == []  # another district's applications wait for dan only
    assert [k for k in _kinds(personas["bureau"]) if k[0].startswith("projects.")] == [
        ("projects.to_accept", "已推荐丁"),
        ("projects.to_confirm", "候选庚"),
    ]
    # the confirmed pilot's 用地预审与选址 step waits for nina's department (issue 13 item 7)
    assert _kinds(personas["dept_reviewer"]) == [("lifecycle.step_to_sign", "已确认己")]
    for who in ("olivia_other_owner", "carl_contractor", "eve_expert", "dave_outsider"):
        assert _kinds(personas[who]) == [], who


def test_inbox_due_dates_and_overdue_marks(personas, filed_project, settings):
    settings.INBOX_DUE_DAYS = {"projects.to_recommend": 10}
    with time_machine.travel(dt.datetime(2021, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        filed_project("submitted", name="等待推荐")
    with time_machine.travel(dt.datetime(2021, 3, 5, 9, tzinfo=dt.UTC), tick=False):
        [item] = services.inbox_for(personas["dan_district"])
        assert item.due == dt.date(2021, 3, 11)
        assert item.waiting_days == 4
        assert not item.overdue
    with time_machine.travel(dt.datetime(2021, 3, 12, 9, tzinfo=dt.UTC), tick=False):
        [item] = services.inbox_for(personas["dan_district"])
        assert item.overdue


def test_inbox_due_date_never_passes_the_quota_deadline(personas, filed_project, settings):
    from greenbuild.programmes.models import QuotaRule

    settings.INBOX_DUE_DAYS = {"projects.to_confirm": 400}
    project = filed_project("candidate", name="临近截止")
    pass_plan_review(project, owner=personas["alice_owner"], bureau=personas["bureau"])
    deadline = QuotaRule.objects.get(programme=project.programme, category=project.category).deadline
    [item] = [i for i in services.inbox_for(personas["bureau"]) if i.title == "临近截止"]
    assert item.due == deadline


def test_a_scorecard_waiting_for_review_is_in_the_evaluators_inbox(personas, filed_project, orgs):
    from greenbuild.projects.choices import ParticipantRole
    from greenbuild.projects.models import ProjectParticipant
    from greenbuild.scoring.choices import ClauseKind, Stage
    from greenbuild.scoring.models import ClauseClaim, Scorecard

    project = filed_project("candidate", name="待评审项目")
    ProjectParticipant.objects.create(project=project, organisation=orgs["evaluator"], role=ParticipantRole.EVALUATOR)
    card = Scorecard.objects.create(project=project, stage=Stage.PRE_EVALUATION)
    ClauseClaim.objects.create(scorecard=card, clause="4.1.1", kind=ClauseKind.CONTROL, claimed_pass=True)
    kinds = _kinds(personas["ted_evaluator"])
    assert ("scoring.to_review", "待评审项目") in kinds
    other = person("tina", Role.EVALUATOR, OrganisationFactory(name="另一评价机构"))
    assert _kinds(other) == []


def test_inbox_pages(client, personas, filed_project):
    filed_project("submitted", name="页面项目")
    client.force_login(personas["dan_district"])
    page = client.get(reverse("notifications:inbox"))
    assert page.status_code == 200
    assert "页面项目" in page.content.decode()
    badge = client.get(reverse("notifications:inbox-badge"))
    assert ">1<" in badge.content.decode()
    client.logout()
    assert client.get(reverse("notifications:inbox")).status_code == 302


# --- e-mail ------------------------------------------------------------------------------------


def test_daily_digest_in_each_readers_language_once(personas, filed_project, django_capture_on_commit_callbacks):
    dan, bureau = personas["dan_district"], personas["bureau"]
    dan.email, bureau.email = "dan@example.org", "bureau@example.org"
    dan.save()
    bureau.save()
    services.update_preference(actor=bureau, daily_digest=True, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        filed_project("submitted", name="摘要项目")
    assert services.send_daily_digests() == 2
    by_reader = {m.to[0]: m for m in mail.outbox}
    assert "摘要项目" in by_reader["dan@example.org"].body
    assert "推荐或退回" in by_reader["dan@example.org"].body
    assert by_reader["dan@example.org"].body.startswith("dan，您好")
    assert "Draft → Submitted" in by_reader["bureau@example.org"].body
    assert "daily digest" in by_reader["bureau@example.org"].subject
    mail.outbox.clear()
    services.update_preference(actor=bureau, daily_digest=False, language="en")
    # dan still has a waiting application, so still a digest; the notification is not sent twice.
    assert services.send_daily_digests() == 1
    assert "草稿 → 已申报" not in mail.outbox[0].body
    assert Notification.objects.filter(recipient=dan, emailed_at__isnull=False).count() == 1
    assert timezone.now() >= Notification.objects.get(recipient=dan).emailed_at


@pytest.mark.parametrize("who", ["bureau", "dan_district", "alice_owner", "ted_evaluator"])
def test_the_inbox_page_runs_a_constant_number_of_queries(client, personas, filed_project, who):
    def count():
        client.force_login(personas[who])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("notifications:inbox")).status_code == 200
        return len(ctx)

    for i, status in enumerate(["submitted", "recommended", "candidate", "returned"]):
        filed_project(status, name="少{}".format(i))
    few = count()
    for i, status in enumerate(["submitted", "recommended", "candidate", "returned"] * 3):
        filed_project(status, name="多{}".format(i))
    assert count() == few


def test_a_request_to_withdraw_a_pilot_waits_in_the_bureaus_inbox(personas, filed_project):
    project = filed_project("confirmed", name="申请撤回的试点")
    project_services.request_withdrawal(actor=personas["alice_owner"], project_id=project.pk, reason="资金未落实")
    assert ("projects.withdrawal_to_decide", "申请撤回的试点") in _kinds(personas["bureau"])
    assert all(kind != "projects.withdrawal_to_decide" for kind, _ in _kinds(personas["dan_district"]))


def test_the_digest_and_the_cleanup_run_daily():
    from greenbuild.jobs.registry import daily_entries

    entries = daily_entries()
    assert {"notifications.daily_digest", "attachments.cleanup"} <= set(entries)
