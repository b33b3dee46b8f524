"""Issue 10 items 17 and 18: the overview tells the bureau what to do, and the demo is live.

* district rows link to the district's applications under review, each shortfall is named;
* the chart data is the quota categories against their targets;
* pending withdrawal requests are counted and linked;
* the live demo programme's implementation phase contains the seeding day, and the overview shows
  it by default (the 2021 programme stays as the document defines it).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from greenbuild.programmes.data_changzhou_2021 import CHANGZHOU_2021
from greenbuild.programmes.models import Programme
from greenbuild.projects import services
from greenbuild.projects.demo import live_programme_spec
from greenbuild.projects.models import Project, WithdrawalRequest
from greenbuild.testing.demo import load_demo

pytestmark = pytest.mark.django_db


def zh_get(client, url: str, data=None):
    with translation.override("zh-hans"):
        return client.get(url, data)


def quota_row(page: str, district_code: str) -> str:
    return re.search(r'<tr data-district="{}">(.*?)</tr>'.format(district_code), page, re.S).group(1)


def test_a_district_row_links_to_its_applications_under_review(client, bureau, filed_project):
    filed_project("submitted", "天宁待审一")
    filed_project("recommended", "天宁待审二")
    filed_project("draft", "天宁草稿")
    filed_project("confirmed", "天宁试点")
    filed_project("submitted", "武进待审", district="wujin")
    client.force_login(bureau)
    row = quota_row(zh_get(client, reverse("dashboards:overview")).content.decode(), "tianning")
    link = html.unescape(re.search(r'<a href="([^"]*status=in_review[^"]*)"[^>]*>\s*2\s*<', row).group(1))
    listed = zh_get(client, link).content.decode()
    assert "天宁待审一" in listed and "天宁待审二" in listed
    assert not any(name in listed for name in ("天宁草稿", "天宁试点", "武进待审"))
    assert re.search(r'<option value="in_review" selected', listed)  # the filter shows what is listed


def test_each_districts_missing_category_is_named(client, bureau, filed_project):
    filed_project("confirmed", "天宁住宅", category="real-estate")
    client.force_login(bureau)
    page = zh_get(client, reverse("dashboards:overview")).content.decode()
    assert "缺：政府投资公建项目" in quota_row(page, "tianning")
    assert "缺：房地产开发项目、政府投资公建项目" in quota_row(page, "wujin")
    with translation.override("en"):
        page = client.get(reverse("dashboards:overview")).content.decode()
    assert re.search(r"Missing: [A-Za-z]", quota_row(page, "tianning"))


def test_the_chart_shows_each_quota_category_against_its_target(client, bureau, filed_project):
    filed_project("confirmed", "天宁住宅", category="real-estate")
    filed_project("candidate", "天宁学校", category="government-public")
    client.force_login(bureau)
    response = zh_get(client, reverse("dashboards:overview"))
    chart = response.context["chart"]
    tianning = chart["districts"].index("天宁区")
    assert [(c["name"], c["target"]) for c in chart["categories"]] == [("房地产开发项目", 1), ("政府投资公建项目", 1)]
    assert [(c["confirmed"][tianning], c["candidates"][tianning]) for c in chart["categories"]] == [(1, 0), (0, 1)]
    page = response.content.decode()
    assert "<script>" not in page.replace('<script id="chart-data" type="application/json">', "")  # no inline JS
    assert "/static/dashboards/overview.js" in page


def test_pending_withdrawal_requests_are_counted_and_linked(client, bureau, alice_owner, filed_project):
    pilot = filed_project("confirmed", "天宁撤回试点")
    filed_project("confirmed", "天宁另一试点")
    client.force_login(bureau)
    assert 'id="todo-withdrawals"' not in zh_get(client, reverse("dashboards:overview")).content.decode()
    services.request_withdrawal(actor=alice_owner, project_id=pilot.pk, reason="项目建设计划调整，申请撤回试点。")
    page = zh_get(client, reverse("dashboards:overview")).content.decode()
    link = re.search(r'<a href="([^"]*)" id="todo-withdrawals">([^<]*)</a>', page)
    assert link and "1" in link.group(2) and re.search(r"[\u4e00-\u9fff]", link.group(2))
    listed = zh_get(client, html.unescape(link.group(1))).content.decode()
    assert "天宁撤回试点" in listed and "天宁另一试点" not in listed


@pytest.mark.parametrize("who", ["bureau", "dan_district", None])
def test_the_overview_keeps_a_constant_number_of_queries(client, personas, filed_project, who):
    if who:
        client.force_login(personas[who])
    url = reverse("dashboards:overview")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            project = filed_project(["submitted", "recommended", "confirmed"][i % 3], name="项目{}".format(i))
            if project.status == "confirmed":
                services.request_withdrawal(
                    actor=personas["alice_owner"], project_id=project.pk, reason="计划调整，申请撤回。"
                )

    add(3, 0)
    count()  # warm the per-process caches
    few = count()
    add(9, 3)
    assert WithdrawalRequest.objects.count() == 4
    assert count() == few <= 16


def test_the_overview_shows_the_programme_running_today_and_offers_the_others(client, bureau):
    spec = live_programme_spec(timezone.localdate())
    from django.apps import apps

    from greenbuild.programmes.data_changzhou_2021 import load_programme

    live = load_programme(apps, spec)
    client.force_login(bureau)
    response = zh_get(client, reverse("dashboards:overview"))
    assert response.context["overview"].programme == live
    assert response.context["overview"].phase.name_zh == "组织实施"
    page = response.content.decode()
    assert 'id="programme-picker"' in page and "常州市绿色建造试点（2021—2023）" in page
    older = zh_get(client, reverse("dashboards:overview"), {"programme": "changzhou-2021"})
    assert older.context["overview"].programme.code == "changzhou-2021"
    unknown = zh_get(client, reverse("dashboards:overview"), {"programme": "nope"})
    assert unknown.status_code == 200 and unknown.context["overview"].programme == live


@pytest.mark.parametrize("day", [dt.date(2026, 12, 1), dt.date(2027, 1, 1), dt.date(2030, 6, 15)])
def test_the_live_programmes_implementation_phase_contains_the_seeding_day(day):
    spec = live_programme_spec(day)
    phases = {p["order"]: p for p in spec["phases"]}
    assert phases[2]["starts_on"] <= day <= phases[2]["ends_on"]
    assert phases[1]["ends_on"] < phases[2]["starts_on"] and phases[2]["ends_on"] < phases[3]["starts_on"]
    assert all(rule["deadline"] >= day for rule in spec["quota_rules"])


def test_the_demo_is_live_and_seeding_twice_changes_nothing(client):
    load_demo()
    counts = Project.objects.count(), WithdrawalRequest.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (Project.objects.count(), WithdrawalRequest.objects.count()) == counts

    original = Programme.objects.get(code="changzhou-2021")
    assert [(p.name_zh, p.starts_on.isoformat(), p.ends_on.isoformat()) for p in original.phases.all()] == [
        (p["name_zh"], p["starts_on"], p["ends_on"]) for p in CHANGZHOU_2021["phases"]
    ]
    live = Programme.objects.get(code="changzhou-live-demo")
    assert live.phase_on(timezone.localdate()).name_zh == "组织实施"
    statuses = set(live.projects.values_list("status", flat=True))
    assert {"draft", "submitted", "recommended", "returned", "candidate", "confirmed"} <= statuses
    assert WithdrawalRequest.objects.filter(project__programme=live, status="pending").exists()
    from greenbuild.projects.models import ProjectParticipant

    assigned_by = set(
        ProjectParticipant.history.filter(role="evaluator").values_list("history_user__username", flat=True)
    )
    assert assigned_by == {"bureau"}  # the bureau assigns evaluators, in the demo too

    from greenbuild.accounts.models import User

    client.force_login(User.objects.get(username="bureau"))
    page = zh_get(client, reverse("dashboards:overview")).content.decode()
    assert live.name_zh in page and "当前日期不在任何阶段内" not in page
    assert 'id="todo-withdrawals"' in page and 'id="todo-in-review"' in page
