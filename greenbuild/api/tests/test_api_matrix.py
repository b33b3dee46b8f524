"""The permission matrix over the API (issue 12): every persona × endpoint × method × project in
and out of scope, with write and read tokens. The expected answer of each cell is the gate's own
predicate (``can``), so the API is proved to honour the same gate as the pages: 404 when the
project is invisible, 403 when it is visible but the action is not allowed, nothing written on
refusal."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from greenbuild.api import services as api_services
from greenbuild.projects.models import Building, Project, ProjectParticipant, ProjectTransition
from greenbuild.projects.permissions import can
from greenbuild.projects.workflow import MOVES

pytestmark = pytest.mark.django_db

PERSONAS = [
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
]
STATES = ["draft", "submitted", "recommended", "candidate", "confirmed"]


@pytest.fixture
def world(personas, orgs, filed_project):
    from greenbuild.projects.choices import ParticipantRole
    from greenbuild.testing.factories import pass_plan_review

    projects = {}
    for status in STATES:
        project = filed_project(status, name="矩阵{}".format(status))
        if status == "candidate":  # a candidate is confirmed once its plan passed review (issue 13)
            pass_plan_review(project, owner=personas["alice_owner"], bureau=personas["bureau"])
        ProjectParticipant.objects.create(
            project=project, organisation=orgs["contractor"], role=ParticipantRole.CONTRACTOR
        )
        ProjectParticipant.objects.create(
            project=project, organisation=orgs["evaluator"], role=ParticipantRole.EVALUATOR
        )
        projects[status] = Project.objects.get(pk=project.pk)
    tokens = {}
    for who in PERSONAS:
        user = personas[who]
        _t, write = api_services.create_token(actor=user, user=user, name="写", scope="write")
        _t, read = api_services.create_token(actor=user, user=user, name="读", scope="read")
        tokens[who] = {"write": "Bearer " + write, "read": "Bearer " + read}
    return {"projects": projects, "tokens": tokens}


def _call(client, method, path, token, body=None):
    kwargs = {"HTTP_AUTHORIZATION": token}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(path, **kwargs)


def _expected(user, action, project):
    if not can(user, "view", project):
        return 404
    return 200 if can(user, action, project) else 403


def _snapshot():
    return (
        list(Project.objects.order_by("pk").values_list("pk", "status", "name", "address")),
        ProjectTransition.objects.count(),
        Building.objects.count(),
        ProjectParticipant.objects.count(),
    )


@pytest.mark.parametrize("who", PERSONAS)
def test_reads(client, personas, world, who):
    user, token = personas[who], world["tokens"][who]["read"]
    listed = {row["id"] for row in _call(client, "get", "/api/v1/projects/?limit=500", token).json()["results"]}
    for status, project in world["projects"].items():
        cell = "{} reads {}".format(who, status)
        detail = _call(client, "get", "/api/v1/projects/{}/".format(project.pk), token)
        assert detail.status_code == _expected(user, "view", project), cell
        assert (project.pk in listed) == can(user, "view", project), cell
        internal = can(user, "view_internal", project)
        if detail.status_code == 200:
            assert ("approval_code" in detail.json()) == internal, cell
        timeline = _call(client, "get", "/api/v1/projects/{}/transitions/".format(project.pk), token)
        assert timeline.status_code == _expected(user, "view_internal", project), cell
        for child in ("transitions", "participants"):
            rows = _call(client, "get", "/api/v1/{}/?project={}".format(child, project.pk), token).json()["results"]
            exists = getattr(project, child).exists()
            assert bool(rows) == (internal and exists), "{} lists {}".format(cell, child)
        buildings = _call(client, "get", "/api/v1/buildings/?project={}".format(project.pk), token).json()["results"]
        assert bool(buildings) == can(user, "view", project), cell


@pytest.mark.parametrize("who", PERSONAS)
def test_moves(client, personas, world, who):
    user, token = personas[who], world["tokens"][who]["write"]
    for status, project in world["projects"].items():
        for move in MOVES:
            cell = "{} {} on {}".format(who, move, status)
            with transaction.atomic():
                before = _snapshot()
                response = _call(
                    client,
                    "post",
                    "/api/v1/projects/{}/actions/{}/".format(project.pk, move),
                    token,
                    {"comment": "矩阵"},
                )
                expected = _expected(user, move, project)
                if expected == 200 and status not in MOVES[move].sources:
                    expected = 409
                assert response.status_code == expected, (cell, response.content)
                if expected != 200:
                    assert _snapshot() == before, cell
                transaction.set_rollback(True)


@pytest.mark.parametrize("who", PERSONAS)
def test_writes_with_both_token_scopes(client, personas, world, who):
    user = personas[who]
    for status, project in world["projects"].items():
        building = project.buildings.first()
        writes = [
            ("patch", "/api/v1/projects/{}/".format(project.pk), {"address": "矩阵地址"}, "change"),
            ("patch", "/api/v1/buildings/{}/".format(building.pk), {"name": "矩阵楼"}, "change"),
            ("delete", "/api/v1/buildings/{}/".format(building.pk), None, "change"),
        ]
        for method, path, body, action in writes:
            cell = "{} {} {} on {}".format(who, method, path, status)
            for scope in ("read", "write"):
                with transaction.atomic():
                    before = _snapshot()
                    response = _call(client, method, path, world["tokens"][who][scope], body)
                    if scope == "read":
                        assert response.status_code == 403, cell
                    elif method == "delete":
                        # a building the user cannot see is a 404 through the buildings gate
                        expected = 404 if not can(user, "view", project) else _expected(user, action, project)
                        assert response.status_code == (204 if expected == 200 else expected), (cell, response.content)
                    else:
                        assert response.status_code == _expected(user, action, project), (cell, response.content)
                    if response.status_code >= 400:
                        assert _snapshot() == before, cell
                    transaction.set_rollback(True)


def test_memberships_are_for_the_bureau_only(client, personas, world):
    for who in PERSONAS:
        rows = _call(client, "get", "/api/v1/memberships/", world["tokens"][who]["read"]).json()["results"]
        assert bool(rows) == (who == "bureau"), who


def test_a_session_write_needs_the_csrf_token(personas, world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas["alice_owner"])
    project = world["projects"]["draft"]
    response = browser.patch(
        "/api/v1/projects/{}/".format(project.pk),
        data=json.dumps({"address": "无令牌"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["status"] == 403
    project.refresh_from_db()
    assert project.address != "无令牌"
