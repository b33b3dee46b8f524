"""Requests and errors of the API as an integrator meets them (issue 18 items 2–4; API-01, API-03,
API-08, API-13, API-14): JSON bodies only (multipart for uploads), the error shape on unknown
paths, methods and slash-less writes (never the CSRF page), unknown filters, orderings and bad
pages refused by name, every list in pages, and every operation's errors in the schema."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.test.client import encode_multipart
from django.test.utils import override_settings

from greenbuild.api import services as api_services
from greenbuild.api.urls import router
from greenbuild.projects.models import Project

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"status", "code", "message", "errors"}

#: every list of the router, and the lists outside it
LIST_PATHS = sorted(
    ["/api/v1/{}/".format(prefix) for prefix, viewset, _basename in router.registry if hasattr(viewset, "list")]
    + ["/api/v1/inbox/"]
)
#: the lists that can be ordered (``?ordering=``)
ORDERED_PATHS = [
    "/api/v1/projects/",
    "/api/v1/buildings/",
    "/api/v1/transitions/",
    "/api/v1/score-runs/",
]


def bearer(user, scope="write"):
    _token, raw = api_services.create_token(actor=user, user=user, name="测试", scope=scope)
    return {"HTTP_AUTHORIZATION": "Bearer " + raw}


def error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert set(body) == ERROR_KEYS and body["status"] == status and body["message"], body
    return body


@pytest.fixture
def bureau_token(personas):
    return bearer(personas["bureau"])


@pytest.fixture
def owner_token(personas):
    return bearer(personas["alice_owner"])


# --- 1. JSON bodies only -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["form", "multipart", "text"])
def test_a_body_that_is_not_json_is_a_415_naming_json(client, owner_token, filed_project, kind):
    project = filed_project("draft", name="表单项目")
    body = {"name": "改名"}
    if kind == "form":
        kwargs = {"data": urlencode(body), "content_type": "application/x-www-form-urlencoded"}
    elif kind == "multipart":
        kwargs = {"data": encode_multipart("BoUnDaRy", body), "content_type": "multipart/form-data; boundary=BoUnDaRy"}
    else:
        kwargs = {"data": "name=改名", "content_type": "text/plain"}
    response = client.patch("/api/v1/projects/{}/".format(project.pk), **kwargs, **owner_token)
    answer = error(response, 415)
    assert answer["code"] == "unsupported_media_type"
    assert "application/json" in answer["message"]
    assert Project.objects.get(pk=project.pk).name == "表单项目"


def test_a_form_encoded_move_is_a_415_and_moves_nothing(client, owner_token, filed_project):
    project = filed_project("draft", name="表单提交")
    response = client.post(
        "/api/v1/projects/{}/actions/submit/".format(project.pk),
        data=urlencode({"comment": "请审核"}),
        content_type="application/x-www-form-urlencoded",
        **owner_token,
    )
    assert error(response, 415)["code"] == "unsupported_media_type"
    assert Project.objects.get(pk=project.pk).status == "draft"


def test_a_move_without_a_body_still_works(client, owner_token, filed_project):
    project = filed_project("draft", name="无正文提交")
    # no body at all (curl -X POST): no media type to refuse
    response = client.generic("POST", "/api/v1/projects/{}/actions/submit/".format(project.pk), **owner_token)
    assert response.status_code in (200, 201), response.content
    assert Project.objects.get(pk=project.pk).status == "submitted"


def test_the_upload_takes_multipart_only(client, owner_token, filed_project):
    project = filed_project("draft", name="上传项目")
    response = client.post(
        "/api/v1/attachments/",
        data=json.dumps({"project": project.pk, "kind": "evidence"}),
        content_type="application/json",
        **owner_token,
    )
    answer = error(response, 415)
    assert "multipart/form-data" in answer["message"]


def test_the_api_test_client_sends_json_by_default(settings):
    assert settings.REST_FRAMEWORK["TEST_REQUEST_DEFAULT_FORMAT"] == "json"
    assert settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] == ["greenbuild.api.parsers.JSONParser"]


# --- 2. unknown paths, methods and slash-less writes --------------------------------------------


@pytest.mark.parametrize("method", ["get", "post", "patch", "put", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/nonexistent/", "/api/v1/projects/1/nonexistent/", "/api/v2/projects/"])
def test_an_unknown_path_is_a_json_404_with_a_token(client, bureau_token, method, path):
    kwargs = {"data": "{}", "content_type": "application/json"} if method != "get" else {}
    response = getattr(client, method)(path, **kwargs, **bureau_token)
    assert error(response, 404)["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path", "target"),
    [
        ("post", "/api/v1/projects", "/api/v1/projects/"),
        ("patch", "/api/v1/projects/{pk}", "/api/v1/projects/{pk}/"),
        ("post", "/api/v1/projects/{pk}/actions/submit", "/api/v1/projects/{pk}/actions/submit/"),
        ("get", "/api/v1/projects", "/api/v1/projects/"),
        ("get", "/api/v1", "/api/v1/"),
    ],
    ids=["create", "update", "move", "list", "root"],
)
def test_a_path_missing_its_slash_is_a_json_404_naming_the_path(
    client, owner_token, filed_project, method, path, target
):
    project = filed_project("draft", name="斜杠项目")
    path, target = path.format(pk=project.pk), target.format(pk=project.pk)
    kwargs = {"data": json.dumps({"name": "x"}), "content_type": "application/json"} if method != "get" else {}
    response = getattr(client, method)(path, **kwargs, **owner_token)
    answer = error(response, 404)
    assert answer["code"] == "no_trailing_slash"
    assert target in answer["message"] and answer["errors"] == {"path": [target]}
    assert Project.objects.get(pk=project.pk).status == "draft"


def test_a_slash_less_write_of_a_signed_in_browser_gets_json_not_the_csrf_page(personas):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas["alice_owner"])
    for path in ("/api/v1/projects", "/api/v1/nonexistent/"):
        response = browser.post(path, data="{}", content_type="application/json")
        assert error(response, 404)["code"] in ("no_trailing_slash", "not_found")


def test_a_session_write_without_its_csrf_token_is_a_json_403(personas):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas["alice_owner"])
    response = browser.post("/api/v1/projects/", data="{}", content_type="application/json")
    assert error(response, 403)["code"] == "csrf_failed"


def test_the_csrf_failure_view_answers_json_under_the_api(rf):
    from greenbuild.core.views import csrf_failure

    answer = error(csrf_failure(rf.post("/api/v1/anything/"), reason="CSRF cookie not set."), 403)
    assert answer["code"] == "csrf_failed"
    from django.contrib.auth.models import AnonymousUser

    request = rf.post("/projects/new/")
    request.user = AnonymousUser()
    page = csrf_failure(request, reason="CSRF cookie not set.")
    assert page.status_code == 403 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/api/v1/projects/{pk}/", {"GET", "PATCH"}),
        ("put", "/api/v1/projects/", {"GET", "POST"}),
        ("PURGE", "/api/v1/projects/", {"GET", "POST"}),
        ("get", "/api/v1/projects/{pk}/actions/submit/", {"POST"}),
        ("post", "/api/v1/schema/", {"GET"}),
        ("post", "/api/v1/redoc/redoc.standalone.js", {"GET"}),
    ],
    ids=["delete-detail", "put-list", "unknown-method", "get-move", "schema", "plain-view"],
)
def test_a_method_the_endpoint_does_not_take_is_a_json_405_with_allow(
    client, owner_token, filed_project, method, path, allowed
):
    project = filed_project("draft", name="方法项目")
    path = path.format(pk=project.pk)
    send = getattr(client, method) if method.islower() else (lambda p, **kw: client.generic(method, p, **kw))
    response = send(path, **owner_token)
    assert error(response, 405)["code"] == "method_not_allowed"
    assert allowed <= {m.strip() for m in response["Allow"].split(",")}
    assert Project.objects.filter(pk=project.pk).exists()


# --- 3. query parameters of lists ---------------------------------------------------------------


@pytest.mark.parametrize("path", LIST_PATHS)
def test_an_unknown_query_parameter_is_a_400_naming_it_on_every_list(client, bureau_token, path):
    response = client.get(path, {"nosuch": "1"}, **bureau_token)
    answer = error(response, 400)
    assert answer["code"] == "invalid" and list(answer["errors"]) == ["nosuch"]


@pytest.mark.parametrize("path", LIST_PATHS)
def test_an_unknown_ordering_is_a_400_on_every_list(client, bureau_token, path):
    response = client.get(path, {"ordering": "nosuch"}, **bureau_token)
    answer = error(response, 400)
    assert list(answer["errors"]) == ["ordering"]
    if path in ORDERED_PATHS:
        assert "nosuch" in answer["errors"]["ordering"][0]


@pytest.mark.parametrize("path", ORDERED_PATHS)
def test_a_known_ordering_still_orders(client, bureau_token, path):
    assert client.get(path, {"ordering": "-id"}, **bureau_token).status_code == 200
    error(client.get(path, {"ordering": "--id"}, **bureau_token), 400)


@pytest.mark.parametrize("value", ["-1", "0", "abc", "1.5", "", "１０"])
def test_a_bad_limit_is_a_400(client, bureau_token, value):
    answer = error(client.get("/api/v1/districts/", {"limit": value}, **bureau_token), 400)
    assert list(answer["errors"]) == ["limit"]


@pytest.mark.parametrize("value", ["-1", "abc", ""])
def test_a_bad_offset_is_a_400(client, bureau_token, value):
    answer = error(client.get("/api/v1/projects/", {"offset": value}, **bureau_token), 400)
    assert list(answer["errors"]) == ["offset"]


def test_a_large_limit_gives_the_largest_page(client, bureau_token):
    response = client.get(
        "/api/v1/districts/", {"limit": "1000000000", "offset": "99999999999999999999"}, **bureau_token
    )
    assert response.status_code == 200 and response.json()["results"] == []
    response = client.get("/api/v1/districts/", {"limit": "1000000000"}, **bureau_token)
    assert response.status_code == 200 and len(response.json()["results"]) <= 500


@pytest.mark.parametrize("path", LIST_PATHS)
def test_every_list_is_paginated_in_one_shape(client, bureau_token, path):
    response = client.get(path, {"limit": "1"}, **bureau_token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}, body
    assert isinstance(body["results"], list) and len(body["results"]) <= 1


def test_the_reference_lists_page(client):
    body = client.get("/api/v1/districts/", {"limit": "2"}).json()
    assert body["count"] > 2 and len(body["results"]) == 2 and "offset=2" in body["next"]


def test_the_project_filters_take_the_names_of_the_answer(client, bureau_token, filed_project):
    project = filed_project("submitted", name="过滤项目")
    other = Project.objects.exclude(district=project.district).values_list("district", flat=True).first()
    for name, value in [
        ("district", project.district_id),
        ("category", project.category_id),
        ("district_id", project.district_id),  # deprecated alias, still filtering
    ]:
        body = client.get("/api/v1/projects/", {name: value, "programme": ""}, **bureau_token).json()
        assert project.pk in [row["id"] for row in body["results"]], (name, body)
        assert all(row[name.removesuffix("_id")] == value for row in body["results"])
    if other is not None:
        body = client.get("/api/v1/projects/", {"district": other, "programme": ""}, **bureau_token).json()
        assert project.pk not in [row["id"] for row in body["results"]]


def test_a_deprecated_filter_name_is_answered_with_the_deprecation_headers(client, bureau_token):
    from greenbuild.reference.models import District

    # a district that exists: after another test's flush the districts come back under new ids
    district = str(District.objects.order_by("pk").values_list("pk", flat=True).first())
    old = client.get("/api/v1/projects/", {"district_id": district}, **bureau_token)
    assert old.status_code == 200
    assert old["Deprecation"] == "@1796601600" and 'rel="deprecation"' in old["Link"]
    assert "Sunset" not in old  # removed only with /api/v2/
    new = client.get("/api/v1/projects/", {"district": district}, **bureau_token)
    assert new.status_code == 200 and "Deprecation" not in new


def test_a_bad_filter_value_is_a_400_naming_the_filter(client, bureau_token):
    answer = error(client.get("/api/v1/projects/", {"district": "abc"}, **bureau_token), 400)
    assert list(answer["errors"]) == ["district"]


# --- 4. the schema ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    with override_settings(LANGUAGE_CODE="zh-hans"):
        return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in sorted(schema["paths"].items()):
        for method, operation in sorted(item.items()):
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def _resolve(schema, response):
    ref = response.get("$ref", "")
    return schema["components"]["responses"][ref.rsplit("/", 1)[1]] if ref else response


def test_the_error_component_is_the_error_shape(schema):
    from greenbuild.api.exceptions import error_body

    component = schema["components"]["schemas"]["Error"]
    assert set(component["properties"]) == set(error_body(400, "invalid", "x")) == ERROR_KEYS
    assert set(component["required"]) == ERROR_KEYS


def test_every_operation_documents_its_errors_with_the_error_component(schema):
    missing = []
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        expected = {"429"} if path.startswith("/api/v1/open/") else {"401", "429"}  # open data reads no token
        if method != "get":
            expected |= {"400", "403", "413", "415"}
        if "{" in path:
            expected |= {"404"}
        if method != "get" and "{" in path:
            expected |= {"409", "412"}
        if any(parameter["in"] == "query" for parameter in operation.get("parameters", [])):
            expected |= {"400"}
        if not expected <= set(responses):
            missing.append((method, path, sorted(expected - set(responses))))
        for code, response in responses.items():
            if code.startswith("4"):
                content = _resolve(schema, response)["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (method, path, code)
                assert content.get("examples") or content.get("example"), (method, path, code)
    assert not missing, missing


def test_every_body_has_one_media_type(schema):
    """JSON everywhere; multipart only where a file is sent (the upload, and an action whose body is
    a file, such as a rectification order's evidence), and the raw bytes of a resumable upload's
    chunk (``application/offset+octet-stream``, the tus protocol)."""
    bodies = {}
    for path, method, operation in _operations(schema):
        if "requestBody" in operation:
            bodies[(method, path)] = list(operation["requestBody"]["content"])
    assert bodies and all(len(types) == 1 for types in bodies.values()), bodies
    others = {key: types[0] for key, types in bodies.items() if types != ["application/json"]}
    assert others.pop(("post", "/api/v1/attachments/")) == "multipart/form-data"
    for (method, path), kind in list(others.items()):  # an action that takes its own file (evidence)
        if kind == "multipart/form-data":
            body = _request_body_schema(schema, path, method, kind)
            assert any(spec.get("format") == "binary" for spec in body["properties"].values()), (method, path)
            del others[(method, path)]
    assert all(
        path.startswith("/api/v1/uploads/") and kind == "application/offset+octet-stream"
        for (_method, path), kind in others.items()
    ), others


def _request_body_schema(schema, path, method, media_type):
    body = schema["paths"][path][method]["requestBody"]["content"][media_type]["schema"]
    if "$ref" in body:
        body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    return body


def test_the_documented_examples_are_the_answers(schema, client, owner_token):
    """The 404 example of the schema is what an unknown id answers (shape and code)."""
    example = next(iter(schema["components"]["responses"]["NotFound"]["content"]["application/json"]["examples"]))
    documented = schema["components"]["responses"]["NotFound"]["content"]["application/json"]["examples"][example]
    answer = error(client.get("/api/v1/projects/999999999/", **owner_token), 404)
    assert set(documented["value"]) == set(answer) and documented["value"]["code"] == answer["code"]


# --- 5. found by the break-it review -------------------------------------------------------------


@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "bogus", "UTF-8"])
def test_a_json_body_is_read_as_utf8_whatever_charset_it_names(client, owner_token, filed_project, charset):
    """RFC 8259: JSON is UTF-8 and ``application/json`` has no charset parameter ("no effect on
    compliant recipients"). Decoding by the label stored 常州 as mojibake with a 200."""
    project = filed_project("draft", name="编码项目")
    response = client.patch(
        "/api/v1/projects/{}/".format(project.pk),
        data=json.dumps({"address": "常州市龙城大道1号"}, ensure_ascii=False).encode(),
        content_type="application/json; charset=" + charset,
        **owner_token,
    )
    assert response.status_code == 200, response.content
    assert Project.objects.get(pk=project.pk).address == "常州市龙城大道1号"


def test_a_body_that_is_not_utf8_is_a_400_not_mojibake(client, owner_token, filed_project):
    project = filed_project("draft", name="编码项目")
    response = client.patch(
        "/api/v1/projects/{}/".format(project.pk),
        data='{"address": "Zürich"}'.encode("latin-1"),
        content_type="application/json; charset=latin-1",
        **owner_token,
    )
    assert error(response, 400)["code"] == "parse_error"
    assert Project.objects.get(pk=project.pk).address != "ZÃ¼rich"


def test_a_detail_and_its_moves_ignore_the_list_filters(client, owner_token, filed_project):
    """A list's filters are not a detail's parameters: ``?district=`` on a detail answered 404 (an
    object the caller sees) or an undocumented 400 (a detail documents no 400)."""
    project = filed_project("draft", name="详情过滤")
    other = project.district_id + 1
    path = "/api/v1/projects/{}/".format(project.pk)
    for query in ({"district": other}, {"district": "abc"}, {"status": "nosuch"}, {"ordering": "nosuch"}):
        response = client.get(path, query, **owner_token)
        assert response.status_code == 200, (query, response.content)
    response = client.patch(
        path + "?district=abc",
        data=json.dumps({"address": "过滤不影响详情"}),
        content_type="application/json",
        **owner_token,
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("method", ["get", "post", "patch", "put", "delete", "options"])
def test_the_bare_api_path_is_a_json_404_not_a_redirect(client, bureau_token, method):
    """``/api`` (no slash) fell through to the pages: a 301 to ``/api/`` in HTML, and a 500 (DEBUG)
    or a redirect that turns the write into a GET for a write."""
    kwargs = {"data": "{}", "content_type": "application/json"} if method not in ("get", "options") else {}
    response = getattr(client, method)("/api", **kwargs, **bureau_token)
    assert error(response, 404)["code"] == "not_found"


def test_the_plain_views_json_is_utf8_like_the_rest(client, bureau_token):
    """The JSON of the plain views (unknown paths, slash-less paths, 405, CSRF) is UTF-8 text as
    DRF's answers are, not ``\\uXXXX`` escapes."""
    response = client.get("/api/v1/projects", HTTP_ACCEPT_LANGUAGE="zh-hans", **bureau_token)
    assert error(response, 404)["code"] == "no_trailing_slash"
    assert "斜杠" in response.content.decode("utf-8")


def test_a_session_write_without_csrf_says_so_in_the_callers_language(personas):
    """DRF's own CSRF refusal was ``permission_denied`` with an English message in the Chinese API;
    Django's was ``csrf_failed``: one code, translated."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas["alice_owner"])
    response = browser.post(
        "/api/v1/projects/", data="{}", content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    answer = error(response, 403)
    assert answer["code"] == "csrf_failed"
    assert "CSRF Failed" not in answer["message"]


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "text/csv"])
def test_an_accept_the_api_cannot_meet_still_gets_json(client, owner_token, filed_project, accept):
    """``Accept: text/html`` was a 406 on every operation, documented on none: the API disregards
    an Accept it cannot meet (RFC 9110 section 12.5.1) and answers its JSON."""
    project = filed_project("draft", name="接受头项目")
    for path in ("/api/v1/projects/", "/api/v1/projects/{}/".format(project.pk)):
        response = client.get(path, HTTP_ACCEPT=accept, **owner_token)
        assert response.status_code == 200, (path, response.content)
        assert response["Content-Type"].startswith("application/json")


def test_an_unknown_format_on_a_list_is_a_400_naming_it(client, owner_token):
    """``?format=xml`` on a list was a 404, which no list documents."""
    for path in ("/api/v1/projects/", "/api/v1/inbox/"):
        answer = error(client.get(path, {"format": "xml"}, **owner_token), 400)
        assert list(answer["errors"]) == ["format"] and "json" in answer["errors"]["format"][0]
    assert client.get("/api/v1/projects/", {"format": "json"}, **owner_token).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/criteria-schemes/?based_on=999999999999999999999999",
        "/api/v1/webhook-deliveries/?subscription=99999999999999999999",
    ],
    ids=["based_on", "subscription"],
)
def test_a_filter_value_too_large_for_the_database_is_a_400_not_a_500(client, bureau_token, path):
    """A number filter without a bound sent an id beyond 64 bits to SQLite: OverflowError, a 500
    (the HTML debug page with DEBUG). PostgreSQL's DataError was already a 400."""
    answer = error(client.get(path, **bureau_token), 400)
    assert answer["code"] == "invalid"


def test_an_unreadable_upload_body_is_not_called_json(client, owner_token):
    """A multipart body without its boundary was answered "The request body is not valid JSON"."""
    response = client.post("/api/v1/attachments/", data=b"garbage", content_type="multipart/form-data", **owner_token)
    answer = error(response, 400)
    assert answer["code"] == "parse_error" and "JSON" not in answer["message"]
    assert "multipart/form-data" in answer["message"]
