"""The API answers as its schema says (each answer validated against its operation's response
schema, as ``api/tests/test_schema_accuracy.py`` does for every endpoint), and the bureau's writes
go through the same services as the pages."""

import json

import pytest

from greenbuild.api.tests.test_schema_accuracy import generated_schema, problems

pytestmark = pytest.mark.django_db


def _operation(schema, path, method):
    return schema["paths"][path][method]


def _response_schema(operation, status):
    return operation["responses"][str(status)]["content"]["application/json"]["schema"]


def test_the_answers_match_the_schema(client, personas, issued):
    from greenbuild.completion.models import Lesson

    schema = json.loads(json.dumps(generated_schema(), default=str))
    list_op = _operation(schema, "/api/v1/summaries/", "get")
    detail_op = _operation(schema, "/api/v1/summaries/{id}/", "get")
    for persona in ("bureau", "dan_district"):
        client.force_login(personas[persona])
        listed = client.get("/api/v1/summaries/")
        assert listed.status_code == 200
        assert problems(schema, _response_schema(list_op, 200), listed.json()) == []
        detail = client.get("/api/v1/summaries/{}/".format(issued.pk))
        assert detail.status_code == 200
        assert problems(schema, _response_schema(detail_op, 200), detail.json()) == []
    # the bureau starts the next edition and changes an item through the API
    client.force_login(personas["bureau"])
    started = client.post(
        "/api/v1/summaries/{}/next-edition/".format(issued.pk), {"code": "api-next"}, content_type="application/json"
    )
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["next_edition"] == "api-next" and body["document_number"].startswith("常住建绿总")
    op = _operation(schema, "/api/v1/summaries/{id}/next-edition/", "post")
    assert problems(schema, _response_schema(op, 201), body) == []
    issued.refresh_from_db()
    item = issued.next_edition.items.order_by("sort_order").first()
    lesson = Lesson.objects.first()
    changed = client.post(
        "/api/v1/summaries/{}/edition-changes/".format(issued.pk),
        {"item": item.pk, "text_zh": "新条文", "reason": "经验", "lessons": [lesson.pk]},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["edition_changes"] == [
        {
            "item": item.pk,
            "code": item.code,
            "text_zh": "新条文",
            "previous_text_zh": item.text_zh,
            "reason": "经验",
            "lessons": [lesson.pk],
            "changed_at": changed.json()["edition_changes"][0]["changed_at"],
        }
    ]
    refused = client.post(
        "/api/v1/summaries/{}/edition-changes/".format(issued.pk),
        {"item": item.pk, "text_zh": "x", "reason": "y", "lessons": []},
        content_type="application/json",
    )
    assert refused.status_code == 400
    # a district official reads the issued summary but may not write
    client.force_login(personas["dan_district"])
    assert (
        client.post(
            "/api/v1/summaries/{}/next-edition/".format(issued.pk), {}, content_type="application/json"
        ).status_code
        == 403
    )


def test_the_bureau_drafts_through_the_api(client, personas, pilots, programme, immediate):
    client.force_login(personas["bureau"])
    response = client.post(
        "/api/v1/summaries/", {"programme": programme.pk, "recommendations": "建议"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["recommendations"] == "建议" and body["revisions"][0]["number"] == 1
    client.force_login(personas["dan_district"])
    assert (
        client.post("/api/v1/summaries/", {"programme": programme.pk}, content_type="application/json").status_code
        == 403
    )
