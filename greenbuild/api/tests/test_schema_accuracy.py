"""Issue 18 (API-02, 04, 05, 12, 15, 16, DOC-03): the schema — as drf-spectacular generates it from
the code now — describes what the API answers. Every list and every detail is read as several
roles (the bureau, a district official, an owner, an expert, the public) over a small world, and
each answer is validated against its operation's response schema (OpenAPI 3.0 ``nullable``
honoured); the schema's own lint (integer path ids, bilingual summaries, no dotted operationIds,
typed nullables, media types, ``info``) and the deprecation mechanism are checked too."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import jsonschema
import pytest
from django.test import override_settings
from django.urls import path as url_path
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory

from greenbuild.api import services as api_services
from greenbuild.api.base import ApiView
from greenbuild.api.deprecation import Deprecation, deprecated, deprecation_of

# the fixtures of other apps' tests: a drawn, scoring review panel and the meetings of the conference
from greenbuild.conference.tests.conftest import world as conference  # noqa: F401
from greenbuild.reviews.tests.conftest import drawn, pool, scheme, scoring, submitted_plan  # noqa: F401

METHODS = ("get", "post", "put", "patch", "delete")


def generated_schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict[str, Any]:
    with django_db_blocker.unblock():
        return json.loads(json.dumps(generated_schema(), default=str))


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, item in schema["paths"].items() for m, op in item.items() if m in METHODS]


# --- OpenAPI 3.0 schema objects as JSON Schema ------------------------------------------------------


def as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0's ``nullable: true`` is JSON Schema's "or null" (on the whole object, refs too)."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


#: jsonschema checks ``date-time`` only with an optional package (rfc3339-validator), absent here:
#: without this, a moment answered without its time zone would pass unseen (item 4)
FORMATS = jsonschema.FormatChecker()
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


@FORMATS.checks("date-time", raises=ValueError)
def _rfc3339(value: Any) -> bool:
    if isinstance(value, str):
        if not RFC3339.fullmatch(value):
            raise ValueError("not RFC 3339 with a time zone: {}".format(value))
        dt.datetime.fromisoformat(value)  # a real moment (no 25:00)
    return True


def validator_for(schema: dict[str, Any], response_schema: dict[str, Any]) -> jsonschema.Validator:
    root = dict(as_json_schema(response_schema))
    root["components"] = {"schemas": as_json_schema(schema["components"]["schemas"])}
    return jsonschema.Draft202012Validator(root, format_checker=FORMATS)


def problems(schema: dict[str, Any], response_schema: dict[str, Any], body: Any) -> list[str]:
    found = []
    for error in validator_for(schema, response_schema).iter_errors(body):
        where = "/".join(str(p) for p in error.absolute_path)
        found.append("{}: {}".format(where or "(root)", error.message[:160]))
    return found[:5]


# --- the world and its readers ------------------------------------------------------------------


@pytest.fixture
def readers(personas, orgs, filed_project, scoring, conference, django_capture_on_commit_callbacks):  # noqa: F811
    from greenbuild.projects import services as project_services

    with django_capture_on_commit_callbacks(execute=True):
        filed_project("confirmed", name="核对试点")  # baseline and lifecycle steps
        filed_project("recommended", name="核对已推荐")
        draft = filed_project("draft", name="核对草稿")
        project_services.add_participant(
            actor=personas["alice_owner"], project_id=draft.pk, organisation=orgs["contractor"], role="contractor"
        )
    _round, seats = scoring
    users = {
        "bureau": personas["bureau"],
        "district": personas["dan_district"],
        "owner": personas["alice_owner"],
        "expert": next(s.expert for s in seats if s.is_leader),
    }
    tokens: dict[str, str | None] = {}
    for who, user in users.items():
        _t, raw = api_services.create_token(actor=user, user=user, name="核对", scope="read")
        tokens[who] = "Bearer " + raw
    tokens["anonymous"] = None
    return tokens


def get(client: Any, url: str, token: str | None) -> Any:
    headers = {"HTTP_AUTHORIZATION": token} if token else {}
    return client.get(url, **headers)


def _json_schema_of(operation: dict[str, Any], status: int, media_type: str = "application/json") -> Any:
    response = operation["responses"].get(str(status))
    if response is None:
        return None
    return response.get("content", {}).get(media_type, {}).get("schema")


def _rows(body: Any) -> list[dict[str, Any]]:
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return body["results"]
    return body if isinstance(body, list) else []


@pytest.mark.django_db
def test_every_list_and_detail_answers_as_its_schema_says_for_every_reader(client, readers, schema):
    gets = [(p, op) for m, p, op in operations(schema) if m == "get"]
    lists = [(p, op) for p, op in gets if "{" not in p]
    details = [(p, op) for p, op in gets if re.fullmatch(r"[^{}]*\{id\}/[^{}]*", p)]
    assert len(lists) >= 30 and len(details) >= 30

    failures: list[str] = []
    validated = 0
    ids: dict[tuple[str, str], list[int]] = {}
    for who, token in readers.items():
        for path, operation in lists:
            response = get(client, path, token)
            if response.status_code != 200:
                continue
            media_type = response["Content-Type"].split(";")[0]
            declared = _json_schema_of(operation, 200, media_type)
            if declared is None:
                failures.append("{} ({}): answered {} undeclared".format(path, who, media_type))
                continue
            if media_type != "application/json":
                continue
            body = response.json()
            for problem in problems(schema, declared, body):
                failures.append("GET {} ({}): {}".format(path, who, problem))
            validated += 1
            ids[(who, path)] = [row["id"] for row in _rows(body) if isinstance(row, dict) and "id" in row][:3]
        for path, operation in details:
            collection = path.split("{id}")[0]
            for number in ids.get((who, collection), [])[:2]:
                assert isinstance(number, int), (collection, number)
                concrete = path.replace("{id}", str(number))
                response = get(client, concrete, token)
                if response.status_code != 200:
                    continue
                media_type = response["Content-Type"].split(";")[0]
                declared = _json_schema_of(operation, 200, media_type)
                if declared is None:
                    failures.append("GET {} ({}): answered {} undeclared".format(concrete, who, media_type))
                    continue
                if media_type == "application/json":
                    for problem in problems(schema, declared, response.json()):
                        failures.append("GET {} ({}): {}".format(concrete, who, problem))
                    validated += 1
    assert failures == [], "{} problems:\n{}".format(len(failures), "\n".join(failures))
    assert validated >= 150


@pytest.mark.django_db
def test_a_read_declares_the_token_optional_exactly_when_it_answers_anonymous_callers(client, readers, schema):
    """API-12: a collection that answers the public says so (``{}`` beside the token); one that
    answers 401 does not; open data (no authentication at all) declares no security."""
    failures = []
    for method, path, operation in operations(schema):
        if method != "get" or "{" in path:
            continue
        response = client.get(path)
        security = operation.get("security")
        optional = security is None or {} in security
        if response.status_code == 401 and optional:
            failures.append("{}: 401 to the public, declared optional".format(path))
        if response.status_code == 200 and not optional:
            failures.append("{}: answers the public, declared token-only {}".format(path, security))
    assert failures == [], "\n".join(failures)
    assert schema["paths"]["/api/v1/open/pilots/"]["get"].get("security") in (None, [])


# --- the schema's lint --------------------------------------------------------------------------


@pytest.mark.django_db
def test_path_ids_are_integers_and_creating_moves_answer_201(schema):
    """API-15."""
    wrong = [
        "{} {} {}".format(m.upper(), p, prm["schema"])
        for m, p, op in operations(schema)
        for prm in op.get("parameters", [])
        if prm["in"] == "path" and (prm["name"] in ("id", "pk", "condition")) and prm["schema"].get("type") != "integer"
    ]
    assert wrong == []
    for path in ("/api/v1/projects/{id}/score-runs/", "/api/v1/buildings/{id}/assessment/"):
        assert "201" in schema["paths"][path]["post"]["responses"], path


@pytest.mark.django_db
def test_running_the_engines_answers_201_with_the_new_runs(client, personas, filed_project):
    """API-15: a move that creates (score runs) answers 201, as its schema says."""
    project = filed_project("confirmed", name="评分运行")
    user = personas["alice_owner"]
    _t, raw = api_services.create_token(actor=user, user=user, name="运行", scope="write")
    response = client.post(
        "/api/v1/projects/{}/score-runs/".format(project.pk),
        data="{}",
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + raw,
    )
    assert response.status_code == 201, response.content
    assert isinstance(response.json(), list)


@pytest.mark.django_db
def test_every_operation_has_a_bilingual_summary_and_a_plain_operation_id(schema):
    """API-16."""
    missing = [
        "{} {}: {!r}".format(m.upper(), p, op.get("summary"))
        for m, p, op in operations(schema)
        if " · " not in (op.get("summary") or "")
    ]
    assert missing == []
    dotted = [
        op["operationId"] for _m, _p, op in operations(schema) if not re.fullmatch(r"[A-Za-z0-9_]+", op["operationId"])
    ]
    assert dotted == []


@pytest.mark.django_db
def test_nullable_never_stands_without_a_type(schema):
    """API-16: OpenAPI 3.0.3 gives ``nullable`` meaning only beside ``type``."""
    found: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if node.get("nullable") and "type" not in node:
                found.append(where)
            for key, value in node.items():
                walk(value, "{}/{}".format(where, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, "{}/{}".format(where, index))

    walk(schema, "")
    assert found == []


@pytest.mark.django_db
def test_sub_lists_of_one_object_are_arrays_and_files_have_their_media_types(schema):
    """API-04 and API-16."""
    for path in (
        "/api/v1/projects/{id}/transitions/",
        "/api/v1/plans/{id}/transitions/",
        "/api/v1/project-steps/{id}/transitions/",
        "/api/v1/action-items/{id}/transitions/",
    ):
        declared = _json_schema_of(schema["paths"][path]["get"], 200)
        assert declared["type"] == "array", path
    declared = _json_schema_of(schema["paths"]["/api/v1/panel-seats/{id}/actions/score/"]["post"], 200)
    assert declared["type"] == "array"
    csv = schema["paths"]["/api/v1/open/pilots.csv"]["get"]["responses"]["200"]["content"]
    assert list(csv) == ["text/csv"] and csv["text/csv"]["schema"]["type"] == "string"
    pdf = schema["paths"]["/api/v1/documents/{id}/download/"]["get"]["responses"]["200"]["content"]
    assert list(pdf) == ["application/pdf"] and pdf["application/pdf"]["schema"] == {
        "type": "string",
        "format": "binary",
    }


@pytest.mark.django_db
def test_request_required_follows_the_form_and_info_is_complete(schema):
    """API-06 and DOC-03."""
    from greenbuild.projects.forms import ProjectForm

    components = schema["components"]["schemas"]
    required = {name for name, field in ProjectForm.base_fields.items() if field.required}
    assert set(components["ProjectWriteRequest"]["required"]) == required
    assert "target_star_level" in required
    assert not components["PatchedProjectWriteRequest"].get("required")
    info = schema["info"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", info["version"]) and info["version"] != "1.0.0"
    assert info["license"]["name"] and info["contact"]
    assert schema["servers"]


@pytest.mark.django_db
def test_every_form_backed_create_requires_what_its_form_requires(schema):
    """API-06: a viewset that validates with a page's form (``form_class``) documents that form's
    required fields as required, each with its own body (not another record kind's)."""
    from greenbuild.api.urls import router

    components = schema["components"]["schemas"]
    checked = 0
    for prefix, viewset, _basename in router.registry:
        form = getattr(viewset, "form_class", None)
        operation = schema["paths"].get("/api/v1/{}/".format(prefix), {}).get("post")
        if form is None or operation is None:
            continue
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        body = components[ref.rsplit("/", 1)[-1]]
        assert set(form.base_fields) <= set(body["properties"]), prefix
        required = {name for name, field in form.base_fields.items() if field.required}
        assert required <= set(body.get("required", [])) <= required | {"project"}, prefix
        checked += 1
    assert checked >= 3


@pytest.mark.django_db
def test_an_action_body_requires_what_the_server_requires(schema):
    """API-06 for actions: an addendum without its text is refused (``Write the addendum.``), so
    its body requires ``text``; a notice without text is written from the meeting (optional)."""
    components = schema["components"]["schemas"]

    def body(path: str) -> dict[str, Any]:
        ref = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        return components[ref.rsplit("/", 1)[-1]]

    assert body("/api/v1/meetings/{id}/addenda/").get("required") == ["text"]
    assert body("/api/v1/meetings/{id}/addenda/")["properties"]["text"].get("minLength") == 1
    assert not body("/api/v1/meetings/{id}/notice/").get("required")


@pytest.mark.django_db
def test_the_schema_generates_without_warnings():
    """``spectacular --fail-on-warn`` (docs/api.md) passes: one choice set, one component name,
    however many serializers answer it (no ``TargetStarLevel5b7Enum`` in a generated client)."""
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    generated = generated_schema()
    assert dict(GENERATOR_STATS._warn_cache) == {}
    names = [name for name in generated["components"]["schemas"] if re.search(r"[0-9a-f]{3}Enum$", name)]
    assert names == []


def test_the_changelog_names_the_schemas_version():
    from django.conf import settings

    changelog = (settings.BASE_DIR / "docs" / "api-changelog.md").read_text(encoding="utf-8")
    assert settings.SPECTACULAR_SETTINGS["VERSION"] in changelog


# --- deprecation --------------------------------------------------------------------------------

SINCE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
SUNSET = dt.datetime(2027, 6, 30, tzinfo=dt.UTC)


@deprecated(since=SINCE, sunset=SUNSET, link="https://example.org/changelog")
class OldView(ApiView):
    """An old endpoint."""

    def get(self, request: Any) -> Response:
        return Response({"old": True})


class HalfOldView(ApiView):
    """One handler deprecated, the other not."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def get(self, request: Any) -> Response:
        return Response({"fine": True})

    @deprecated(since=SINCE)
    def post(self, request: Any) -> Response:
        from rest_framework.exceptions import ValidationError

        raise ValidationError({"x": ["no"]})


class GuardedOldView(ApiView):
    """A deprecated handler behind the token: the refusals before it run are its answers too."""

    permission_classes = [IsAuthenticated]

    @deprecated(since=SINCE, sunset=SUNSET)
    def get(self, request: Any) -> Response:
        return Response({"old": True})


urlpatterns = [url_path("old/", OldView.as_view()), url_path("half/", HalfOldView.as_view())]


@pytest.mark.django_db
def test_a_deprecated_view_answers_deprecation_sunset_and_link():
    response = OldView.as_view()(APIRequestFactory().get("/old/"))
    assert response.status_code == 200
    assert response["Deprecation"] == "@{}".format(int(SINCE.timestamp())) == "@1796083200"
    assert response["Sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"
    assert response["Link"] == '<https://example.org/changelog>; rel="deprecation"'


@pytest.mark.django_db
def test_a_deprecated_handler_marks_its_answers_errors_included_and_only_its_own(settings):
    settings.SITE_URL = "https://greenbuild.example"
    view = HalfOldView.as_view()
    fine = view(APIRequestFactory().get("/half/"))
    assert "Deprecation" not in fine and "Sunset" not in fine
    refused = view(APIRequestFactory().post("/half/", {}, format="json"))
    refused.render()
    assert refused.status_code == 400 and json.loads(refused.content)["code"] == "invalid"
    assert refused["Deprecation"] == "@1796083200" and "Sunset" not in refused
    assert refused["Link"] == '<https://greenbuild.example/api/v1/docs/>; rel="deprecation"'


@pytest.mark.django_db
def test_a_deprecated_handler_marks_a_refusal_before_it_runs():
    """docs/api.md: every answer of a deprecated operation, errors included — also the 401 of a
    caller without a token, which is refused before the handler runs."""
    response = GuardedOldView.as_view()(APIRequestFactory().get("/guarded/"))
    assert response.status_code == 401
    assert response["Deprecation"] == "@1796083200"
    assert response["Sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"
    assert response["Link"].count('rel="deprecation"') == 1


def test_a_deprecation_needs_aware_dates():
    with pytest.raises(ValueError):
        Deprecation(since=dt.datetime(2026, 12, 1))  # noqa: DTZ001


def test_a_sunset_comes_after_the_deprecation():
    """RFC 9745 §5: the Sunset SHOULD NOT be earlier than the Deprecation."""
    with pytest.raises(ValueError):
        Deprecation(since=SUNSET, sunset=SINCE)


@override_settings(ROOT_URLCONF=__name__)
def test_the_schema_marks_deprecated_operations_and_says_when():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator(patterns=urlpatterns).get_schema(request=None, public=True)["paths"]
    assert paths["/old/"]["get"]["deprecated"] is True
    assert "2027-06-30" in paths["/old/"]["get"]["description"]
    assert paths["/half/"]["post"]["deprecated"] is True
    assert "deprecated" not in paths["/half/"]["get"]
    assert deprecation_of(HalfOldView(), "GET") is None
