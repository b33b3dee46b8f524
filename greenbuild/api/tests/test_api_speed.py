"""Every viewer's project list is fast (issue 18 item 10, bench/api.py): a constant number of queries
whatever the page holds, and the hand-written representation is exactly DRF's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers
from rest_framework.request import Request

from greenbuild.api import services as api_services
from greenbuild.projects.api.serializers import ProjectSerializer
from greenbuild.projects.api.views import PROJECT_RELATED
from greenbuild.projects.models import Project

pytestmark = pytest.mark.django_db

VIEWERS = ["bureau", "dan_district", "alice_owner", "carl_contractor", "eve_expert", None]


def auth(personas, who):
    if who is None:
        return {}
    _token, raw = api_services.create_token(actor=personas[who], user=personas[who], name="测速", scope="read")
    return {"HTTP_AUTHORIZATION": "Bearer " + raw}


def copies(project, n, **changes):
    """``n`` copies of ``project`` (its fields, ``changes`` applied), straight into the table."""
    rows = []
    for i in range(n):
        row = Project.objects.get(pk=project.pk)
        row.pk = None
        row.name = "{}-{}".format(project.name, i)
        for name, value in changes.items():
            setattr(row, name, value)
        rows.append(row)
    return Project.objects.bulk_create(rows)


@pytest.fixture
def world(filed_project, personas):
    confirmed = filed_project("confirmed", name="确定项目")
    submitted = filed_project("submitted", name="申报项目")
    draft = filed_project("draft", name="草稿项目")
    return {"confirmed": confirmed, "submitted": submitted, "draft": draft}


def list_queries(client, headers, limit=50):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/projects/?limit={}".format(limit), **headers)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize("who", VIEWERS)
def test_each_viewers_list_runs_a_constant_number_of_queries(client, personas, world, who, django_assert_num_queries):
    headers = auth(personas, who)
    list_queries(client, headers)  # the token's first use is written (and audited) once
    small, small_count = list_queries(client, headers)
    for status in ("confirmed", "submitted", "draft"):
        copies(world[status], 8)
    large, large_count = list_queries(client, headers)
    if who in ("bureau", "alice_owner", "dan_district", None):
        assert large_count > small_count  # the page did grow for this reader
    assert large == small
    assert list_queries(client, headers, limit=2)[0] == small  # whatever the page size
    with django_assert_num_queries(small):
        client.get("/api/v1/projects/", **headers)


@pytest.mark.parametrize("who", VIEWERS)
def test_a_detail_runs_a_constant_number_of_queries(client, personas, world, who):
    headers = auth(personas, who)
    client.get("/api/v1/users/me/" if who else "/api/v1/districts/", **headers)  # the token's first use
    counts = []
    for project in (world["confirmed"], *copies(world["confirmed"], 2)):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/v1/projects/{}/".format(project.pk), **headers)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert len(set(counts)) == 1, counts


@pytest.mark.parametrize("who", ["bureau", "alice_owner", "dan_district", "eve_expert", None])
def test_list_row_is_drfs_representation(personas, world, who):
    """``ProjectSerializer`` writes its representation by hand (bench/api.py); field by field it is
    what DRF's ModelSerializer makes of the same declaration, empty values and decimals included."""
    Project.objects.filter(pk=world["confirmed"].pk).update(
        investment_wan_yuan=Decimal("12345.6"),
        gfa_below_m2=None,
        planned_start=None,
        green_material_target_pct=Decimal("0"),
        submitted_at=timezone.now() - dt.timedelta(days=3),
    )
    Project.objects.filter(pk=world["draft"].pk).update(
        investment_nature=None, use=None, structure_system=None, organisation_mode=None, address=""
    )
    request = Request(RequestFactory().get("/api/v1/projects/"))
    request.user = personas[who] if who else None
    for project in Project.objects.select_related(*PROJECT_RELATED).order_by("pk"):
        for listed in (True, False):
            serializer = ProjectSerializer(context={"request": request, "list": listed})
            drf = serializers.ModelSerializer.to_representation(serializer, project)
            drf["available_actions"] = None
            assert serializer.list_row(project) == dict(drf), project.name
            assert list(serializer.list_row(project)) == list(drf)  # the same order of keys


# --- break-it review (issue 18 item 10): the fast paths keep the field policy and the language ---


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_list_row_is_drfs_representation_in_each_language(personas, world, language):
    from django.utils import translation

    request = Request(RequestFactory().get("/api/v1/projects/"))
    request.user = personas["alice_owner"]
    with translation.override(language):
        for project in Project.objects.select_related(*PROJECT_RELATED).order_by("pk"):
            serializer = ProjectSerializer(context={"request": request, "list": False})
            drf = dict(serializers.ModelSerializer.to_representation(serializer, project))
            drf["available_actions"] = None
            assert serializer.list_row(project) == drf, (language, project.name)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_status_and_names_follow_the_requests_language_in_list_and_detail(client, personas, world, language):
    from django.utils import translation

    headers = {**auth(personas, "alice_owner"), "HTTP_ACCEPT_LANGUAGE": language}
    project = Project.objects.select_related(*PROJECT_RELATED).get(pk=world["confirmed"].pk)
    with translation.override(language):
        expected = (str(project.get_status_display()), str(project.district), str(project.category))
    detail = client.get("/api/v1/projects/{}/".format(project.pk), **headers).json()
    row = next(r for r in client.get("/api/v1/projects/", **headers).json()["results"] if r["id"] == project.pk)
    for body in (detail, row):
        assert (body["status_label"], body["district_name"], body["category_name"]) == expected


POLICY_READERS = [
    "alice_owner",
    "olivia_other_owner",
    "dan_district",
    "wu_district",
    "bureau",
    "dept_reviewer",
    "carl_contractor",
    "eve_expert",
    "ted_evaluator",
    "dave_outsider",
    "bound_bureau",
    None,
]


@pytest.fixture
def policy_world(personas, orgs, filed_project):
    """A project in each state, the contractor a participant of each; one more project whose
    participant (the evaluator) was removed."""
    from greenbuild.projects.choices import ParticipantRole
    from greenbuild.projects.models import ProjectParticipant
    from greenbuild.projects.tests.factories import PATH_TO

    projects = []
    for status in PATH_TO:  # every state
        project = filed_project(status, name="策略{}".format(status))
        ProjectParticipant.objects.create(
            project=project, organisation=orgs["contractor"], role=ParticipantRole.CONTRACTOR
        )
        projects.append(project)
    removed = filed_project("submitted", name="策略已移除")
    ProjectParticipant.objects.create(project=removed, organisation=orgs["evaluator"], role=ParticipantRole.EVALUATOR)
    ProjectParticipant.objects.filter(project=removed, organisation=orgs["evaluator"]).delete()
    return projects + [removed]


@pytest.mark.parametrize("who", POLICY_READERS)
def test_each_reader_sees_exactly_the_field_policy_in_list_and_detail(client, personas, orgs, policy_world, who):
    """The constant ``gb_internal`` of the bureau, the ``IN`` list of the others, and the detail's
    hand-written representation give each reader exactly what the gate's own audience allows."""
    from greenbuild.accounts.choices import Role
    from greenbuild.accounts.models import Membership
    from greenbuild.accounts.roles import bind_to_organisation
    from greenbuild.core.fields import Audience
    from greenbuild.projects.api.serializers import FIELDS
    from greenbuild.projects.fields import PROJECT_FIELDS, project_audience

    if who == "bound_bureau":  # the bureau's token bound to a contractor it also belongs to
        user = personas["bureau"]
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
        Membership.objects.create(user=user, organisation=orgs["contractor"], role=Role.PARTICIPANT)
        _t, raw = api_services.create_token(
            actor=user, user=user, name="绑定", scope="read", organisation=orgs["contractor"]
        )
        headers = {"HTTP_AUTHORIZATION": "Bearer " + raw}
    else:
        headers = auth(personas, who)
    rows = {r["id"]: r for r in client.get("/api/v1/projects/?limit=200", **headers).json()["results"]}
    checked = 0
    for project in policy_world:
        reader = None
        if who is not None:
            from greenbuild.accounts.models import User

            reader = User.objects.get(pk=personas["bureau" if who == "bound_bureau" else who].pk)
            if who == "bound_bureau":
                bind_to_organisation(reader, orgs["contractor"].pk)
        else:
            from django.contrib.auth.models import AnonymousUser

            reader = AnonymousUser()
        audience = project_audience(reader, Project.objects.get(pk=project.pk))
        expected = [f for f in FIELDS if f not in PROJECT_FIELDS.hidden_from(audience)]
        response = client.get("/api/v1/projects/{}/".format(project.pk), **headers)
        if response.status_code == 404:
            assert project.pk not in rows
            continue
        assert response.status_code == 200, response.content
        detail = response.json()
        assert list(detail) == expected, (who, project.status, audience)
        assert list(rows[project.pk]) == expected, (who, project.status, audience)
        assert {k: v for k, v in detail.items() if k != "available_actions"} == {
            k: v for k, v in rows[project.pk].items() if k != "available_actions"
        }
        if audience == Audience.INTERNAL:
            assert isinstance(detail["available_actions"], list) and rows[project.pk]["available_actions"] is None
        checked += 1
    assert checked or who in ("dave_outsider", None, "olivia_other_owner", "wu_district", "eve_expert", "ted_evaluator")
