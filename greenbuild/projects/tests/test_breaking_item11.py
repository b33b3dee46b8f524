"""Issue 16 item 11 and the REG findings, attacked from every role (review of 2026-12-07).

Each test names what must hold; the first failed on the code before the fix.
"""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from greenbuild.api import services as api_services
from greenbuild.projects import services
from greenbuild.projects.choices import ProjectStatus as S
from greenbuild.projects.choices import WithdrawalStatus as W
from greenbuild.projects.models import Project
from greenbuild.testing.factories import pass_plan_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot(filed_project, personas):
    project = filed_project("candidate", name="撤回试点")
    pass_plan_review(project, owner=personas["alice_owner"], bureau=personas["bureau"])
    services.transition_project(actor=personas["bureau"], project_id=project.pk, action="confirm", comment="确认")
    project.refresh_from_db()
    return project


def export_rows(client, query="") -> list[dict[str, object]]:
    with translation.override("zh-hans"):
        response = client.get(reverse("reports:project-list-xlsx") + query)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    headers = [str(h) for h in rows[0]]
    return [dict(zip(headers, row, strict=False)) for row in rows[1:]]


def bearer(user, scope="read") -> str:
    return "Bearer " + api_services.create_token(actor=user, user=user, name="评审", scope=scope)[1]


def test_the_export_gives_no_internal_dates_of_a_project_the_reader_sees_only_from_outside(client, pilot, personas):
    """The API keeps 首次申报时间 (submitted_at) and updated_at to insiders (INTERNAL_FIELDS); the
    export's new 首次申报时间 column gave them to the public and to other districts."""
    with translation.override("zh-hans"):
        dates = [str(Project._meta.get_field(name).verbose_name) for name in ("submitted_at", "updated_at")]
    [public] = export_rows(client)
    assert [public[d] for d in dates] == [None, None]
    client.force_login(personas["wu_district"])
    [other] = export_rows(client)
    assert [other[d] for d in dates] == [None, None]
    client.force_login(personas["dan_district"])
    [inside] = export_rows(client)
    assert None not in [inside[d] for d in dates]


def test_no_one_outside_learns_of_a_pending_withdrawal_request_from_list_export_or_api(client, pilot, personas):
    services.request_withdrawal(actor=personas["alice_owner"], project_id=pilot.pk, reason="资金调整")
    outsiders = [None, "olivia_other_owner", "wu_district", "eve_expert", "ted_evaluator", "dave_outsider"]
    for name in outsiders:
        reader = Client()
        headers = {}
        if name:
            reader.force_login(personas[name])
            headers = {"HTTP_AUTHORIZATION": bearer(personas[name])}
        page = reader.get(reverse("projects:project-list"), {"withdrawal": "pending", "programme": ""})
        assert "撤回试点" not in page.content.decode(), name
        assert export_rows(reader, "?withdrawal=pending&programme=") == [], name
        api = Client().get("/api/v1/projects/", {"withdrawal": "pending"}, **headers)
        assert api.status_code == 200 and api.json()["count"] == 0, name
        detail = reader.get(reverse("projects:project-detail", args=[pilot.pk])).content.decode()
        assert "资金调整" not in detail, name
    for name in ("bureau", "dan_district"):
        api = Client().get("/api/v1/projects/", {"withdrawal": "pending"}, HTTP_AUTHORIZATION=bearer(personas[name]))
        assert api.json()["count"] == 1, name


def test_deciding_a_request_settled_by_a_direct_withdrawal_is_refused_cleanly(client, pilot, personas):
    request = services.request_withdrawal(actor=personas["alice_owner"], project_id=pilot.pk, reason="资金调整")
    services.transition_project(actor=personas["bureau"], project_id=pilot.pk, action="withdraw", comment="直接撤回")
    request.refresh_from_db()
    pilot.refresh_from_db()
    assert (pilot.status, request.status) == (S.WITHDRAWN, W.APPROVED)
    client.force_login(personas["bureau"])
    for action in ("approve", "refuse"):
        url = reverse("projects:withdrawal-decide", args=[pilot.pk, request.pk, action])
        response = client.post(url, {"comment": "不同意"})
        assert response.status_code in (302, 404), (action, response.status_code)
    request.refresh_from_db()
    assert request.status == W.APPROVED and request.transitions.count() == 1


def test_confirming_twice_or_a_candidate_without_a_passed_plan_is_refused_through_the_api(filed_project, personas):
    api = Client()
    token = bearer(personas["bureau"], "write")
    body = json.dumps({"comment": "确认为试点"})
    unready = filed_project("candidate", name="方案未过")
    response = api.post(
        "/api/v1/projects/{}/actions/confirm/".format(unready.pk), body, "application/json", HTTP_AUTHORIZATION=token
    )
    assert response.status_code == 400 and response.json()["code"] == "refused"
    unready.refresh_from_db()
    assert unready.status == S.CANDIDATE
    ready = filed_project("candidate", name="方案已过")
    pass_plan_review(ready, owner=personas["alice_owner"], bureau=personas["bureau"])
    url = "/api/v1/projects/{}/actions/confirm/".format(ready.pk)
    assert api.post(url, body, "application/json", HTTP_AUTHORIZATION=token).status_code == 200
    assert api.post(url, body, "application/json", HTTP_AUTHORIZATION=token).status_code == 409
    assert ready.transitions.filter(to_status=S.CONFIRMED).count() == 1


@pytest.mark.parametrize(
    "query",
    [
        "programme=abc",
        "programme=-1",
        "programme=99999999999999999999",
        "category_id=-1",
        "category_id=99999999999999999999",
        "district_id=1&district_id=x",
        "status=bogus",
        "withdrawal=x",
        "programme=%00",
    ],
)
def test_malformed_filters_never_give_a_500_on_the_list_the_export_the_overview_or_the_inbox(client, personas, query):
    client.force_login(personas["bureau"])
    for url in ("/projects/", "/projects/export.xlsx", "/", "/notifications/inbox/"):
        assert client.get(url + "?" + query).status_code == 200, url
    api = Client().get("/api/v1/projects/?" + query, HTTP_AUTHORIZATION=bearer(personas["bureau"]))
    assert api.status_code == 400


def test_huge_ids_in_the_address_are_not_found_not_a_500(client, pilot, personas):
    huge = "99999999999999999999"
    client.force_login(personas["bureau"])
    for url in (
        "/projects/{}/".format(huge),
        "/jobs/{}/".format(huge),
        "/projects/{}/withdrawal/{}/approve/".format(pilot.pk, huge),
        "/projects/{}/actions/confirm/".format(huge),
    ):
        response = (
            client.post(url, {"comment": "x"}) if "/withdrawal/" in url or "/actions/" in url else client.get(url)
        )
        assert response.status_code == 404, url
    for url in ("/jobs/?page=" + huge, "/projects/?page=" + huge, "/notifications/inbox/?page=" + huge):
        assert client.get(url).status_code == 200, url
