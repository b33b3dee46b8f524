"""Issue 19 item 3: notifications people can manage — filters (unread, kind, project), mark all
read within the filters, grouping by project, pages, the same in the API, per-kind e-mail
preferences (UI-13: a page of their own) and the digest's links from SITE_URL (UI-28)."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from greenbuild.env import site_url_problem
from greenbuild.notifications import services
from greenbuild.notifications.models import DeliveryPreference, Event, Notification
from greenbuild.notifications.registry import kind_of, kinds
from greenbuild.testing.factories import make_project

pytestmark = pytest.mark.django_db


def notify(reader, project=None, verb="project.transition", read=False, **params):
    """One event about ``project`` (or none) delivered to ``reader``."""
    params = {"project_name": project.name if project else "", "from_status": "draft", "to_status": "submitted"}
    if verb == "webhooks.disabled":
        params = {"name": "推送", "reason": "failures"}
    event = Event.objects.create(verb=verb, project=project, params=params)
    return Notification.objects.create(
        event=event, recipient=reader, project=project, read_at=timezone.now() if read else None
    )


@pytest.fixture
def inbox(personas):
    """The bureau's notifications: two projects, two kinds, read and unread."""
    bureau = personas["bureau"]
    one = make_project(personas["alice_owner"], name="甲项目")
    two = make_project(personas["alice_owner"], name="乙项目")
    rows = {
        "one_unread": notify(bureau, one),
        "one_read": notify(bureau, one, read=True),
        "two_unread": notify(bureau, two),
        "hook_unread": notify(bureau, None, verb="webhooks.disabled"),
    }
    return bureau, one, two, rows


def ids(queryset):
    return {n.pk for n in queryset}


def test_kinds_are_the_verbs_first_part_with_labels():
    codes = [code for code, _label in kinds()]
    assert {"project", "reviews", "plan", "conference", "lifecycle"} <= set(codes)
    assert kind_of("reviews.invited") == "reviews"
    with translation.override("zh-hans"):
        assert dict(kinds())["reviews"] == "专家评审"


def test_the_filters_keep_unread_kind_and_project(inbox):
    bureau, one, two, rows = inbox

    def kept(**filters):
        filterset = services.filtered_notifications(bureau, filters)
        assert filterset.is_valid(), filterset.errors
        return ids(filterset.qs)

    assert kept(unread="true") == {rows["one_unread"].pk, rows["two_unread"].pk, rows["hook_unread"].pk}
    assert kept(unread="false") == {rows["one_read"].pk}
    assert kept(kind="webhooks") == {rows["hook_unread"].pk}
    assert kept(project=str(one.pk)) == {rows["one_unread"].pk, rows["one_read"].pk}
    assert kept(kind="project", project=str(two.pk), unread="true") == {rows["two_unread"].pk}
    assert not services.filtered_notifications(bureau, {"kind": "nonsense"}).is_valid()


def test_mark_all_read_respects_the_filters_and_the_gate(inbox, personas):
    bureau, one, two, rows = inbox
    someone_elses = notify(personas["dan_district"], one)
    assert services.mark_all_read(actor=bureau, filters={"project": one.pk}) == 1
    assert Notification.objects.get(pk=rows["one_unread"].pk).read_at is not None
    assert Notification.objects.get(pk=rows["two_unread"].pk).read_at is None
    assert services.mark_all_read(actor=bureau, filters={"kind": "webhooks"}) == 1
    assert services.mark_all_read(actor=bureau) == 1  # the last one: 乙项目
    assert Notification.objects.get(pk=someone_elses.pk).read_at is None
    with pytest.raises(ValueError):
        services.mark_all_read(actor=bureau, filters={"kind": "nonsense"})


def test_the_page_filters_groups_and_marks_what_it_shows(client, inbox):
    bureau, one, two, rows = inbox
    client.force_login(bureau)
    with translation.override("zh-hans"):
        page = client.get(reverse("notifications:list"), {"project": one.pk, "unread": "true"}).content.decode()
        assert 'id="notification-filter"' in page and "标记这些为已读" in page
        assert page.count("甲项目：草稿") == 1 and "乙项目：" not in page
        grouped = client.get(reverse("notifications:list"), {"group": "project"}).content.decode()
        headings = re.findall(r'id="group-(\d)">([^<]+?) <span', grouped)
        assert sorted(name for _n, name in headings[:2]) == ["乙项目", "甲项目"]
        assert headings[2] == ("3", "不涉及项目")  # the webhook's notification, last
        bad = client.get(reverse("notifications:list"), {"kind": "nonsense"})
        assert bad.status_code == 200
    response = client.post(reverse("notifications:mark-read"), {"project": one.pk, "unread": "true"})
    assert response.status_code == 302
    assert response.url == reverse("notifications:list") + "?unread=true&project={}".format(one.pk)
    assert Notification.objects.filter(read_at__isnull=True).count() == 2  # 乙项目 and the webhook's


def test_the_page_pages_and_keeps_the_filters_in_its_links(client, personas):
    bureau = personas["bureau"]
    project = make_project(personas["alice_owner"], name="多页项目")
    for _ in range(55):
        notify(bureau, project)
    client.force_login(bureau)
    first = client.get(reverse("notifications:list"), {"unread": "true"}).content.decode()
    assert first.count('action="/notifications/') - first.count('action="/notifications/read/') == 50
    assert "?unread=true&amp;page=2" in first
    second = client.get(reverse("notifications:list"), {"unread": "true", "page": 2}).content.decode()
    assert second.count("多页项目：") == 5


def _many(personas, notifications, projects, prefix="项目"):
    bureau = personas["bureau"]
    made = [make_project(personas["alice_owner"], name="{}{}".format(prefix, i)) for i in range(projects)]
    for i in range(notifications):
        notify(bureau, made[i % projects], read=bool(i % 3))
    return bureau


def count_queries(call):
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200, response.content[:500]
    return len(queries)


@pytest.mark.parametrize("query", [{}, {"group": "project", "unread": "true"}, {"kind": "project"}])
def test_the_page_costs_the_same_for_5_and_50_notifications(client, personas, query):
    bureau = _many(personas, 5, 2)
    client.force_login(bureau)
    url = reverse("notifications:list")
    client.get(url, query)  # warm the per-process caches
    few = count_queries(lambda: client.get(url, query))
    more = _many(personas, 45, 12, prefix="更多")
    assert more == bureau
    assert Notification.objects.filter(recipient=bureau).count() == 50
    assert count_queries(lambda: client.get(url, query)) == few


def test_the_api_filters_groups_and_costs_the_same_for_5_and_50(client, personas):
    bureau = _many(personas, 5, 2)
    client.force_login(bureau)
    url = "/api/v1/notifications/"
    client.get(url)
    few = count_queries(lambda: client.get(url, {"unread": "true", "kind": "project", "ordering": "project_name"}))
    _many(personas, 45, 12, prefix="更多")
    assert (
        count_queries(lambda: client.get(url, {"unread": "true", "kind": "project", "ordering": "project_name"})) == few
    )
    rows = client.get(url, {"ordering": "project_name", "limit": 100}).json()["results"]
    names = [row["project_name"] for row in rows]
    assert names == sorted(names) and rows[0]["kind"] == "project"
    assert all(row["read_at"] is None for row in client.get(url, {"unread": "true", "limit": 100}).json()["results"])
    assert client.get(url, {"kind": "nonsense"}).status_code == 400
    assert client.get(url, {"ordering": "-created_at"}).status_code == 400
    assert client.get(url, {"unred": "true"}).status_code == 400  # a misspelt filter is named


def test_the_api_marks_all_read_within_the_filters(client, inbox):
    bureau, one, two, rows = inbox
    client.force_login(bureau)
    url = "/api/v1/notifications/actions/mark_all_read/"
    marked = client.post(url, json.dumps({"project": one.pk}), content_type="application/json")
    assert marked.status_code == 200 and marked.json() == {"marked": 1}
    assert client.post(url, json.dumps({"kind": "nonsense"}), content_type="application/json").status_code == 400
    assert client.post(url, "{}", content_type="application/json").json() == {"marked": 2}
    assert not Notification.objects.filter(recipient=bureau, read_at__isnull=True).exists()
    client.logout()
    assert client.post(url, "{}", content_type="application/json").status_code in (401, 403)


def test_the_preferences_page_shows_saves_and_keeps_a_refused_form(client, personas):
    """UI-13: GET /notifications/preferences/ is a page; the kinds chosen are saved."""
    alice = personas["alice_owner"]
    client.force_login(alice)
    url = reverse("notifications:preferences")
    with translation.override("zh-hans"):
        page = client.get(url).content.decode()
    assert 'id="preferences-form"' in page and 'value="reviews"' in page
    saved = client.post(url, {"daily_digest": "on", "language": "en", "email_kinds": ["reviews", "plan"]})
    assert saved.status_code == 302 and saved.url == url
    pref = DeliveryPreference.objects.get(user=alice)
    assert pref.language == "en" and "project" in pref.email_muted_kinds and "reviews" not in pref.email_muted_kinds
    assert services.emailed_kinds(pref) == ["plan", "reviews"]
    refused = client.post(url, {"language": "xx", "email_kinds": ["conference"]})
    assert refused.status_code == 302 and refused.url == url
    again = client.get(url).content.decode()
    assert re.search(r'value="conference" id="id_email_kinds_\d+" checked', again)  # the input is kept
    assert not re.search(r'value="reviews" id="id_email_kinds_\d+" checked', again)
    assert "is-invalid" in again
    assert DeliveryPreference.objects.get(user=alice).language == "en"  # unchanged


def test_the_digest_leaves_out_muted_kinds_and_links_from_site_url(personas, settings):
    """UI-28: full-width punctuation, links from SITE_URL, a way to unsubscribe."""
    settings.SITE_URL = "https://lvse.example.gov.cn/pilot"
    bureau = personas["bureau"]
    bureau.email = "bureau@example.cn"
    bureau.save()
    project = make_project(personas["alice_owner"], name="邮件项目")
    notify(bureau, project)
    notify(bureau, None, verb="webhooks.disabled")
    services.update_preference(
        actor=bureau, daily_digest=True, language="zh-hans", email_kinds=[k for k, _l in kinds() if k != "webhooks"]
    )
    assert services.send_daily_digests(users=[bureau]) == 1
    body = mail.outbox[-1].body
    assert "新通知：" in body and "新通知:" not in body
    assert "邮件项目" in body and "推送" not in body  # the muted kind stays on the page
    assert "https://lvse.example.gov.cn/pilot/notifications/preferences/" in body
    assert "https://lvse.example.gov.cn/pilot/accounts/profile/" in body
    assert "退订" in body
    assert Notification.objects.filter(event__verb="webhooks.disabled", emailed_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://greenbuild.example.gov.cn", True),
        ("http://127.0.0.1:8000", True),
        ("https://example.cn/greenbuild", True),
        ("greenbuild.example.gov.cn", False),
        ("ftp://example.cn", False),
        ("https://", False),
        ("https://example.cn/?a=1", False),
        ("https://user@example.cn", False),
        ("https://example.cn:port", False),
    ],
)
def test_site_url_is_checked(url, ok):
    assert (site_url_problem(url) is None) is ok
