"""HTTP conventions (issue 18 item 4, API-09): Location on 201, ETag on single objects,
If-None-Match (304) and If-Match (412, nothing written)."""

from __future__ import annotations

import re

import pytest

from greenbuild.accounts.choices import Role
from greenbuild.api.tests.test_api import api, assert_error_shape, token_for
from greenbuild.projects.forms import BuildingForm
from greenbuild.projects.models import Project, ProjectTransition
from greenbuild.scoring.tests.conftest import make_pilot
from greenbuild.testing.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann_owner(orgs):
    """A colleague of alice's in the same owner company: the second office."""
    return person("ann", Role.OWNER_APPLICANT, orgs["owner"])


def test_two_offices_cannot_overwrite_each_other(client, personas, filed_project, ann_owner):
    project = filed_project("draft", name="两个办公室")
    url = "/api/v1/projects/{}/".format(project.pk)
    alice, ann = token_for(personas["alice_owner"]), token_for(ann_owner)
    first, second = api(client, "get", url, auth=alice), api(client, "get", url, auth=ann)
    assert first["ETag"] == second["ETag"] and first["ETag"].startswith('"')

    won = api(client, "patch", url, {"name": "甲办公室改的"}, alice, HTTP_IF_MATCH=first["ETag"])
    assert won.status_code == 200, won.content
    assert won["ETag"] != first["ETag"]  # the answer to a write carries the new version
    lost = api(client, "patch", url, {"name": "乙办公室改的"}, ann, HTTP_IF_MATCH=second["ETag"])
    body = assert_error_shape(lost, 412)
    assert body["code"] == "precondition_failed"
    project.refresh_from_db()
    assert project.name == "甲办公室改的"

    fresh = api(client, "get", url, auth=ann)
    assert fresh["ETag"] == won["ETag"]
    again = api(client, "patch", url, {"name": "乙办公室改的"}, ann, HTTP_IF_MATCH=fresh["ETag"])
    assert again.status_code == 200, again.content


def test_if_match_is_optional_star_matches_and_weak_never_does(client, personas, filed_project):
    project = filed_project("draft", name="可选")
    url = "/api/v1/projects/{}/".format(project.pk)
    alice = token_for(personas["alice_owner"])
    tag = api(client, "get", url, auth=alice)["ETag"]
    assert api(client, "patch", url, {"name": "无条件"}, alice).status_code == 200
    assert api(client, "patch", url, {"name": "星号"}, alice, HTTP_IF_MATCH="*").status_code == 200
    current = api(client, "get", url, auth=alice)["ETag"]
    assert current != tag
    assert_error_shape(api(client, "patch", url, {"name": "弱"}, alice, HTTP_IF_MATCH="W/" + current), 412)
    listed = '"stale", {}'.format(current)
    assert api(client, "patch", url, {"name": "列表"}, alice, HTTP_IF_MATCH=listed).status_code == 200


def test_a_stale_if_match_on_a_move_and_a_delete_writes_nothing(client, personas, filed_project):
    project = filed_project("draft", name="动作")
    url = "/api/v1/projects/{}/".format(project.pk)
    alice = token_for(personas["alice_owner"])
    stale = api(client, "get", url, auth=alice)["ETag"]
    assert api(client, "patch", url, {"name": "先改一下"}, alice).status_code == 200
    moves = ProjectTransition.objects.filter(project=project).count()
    submitted = api(client, "post", url + "actions/submit/", {"comment": "提交"}, alice, HTTP_IF_MATCH=stale)
    assert_error_shape(submitted, 412)
    assert Project.objects.get(pk=project.pk).status == "draft"
    assert ProjectTransition.objects.filter(project=project).count() == moves

    building = project.buildings.first()
    building_url = "/api/v1/buildings/{}/".format(building.pk)
    building_tag = api(client, "get", building_url, auth=alice)["ETag"]
    assert api(client, "patch", building_url, {"storeys": 7}, alice).status_code == 200
    assert_error_shape(api(client, "delete", building_url, auth=alice, HTTP_IF_MATCH=building_tag), 412)
    assert project.buildings.filter(pk=building.pk).exists()
    current = api(client, "get", building_url, auth=alice)["ETag"]
    assert api(client, "delete", building_url, auth=alice, HTTP_IF_MATCH=current).status_code == 204


def test_if_match_on_an_invisible_object_is_a_404_not_a_412(client, personas, filed_project):
    project = filed_project("draft", name="别人的")
    olivia = token_for(personas["olivia_other_owner"])
    url = "/api/v1/projects/{}/".format(project.pk)
    assert_error_shape(api(client, "patch", url, {"name": "x"}, olivia, HTTP_IF_MATCH='"x"'), 404)
    assert_error_shape(api(client, "patch", "/api/v1/projects/999999/", {"name": "x"}, olivia, HTTP_IF_MATCH="*"), 404)


def test_etag_and_if_none_match_on_details(client, personas, filed_project):
    project = filed_project("draft", name="条件读取")
    alice = token_for(personas["alice_owner"])
    url = "/api/v1/projects/{}/".format(project.pk)
    first = api(client, "get", url, auth=alice)
    tag = first["ETag"]
    not_modified = api(client, "get", url, auth=alice, HTTP_IF_NONE_MATCH=tag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == tag
    assert api(client, "get", url, auth=alice, HTTP_IF_NONE_MATCH="W/" + tag).status_code == 304
    assert api(client, "get", url, auth=alice, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    # another reader who sees other fields, or another language, is another representation
    english = api(client, "get", url, auth=alice, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200 and english["ETag"] != tag
    # single objects outside the collections too; lists carry none
    assert api(client, "get", "/api/v1/users/me/", auth=alice).has_header("ETag")
    assert not api(client, "get", "/api/v1/projects/", auth=alice).has_header("ETag")
    building = project.buildings.first()
    assert api(client, "get", "/api/v1/buildings/{}/".format(building.pk), auth=alice).has_header("ETag")


def test_every_201_has_the_new_objects_location(client, personas, filed_project):
    project = filed_project("draft", name="新建")
    alice = token_for(personas["alice_owner"])
    building = project.buildings.first()
    created = api(client, "post", "/api/v1/projects/", _project_body(client, alice, project), alice)
    assert created.status_code == 201, created.content
    assert created["Location"] == "/api/v1/projects/{}/".format(created.json()["id"])
    assert api(client, "get", created["Location"], auth=alice).status_code == 200

    body = {"project": project.pk, **_form_body(building, BuildingForm), "name": "2号楼"}
    made = api(client, "post", "/api/v1/buildings/", body, alice)
    assert made.status_code == 201, made.content
    assert made["Location"] == "/api/v1/buildings/{}/".format(made.json()["id"])


def _project_body(client, auth, project):
    """A valid create body: the form's values of an existing draft."""
    from greenbuild.projects.forms import ProjectForm

    return {**_form_body(project, ProjectForm), "name": "另一个项目"}


def _form_body(instance, form_class):
    from django.forms.models import model_to_dict

    body = {}
    for name, value in model_to_dict(instance, fields=list(form_class.base_fields)).items():
        if value is None or value == "":
            continue
        if isinstance(value, list):
            value = [getattr(item, "pk", item) for item in value]
        elif not isinstance(value, (int, bool)):
            value = str(value)
        body[name] = value
    return body


# --- ISO 8601 with the time zone everywhere ------------------------------------------------------

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _moments(value, path="$"):
    """Every text in an answer that looks like a date or a moment, with where it is."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _moments(item, "{}.{}".format(path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _moments(item, "{}[{}]".format(path, index))
    elif isinstance(value, str) and (DATETIME.match(value) or DATE.match(value)):
        yield path, value


def test_every_moment_in_the_api_has_the_offset_and_every_date_is_plain(client, personas, filed_project):
    """A sweep of every collection and its first object as the bureau and the owner: a moment is
    ISO 8601 with ``+08:00``, a date ``YYYY-MM-DD``; nothing in UTC ``Z`` or without a zone."""
    from greenbuild.api.urls import router

    project = filed_project("confirmed", name="时间格式")
    wrong, seen = [], 0
    for who in ("bureau", "alice_owner"):
        auth = token_for(personas[who], scope="read")
        for prefix, _viewset, _basename in router.registry:
            page = api(client, "get", "/api/v1/{}/".format(prefix), auth=auth)
            if page.status_code != 200:
                continue
            answers = [page.json()]
            results = answers[0].get("results") if isinstance(answers[0], dict) else None
            if results and isinstance(results[0], dict) and "id" in results[0]:
                detail = api(client, "get", "/api/v1/{}/{}/".format(prefix, results[0]["id"]), auth=auth)
                if detail.status_code == 200:
                    answers.append(detail.json())
            for answer in answers:
                for path, value in _moments(answer):
                    seen += 1
                    ok = DATE.match(value) or (DATETIME.match(value) and value.endswith("+08:00") and "T" in value)
                    if not ok:
                        wrong.append((prefix, path, value))
        singles = ("/api/v1/users/me/", "/api/v1/inbox/", "/api/v1/projects/{}/transitions/".format(project.pk))
        for path in (*singles, "/api/v1/projects/{}/star-level/".format(project.pk)):
            for where, value in _moments(api(client, "get", path, auth=auth).json()):
                if not (DATE.match(value) or value.endswith("+08:00")):
                    wrong.append((path, where, value))
    assert wrong == []
    assert seen > 20  # the sweep met moments and dates


@pytest.fixture
def pilot(personas):
    return make_pilot(personas)


def test_a_stale_if_match_on_a_scorecard_review_writes_nothing(client, personas, pilot):
    """The scorecard writes (not a collection's route) check If-Match against the scorecard as
    ``GET /api/v1/scorecards/{id}/`` answers it."""
    from greenbuild.scoring.models import ScoreRun
    from greenbuild.scoring.tests.test_api import accepted_decisions, bearer, call, scorecard_body

    owner, reviewer = bearer(personas["alice_owner"]), bearer(personas["ted_evaluator"])
    path = "/api/v1/projects/{}/scorecards/evaluation/".format(pilot.pk)
    assert call(client, "put", path, scorecard_body(), owner).status_code == 200
    card = client.get("/api/v1/scorecards/?project={}".format(pilot.pk), **owner).json()["results"][0]
    tag = client.get("/api/v1/scorecards/{}/".format(card["id"]), **reviewer)["ETag"]
    runs = ScoreRun.objects.count()
    stale = call(client, "put", path, scorecard_body(), {**owner, "HTTP_IF_MATCH": '"stale"'})
    assert_error_shape(stale, 412)
    review = {"decisions": accepted_decisions()}
    assert_error_shape(call(client, "post", path + "review/", review, {**reviewer, "HTTP_IF_MATCH": '"x"'}), 412)
    assert ScoreRun.objects.count() == runs
    reviewed = call(client, "post", path + "review/", review, {**reviewer, "HTTP_IF_MATCH": tag})
    assert reviewed.status_code == 200, reviewed.content


def test_if_match_on_a_first_scorecard_filing_is_a_412(client, personas, pilot):
    """No scorecard yet: no current version, so no tag matches, ``*`` included (RFC 9110 §13.1.1);
    before, the header was ignored and the filing written."""
    from greenbuild.scoring.models import Scorecard
    from greenbuild.scoring.tests.test_api import bearer, call, scorecard_body

    owner = bearer(personas["alice_owner"])
    path = "/api/v1/projects/{}/scorecards/evaluation/".format(pilot.pk)
    for tag in ('"stale"', "*"):
        assert_error_shape(call(client, "put", path, scorecard_body(), {**owner, "HTTP_IF_MATCH": tag}), 412)
    assert not Scorecard.objects.filter(project=pilot, stage="evaluation").exists()
    assert call(client, "put", path, scorecard_body(), owner).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_if_match_check_waits_for_a_write_in_progress_on_postgresql(personas_transactional_pair):
    """The check and the write do not race: while another transaction holds the project's row
    (a page saving the form), a PATCH with the tag read before waits for it, and once it commits
    the check sees the new version — 412, the other write kept. Without the row locked before the
    check, the PATCH would pass its check at once and overwrite the other write."""
    import threading
    import time

    from django.db import connection, connections, transaction
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite's immediate transaction serialises every write)")
    alice, project = personas_transactional_pair
    auth = token_for(alice)
    url = "/api/v1/projects/{}/".format(project.pk)
    tag = Client().get(url, **auth)["ETag"]
    answers = []

    def patch():
        try:
            answers.append(api(Client(), "patch", url, {"name": "接口改的"}, auth, HTTP_IF_MATCH=tag))
        finally:
            connections.close_all()

    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)  # the page's write holds the row
        worker = threading.Thread(target=patch)
        worker.start()
        deadline = time.monotonic() + 30
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:  # until the PATCH waits on the row lock
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")  # live, not a snapshot
                if cursor.fetchone()[0]:
                    break
            else:
                pytest.fail("the PATCH never waited for the row")
        Project.objects.filter(pk=project.pk).update(name="页面改的")
    worker.join(timeout=60)
    assert len(answers) == 1
    assert_error_shape(answers[0], 412)
    assert Project.objects.get(pk=project.pk).name == "页面改的"


@pytest.fixture
def personas_transactional_pair(transactional_db):
    """alice and her draft, in a test whose transactions really commit (threads see them)."""
    from django.apps import apps

    from greenbuild.accounts.choices import OrganisationKind
    from greenbuild.programmes.data_changzhou_2021 import CHANGZHOU_2021, load_programme
    from greenbuild.reference.loader import load_reference_data
    from greenbuild.testing.factories import OrganisationFactory, make_project

    # the flush after a transactional test removes the data the migrations loaded: load it again
    load_reference_data(apps)
    load_programme(apps, CHANGZHOU_2021)
    alice = person("alice", Role.OWNER_APPLICANT, OrganisationFactory(kind=OrganisationKind.OWNER))
    return alice, make_project(alice, name="并发")
