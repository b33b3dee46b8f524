"""Issue 16 item 11 / UI-10 / UI-19: a closed programme's to-dos leave every list (the inbox, its
badge, the digest) and are kept in an archive the programme filter opens; the column says 事项."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from greenbuild.notifications import services
from greenbuild.programmes.data_changzhou_2021 import load_programme
from greenbuild.programmes.models import Programme
from greenbuild.projects import services as project_services
from greenbuild.projects.demo import live_programme_spec
from greenbuild.testing.factories import complete_project_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_programmes(personas, filed_project):
    """An application of the 2021 programme waiting for dan, and one of the programme running today."""
    old = filed_project("submitted", name="二〇二一待推荐")
    live = load_programme(django_apps, live_programme_spec(timezone.localdate()))
    new = project_services.create_project(
        actor=personas["alice_owner"], programme=live, data=complete_project_data("本期待推荐")
    )
    from greenbuild.testing.factories import building_data

    project_services.save_building(actor=personas["alice_owner"], project_id=new.pk, data=building_data())
    project_services.transition_project(actor=personas["alice_owner"], project_id=new.pk, action="submit")
    return old, new, live


def titles(user, **kwargs):
    return [item.title for item in services.inbox_for(user, **kwargs)]


def test_an_ended_programmes_items_leave_the_inbox_and_its_count(client, personas, two_programmes):
    old, new, live = two_programmes
    assert services.ended_programme_ids() == {old.programme_id}
    assert titles(personas["dan_district"]) == ["本期待推荐"]
    client.force_login(personas["dan_district"])
    badge = client.get(reverse("notifications:inbox-badge")).content.decode()
    assert "1" in badge and "2" not in badge


def test_the_programme_filter_opens_the_archive(client, personas, two_programmes):
    old, new, live = two_programmes
    assert titles(personas["dan_district"], programme=old.programme_id) == ["二〇二一待推荐"]
    assert titles(personas["dan_district"], programme=live.pk) == ["本期待推荐"]
    client.force_login(personas["dan_district"])
    with translation.override("zh-hans"):
        page = client.get(reverse("notifications:inbox"), {"programme": old.programme_id}).content.decode()
        default = client.get(reverse("notifications:inbox")).content.decode()
        junk = client.get(reverse("notifications:inbox"), {"programme": "x' or 1=1"})
    assert "二〇二一待推荐" in page and 'id="inbox-archived"' in page and "已归档" in page
    assert "二〇二一待推荐" not in default and "本期待推荐" in default
    assert junk.status_code == 200 and "本期待推荐" in junk.content.decode()
    assert ">事项</th>" in default  # UI-19: the column holds items, not only projects


def test_the_digest_leaves_out_an_ended_programmes_items(personas, two_programmes):
    dan = personas["dan_district"]
    dan.email = "dan@example.org"
    dan.save()
    services.update_preference(actor=dan, daily_digest=True, language="zh-hans")
    assert services.send_daily_digests(users=[dan]) == 1
    body = mail.outbox[-1].body
    assert "本期待推荐" in body and "二〇二一待推荐" not in body


def test_the_one_programme_platform_archives_nothing(personas, filed_project):
    """While a programme is the platform's current one it is never archived, even past its phases."""
    filed_project("submitted", name="唯一计划")
    assert Programme.objects.count() == 1
    assert services.ended_programme_ids() == set()
    assert titles(personas["dan_district"]) == ["唯一计划"]


def test_the_archive_costs_the_same_queries_whatever_the_number_of_items(personas, filed_project, two_programmes):
    dan = personas["dan_district"]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            services.inbox_for(dan)
        return len(ctx.captured_queries)

    count()  # warm the per-process caches
    few = count()
    for i in range(3):
        filed_project("submitted", name="更多{}".format(i))
    assert count() == few


def test_answering_the_experts_clarification_has_a_due_date(personas, filed_project, settings):
    """UI-22: "答复专家的补充说明要求" came without a due date."""
    from greenbuild.plans import services as plan_services
    from greenbuild.plans.models import GreenPlan

    settings.INBOX_DUE_DAYS = {"plans.to_answer": 5}
    project = filed_project("candidate", name="待答复项目")
    plan = plan_services.start_plan(actor=personas["alice_owner"], project=project)
    GreenPlan.objects.filter(pk=plan.pk).update(status="clarification")  # the round asked (reviews' move)
    [item] = [i for i in services.inbox_for(personas["alice_owner"]) if i.kind == "plans.to_answer"]
    plan.refresh_from_db()
    assert item.due == timezone.localtime(plan.updated_at).date() + dt.timedelta(days=5)


def test_the_owner_hears_of_a_scorecard_review_and_its_result(personas, django_capture_on_commit_callbacks):
    """UI-11: an evaluator's review (here downwards) reaches the owner's applicants, who can open it."""
    from greenbuild.notifications.models import Notification
    from greenbuild.scoring import services as scoring
    from greenbuild.scoring.choices import Stage
    from greenbuild.scoring.tests.conftest import HEADER, WORKED, accept_everything, claims_from, make_pilot

    pilot = make_pilot(personas)
    scoring.save_scorecard(
        actor=personas["alice_owner"], project=pilot, stage=Stage.EVALUATION, header=HEADER, claims=claims_from(WORKED)
    )
    card = pilot.scorecards.get()
    decisions = accept_everything()
    decisions["9.2.1"] = {"points": 0, "note": "无能耗模拟报告"}
    with django_capture_on_commit_callbacks(execute=True):
        scoring.review_scorecard(actor=personas["bureau"], scorecard=card, decisions=decisions)
    told = Notification.objects.filter(event__verb="project.scorecard_reviewed")
    assert {n.recipient for n in told} == {personas["alice_owner"]}
    note = told.get()
    with translation.override("zh-hans"):
        assert pilot.name in note.event.text
    assert note.url == reverse("scoring:scores", args=[pilot.pk])
