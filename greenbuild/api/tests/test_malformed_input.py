"""Malformed input gets a 400 (411, 413) in the API's error shape, never a server error (issue 17
item 7; SEC-07, SEC-13, SEC-14): non-string dates, lone surrogates, deep nesting, NUL characters,
chunked bodies and oversized bodies. ``test_malformed_schema.py`` sends each kind to every write
operation of the schema; these tests pin down each kind's answer."""

from __future__ import annotations

import io
import json

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.test.client import encode_multipart

from greenbuild.api import services as api_services
from greenbuild.attachments.limits import FORM_OVERHEAD_BYTES
from greenbuild.attachments.policy import get_policy
from greenbuild.projects.models import Project
from greenbuild.scoring.tests.conftest import make_pilot

pytestmark = pytest.mark.django_db


def token_for(user, scope="write"):
    _token, raw = api_services.create_token(actor=user, user=user, name="测试", scope=scope)
    return {"HTTP_AUTHORIZATION": "Bearer " + raw}


def send(client, method, path, text, auth, content_type="application/json", **extra):
    return getattr(client, method)(path, data=text, content_type=content_type, **auth, **extra)


def error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"status", "code", "message", "errors"} and body["status"] == status and body["message"]
    return body


@pytest.fixture
def owner_project(personas, filed_project):
    project = filed_project("draft", name="畸形输入")
    return project, token_for(personas["alice_owner"])


def _unchanged(project):
    before = Project.objects.filter(pk=project.pk).values().get()
    yield
    assert Project.objects.filter(pk=project.pk).values().get() == before


@pytest.mark.parametrize("field", ["planned_start", "planned_completion"])
@pytest.mark.parametrize("value", [5, 5.5, True, {"a": 1}, ["2026-01-01"]])
def test_a_date_that_is_not_text_is_a_field_error(client, owner_project, field, value):
    project, auth = owner_project
    before = Project.objects.filter(pk=project.pk).values().get()
    response = send(client, "patch", "/api/v1/projects/{}/".format(project.pk), json.dumps({field: value}), auth)
    body = error(response, 400)
    assert body["code"] == "invalid" and field in body["errors"], body
    assert Project.objects.filter(pk=project.pk).values().get() == before


def test_a_number_where_text_is_expected_is_taken_as_its_text(client, owner_project):
    project, auth = owner_project
    response = send(client, "patch", "/api/v1/projects/{}/".format(project.pk), json.dumps({"address": 12}), auth)
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert project.address == "12"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('{"address": "a\\u0000b"}', "address"),
        ('{"address": "\\ud800"}', "address"),
        ('{"address": "x\\udfffy"}', "address"),
        ('{"address": ["ok", {"deep": "\\u0000"}]}', "address[1].deep"),
        ('{"a\\u0000b": "x"}', "a\\u0000b"),
        ('"\\ud800"', "non_field_errors"),
    ],
)
def test_nul_and_lone_surrogates_are_refused_on_their_field(client, owner_project, text, field):
    project, auth = owner_project
    before = Project.objects.filter(pk=project.pk).values().get()
    response = send(client, "patch", "/api/v1/projects/{}/".format(project.pk), text, auth)
    body = error(response, 400)
    assert body["code"] == "invalid" and list(body["errors"]) == [field], body
    assert Project.objects.filter(pk=project.pk).values().get() == before


def test_a_surrogate_pair_is_one_character_and_accepted(client, owner_project):
    project, auth = owner_project
    response = send(client, "patch", "/api/v1/projects/{}/".format(project.pk), '{"address": "\\ud83c\\udfe0"}', auth)
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert project.address == "\U0001f3e0"


def test_the_message_is_in_the_requests_language(client, owner_project):
    project, auth = owner_project
    path = "/api/v1/projects/{}/".format(project.pk)
    zh = error(send(client, "patch", path, '{"address": "\\ud800"}', auth), 400)
    en = error(send(client, "patch", path, '{"address": "\\ud800"}', auth, HTTP_ACCEPT_LANGUAGE="en"), 400)
    assert en["errors"]["address"] == ["Unpaired surrogate characters (\\ud800–\\udfff) are not allowed."]
    assert zh["errors"]["address"] != en["errors"]["address"]


@pytest.mark.parametrize("depth", [33, 1_000, 100_000])
def test_nesting_deeper_than_the_limit_is_a_parse_error(client, owner_project, depth):
    project, auth = owner_project
    text = '{"address": ' + "[" * depth + "]" * depth + "}"
    body = error(send(client, "patch", "/api/v1/projects/{}/".format(project.pk), text, auth), 400)
    assert body["code"] == "parse_error" and "32" in body["message"], body


def test_nesting_within_the_limit_reaches_the_form(client, owner_project):
    project, auth = owner_project
    text = '{"address": ' + "[" * 31 + "]" * 31 + "}"
    body = error(send(client, "patch", "/api/v1/projects/{}/".format(project.pk), text, auth), 400)
    assert body["code"] == "invalid" and "address" in body["errors"], body


@pytest.mark.parametrize("text", ["{", "[1,]", "NaN", '{"a": Infinity}', "1" * 5000, b'{"a": "\xed\xa0\x80"}'])
def test_invalid_json_is_a_parse_error(client, owner_project, text):
    project, auth = owner_project
    body = error(send(client, "patch", "/api/v1/projects/{}/".format(project.pk), text, auth), 400)
    assert body["code"] == "parse_error", body


def test_a_malformed_body_is_refused_even_where_the_operation_reads_no_body(client, owner_project):
    project, auth = owner_project
    building = project.buildings.first()
    response = send(client, "delete", "/api/v1/buildings/{}/".format(building.pk), "[" * 100, auth)
    error(response, 400)
    assert project.buildings.filter(pk=building.pk).exists()


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_form_body_to_a_json_endpoint_is_refused_unread(client, owner_project, content_type):
    """JSON bodies only (issue 18, API-01): a form body is a 415, whatever it carries (NUL, lone
    surrogates), and nothing is written."""
    project, auth = owner_project
    address = project.address
    if content_type.startswith("multipart"):
        response = client.patch(
            "/api/v1/projects/{}/".format(project.pk),
            data=encode_multipart("BoUnDaRy", {"address": "a\x00b"}),
            content_type="multipart/form-data; boundary=BoUnDaRy",
            **auth,
        )
    else:
        response = send(client, "patch", "/api/v1/projects/{}/".format(project.pk), "address=a%00b", auth, content_type)
    body = error(response, 415)
    assert body["code"] == "unsupported_media_type"
    project.refresh_from_db()
    assert project.address == address


def test_nul_in_a_multipart_upload_field_is_refused(client, owner_project):
    """The upload still parses multipart: NUL in one of its fields is a 400 naming it (SEC-07)."""
    project, auth = owner_project
    response = client.post(
        "/api/v1/attachments/",
        data=encode_multipart("BoUnDaRy", {"project": str(project.pk), "kind": "evi\x00dence"}),
        content_type="multipart/form-data; boundary=BoUnDaRy",
        **auth,
    )
    body = error(response, 400)
    assert list(body["errors"]) == ["kind"], body


# --- SEC-13: chunked bodies ------------------------------------------------------------------


def _wsgi(environ):
    """Call the WSGI application as a server would, returning (status, headers, body)."""
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    # as Django's test client does: the test's database connection stays open across the request
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = WSGIHandler()(environ, start_response)
        body = b"".join(chunks)
        chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(seen["status"].split()[0]), seen["headers"], body


def test_a_chunked_body_is_refused_with_411_and_nothing_changes(owner_project):
    project, auth = owner_project
    payload = json.dumps({"address": "分块地址"}).encode()
    environ = (
        RequestFactory()
        .patch("/api/v1/projects/{}/".format(project.pk), data=b"", content_type="application/json", **auth)
        .environ
    )
    # as gunicorn hands over a chunked request: the header, no Content-Length, the body in the stream
    environ.pop("CONTENT_LENGTH", None)
    environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    environ["wsgi.input"] = io.BytesIO(payload)
    status, headers, body = _wsgi(environ)
    assert status == 411 and headers["Content-Type"].startswith("application/json")
    parsed = json.loads(body)
    assert parsed["status"] == 411 and parsed["code"] == "length_required"
    project.refresh_from_db()
    assert project.address != "分块地址"


def test_a_chunked_page_post_is_refused_with_411_and_nothing_changes(client, owner_project, personas):
    """Pages too (SEC-13): a chunked form post would reach the view with an empty body."""
    project, _auth = owner_project
    client.force_login(personas["alice_owner"])
    environ = RequestFactory().post("/projects/{}/edit/".format(project.pk), data={"address": "分块地址"}).environ
    environ.pop("CONTENT_LENGTH", None)
    environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    environ["HTTP_COOKIE"] = "{}={}".format(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    status, headers, body = _wsgi(environ)
    assert status == 411 and headers["Content-Type"].startswith("text/html")
    assert "未保存任何内容" in body.decode()
    project.refresh_from_db()
    assert project.address != "分块地址"


def test_a_body_with_its_length_still_works_at_the_wsgi_level(owner_project):
    project, auth = owner_project
    payload = json.dumps({"address": "定长地址"}).encode()
    environ = (
        RequestFactory()
        .patch("/api/v1/projects/{}/".format(project.pk), data=payload, content_type="application/json", **auth)
        .environ
    )
    status, _headers, body = _wsgi(environ)
    assert status == 200, body
    project.refresh_from_db()
    assert project.address == "定长地址"


# --- SEC-14: body limits -----------------------------------------------------------------------


def test_an_upload_above_the_pages_limit_is_a_json_413(client, owner_project):
    from greenbuild.api.files import AttachmentViewSet

    project, auth = owner_project
    kinds = AttachmentViewSet.create.upload_kinds
    limit = max(get_policy(kind).max_bytes for kind in kinds) + FORM_OVERHEAD_BYTES
    assert limit > 10 * 1024 * 1024  # the pages take the largest kind, not a flat 10 MB
    too_big = client.post(
        "/api/v1/attachments/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(limit + 1),
        **auth,
    )
    body = error(too_big, 413)
    assert body["code"] == "request_too_large"


def test_a_json_body_above_the_default_limit_is_a_json_413(client, owner_project, settings):
    project, auth = owner_project
    response = client.patch(
        "/api/v1/projects/{}/".format(project.pk),
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(10 * 1024 * 1024 + 1),
        **auth,
    )
    error(response, 413)


def test_a_json_body_above_the_memory_limit_is_a_json_413(client, owner_project, settings):
    project, auth = owner_project
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    text = json.dumps({"address": "x" * 2000})
    body = error(send(client, "patch", "/api/v1/projects/{}/".format(project.pk), text, auth), 413)
    assert body["code"] == "request_too_large"


def test_a_page_above_its_limit_still_gets_the_html_413(client, personas):
    client.force_login(personas["alice_owner"])
    response = client.post("/projects/new/", data=b"", content_type="text/plain", CONTENT_LENGTH=str(11 * 1024 * 1024))
    assert response.status_code == 413 and response["Content-Type"].startswith("text/html")


# --- page forms --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["/projects/new/", "/projects/{pk}/edit/"])
def test_nul_in_every_field_of_a_page_form_is_a_field_error(client, personas, owner_project, page):
    from greenbuild.projects.forms import ProjectForm

    project, _auth = owner_project
    client.force_login(personas["alice_owner"])
    before = (Project.objects.count(), Project.objects.filter(pk=project.pk).values().get())
    data = {name: "1\x00" for name in ProjectForm.base_fields}
    response = client.post(page.format(pk=project.pk), data=data)
    assert response.status_code == 200, response.status_code
    errors = response.context["form"].errors
    assert set(errors) >= {"name", "address", "planned_start", "district"}, errors
    assert (Project.objects.count(), Project.objects.filter(pk=project.pk).values().get()) == before


def test_an_encoded_lone_surrogate_in_a_page_form_never_reaches_the_form(client, personas, owner_project):
    project, _auth = owner_project
    client.force_login(personas["alice_owner"])
    response = client.post(
        "/projects/{}/edit/".format(project.pk),
        data="name=%ED%A0%80&address=%00",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "\ud800" not in form.data["name"] and "address" in form.errors


def test_a_records_date_that_is_not_text_is_a_field_error(client, personas):
    from greenbuild.scoring.models import WasteRecord

    pilot = make_pilot(personas)
    auth = token_for(personas["alice_owner"])
    body = {"project": pilot.pk, "recorded_on": "2022-05-01", "category": "construction_waste", "tonnes": "10"}
    created = send(client, "post", "/api/v1/waste-records/", json.dumps(body), auth)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    for value in (5, 5.5, {"y": 2022}, [2022, 5, 1]):
        response = send(
            client, "patch", "/api/v1/waste-records/{}/".format(pk), json.dumps({"recorded_on": value}), auth
        )
        assert "recorded_on" in error(response, 400)["errors"], value
    assert str(WasteRecord.objects.get(pk=pk).recorded_on) == "2022-05-01"


# --- headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["gb_\x00_zz", "gb_a\x00_zz", "gb_\u00e9_zz"])
def test_a_token_with_a_nul_or_foreign_character_is_an_unknown_token(client, db, raw):
    """Its prefix never reaches the database (PostgreSQL refuses NUL in a text parameter): 401."""
    body = error(client.get("/api/v1/projects/", HTTP_AUTHORIZATION="Bearer " + raw), 401)
    assert body["code"] == "token_invalid", body
